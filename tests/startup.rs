//! Servers started together on one new database all come up: three `eiaflow serve` processes
//! at once on an empty database, ten rounds, on SQLite and on PostgreSQL. They take turns at
//! the startup lock, so one migrates and loads the demo ledger and the others find it done:
//! every server answers `/readyz`, and the database holds the demo ledger once.
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::server::Server;
use sea_orm::{ConnectionTrait, Database, Statement};

const SERVERS: usize = 3;
const ROUNDS: usize = 10;
/// How long a round may take for all its servers to answer.
const READY_WITHIN: Duration = Duration::from_secs(120);

/// Starts the servers at once and waits until each answers, failing with its log if one stops.
async fn start_together(url: &str, dir: &Path, round: usize) -> Vec<Server> {
    let mut servers: Vec<Server> = (0..SERVERS)
        .map(|n| Server::start(url, dir, n, &[]))
        .collect();
    let began = Instant::now();
    let mut up = [false; SERVERS];
    while up.iter().any(|u| !u) {
        for (n, server) in servers.iter_mut().enumerate() {
            if up[n] {
                continue;
            }
            if let Some(status) = server.child.try_wait().expect("server status") {
                panic!(
                    "round {round}: server {n} stopped ({status}) while starting:\n{}",
                    server.log()
                );
            }
            up[n] = server.ready().await;
        }
        assert!(
            began.elapsed() < READY_WITHIN,
            "round {round}: not every server answered within {READY_WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    servers
}

async fn count(url: &str, sql: &str) -> i64 {
    let db = Database::connect(url).await.expect("connect");
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect(sql)
        .expect("a row");
    let n: i64 = row.try_get_by_index(0).expect("a count");
    db.close().await.ok();
    n
}

/// What one round leaves behind: the demo ledger once, its accounts once.
async fn assert_loaded_once(url: &str, round: usize) {
    assert_eq!(
        count(url, "SELECT COUNT(*) FROM project").await,
        239,
        "round {round}: the demo ledger loaded once"
    );
    let accounts = count(url, "SELECT COUNT(*) FROM app_user").await;
    let distinct = count(url, "SELECT COUNT(DISTINCT username) FROM app_user").await;
    assert!(accounts > 0, "round {round}: the demo accounts");
    assert_eq!(accounts, distinct, "round {round}: each account once");
}

#[tokio::test]
async fn three_servers_start_together_on_a_new_sqlite_database() {
    for round in 1..=ROUNDS {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("eiaflow.db").display()
        );
        let servers = start_together(&url, dir.path(), round).await;
        drop(servers);
        assert_loaded_once(&url, round).await;
    }
}

#[tokio::test]
async fn three_servers_start_together_on_a_new_postgresql_database() {
    let Ok(base) = std::env::var(common::PG_URL_VAR) else {
        eprintln!("EIAFLOW_TEST_DATABASE_URL is not set: skipping the PostgreSQL run");
        return;
    };
    let admin = Database::connect(&base).await.expect("connect");
    for round in 1..=ROUNDS {
        let name = format!("eiaflow_startup_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        let url = common::replace_database(&base, &name);
        let dir = tempfile::tempdir().expect("temp dir");
        let servers = start_together(&url, dir.path(), round).await;
        drop(servers);
        assert_loaded_once(&url, round).await;
        admin
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .expect("drop database");
    }
}
