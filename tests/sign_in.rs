//! The sign-in limits under attack, on both databases: parallel wrong passwords are counted
//! before their hash, so no more than the limit are checked and the rest get 429 with
//! `Retry-After`; the real user signs in from another client meanwhile; the counts live in the
//! database, so a second server on it refuses the same client too; one client spraying many
//! user names meets the per-client limit.
mod common;

use axum::http::StatusCode;
use common::{DEMO_PASSWORD, TestApp, error, login_from};

/// The cases one at a time: the limit on sign-ins waiting for a hash is the process's, so one
/// case's flood would refuse another case's single sign-ins.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn parallel_guesses_meet_the_limit_and_the_real_user_still_signs_in(app: TestApp) {
    let _alone = ONE_AT_A_TIME.lock().await;
    app.new_user("leader", "leader", None).await;
    let attacker = "203.0.113.66";
    let guesses: Vec<_> = (0..100)
        .map(|i| {
            let router = app.router.clone();
            tokio::spawn(async move {
                login_from(&router, attacker, "leader", &format!("guess-{i}")).await
            })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for guess in guesses {
        let reply = guess.await.expect("a guess");
        match reply.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                refused += 1;
                let wait: u64 = reply
                    .header("retry-after")
                    .expect("Retry-After")
                    .parse()
                    .expect("seconds");
                assert!((1..=15 * 60).contains(&wait), "{wait}");
                assert_eq!(error(&reply.json_value()).code, "rate_limited");
            }
            other => panic!("a guess got {other}: {}", reply.json_value()),
        }
    }
    assert!(
        checked <= 10,
        "{checked} guesses were checked, the limit is 10"
    );
    assert_eq!(checked + refused, 100);
    assert!(refused >= 90, "{refused}");

    // The attacker's client stays refused, even with the right password …
    let reply = login_from(&app.router, attacker, "leader", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // … and on a second server over the same database, which shares the counts.
    let second = eiaflow::http::app(eiaflow::http::AppState::new(
        app.db.clone(),
        app.settings.clone(),
    ));
    let reply = login_from(&second, attacker, "leader", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // The real user, from their own office, is not locked out.
    let reply = login_from(&app.router, "198.51.100.20", "leader", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json_value());
}

async fn a_success_clears_the_count_and_spraying_meets_the_client_limit(app: TestApp) {
    let _alone = ONE_AT_A_TIME.lock().await;
    app.new_user("leader", "leader", None).await;
    let office = "198.51.100.30";
    for _ in 0..9 {
        let reply = login_from(&app.router, office, "leader", "typo").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = login_from(&app.router, office, "leader", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
    // The nine typos are forgotten: nine more are still checked.
    for _ in 0..9 {
        let reply = login_from(&app.router, office, "leader", "typo").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }

    // One client, a hundred user names, one try each: the per-client limit (100) is met.
    let sprayer = "203.0.113.77";
    let mut statuses = Vec::new();
    for n in 0..101 {
        let reply = login_from(&app.router, sprayer, &format!("user{n}"), "123456").await;
        statuses.push(reply.status);
    }
    assert!(
        statuses[..100]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED)
    );
    assert_eq!(statuses[100], StatusCode::TOO_MANY_REQUESTS);
    // Another client is not affected.
    let reply = login_from(&app.router, "198.51.100.31", "leader", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
}

on_both_backends!(empty, at_once;
    parallel_guesses_meet_the_limit_and_the_real_user_still_signs_in,
    a_success_clears_the_count_and_spraying_meets_the_client_limit,
);
