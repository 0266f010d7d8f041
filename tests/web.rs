//! The web interface's frame: signing in and out through the forms, where each role lands,
//! the session cookie and its time-out, the form token and origin checks, the security
//! headers, the embedded assets, and the error pages.
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use common::web::{Session, hidden_value};
use common::{DEMO_PASSWORD, TestApp, send};

fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

async fn sign_in_form(app: &TestApp, pairs: &[(&str, &str)]) -> common::Reply {
    app.page_with(Method::POST, "/login", None, Some(form(pairs)))
        .await
}

async fn each_role_lands_on_its_home(app: TestApp) {
    let visitor = app.page(Method::GET, "/", None).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert_eq!(visitor.location(), Some("/login"));

    let login = app.page(Method::GET, "/login", None).await;
    assert_eq!(login.status, StatusCode::OK);
    let html = login.html();
    assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
    assert!(html.contains("name=\"username\"") && html.contains("type=\"password\""));

    for (user, home) in [
        ("owner1", "/portal"),
        ("officer1", "/filings"),
        ("leader", "/dashboard"),
        ("admin", "/admin"),
    ] {
        let reply = sign_in_form(&app, &[("username", user), ("password", DEMO_PASSWORD)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{user}");
        assert_eq!(reply.location(), Some(home), "{user}");
        let cookie = reply.header("set-cookie").expect("cookie");
        assert!(cookie.starts_with("eiaflow_session=eia_"), "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(
            !cookie.contains("Secure"),
            "public_url is http in tests: {cookie}"
        );
        let session = app.web_login(user).await;
        let home_again = app.page(Method::GET, "/", Some(&session)).await;
        assert_eq!(home_again.location(), Some(home), "{user}");
    }
}

async fn a_wrong_password_is_said_on_the_form(app: TestApp) {
    let reply = sign_in_form(
        &app,
        &[("username", "leader"), ("password", "wrong-pass-1")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let html = reply.html();
    assert!(html.contains("用户名或密码错误"), "{html}");
    assert!(
        html.contains("value=\"leader\""),
        "the username stays: {html}"
    );
    assert!(reply.header("set-cookie").is_none());

    let empty = sign_in_form(&app, &[("username", ""), ("password", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html().contains("请输入用户名和密码"));
}

async fn a_link_followed_while_signed_out_comes_back_after_sign_in(app: TestApp) {
    let asked = app
        .page(Method::GET, "/projects?county=611002&page=2", None)
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let to = asked.location().expect("redirect").to_owned();
    assert_eq!(to, "/login?next=%2Fprojects%3Fcounty%3D611002%26page%3D2");

    let page = app.page(Method::GET, &to, None).await;
    let next = hidden_value(&page.html(), "next").expect("next kept in the form");
    assert_eq!(next, "/projects?county=611002&#38;page=2");

    let reply = sign_in_form(
        &app,
        &[
            ("username", "officer1"),
            ("password", DEMO_PASSWORD),
            ("next", "/projects?county=611002&page=2"),
        ],
    )
    .await;
    assert_eq!(reply.location(), Some("/projects?county=611002&page=2"));

    // Never to another site.
    for evil in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let reply = sign_in_form(
            &app,
            &[
                ("username", "officer1"),
                ("password", DEMO_PASSWORD),
                ("next", evil),
            ],
        )
        .await;
        assert_eq!(reply.location(), Some("/filings"), "{evil}");
    }
}

async fn signing_out_revokes_the_session(app: TestApp) {
    let session = app.web_login("leader").await;
    let without_token = app
        .page_with(Method::POST, "/logout", Some(&session), Some(String::new()))
        .await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN, "no _csrf");
    assert!(without_token.html().contains("表单已过期"));

    let out = app.post_form("/logout", &session, &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), Some("/login"));
    let cleared = out
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("eiaflow_session=;") && v.contains("Max-Age=0"));
    assert!(cleared, "the cookie is cleared");
    let flash = out
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("eiaflow_flash="))
        .expect("a flash message")
        .to_owned();

    // The same cookie no longer signs anyone in: the token itself is revoked.
    let again = app
        .page(Method::GET, "/account/password", Some(&session))
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(again.location().unwrap_or_default().starts_with("/login"));
    let (status, _) = app
        .request(Method::GET, "/api/v1/auth/me", Some(&session.cookie), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The flash shows once on the next page, and the page clears it.
    let value = flash.split(';').next().unwrap_or_default().to_owned();
    let req = Request::builder()
        .uri("/login")
        .header(header::COOKIE, value)
        .body(Body::empty())
        .expect("request");
    let login = send(&app.router, req).await;
    assert!(login.html().contains("您已安全退出"), "{}", login.html());
    assert!(
        login
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with("eiaflow_flash=;") && v.contains("Max-Age=0"))
    );
}

async fn a_form_from_another_site_is_refused(app: TestApp) {
    let session = app.web_login("leader").await;
    let body = form(&[("_csrf", &session.csrf)]);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/logout")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .header(
            header::COOKIE,
            format!("eiaflow_session={}", session.cookie),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    let reply = send(&app.router, req).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.html().contains("请求来自其他网站"));
    // Still signed in: nothing happened.
    let page = app
        .page(Method::GET, "/account/password", Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK);

    // A wrong token from the right origin is refused too.
    let forged = Session {
        cookie: session.cookie.clone(),
        csrf: "0".repeat(32),
    };
    let reply = app.post_form("/logout", &forged, &[]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

async fn an_idle_session_ends(app: TestApp) {
    let session = app.web_login("leader").await;
    let idle = app.settings.auth.idle_minutes;
    assert!(idle > 0);
    entity::auth_token::Entity::update_many()
        .col_expr(
            entity::auth_token::Column::LastSeenAt,
            Expr::value(Utc::now() - chrono::Duration::minutes(i64::from(idle) + 1)),
        )
        .filter(entity::auth_token::Column::RevokedAt.is_null())
        .exec(&app.db)
        .await
        .expect("age the session");
    let page = app
        .page(Method::GET, "/account/password", Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/login?next=%2Faccount%2Fpassword"));
    let (status, body) = app
        .request(Method::GET, "/api/v1/auth/me", Some(&session.cookie), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.to_string().contains("长时间未操作"), "{body}");
}

async fn a_reset_password_must_be_changed_first(app: TestApp) {
    let admin = app.login("admin").await;
    let users: common::api::Page<serde_json::Value> =
        app.get_ok("/api/v1/users?per_page=100", &admin).await;
    let id = users
        .items
        .iter()
        .find(|u| u["username"] == "leader")
        .and_then(|u| u["id"].as_i64())
        .expect("the leader's id");
    let reset: serde_json::Value = app
        .expect(
            StatusCode::OK,
            Method::POST,
            &format!("/api/v1/users/{id}/password-reset"),
            Some(&admin),
            None,
        )
        .await;
    let temporary = reset["temporary_password"]
        .as_str()
        .expect("temporary")
        .to_owned();
    let reply = sign_in_form(&app, &[("username", "leader"), ("password", &temporary)]).await;
    assert_eq!(reply.location(), Some("/account/password"));
    let cookie = reply
        .header("set-cookie")
        .and_then(|v| v.strip_prefix("eiaflow_session="))
        .and_then(|v| v.split(';').next())
        .expect("cookie")
        .to_owned();
    let mut session = Session {
        cookie,
        csrf: String::new(),
    };
    let elsewhere = app.page(Method::GET, "/dashboard", Some(&session)).await;
    assert_eq!(elsewhere.location(), Some("/account/password"));
    let page = app
        .page(Method::GET, "/account/password", Some(&session))
        .await;
    assert!(page.html().contains("管理员已重置您的密码"));
    session.csrf = hidden_value(&page.html(), "_csrf").expect("token");

    let mismatch = app
        .post_form(
            "/account/password",
            &session,
            &[
                ("old_password", &temporary),
                ("new_password", "brand-new-pass-7"),
                ("new_password_again", "brand-new-pass-8"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.html().contains("两次输入的新密码不一致"));

    let changed = app
        .post_form(
            "/account/password",
            &session,
            &[
                ("old_password", &temporary),
                ("new_password", "brand-new-pass-7"),
                ("new_password_again", "brand-new-pass-7"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(changed.location(), Some("/dashboard"));
}

async fn pages_carry_a_strict_policy_and_assets_are_cached(app: TestApp) {
    let login = app.page(Method::GET, "/login", None).await;
    let csp = login.header("content-security-policy").expect("CSP");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("style-src 'self'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert_eq!(login.header("x-frame-options"), Some("DENY"));
    assert_eq!(login.header("x-content-type-options"), Some("nosniff"));

    let html = login.html();
    let css = html
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/assets/app.") && h.ends_with(".css"))
        .expect("the stylesheet under a hashed name")
        .to_owned();
    let req = Request::builder()
        .uri(&css)
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .expect("request");
    let asset = send(&app.router, req).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.header("content-encoding"), Some("gzip"));
    assert!(
        asset
            .header("cache-control")
            .unwrap_or_default()
            .contains("immutable")
    );
    assert!(
        asset
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/css")
    );
    let etag = asset.header("etag").expect("etag").to_owned();
    let req = Request::builder()
        .uri(&css)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&app.router, req).await.status,
        StatusCode::NOT_MODIFIED
    );
    let plain = app.page(Method::GET, &css, None).await;
    assert!(plain.header("content-encoding").is_none());
    assert!(
        plain.html().contains("PingFang SC"),
        "the system font stack"
    );

    let stale = app
        .page(Method::GET, "/assets/app.0000000000.css", None)
        .await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);
}

async fn unknown_paths_are_a_page_or_json_by_where_they_are(app: TestApp) {
    let page = app.page(Method::GET, "/no-such-page", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
    assert!(page.html().contains("页面不存在"));
    assert!(page.header("content-security-policy").is_some());

    let wrong_method = app.page(Method::DELETE, "/login", None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.html().contains("<html lang=\"zh-CN\">"));

    let (status, body) = app
        .request(Method::GET, "/api/v1/no-such-endpoint", None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

crate::on_both_backends!(demo;
    each_role_lands_on_its_home,
    a_wrong_password_is_said_on_the_form,
    a_link_followed_while_signed_out_comes_back_after_sign_in,
    signing_out_revokes_the_session,
    a_form_from_another_site_is_refused,
    an_idle_session_ends,
    a_reset_password_must_be_changed_first,
    pages_carry_a_strict_policy_and_assets_are_cached,
    unknown_paths_are_a_page_or_json_by_where_they_are,
);
