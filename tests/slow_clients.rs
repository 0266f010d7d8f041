//! Clients that open connections and never finish their request headers (slowloris) do not
//! starve a running `eiaflow serve`, on SQLite and on PostgreSQL: with a one-second header
//! timeout and room for 50 connections, 200 half-sent requests are each closed by the server
//! within seconds, a proper request sent among them is answered, and the server is ready after.
mod common;

use std::time::{Duration, Instant};

use common::server::Server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SLOW: usize = 200;

async fn slow_clients(url: &str, dir: &std::path::Path) {
    let mut server = Server::start(
        url,
        dir,
        0,
        &[
            ("EIAFLOW__DEMO__ENABLED", "false"),
            ("EIAFLOW__SERVER__HEADER_READ_TIMEOUT_SECONDS", "1"),
            ("EIAFLOW__SERVER__MAX_CONNECTIONS", "50"),
            ("EIAFLOW__MAIL__WORKER_ENABLED", "false"),
            ("EIAFLOW__SCHEDULER__ENABLED", "false"),
        ],
    );
    server.wait_ready(Duration::from_secs(120)).await;
    let port = server.port;
    let began = Instant::now();
    let slow: Vec<_> = (0..SLOW)
        .map(|_| {
            tokio::spawn(async move {
                let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .expect("connect");
                // Headers begun, never ended.
                let _ = stream
                    .write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    .await;
                let opened = Instant::now();
                let mut buffer = [0u8; 1024];
                // The server closes it (end of stream, or a reset), or the test gives up.
                let closed = tokio::time::timeout(Duration::from_secs(30), async {
                    loop {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        }
                    }
                })
                .await
                .is_ok();
                (closed, opened.elapsed())
            })
        })
        .collect();
    // A proper request among them waits its turn and is answered.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(30), server.raw("GET", "/readyz", None))
        .await
        .expect("an answer within 30 s");
    assert_eq!(
        Server::status_of(&answer),
        200,
        "{}",
        String::from_utf8_lossy(&answer)
    );
    let waited = asked.elapsed();
    let mut longest = Duration::ZERO;
    for client in slow {
        let (closed, held) = client.await.expect("a slow client");
        assert!(closed, "a half-sent request was held open for 30 s");
        longest = longest.max(held);
    }
    println!(
        "{SLOW} half-sent requests: all closed by the server, the longest held {:.1} s, all within {:.1} s; a proper request among them answered in {:.1} s",
        longest.as_secs_f64(),
        began.elapsed().as_secs_f64(),
        waited.as_secs_f64()
    );
    assert!(longest < Duration::from_secs(15), "held {longest:?}");
    assert!(server.ready().await, "ready after:\n{}", server.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("eiaflow.db").display()
    );
    slow_clients(&url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_on_postgresql() {
    common::server::on_fresh_postgres("eiaflow_slow", |url, dir| async move {
        slow_clients(&url, &dir).await;
    })
    .await;
}
