//! The counters behind `GET /metrics`: one Prometheus recorder per process, installed on first
//! use, which HTTP, the outbox worker and the scheduler count into, rendered in the text format.
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "eiaflow_http_requests_total";
pub const HTTP_DURATION: &str = "eiaflow_http_request_duration_seconds";
pub const SCHEDULER_RUNS: &str = "eiaflow_scheduler_runs_total";
pub const MAIL_DELIVERIES: &str = "eiaflow_mail_deliveries_total";
pub const OUTBOX_MESSAGES: &str = "eiaflow_outbox_messages";
pub const OUTBOX_PARKED: &str = "eiaflow_outbox_parked_messages";

/// The route label of a request that matched no route: the raw path would let any client add
/// series without end.
pub const UNMATCHED: &str = "unmatched";

/// The scheduler's jobs, as labels; a tick runs every reminder rule as one job today.
pub const JOB_REMINDERS: &str = "reminders";

/// What became of one claimed message: sent; failed and due again after a backoff; failed for
/// the last allowed time and parked for an administrator; or claimed without an address.
pub const DELIVERY_OUTCOMES: [&str; 4] = ["sent", "retry", "parked", "no_address"];

/// The outbox statuses a notification row can have; `failed` is parked mail.
const OUTBOX_STATUSES: [&str; 5] = ["pending", "sending", "failed", "sent", "skipped"];

/// Seconds; from a quick read to a slow report or upload.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed the first time. A process has one global recorder, so
/// every app built in it (tests build many) shares this one.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &LATENCY_BUCKETS)
            .expect("the latency buckets are a non-empty constant")
            .build_recorder();
        let handle = recorder.handle();
        if ::metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!(
                "another metrics recorder is installed: /metrics shows only the outbox depth"
            );
        }
        describe();
        // Histogram samples wait in a queue until upkeep moves them into their buckets; without
        // it they pile up for as long as nobody scrapes.
        let upkeep = handle.clone();
        if let Err(e) = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                }
            })
        {
            tracing::warn!(error = %e, "metrics upkeep thread not started");
        }
        handle
    })
}

fn describe() {
    use ::metrics::{Unit, counter, describe_counter, describe_histogram};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests by matched route template, method and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time until the response headers, by matched route template and method"
    );
    describe_counter!(SCHEDULER_RUNS, "Scheduler job runs by job and outcome");
    describe_counter!(
        MAIL_DELIVERIES,
        "Claimed outbox messages by what the worker did with them"
    );
    // Series that exist from the start, so a rate over them is right from the first scrape.
    for outcome in ["ok", "error"] {
        counter!(SCHEDULER_RUNS, "job" => JOB_REMINDERS, "outcome" => outcome).increment(0);
    }
    for outcome in DELIVERY_OUTCOMES {
        counter!(MAIL_DELIVERIES, "outcome" => outcome).increment(0);
    }
}

/// Counts one answered request. `route` is the route template or [`UNMATCHED`].
pub fn record_request(method: &axum::http::Method, route: &str, status: u16, elapsed: Duration) {
    let method = method_label(method);
    ::metrics::counter!(
        HTTP_REQUESTS,
        "route" => route.to_owned(),
        "method" => method,
        "status" => status.to_string(),
    )
    .increment(1);
    ::metrics::histogram!(HTTP_DURATION, "route" => route.to_owned(), "method" => method)
        .record(elapsed.as_secs_f64());
}

/// A client may send any method name; only the standard ones become labels.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub fn record_delivery(outcome: &'static str) {
    ::metrics::counter!(MAIL_DELIVERIES, "outcome" => outcome).increment(1);
}

pub fn record_scheduler_run(job: &'static str, ok: bool) {
    let outcome = if ok { "ok" } else { "error" };
    ::metrics::counter!(SCHEDULER_RUNS, "job" => job, "outcome" => outcome).increment(1);
}

/// The scrape: the process's counters, then the outbox depth as counted in the database
/// (`None` when that count failed: the gauges are left out rather than shown as zero).
pub fn render(handle: &PrometheusHandle, outbox: Option<&[(String, u64)]>) -> String {
    let mut out = handle.render();
    if let Some(rows) = outbox {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&render_outbox(rows));
    }
    out
}

fn render_outbox(rows: &[(String, u64)]) -> String {
    let count = |status: &str| {
        rows.iter()
            .filter(|(s, _)| s == status)
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    // A status this build does not know is still counted, under one label.
    let other: u64 = rows
        .iter()
        .filter(|(s, _)| !OUTBOX_STATUSES.contains(&s.as_str()))
        .map(|(_, n)| n)
        .sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP {OUTBOX_MESSAGES} Notifications in the outbox by status, counted in the database when scraped (failed = parked)"
    );
    let _ = writeln!(out, "# TYPE {OUTBOX_MESSAGES} gauge");
    for status in OUTBOX_STATUSES {
        let _ = writeln!(
            out,
            "{OUTBOX_MESSAGES}{{status=\"{status}\"}} {}",
            count(status)
        );
    }
    if other > 0 {
        let _ = writeln!(out, "{OUTBOX_MESSAGES}{{status=\"other\"}} {other}");
    }
    let _ = writeln!(
        out,
        "# HELP {OUTBOX_PARKED} Mail that failed its last allowed attempt and waits for an administrator to resend it"
    );
    let _ = writeln!(out, "# TYPE {OUTBOX_PARKED} gauge");
    let _ = writeln!(out, "{OUTBOX_PARKED} {}", count("failed"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_gauges_name_every_status_and_the_parked_mail() {
        let rows = vec![
            ("pending".to_owned(), 3),
            ("failed".to_owned(), 2),
            ("weird".to_owned(), 1),
        ];
        let text = render_outbox(&rows);
        assert!(text.contains("eiaflow_outbox_messages{status=\"pending\"} 3\n"));
        assert!(text.contains("eiaflow_outbox_messages{status=\"sending\"} 0\n"));
        assert!(text.contains("eiaflow_outbox_messages{status=\"failed\"} 2\n"));
        assert!(text.contains("eiaflow_outbox_messages{status=\"other\"} 1\n"));
        assert!(text.contains("eiaflow_outbox_parked_messages 2\n"));
        assert!(!text.contains("weird"));
    }

    #[test]
    fn unknown_methods_share_one_label() {
        let custom = axum::http::Method::from_bytes(b"PURGE").unwrap();
        assert_eq!(method_label(&custom), "other");
        assert_eq!(method_label(&axum::http::Method::PATCH), "PATCH");
    }
}
