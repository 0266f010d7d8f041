//! A flood of sign-ins does not take the server's memory: 1,000 logins for unknown user names
//! at once against a running `eiaflow serve` (the per-account and per-client limits raised out
//! of the way, so only the global limit stands), on SQLite and on PostgreSQL. Password hashes
//! run one per core and at most 64 sign-ins wait, the rest are refused at once with 429, none
//! fails with a 5xx, and the server's resident memory afterwards stays under 300 MB.
mod common;

use std::time::Duration;

use common::server::Server;

const LOGINS: usize = 1_000;
const AFTER_LIMIT_KIB: u64 = 300 * 1024;

async fn flood(url: &str, dir: &std::path::Path) {
    let mut server = Server::start(
        url,
        dir,
        0,
        &[
            ("EIAFLOW__DEMO__ENABLED", "false"),
            ("EIAFLOW__AUTH__MAX_FAILED_LOGINS", "1000000"),
            ("EIAFLOW__AUTH__MAX_LOGINS_PER_CLIENT", "1000000"),
            ("EIAFLOW__MAIL__WORKER_ENABLED", "false"),
            ("EIAFLOW__SCHEDULER__ENABLED", "false"),
        ],
    );
    server.wait_ready(Duration::from_secs(120)).await;
    let before = server.resident_kib();
    let server = std::sync::Arc::new(server);
    let logins: Vec<_> = (0..LOGINS)
        .map(|i| {
            let server = server.clone();
            tokio::spawn(async move {
                let body = format!(r#"{{"username":"nobody{i}","password":"guess-{i}"}}"#);
                Server::status_of(&server.raw("POST", "/api/v1/auth/login", Some(&body)).await)
            })
        })
        .collect();
    let mut statuses = std::collections::BTreeMap::new();
    for login in logins {
        *statuses.entry(login.await.expect("a login")).or_insert(0) += 1;
    }
    let after = server.resident_kib();
    println!(
        "{LOGINS} logins at once: {statuses:?}; resident memory {} MiB before, {} MiB after",
        before / 1024,
        after / 1024
    );
    let checked = statuses.get(&401).copied().unwrap_or(0);
    let refused = statuses.get(&429).copied().unwrap_or(0);
    assert_eq!(checked + refused, LOGINS, "only 401 and 429: {statuses:?}");
    assert!(checked > 0, "some were checked: {statuses:?}");
    assert!(
        after < AFTER_LIMIT_KIB,
        "{} MiB after the flood (limit 300 MiB)",
        after / 1024
    );
    // And it still signs people in.
    assert!(server.ready().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_logins_leaves_memory_bounded_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("eiaflow.db").display()
    );
    flood(&url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_logins_leaves_memory_bounded_on_postgresql() {
    common::server::on_fresh_postgres("eiaflow_flood", |url, dir| async move {
        flood(&url, &dir).await;
    })
    .await;
}
