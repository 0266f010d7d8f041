//! Signing in and out, tokens, and who may do what.
mod common;

use axum::http::{Method, StatusCode};
use common::{DEMO_PASSWORD, TestApp, api, decode, error, error_fields};
use serde_json::{Value, json};

async fn login(app: &TestApp, username: &str, password: &str) -> (StatusCode, Value) {
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await
}

async fn login_gives_a_token_that_works_until_logout(app: TestApp) {
    let leader = app.new_user("leader", "leader", None).await;
    let (status, body) = login(&app, "leader", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let signed_in: api::Login = decode(&body);
    assert_eq!(signed_in.user.username, "leader");
    assert_eq!(signed_in.user.role, "leader");
    assert_eq!(signed_in.user.id, leader.id);
    assert!(signed_in.token.starts_with("eia_"), "{}", signed_in.token);
    assert!(signed_in.expires_at > chrono::Utc::now());
    let token = signed_in.token;

    let me: api::Me = app.get_ok("/api/v1/auth/me", &token).await;
    assert_eq!(me.username, "leader");
    assert_eq!(me.id, leader.id);

    let (status, body) = app
        .request(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    let (status, body) = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&body).code, "unauthorized");
    // Another token of the same user still works.
    app.get_ok::<api::Me>("/api/v1/auth/me", &leader.token)
        .await;
}

async fn wrong_credentials_are_401(app: TestApp) {
    app.new_user("leader", "leader", None).await;
    for (username, password) in [("leader", "wrong-password"), ("nobody", DEMO_PASSWORD)] {
        let (status, body) = login(&app, username, password).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let error = error(&body);
        assert_eq!(error.code, "unauthorized");
        // The same words whether or not the username exists.
        assert_eq!(error.message, "用户名或密码错误");
    }
}

async fn repeated_failures_are_429_for_that_username_only(app: TestApp) {
    app.new_user("leader", "leader", None).await;
    app.new_user("officer1", "officer", None).await;
    // The default limit is 10 failures in 15 minutes: the 11th try is refused unread.
    for attempt in 1..=10 {
        let (status, _) = login(&app, "leader", "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let (status, body) = login(&app, "leader", "wrong-password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    // Even the right password is refused while throttled.
    let (status, body) = login(&app, "leader", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error(&body).code, "rate_limited");
    // Another account is unaffected.
    app.login("officer1").await;
}

async fn no_or_bad_token_is_401(app: TestApp) {
    for path in [
        "/api/v1/projects",
        "/api/v1/reports/summary",
        "/api/v1/organizations",
    ] {
        let (status, body) = app.request(Method::GET, path, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(error(&body).code, "unauthorized");
        let (status, body) = app.get(path, "eia_not-a-real-token").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(error(&body).code, "unauthorized");
    }
}

async fn deactivated_users_lose_their_tokens(app: TestApp) {
    let admin = app.admin().await;
    let officer = app.new_user("officer2", "officer", None).await;
    let users = app
        .get_ok::<api::Page<api::User>>("/api/v1/users", &admin.token)
        .await
        .items;
    let user = users.iter().find(|u| u.username == "officer2").unwrap();
    assert!(user.active);
    let updated: api::User = app
        .expect(
            StatusCode::OK,
            Method::PATCH,
            &format!("/api/v1/users/{}", user.id),
            Some(&admin.token),
            Some(json!({"version": user.version, "active": false})),
        )
        .await;
    assert!(!updated.active);
    assert_eq!(updated.version, user.version + 1);
    let (status, _) = app.get("/api/v1/projects", &officer.token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = login(&app, "officer2", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn only_admins_list_users(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await;
    let (status, body) = app.get("/api/v1/users", &officer.token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&officer.token),
            Some(
                json!({"username": "officer3", "password": "a-long-password-7", "role": "officer"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn admins_create_users_with_checked_input(app: TestApp) {
    let admin = app.login("admin").await;
    let org = app.new_organization().await;
    let before = app.count(entity::app_user::Entity).await;
    // A short password, and an organisation on an account that is not an owner's.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "officer3", "password": "short", "role": "officer", "organization_id": org.id})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["password", "organization_id"]);
    assert_eq!(app.count(entity::app_user::Entity).await, before);

    let created: api::User = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "officer3", "password": "a-long-password-7", "role": "officer", "email": "o3@example.cn"})),
        )
        .await;
    assert_eq!(created.role, "officer");
    assert_eq!(created.username, "officer3");
    assert_eq!(created.email.as_deref(), Some("o3@example.cn"));
    assert_eq!(created.organization_id, None);
    assert!(created.active);
    // The new account signs in with its password.
    let (status, body) = login(&app, "officer3", "a-long-password-7").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(decode::<api::Login>(&body).user.id, created.id);

    // The same username again is a conflict naming the field.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(
                json!({"username": "officer3", "password": "a-long-password-7", "role": "officer"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "duplicate");
    assert_eq!(error_fields(&body), ["username"]);
    assert_eq!(app.count(entity::app_user::Entity).await, before + 1);
}

async fn an_officers_supervisor_must_be_a_leader(app: TestApp) {
    // 督办 goes to an officer's leader.
    let admin = app.login("admin").await;
    let officer1 = app.new_user("officer1", "officer", None).await;
    let officer2 = app.new_user("officer2", "officer", None).await;
    let leader = app.new_user("leader", "leader", None).await;
    let path = format!("/api/v1/users/{}", officer1.id);
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(json!({"version": 1, "supervisor_id": officer2.id})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["supervisor_id"]);
    let updated: api::User = app
        .expect(
            StatusCode::OK,
            Method::PATCH,
            &path,
            Some(&admin),
            Some(json!({"version": 1, "supervisor_id": leader.id})),
        )
        .await;
    assert_eq!(updated.supervisor_id, Some(leader.id));
    assert_eq!(updated.version, 2);
}

on_both_backends!(empty;
    login_gives_a_token_that_works_until_logout,
    wrong_credentials_are_401,
    repeated_failures_are_429_for_that_username_only,
    no_or_bad_token_is_401,
    deactivated_users_lose_their_tokens,
    only_admins_list_users,
    admins_create_users_with_checked_input,
    an_officers_supervisor_must_be_a_leader,
);
