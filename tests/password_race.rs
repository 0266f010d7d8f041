//! A sign-in racing an administrator's reset of the same password, on both databases: a token
//! won with the old password never opens a session after the reset. In a test binary of its
//! own, since its costly hashes would slow the sign-in limit tests' floods (the limit on
//! waiting sign-ins is the process's).
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{DEMO_PASSWORD, TestApp, login_from};
use serde_json::json;

/// A sign-in racing an administrator's reset of the same password: whichever finishes first,
/// a token won with the old password never opens a session after the reset (each token
/// remembers the password it was issued against, and the reset revokes the earlier ones).
async fn a_sign_in_racing_a_reset_leaves_no_token_that_outlives_it(app: TestApp) {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let admin = app.login("admin").await;
    // A real (costly) hash, so the sign-in's check and the reset's new hash overlap.
    let hash = eiaflow::services::auth::hash_password(DEMO_PASSWORD.to_owned())
        .await
        .expect("a hash");
    let started = std::time::Instant::now();
    eiaflow::services::auth::verify_password(DEMO_PASSWORD.to_owned(), hash.clone())
        .await
        .expect("a check");
    let cost = started.elapsed();
    let mut won = 0;
    for round in 0..20u32 {
        let user = app
            .new_user(&format!("racer{round}"), "officer", None)
            .await;
        let mut row = entity::app_user::Entity::find_by_id(user.id)
            .one(&app.db)
            .await
            .expect("read")
            .expect("the user")
            .into_active_model();
        row.password_hash = Set(hash.clone());
        row.update(&app.db).await.expect("the real hash");
        let router = app.router.clone();
        // The sign-in starts a little later each round, sweeping the reset's whole length.
        let delay = cost * round / 10;
        let sign_in = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            login_from(
                &router,
                "198.51.100.40",
                &format!("racer{round}"),
                DEMO_PASSWORD,
            )
            .await
        });
        let reset = {
            let (router, admin) = (app.router.clone(), admin.clone());
            tokio::spawn(async move {
                let req = Request::builder()
                    .method(Method::POST)
                    .uri(format!("/api/v1/users/{}/password-reset", user.id))
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                    .body(Body::from(
                        json!({"new_password": "Reset-Password-2026"}).to_string(),
                    ))
                    .expect("request");
                common::send(&router, req).await
            })
        };
        let (sign_in, reset) = (sign_in.await.expect("sign-in"), reset.await.expect("reset"));
        assert_eq!(reset.status, StatusCode::OK, "{}", reset.json_value());
        if sign_in.status != StatusCode::OK {
            // The reset came first: the old password is refused.
            assert_eq!(sign_in.status, StatusCode::UNAUTHORIZED);
            continue;
        }
        won += 1;
        let token = sign_in.json_value()["token"]
            .as_str()
            .expect("a token")
            .to_owned();
        let (status, body) = app
            .request(Method::GET, "/api/v1/auth/me", Some(&token), None)
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "round {round}: a token won with the old password outlived the reset: {body}"
        );
    }
    // The new password works, so the refusals above were not a broken sign-in.
    let reply = login_from(
        &app.router,
        "198.51.100.41",
        "racer0",
        "Reset-Password-2026",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json_value());
    eprintln!("{won} of 20 sign-ins won a token before their reset; none outlived it");
}

on_both_backends!(empty, at_once;
    a_sign_in_racing_a_reset_leaves_no_token_that_outlives_it,
);
