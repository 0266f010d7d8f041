//! `cargo bench --bench pages`: the server time of the leadership dashboard and of the ledger
//! page on the demo ledger (SQLite in a temporary directory), median and p95, and what the
//! dashboard transfers (HTML, CSS, JS; as sent with `Accept-Encoding: gzip`, and uncompressed).
//! Requests go through the router in process (`oneshot`), so the times are the server's own,
//! without a network. Bounded: at most `RUNS` requests or `BUDGET` per page, whichever first.
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use eiaflow::config::Settings;
use eiaflow::http::{AppState, app};

const RUNS: usize = 40;
const BUDGET: Duration = Duration::from_secs(30);
const DEMO_PASSWORD: &str = "demo-pass-2023";

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

async fn send(router: &Router, req: Request<Body>) -> Answer {
    let res = router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

fn get(path: &str, cookie: &str, gzip: bool) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, cookie);
    if gzip {
        req = req.header(header::ACCEPT_ENCODING, "gzip");
    }
    req.body(Body::empty()).expect("request")
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip").len()
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Times `GET path` until `RUNS` or `BUDGET`; `None` when the page is not there (404).
async fn time(router: &Router, cookie: &str, path: &str) -> Option<(usize, Duration, Duration)> {
    let first = send(router, get(path, cookie, false)).await;
    if first.status == StatusCode::NOT_FOUND {
        return None;
    }
    assert_eq!(first.status, StatusCode::OK, "GET {path}");
    let started = Instant::now();
    let mut times = Vec::with_capacity(RUNS);
    while times.len() < RUNS && started.elapsed() < BUDGET {
        let t = Instant::now();
        let a = send(router, get(path, cookie, false)).await;
        times.push(t.elapsed());
        assert_eq!(a.status, StatusCode::OK, "GET {path}");
    }
    times.sort();
    Some((times.len(), quantile(&times, 0.5), quantile(&times, 0.95)))
}

/// The `href`/`src` of the page's stylesheets and script.
fn assets_of(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"/assets/", "src=\"/assets/"] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            let start = at + attr.len() - "/assets/".len();
            let end = start + rest[start..].find('"').expect("closing quote");
            out.push(rest[start..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/eiaflow.db?mode=rwc", dir.path().display());
    let vars = [
        ("EIAFLOW__DATABASE__URL".to_string(), url),
        (
            "EIAFLOW__DATA__DIR".to_string(),
            dir.path().display().to_string(),
        ),
        ("EIAFLOW__DEMO__ENABLED".to_string(), "true".to_string()),
        (
            "EIAFLOW__DEMO__PASSWORD".to_string(),
            DEMO_PASSWORD.to_string(),
        ),
        ("EIAFLOW__LOG__LEVEL".to_string(), "warn".to_string()),
    ];
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let settings = Settings::load_from(&config, None, vars).expect("settings");
    eprintln!(
        "building the demo ledger on SQLite in {} …",
        dir.path().display()
    );
    let db = eiaflow::db::connect(&settings).await.expect("connect");
    eiaflow::db::migrate(&db).await.expect("migrate");
    eiaflow::services::bootstrap(&db, &settings)
        .await
        .expect("demo ledger");
    let router = app(AppState::new(db, settings));

    let form = format!("username=leader&password={DEMO_PASSWORD}");
    let login = send(
        &router,
        Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .expect("request"),
    )
    .await;
    let cookie = login
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("eiaflow_session="))
        .and_then(|v| v.split(';').next())
        .expect("signed in as leader")
        .to_owned();

    let pages = [
        (
            "GET /dashboard?as_of=2023-06-30",
            "/dashboard?as_of=2023-06-30",
        ),
        ("GET /projects", "/projects"),
    ];
    println!();
    println!(
        "{:<34} {:>6} {:>12} {:>12}",
        "page (server time)", "runs", "median", "p95"
    );
    for (label, path) in pages {
        match time(&router, &cookie, path).await {
            Some((n, median, p95)) => {
                println!("{label:<34} {n:>6} {:>12} {:>12}", ms(median), ms(p95))
            }
            None => println!("{label:<34} {:>6} {:>12} {:>12}", "—", "not built", "—"),
        }
    }

    // What the dashboard transfers: its HTML, then each asset it names.
    let html = send(&router, get(pages[0].1, &cookie, true)).await;
    let mut rows = vec![("HTML".to_owned(), html.body.clone(), &html.headers)];
    let page_text = if html
        .headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "gzip")
    {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&html.body[..]), &mut out)
            .expect("gunzip the page");
        out
    } else {
        String::from_utf8_lossy(&html.body).into_owned()
    };
    let mut assets = Vec::new();
    for path in assets_of(&page_text) {
        let a = send(&router, get(&path, &cookie, true)).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assets.push((path, a));
    }
    for (path, a) in &assets {
        rows.push((path.clone(), a.body.clone(), &a.headers));
    }
    println!();
    println!(
        "{:<34} {:>14} {:>14}",
        "dashboard transfer", "as sent (gzip)", "uncompressed"
    );
    let (mut sent_total, mut plain_total) = (0usize, 0usize);
    for (name, body, headers) in rows {
        let gzipped = headers
            .get(header::CONTENT_ENCODING)
            .is_some_and(|v| v == "gzip");
        let (sent, plain) = if gzipped {
            let mut d = flate2::read::GzDecoder::new(&body[..]);
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut d, &mut out).expect("gunzip");
            (body.len(), out.len())
        } else {
            (body.len(), body.len())
        };
        let note = if gzipped {
            String::new()
        } else {
            format!(" (not compressed; gzip would be {} B)", gzip_len(&body))
        };
        println!("{name:<34} {:>12} B {:>12} B{note}", sent, plain);
        sent_total += sent;
        plain_total += plain;
    }
    println!("{:<34} {:>12} B {:>12} B", "total", sent_total, plain_total);
}
