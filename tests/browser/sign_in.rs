//! Signing in and out in the browser: the sign-in page, the role's home, coming back to the
//! page a link asked for, and a wrong password said on the form.
use crate::common::TestApp;
use crate::harness::Browser;

async fn signing_in_leads_home_and_back_to_the_asked_page(app: TestApp) {
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    b.goto("/").await;
    b.wait_path("/login").await;
    assert_eq!(b.attr("html", "lang").await.as_deref(), Some("zh-CN"));
    b.check_page("login").await;

    b.sign_in_with("leader", "not-the-password").await;
    b.wait_path("/login").await;
    let problem = b.text("[role=alert]").await;
    assert!(problem.contains("用户名或密码错误"), "{problem}");
    assert_eq!(
        b.attr("input[name=username]", "value").await.as_deref(),
        Some("leader"),
        "the username typed stays in the form"
    );

    b.sign_in("leader").await;
    assert!(b.path().await.starts_with("/dashboard"));
    b.sign_out().await;
    assert!(b.text(".flash").await.contains("已安全退出"));

    // A link followed while signed out comes back after sign-in.
    b.goto("/projects?county=611002").await;
    b.wait_path("/login?next=").await;
    b.sign_in("officer1").await;
    assert_eq!(b.path().await, "/projects?county=611002");
    b.close().await;
}

crate::on_both_backends!(demo; signing_in_leads_home_and_back_to_the_asked_page);
