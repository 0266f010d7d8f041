//! The leadership summary over the demo ledger reproduces the published figures.
mod common;

use axum::http::StatusCode;
use common::{TestApp, error_of};
use serde_json::Value;

async fn published_figures_as_of_2023_06_30(app: TestApp) {
    let token = app.login("leader").await;
    let (status, s) = app
        .get("/api/v1/reports/summary?as_of=2023-06-30", &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["as_of"], "2023-06-30");
    assert_eq!(s["projects"], 239);
    assert_eq!(s["exempt"], 81);
    assert_eq!(s["required"], 158);
    assert_eq!(s["unclassified"], 0);
    assert_eq!(s["point_to_point"], 59);
    assert_eq!(s["accepted_or_decided"], 153);
    assert_eq!(s["acceptance_rate"], 0.9684);
    assert_eq!(s["acceptance_rate_by_investment"], 0.97);
    assert_eq!(s["total_investment_wan"], "12042300.00");
    assert_eq!(s["total_investment_yi"], "1204.23");
    assert!(
        s["required_investment_wan"]
            .as_str()
            .unwrap()
            .ends_with(|c: char| c.is_ascii_digit())
    );
    assert_eq!(s["groups"], Value::Array(vec![]));
}

fn wan(v: &Value) -> i64 {
    let s = v.as_str().expect("money is a string");
    let (whole, frac) = s.split_once('.').expect("two decimals");
    assert_eq!(frac.len(), 2, "{s}");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

async fn groups_add_up_to_the_totals(app: TestApp) {
    let token = app.login("officer1").await;
    for group_by in ["county", "level", "tier", "industry"] {
        let (status, s) = app
            .get(
                &format!("/api/v1/reports/summary?as_of=2023-06-30&group_by={group_by}"),
                &token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        let groups = s["groups"].as_array().unwrap();
        assert!(groups.len() >= 2, "{group_by}");
        for field in [
            "projects",
            "exempt",
            "required",
            "point_to_point",
            "accepted_or_decided",
        ] {
            let sum: u64 = groups.iter().map(|g| g[field].as_u64().unwrap()).sum();
            assert_eq!(sum, s[field].as_u64().unwrap(), "{group_by}.{field}");
        }
        for field in [
            "total_investment_wan",
            "required_investment_wan",
            "accepted_investment_wan",
        ] {
            let sum: i64 = groups.iter().map(|g| wan(&g[field])).sum();
            assert_eq!(sum, wan(&s[field]), "{group_by}.{field}");
        }
        assert!(
            groups
                .iter()
                .all(|g| g["key"].is_string() && g["label"].is_string())
        );
    }
    let (_, by_county) = app
        .get(
            "/api/v1/reports/summary?as_of=2023-06-30&group_by=county",
            &token,
        )
        .await;
    let groups = by_county["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 7);
    assert!(
        groups
            .iter()
            .any(|g| g["key"] == "611002" && g["label"] == "商州区")
    );
}

async fn the_rate_rises_month_by_month(app: TestApp) {
    let token = app.login("leader").await;
    let mut previous = 0;
    for month_end in [
        "2023-01-31",
        "2023-02-28",
        "2023-03-31",
        "2023-04-30",
        "2023-05-31",
        "2023-06-30",
    ] {
        let (_, s) = app
            .get(
                &format!("/api/v1/reports/summary?as_of={month_end}"),
                &token,
            )
            .await;
        let n = s["accepted_or_decided"].as_u64().unwrap();
        assert!(n >= previous, "{month_end}: {n} < {previous}");
        previous = n;
    }
    assert_eq!(previous, 153);
    let (_, early) = app
        .get("/api/v1/reports/summary?as_of=2023-01-31", &token)
        .await;
    assert!(early["accepted_or_decided"].as_u64().unwrap() < 153);
    // Before the ledger existed there was nothing to report.
    let (_, before) = app
        .get("/api/v1/reports/summary?as_of=2020-01-01", &token)
        .await;
    assert_eq!(before["projects"], 0);
    assert_eq!(before["acceptance_rate"], Value::Null);
}

async fn bad_report_parameters(app: TestApp) {
    let token = app.login("leader").await;
    let (status, body) = app
        .get("/api/v1/reports/summary?group_by=colour", &token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::error_fields(&body), ["group_by"]);
    let (status, body) = app
        .get("/api/v1/reports/summary?as_of=2023-13-01", &token)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(common::error_fields(&body), ["as_of"]);
    error_of(&body);
}

on_both_backends!(
    published_figures_as_of_2023_06_30,
    groups_add_up_to_the_totals,
    the_rate_rises_month_by_month,
    bad_report_parameters,
);
