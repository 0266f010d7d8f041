//! `GET /metrics` as a Prometheus scraper reads it: requests counted by route template, method
//! and status, their latency histogram, the outbox depth from the database, the mail worker's
//! deliveries, and the setting that removes the endpoint. The counters are shared by every test
//! in this process, so the checks compare before and after, never exact totals.
mod common;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use eiaflow::http::AppState;
use eiaflow::notify::mailer::Mailer;
use eiaflow::notify::worker::Worker;
use eiaflow::services::notifications::count_by_status;
use http_body_util::BodyExt;
use sea_orm::{ActiveModelTrait, Set};
use tower::ServiceExt;

struct Scrape {
    status: StatusCode,
    content_type: String,
    text: String,
}

async fn scrape(router: &axum::Router) -> Scrape {
    let res = router
        .clone()
        .oneshot(
            Request::builder()
                .uri("/metrics")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Scrape {
        status,
        content_type,
        text: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

/// One sample line: `name{k="v",...} value`.
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("a value after the series");
            let value = value.parse().unwrap_or_else(|_| panic!("number in {line}"));
            let Some((name, rest)) = series.split_once('{') else {
                return Sample {
                    name: series.to_owned(),
                    labels: BTreeMap::new(),
                    value,
                };
            };
            let body = rest.strip_suffix('}').expect("labels end with }");
            Sample {
                name: name.to_owned(),
                labels: labels(body),
                value,
            }
        })
        .collect()
}

/// `k="v",k2="v2"`; values may hold braces and commas (route templates do), not quotes.
fn labels(body: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = body;
    while let Some((key, after)) = rest.split_once("=\"") {
        let (value, tail) = after.split_once('"').expect("closing quote");
        out.insert(key.trim_start_matches(',').to_owned(), value.to_owned());
        rest = tail;
    }
    out
}

/// The value of the one series named `name` with (at least) these labels; 0 when absent, as a
/// counter not yet incremented is.
fn value(text: &str, name: &str, want: &[(&str, &str)]) -> f64 {
    let matching: Vec<f64> = samples(text)
        .into_iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            want.iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .collect();
    assert!(
        matching.len() <= 1,
        "{name} {want:?} names {} series",
        matching.len()
    );
    matching.first().copied().unwrap_or(0.0)
}

async fn put_in_outbox(app: &TestApp, key: &str, status: &str, attempts: i32) {
    let now = chrono::Utc::now();
    entity::notification::ActiveModel {
        idempotency_key: Set(format!("metrics-test:{key}")),
        user_id: Set(None),
        email: Set(Some("scraper@example.gov.cn".into())),
        template: Set("metrics_test".into()),
        subject: Set("测试".into()),
        body_text: Set("测试邮件".into()),
        body_html: Set("<p>测试邮件</p>".into()),
        link: Set(None),
        entity: Set(None),
        entity_id: Set(None),
        status: Set(entity::notification::Status::from_code(status).expect("a status code")),
        attempts: Set(attempts),
        next_attempt_at: Set(now - chrono::Duration::minutes(1)),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set((status == "failed").then(|| "connection refused".into())),
        sent_at: Set(None),
        read_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("an outbox row");
}

const REQUESTS: &str = "eiaflow_http_requests_total";
const BUCKETS: &str = "eiaflow_http_request_duration_seconds_bucket";
const OUTBOX: &str = "eiaflow_outbox_messages";
const PARKED: &str = "eiaflow_outbox_parked_messages";
const DELIVERIES: &str = "eiaflow_mail_deliveries_total";

async fn requests_are_counted_by_route_template_and_status(app: TestApp) {
    let before = scrape(&app.router).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    assert_eq!(before.content_type, "text/plain; version=0.0.4");

    for _ in 0..2 {
        let (status, _) = app.request(Method::GET, "/healthz", None, None).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = app
        .request(Method::GET, "/api/v1/no-such-endpoint/12345", None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .request(Method::GET, "/api/v1/projects", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let leader = app.login("leader").await;
    let (status, _) = app.get("/api/v1/projects/987654321", &leader).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let after = scrape(&app.router).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.content_type, "text/plain; version=0.0.4");
    assert!(
        after
            .text
            .contains("# TYPE eiaflow_http_requests_total counter"),
        "{}",
        after.text
    );
    assert!(
        after
            .text
            .contains("# TYPE eiaflow_http_request_duration_seconds histogram")
    );
    for (method, route, status, made) in [
        ("GET", "/healthz", "200", 2.0),
        ("GET", "unmatched", "404", 1.0),
        ("GET", "/api/v1/projects", "401", 1.0),
        ("POST", "/api/v1/auth/login", "200", 1.0),
        ("GET", "/api/v1/projects/{id}", "404", 1.0),
        // The scrape before this one.
        ("GET", "/metrics", "200", 1.0),
    ] {
        let labels = [("method", method), ("route", route), ("status", status)];
        let grown = value(&after.text, REQUESTS, &labels) - value(&before.text, REQUESTS, &labels);
        assert!(
            grown >= made,
            "{method} {route} {status}: counted {grown} more, made {made}\n{}",
            after.text
        );
    }
    // Labels carry the route template, never the raw path a client sent.
    for sample in samples(&after.text) {
        if let Some(route) = sample.labels.get("route") {
            assert!(
                !route.contains("no-such-endpoint") && !route.contains("987654321"),
                "{} has a raw path as its route: {route}",
                sample.name
            );
        }
    }

    let healthz = [("method", "GET"), ("route", "/healthz")];
    let all = [healthz.as_slice(), &[("le", "+Inf")]].concat();
    assert!(value(&after.text, BUCKETS, &all) - value(&before.text, BUCKETS, &all) >= 2.0);
    let fast = [healthz.as_slice(), &[("le", "30")]].concat();
    assert!(value(&after.text, BUCKETS, &fast) >= 2.0, "{}", after.text);
    let count = "eiaflow_http_request_duration_seconds_count";
    assert!(value(&after.text, count, &healthz) >= 2.0);
}

async fn the_outbox_depth_is_read_from_the_database(app: TestApp) {
    put_in_outbox(&app, "pending", "pending", 0).await;
    put_in_outbox(&app, "parked-1", "failed", 8).await;
    put_in_outbox(&app, "parked-2", "failed", 8).await;

    let first = scrape(&app.router).await;
    assert_eq!(first.status, StatusCode::OK);
    for status in ["pending", "sending", "failed", "sent", "skipped"] {
        let held = count_by_status(&app.db, status).await.expect("count");
        assert!(
            first
                .text
                .contains(&format!("{OUTBOX}{{status=\"{status}\"}} {held}\n")),
            "{status}: {held}\n{}",
            first.text
        );
    }
    assert!(value(&first.text, OUTBOX, &[("status", "pending")]) >= 1.0);
    let parked = count_by_status(&app.db, "failed").await.expect("count");
    assert!(parked >= 2);
    assert_eq!(value(&first.text, PARKED, &[]), parked as f64);
    assert!(first.text.contains(&format!("# TYPE {OUTBOX} gauge")));

    // The worker delivers the pending message (to a file here): the gauges follow the
    // database, the delivery is counted.
    let mailer = Mailer::from_settings(&app.settings.mail, app.dir.path()).expect("mailer");
    let worker = Worker::new(app.db.clone(), mailer, app.settings.mail.clone()).expect("worker");
    let pending = count_by_status(&app.db, "pending").await.expect("count");
    let sent = count_by_status(&app.db, "sent").await.expect("count");
    assert!(worker.drain_once().await.expect("drain") as u64 >= pending);
    let second = scrape(&app.router).await;
    assert_eq!(value(&second.text, OUTBOX, &[("status", "pending")]), 0.0);
    assert_eq!(
        value(&second.text, OUTBOX, &[("status", "sent")]),
        (sent + pending) as f64
    );
    let delivered = [("outcome", "sent")];
    assert!(
        value(&second.text, DELIVERIES, &delivered) - value(&first.text, DELIVERIES, &delivered)
            >= pending as f64,
        "{}",
        second.text
    );
    assert!(
        second
            .text
            .contains("eiaflow_scheduler_runs_total{job=\"reminders\",outcome=\"ok\"}"),
        "{}",
        second.text
    );
}

async fn the_setting_turns_metrics_off(app: TestApp) {
    let mut settings = app.settings.clone();
    settings.metrics.enabled = false;
    let router = eiaflow::http::app(AppState::new(app.db.clone(), settings));
    let off = scrape(&router).await;
    assert_eq!(off.status, StatusCode::NOT_FOUND);
    // Outside /api/ an unknown path is the web interface's 404 page.
    assert!(off.text.contains("页面不存在"), "{}", off.text);
    // The rest of the service is unaffected.
    let res = router
        .oneshot(
            Request::builder()
                .uri("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
}

on_both_backends!(demo;
    requests_are_counted_by_route_template_and_status,
    the_outbox_depth_is_read_from_the_database,
    the_setting_turns_metrics_off,
);
