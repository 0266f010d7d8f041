//! `eiaflow serve` as a process of its own, for the tests that need one (servers starting
//! together, a flood of sign-ins): started on a free loopback port with a database URL, its
//! output kept in a log file, killed when dropped.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Server {
    pub child: Child,
    pub port: u16,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts server `n` on `url`, its data under `dir`, with `env` added to its settings.
    pub fn start(url: &str, dir: &Path, n: usize, env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = dir.join(format!("server-{n}.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_eiaflow"));
        command
            .arg("serve")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("EIAFLOW__DATABASE__URL", url)
            .env("EIAFLOW__DATA__DIR", dir.join(format!("data-{n}")))
            .env("EIAFLOW__SERVER__HOST", "127.0.0.1")
            .env("EIAFLOW__SERVER__PORT", port.to_string())
            .env("EIAFLOW__LOG__LEVEL", "warn");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .expect("start eiaflow serve");
        Server { child, port, log }
    }

    /// What the server has written so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends one HTTP/1.1 request and answers the whole response (status line, headers, body);
    /// empty when the server cannot be reached.
    pub async fn raw(&self, method: &str, path: &str, json: Option<&str>) -> Vec<u8> {
        let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await else {
            return Vec::new();
        };
        let body = json.unwrap_or("");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(request.as_bytes()).await.is_err() {
            return Vec::new();
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        answer
    }

    /// The status of a response [`raw`](Self::raw) answered; 0 when there was none.
    pub fn status_of(answer: &[u8]) -> u16 {
        std::str::from_utf8(answer.get(9..12).unwrap_or_default())
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    /// Whether `/readyz` answers 200 now.
    pub async fn ready(&self) -> bool {
        Self::status_of(&self.raw("GET", "/readyz", None).await) == 200
    }

    /// Waits until `/readyz` answers, failing with the log if the server stops or takes longer
    /// than `within`.
    pub async fn wait_ready(&mut self, within: std::time::Duration) {
        let began = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("server status") {
                panic!(
                    "the server stopped ({status}) while starting:\n{}",
                    self.log()
                );
            }
            if self.ready().await {
                return;
            }
            assert!(
                began.elapsed() < within,
                "the server did not answer within {within:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// The server's resident memory now, in KiB (VmRSS).
    pub fn resident_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0)
    }
}

/// Runs `case` with the URL of a new PostgreSQL database (named from `prefix`) and a temporary
/// folder, then drops the database; skipped, saying so, when `EIAFLOW_TEST_DATABASE_URL` is not
/// set.
pub async fn on_fresh_postgres<F, Fut>(prefix: &str, case: F)
where
    F: FnOnce(String, PathBuf) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use sea_orm::{ConnectionTrait, Database};
    let Ok(base) = std::env::var(super::PG_URL_VAR) else {
        eprintln!(
            "{} is not set: skipping the PostgreSQL run",
            super::PG_URL_VAR
        );
        return;
    };
    let admin = Database::connect(&base).await.expect("connect");
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    let dir = tempfile::tempdir().expect("temp dir");
    case(super::replace_database(&base, &name), dir.path().to_owned()).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .expect("drop database");
}
