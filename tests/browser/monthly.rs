//! The province's monthly report in a browser: an officer opens the month's report the
//! scheduler drafted, sees it is a draft awaiting review, and approves it (with a confirmation);
//! the page then says it is approved and on its way to the province.
use crate::common::{TestApp, d};
use crate::harness::Browser;
use eiaflow::http::{AppState, app};

const PROVINCE: &str = "hpc@sthjt.shaanxi.example.gov.cn";

async fn an_officer_reviews_and_approves_the_drafted_report(mut t: TestApp) {
    t.settings.scheduler.province_report_to = PROVINCE.into();
    t.router = app(AppState::new(t.db.clone(), t.settings.clone()));
    eiaflow::services::reminders::tick(&t.db, &t.settings, d("2023-07-01"))
        .await
        .expect("tick");
    let Some(b) = Browser::open(&t).await else {
        return;
    };
    b.sign_in("officer1").await;
    b.goto("/reports/monthly?month=2023-06").await;
    assert!(b.text("h1").await.contains("2023年6月"));
    assert_eq!(b.text("[data-report-status]").await, "草稿");
    assert_eq!(
        b.attr("a[href^='/reports/monthly.xlsx']", "href")
            .await
            .as_deref(),
        Some("/reports/monthly.xlsx?month=2023-06")
    );
    b.check_page("officer-monthly-draft").await;

    let asked = b
        .click_confirming("form[action='/reports/monthly/approve'] button")
        .await;
    assert!(asked.contains("2023年6月"), "{asked}");
    assert!(asked.contains(PROVINCE), "{asked}");
    b.wait_path("/reports/monthly?month=2023-06").await;
    assert_eq!(b.text("[data-report-status]").await, "已审核");
    assert!(b.text(".flash").await.contains(PROVINCE));
    assert!(
        b.find_all("form[action='/reports/monthly/approve']")
            .await
            .is_empty(),
        "approved once"
    );
    b.check_page("officer-monthly-approved").await;
    b.close().await;
}

crate::on_both_backends!(demo; an_officer_reviews_and_approves_the_drafted_report);
