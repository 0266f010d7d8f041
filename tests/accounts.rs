//! Accounts: a user changes their own password (old and new); an administrator resets one and
//! the user must change it at the next sign-in before doing anything else.
mod common;

use axum::http::{Method, StatusCode};
use common::{DEMO_PASSWORD, TestApp, api, decode, error};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Changed {
    other_sessions_revoked: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetDone {
    user: Value,
    #[serde(default)]
    temporary_password: Option<String>,
}

async fn login(app: &TestApp, username: &str, password: &str) -> (StatusCode, Value) {
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await
}

async fn change(app: &TestApp, token: &str, old: &str, new: &str) -> (StatusCode, Value) {
    app.request(
        Method::POST,
        "/api/v1/auth/password",
        Some(token),
        Some(json!({"old_password": old, "new_password": new})),
    )
    .await
}

async fn audit_actions(app: &TestApp, user_id: i64) -> Vec<String> {
    entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("user"))
        .filter(entity::audit_event::Column::EntityId.eq(user_id))
        .all(&app.db)
        .await
        .expect("audit rows")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn users_change_their_own_password(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await;
    let other_session = app.login("officer1").await;

    // A wrong old password names old_password; nothing changes.
    let (status, body) = change(&app, &officer.token, "not-my-password-1", "new-pass-2024").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let e = error(&body);
    assert_eq!(e.field_names(), ["old_password"]);
    assert_eq!(e.message_for("old_password"), "原密码不正确");

    // The new one must pass the rules and differ from the old.
    for weak in ["short1", "onlyletters-here", "1234567890123"] {
        let (status, body) = change(&app, &officer.token, DEMO_PASSWORD, weak).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}: {body}");
        assert_eq!(
            error(&body).message_for("new_password"),
            "密码须为10–128个字符，且同时包含字母和数字",
            "{weak}"
        );
    }
    let (status, body) = change(&app, &officer.token, DEMO_PASSWORD, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error(&body).message_for("new_password"),
        "新密码不能与原密码相同"
    );
    // Still the old password.
    assert_eq!(
        login(&app, "officer1", DEMO_PASSWORD).await.0,
        StatusCode::OK
    );
    let third_session = app.login("officer1").await;

    let (status, body) = change(&app, &officer.token, DEMO_PASSWORD, "new-pass-2024").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let changed: Changed = decode(&body);
    // The two other sessions and the check login above are signed out; this one stays.
    assert_eq!(changed.other_sessions_revoked, 3);
    app.get_ok::<api::Me>("/api/v1/auth/me", &officer.token)
        .await;
    for token in [&other_session, &third_session] {
        let (status, _) = app.get("/api/v1/auth/me", token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        login(&app, "officer1", DEMO_PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = login(&app, "officer1", "new-pass-2024").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["must_change_password"], json!(false));
    assert!(
        audit_actions(&app, officer.id)
            .await
            .contains(&"change_password".to_owned())
    );

    // Signed out, no change.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/auth/password",
            None,
            Some(json!({"old_password": "new-pass-2024", "new_password": "newer-pass-2025"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

async fn an_administrators_reset_must_be_changed_at_next_sign_in(app: TestApp) {
    let admin = app.admin().await;
    let officer = app.new_user("officer1", "officer", None).await;
    let path = format!("/api/v1/users/{}/password-reset", officer.id);

    // No body: a temporary password, returned once.
    let reply = app
        .send(Method::POST, &path, Some(&admin.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.json_value());
    let done: ResetDone = decode(&reply.json_value());
    let temporary = done.temporary_password.expect("a temporary password");
    assert_eq!(done.user["must_change_password"], json!(true));
    assert!(temporary.len() >= 10, "{temporary}");
    assert!(
        audit_actions(&app, officer.id)
            .await
            .contains(&"reset_password".to_owned())
    );

    // Every token of theirs is gone, and so is the old password.
    let (status, _) = app.get("/api/v1/auth/me", &officer.token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        login(&app, "officer1", DEMO_PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );

    // The temporary one signs in, saying it must be changed.
    let (status, body) = login(&app, "officer1", &temporary).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["must_change_password"], json!(true));
    let token = decode::<api::Login>(&body).token;

    // Until then everything else is 403 password_change_required.
    for path in [
        "/api/v1/projects",
        "/api/v1/filings",
        "/api/v1/organizations",
    ] {
        let (status, body) = app.get(path, &token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        let e = error(&body);
        assert_eq!(e.code, "password_change_required");
        assert!(e.message.contains("/api/v1/auth/password"), "{}", e.message);
    }
    let (status, me) = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["must_change_password"], json!(true));

    let (status, body) = change(&app, &token, &temporary, "my-own-pass-77").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.get("/api/v1/projects", &token).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = login(&app, "officer1", "my-own-pass-77").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["must_change_password"], json!(false));

    // A logout is allowed while the change is pending.
    let reply = app
        .send(Method::POST, &path, Some(&admin.token), None)
        .await;
    let temporary = decode::<ResetDone>(&reply.json_value())
        .temporary_password
        .unwrap();
    let token = decode::<api::Login>(&login(&app, "officer1", &temporary).await.1).token;
    let (status, _) = app
        .request(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

async fn an_administrator_may_choose_the_new_password(app: TestApp) {
    let admin = app.admin().await;
    let officer = app.new_user("officer1", "officer", None).await;
    let path = format!("/api/v1/users/{}/password-reset", officer.id);
    let (status, body) = app
        .request(
            Method::POST,
            &path,
            Some(&admin.token),
            Some(json!({"new_password": "short"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).field_names(), ["new_password"]);
    // Nothing changed: the officer is still signed in.
    app.get_ok::<api::Me>("/api/v1/auth/me", &officer.token)
        .await;

    let (status, body) = app
        .request(
            Method::POST,
            &path,
            Some(&admin.token),
            Some(json!({"new_password": "chosen-pass-99"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let done: ResetDone = decode(&body);
    assert_eq!(done.temporary_password, None);
    let (status, body) = login(&app, "officer1", "chosen-pass-99").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["must_change_password"], json!(true));

    // Only administrators reset; an unknown account is 404.
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/users/{}/password-reset", admin.id),
            Some(&officer_token(&app).await),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users/999999/password-reset",
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

async fn officer_token(app: &TestApp) -> String {
    app.new_user("officer2", "officer", None).await.token
}

async fn new_accounts_follow_the_password_rules(app: TestApp) {
    let admin = app.login("admin").await;
    for weak in ["short-1", "no-digits-in-here", "12345678901"] {
        let (status, body) = app
            .request(
                Method::POST,
                "/api/v1/users",
                Some(&admin),
                Some(json!({"username": "officer3", "password": weak, "role": "officer"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}: {body}");
        assert_eq!(error(&body).field_names(), ["password"], "{weak}");
    }
    // The demo password is a good one.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "officer3", "password": DEMO_PASSWORD, "role": "officer"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["must_change_password"], json!(false));
}

on_both_backends!(empty;
    users_change_their_own_password,
    an_administrators_reset_must_be_changed_at_next_sign_in,
    an_administrator_may_choose_the_new_password,
    new_accounts_follow_the_password_rules,
);
