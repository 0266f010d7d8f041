//! The leadership dashboard in a browser: the published figures as a leader reads them, a
//! figure followed to its list and on to the list of what is missing from it, and the
//! printable monthly report.
use crate::common::TestApp;
use crate::harness::Browser;

async fn a_leader_reads_the_figures_and_follows_them_to_their_projects(app: TestApp) {
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    let token = app.login("leader").await;
    let (_, summary) = app
        .get("/api/v1/reports/summary?as_of=2023-06-30", &token)
        .await;
    let by_investment = format!(
        "{:.2}%",
        summary["acceptance_rate_by_investment"].as_f64().unwrap() * 100.0
    );

    b.sign_in("leader").await;
    b.goto("/dashboard?as_of=2023-06-30").await;
    for (measure, shown) in [
        ("projects", "239"),
        ("exempt", "81"),
        ("required", "158"),
        ("accepted_or_decided", "153"),
        ("point_to_point", "59"),
        ("acceptance_rate", "96.84%"),
        ("acceptance_rate_by_investment", by_investment.as_str()),
        ("total_investment", "1204.23"),
    ] {
        assert_eq!(
            b.text(&format!("[data-measure={measure}]")).await,
            shown,
            "{measure}"
        );
    }
    assert_eq!(
        b.attr("input[name=as_of]", "value").await.as_deref(),
        Some("2023-06-30")
    );
    assert!(
        b.find_all(".chart svg a").await.len() >= 6 + 7,
        "every point and bar is a link"
    );
    b.check_page("leader-dashboard").await;

    b.client.set_window_size(1366, 768).await.expect("size");
    b.click("a[data-measure=accepted_or_decided]").await;
    b.wait_path("/dashboard/projects?measure=accepted_or_decided")
        .await;
    assert_eq!(
        b.attr("[data-total]", "data-total").await.as_deref(),
        Some("153")
    );
    assert!(b.text("h1").await.contains("已受理或已办结 153 个项目"));
    assert_eq!(b.find_all("tr[data-project-id]").await.len(), 50);
    b.check_page("leader-drilldown").await;

    b.client.set_window_size(1366, 768).await.expect("size");
    b.click("a[data-gap]").await;
    b.wait_path("/dashboard/projects?measure=not_accepted")
        .await;
    assert_eq!(
        b.attr("[data-total]", "data-total").await.as_deref(),
        Some("5")
    );
    assert_eq!(b.find_all("tr[data-project-id]").await.len(), 5);

    b.goto("/reports/monthly?month=2023-06").await;
    assert!(b.text("h1").await.contains("2023年6月"));
    assert!(b.find_all("[data-print]").await.len() == 1);
    b.check_page("leader-monthly").await;
    b.close().await;
}

crate::on_both_backends!(demo; a_leader_reads_the_figures_and_follows_them_to_their_projects);
