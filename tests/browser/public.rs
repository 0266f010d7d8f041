//! Browser cases: the public register, signed out.
use crate::common::TestApp;
use crate::harness::Browser;

async fn visitor_reads_the_register_and_a_full_text(app: TestApp) {
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    b.goto("/public/notices").await;
    b.wait_path("/public/notices").await;
    assert_eq!(b.text("h1").await, "公示公告");
    assert!(b.text(".who").await.contains("登录"), "signed out");
    let notices = b.find_all("li.register-notice").await;
    assert!(!notices.is_empty(), "the demo ledger's notices");
    let period = b.text(".notice-period").await;
    assert!(period.contains(" 至 "), "a period: {period}");
    assert!(
        b.text("li.register-notice .notice-head")
            .await
            .contains("公示中")
            || b.text("li.register-notice .notice-head")
                .await
                .contains("已结束")
    );

    // The full text opens in place.
    let body = b.find("li.register-notice .notice-body").await;
    assert!(
        !body.is_displayed().await.expect("displayed"),
        "closed at first"
    );
    b.click("li.register-notice details summary").await;
    assert!(body.is_displayed().await.expect("displayed"));
    assert!(!body.text().await.expect("text").is_empty());
    b.check_page("public-register").await;

    // Filtering by kind applies on change.
    b.select("#kind", "decision").await;
    b.wait_path("/public/notices?kind=decision").await;
    for badge in b.find_all("li.register-notice .badge-info").await {
        assert_eq!(badge.text().await.expect("text"), "审批决定公告");
    }
    b.close().await;
}

crate::on_both_backends!(demo; visitor_reads_the_register_and_a_full_text);
