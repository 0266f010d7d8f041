//! Signing in and out, tokens, and who may do what.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, error_of};
use serde_json::json;

async fn login_gives_a_token_that_works_until_logout(app: TestApp) {
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "leader", "password": common::DEMO_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["username"], "leader");
    assert_eq!(body["user"]["role"], "leader");
    assert!(body["user"]["id"].is_i64());
    let token = body["token"].as_str().unwrap().to_owned();

    let (status, me) = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "leader");

    let (status, _) = app
        .request(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    error_of(&body);
}

async fn wrong_credentials_are_401_and_repeated_failures_429(app: TestApp) {
    for (username, password) in [("leader", "wrong-password"), ("nobody", "demo-pass-2023")] {
        let (status, body) = app
            .request(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(error_of(&body)["code"], "unauthorized");
    }
    // The default limit is 10 failures in 15 minutes; one already happened above.
    let mut last = StatusCode::OK;
    for _ in 0..10 {
        let (status, _) = app
            .request(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": "leader", "password": "wrong-password"})),
            )
            .await;
        last = status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Even the right password is refused while throttled.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "leader", "password": common::DEMO_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_of(&body)["code"], "rate_limited");
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
        assert_eq!(error_of(&body)["code"], "unauthorized");
        let (status, _) = app.get(path, "eia_not-a-real-token").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

async fn deactivated_users_lose_their_tokens(app: TestApp) {
    let admin = app.login("admin").await;
    let officer = app.login("officer2").await;
    let (_, users) = app.get("/api/v1/users", &admin).await;
    let user = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "officer2")
        .unwrap()
        .clone();
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/users/{}", user["id"]),
            Some(&admin),
            Some(json!({"version": user["version"], "active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["active"], false);
    let (status, _) = app.get("/api/v1/projects", &officer).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "officer2", "password": common::DEMO_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn only_admins_manage_users(app: TestApp) {
    let officer = app.login("officer1").await;
    let (status, body) = app.get("/api/v1/users", &officer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_of(&body)["code"], "forbidden");

    let admin = app.login("admin").await;
    let before = app.count(entity::app_user::Entity).await;
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "officer3", "password": "short", "role": "officer", "organization_id": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = common::error_fields(&body);
    assert!(fields.contains(&"password".to_string()), "{fields:?}");
    assert!(
        fields.contains(&"organization_id".to_string()),
        "{fields:?}"
    );
    assert_eq!(app.count(entity::app_user::Entity).await, before);

    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "officer3", "password": "a-long-password", "role": "officer", "email": "o3@example.cn"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["role"], "officer");
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "officer3", "password": "a-long-password"})),
    )
    .await;
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "officer3", "password": "a-long-password", "role": "officer"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(common::error_fields(&body), ["username"]);

    // An officer's leader (督办 goes to them) must be a leader.
    let (_, users) = app.get("/api/v1/users", &admin).await;
    let find = |name: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()
            .clone()
    };
    let (officer1, leader, officer2) = (find("officer1"), find("leader"), find("officer2"));
    let path = format!("/api/v1/users/{}", officer1["id"]);
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(json!({"version": officer1["version"], "supervisor_id": officer2["id"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(common::error_fields(&body), ["supervisor_id"]);
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(json!({"version": officer1["version"], "supervisor_id": leader["id"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["supervisor_id"], leader["id"]);
}

on_both_backends!(
    login_gives_a_token_that_works_until_logout,
    wrong_credentials_are_401_and_repeated_failures_429,
    no_or_bad_token_is_401,
    deactivated_users_lose_their_tokens,
    only_admins_manage_users,
);
