//! Browser cases: the administrator's overview, loading next year's holiday schedule through
//! its preview, creating an account after a refused username, and the main admin pages.
use chrono::Datelike;

use crate::common::TestApp;
use crate::harness::Browser;

async fn an_administrator_loads_a_year_and_creates_an_account(app: TestApp) {
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    let next = crate::common::today().year() + 1;
    b.sign_in("admin").await;
    assert_eq!(b.path().await, "/admin");
    let warning = b.text("[data-warning=calendar-missing]").await;
    assert!(warning.contains(&format!("尚未载入{next}年")), "{warning}");
    b.check_page("admin-home").await;

    // Next year's schedule, pasted, previewed, confirmed.
    b.click("a[href='/admin/calendar']").await;
    b.wait_path("/admin/calendar").await;
    let schedule = serde_json::json!({"year": next, "papers": ["国办发明电〔测试〕号"],
        "days": [{"name": "测试", "date": format!("{next}-01-04"), "isOffDay": false}]});
    b.set_value("#source", &schedule.to_string()).await;
    b.click("form[action='/admin/calendar/preview'] button[type=submit]")
        .await;
    b.wait_path("/admin/calendar/preview").await;
    assert!(
        b.text("h1")
            .await
            .contains(&format!("载入{next}年节假日安排"))
    );
    assert!(
        b.text("[data-preview-year]")
            .await
            .contains(&next.to_string())
    );
    let asked = b
        .click_confirming("form[action='/admin/calendar'] button[type=submit]")
        .await;
    assert!(asked.contains("确定载入"), "{asked}");
    b.wait_path("/admin/calendar").await;
    assert!(
        b.text(".flash")
            .await
            .contains(&format!("已载入{next}年节假日安排"))
    );
    let row = b.text(&format!("tr[data-year='{next}']")).await;
    assert!(row.contains("国办发明电"), "{row}");
    assert!(
        b.find_all("[data-warning=calendar-missing]")
            .await
            .is_empty()
    );
    b.check_page("admin-calendar").await;
    b.goto("/admin").await;
    assert!(
        b.find_all("[data-warning=calendar-missing]")
            .await
            .is_empty(),
        "the overview no longer warns"
    );

    // A new account: the bad username is said beside its field, then corrected.
    b.goto("/admin/users/new").await;
    b.fill("#username", "Zhao Liu").await;
    b.fill("#display_name", "赵六").await;
    b.select("#role", "officer").await;
    b.click("form[action='/admin/users'] button[type=submit]")
        .await;
    b.wait_path("/admin/users").await;
    let problem = b.text(".field.has-error .field-error").await;
    assert!(problem.contains("用户名须为3–32位"), "{problem}");
    assert_eq!(
        b.attr("#display_name", "value").await.as_deref(),
        Some("赵六"),
        "the name typed stays"
    );
    b.fill("#username", "zhaoliu").await;
    b.click("form[action='/admin/users'] button[type=submit]")
        .await;
    b.find("[data-temporary-password]").await;
    assert!(b.text("h1").await.contains("账号已创建"));
    b.goto("/admin/users?q=zhaoliu").await;
    assert_eq!(
        b.attr("[data-total]", "data-total").await.as_deref(),
        Some("1")
    );
    b.goto("/admin/users").await;
    b.check_page("admin-users").await;

    b.goto("/admin/outbox?status=sent").await;
    b.check_page("admin-outbox").await;
    b.goto("/admin/audit?entity=user").await;
    assert!(b.text("table.data").await.contains("zhaoliu"));
    b.check_page("admin-audit").await;
    b.close().await;
}

crate::on_both_backends!(demo; an_administrator_loads_a_year_and_creates_an_account);
