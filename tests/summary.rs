//! The leadership summary over the demo ledger reproduces the published figures.
mod common;

use axum::http::StatusCode;
use common::{TestApp, api, error, error_fields};

async fn summary(app: &TestApp, token: &str, query: &str) -> api::Summary {
    app.get_ok(&format!("/api/v1/reports/summary?{query}"), token)
        .await
}

/// Money as integer hundredths of a 万元, checking the two decimals.
fn wan(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').expect("two decimals");
    assert_eq!(frac.len(), 2, "{s}");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

async fn published_figures_as_of_2023_06_30(app: TestApp) {
    // The whole answer is pinned by the `view_summary_2023_06_30` snapshot (tests/contract.rs);
    // here, the published figures one by one.
    let token = app.login("leader").await;
    let s = summary(&app, &token, "as_of=2023-06-30").await;
    assert_eq!(s.as_of, common::d("2023-06-30"));
    let f = &s.figures;
    assert_eq!(f.projects, 239);
    assert_eq!(f.exempt, 81);
    assert_eq!(f.required, 158);
    assert_eq!(f.unclassified, 0);
    assert_eq!(f.point_to_point, 59);
    assert_eq!(f.accepted_or_decided, 153);
    assert_eq!(f.acceptance_rate, Some(0.9684));
    assert_eq!(f.acceptance_rate_by_investment, Some(0.97));
    assert_eq!(f.total_investment_wan, "12042300.00");
    assert_eq!(s.total_investment_yi, "1204.23");
    // The rate by investment is the accepted share of the required investment.
    let (required, accepted) = (
        wan(&f.required_investment_wan),
        wan(&f.accepted_investment_wan),
    );
    assert!(accepted <= required && required <= wan(&f.total_investment_wan));
    assert_eq!(
        (accepted as f64 / required as f64 * 10_000.0).round() / 10_000.0,
        0.97
    );
    assert_eq!(s.group_by, None);
    assert!(s.groups.is_empty());
}

async fn groups_add_up_to_the_totals(app: TestApp) {
    let token = app.login("officer1").await;
    for group_by in ["county", "level", "tier", "industry"] {
        let s = summary(
            &app,
            &token,
            &format!("as_of=2023-06-30&group_by={group_by}"),
        )
        .await;
        assert_eq!(s.group_by.as_deref(), Some(group_by));
        assert!(s.groups.len() >= 2, "{group_by}");
        let sum = |f: fn(&api::Figures) -> u64| s.groups.iter().map(|g| f(&g.figures)).sum::<u64>();
        assert_eq!(
            sum(|f| f.projects),
            s.figures.projects,
            "{group_by}.projects"
        );
        assert_eq!(sum(|f| f.exempt), s.figures.exempt, "{group_by}.exempt");
        assert_eq!(
            sum(|f| f.required),
            s.figures.required,
            "{group_by}.required"
        );
        assert_eq!(
            sum(|f| f.point_to_point),
            s.figures.point_to_point,
            "{group_by}.point_to_point"
        );
        assert_eq!(
            sum(|f| f.accepted_or_decided),
            s.figures.accepted_or_decided,
            "{group_by}.accepted_or_decided"
        );
        let money =
            |f: fn(&api::Figures) -> &str| s.groups.iter().map(|g| wan(f(&g.figures))).sum::<i64>();
        assert_eq!(
            money(|f| &f.total_investment_wan),
            wan(&s.figures.total_investment_wan),
            "{group_by}.total_investment_wan"
        );
        assert_eq!(
            money(|f| &f.required_investment_wan),
            wan(&s.figures.required_investment_wan),
            "{group_by}.required_investment_wan"
        );
        assert_eq!(
            money(|f| &f.accepted_investment_wan),
            wan(&s.figures.accepted_investment_wan),
            "{group_by}.accepted_investment_wan"
        );
        assert!(
            s.groups
                .iter()
                .all(|g| !g.key.is_empty() && !g.label.is_empty()),
            "{group_by}"
        );
        let mut keys: Vec<&str> = s.groups.iter().map(|g| g.key.as_str()).collect();
        let listed = keys.clone();
        keys.sort();
        keys.dedup();
        assert_eq!(keys, listed, "{group_by}: groups sorted by key, each once");
    }
    let by_county = summary(&app, &token, "as_of=2023-06-30&group_by=county").await;
    let counties: Vec<(&str, &str)> = by_county
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.label.as_str()))
        .collect();
    assert_eq!(
        counties,
        [
            ("611002", "商州区"),
            ("611021", "洛南县"),
            ("611022", "丹凤县"),
            ("611023", "商南县"),
            ("611024", "山阳县"),
            ("611025", "镇安县"),
            ("611026", "柞水县"),
        ]
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
        let n = summary(&app, &token, &format!("as_of={month_end}"))
            .await
            .figures
            .accepted_or_decided;
        assert!(n >= previous, "{month_end}: {n} < {previous}");
        previous = n;
    }
    assert_eq!(previous, 153);
    let early = summary(&app, &token, "as_of=2023-01-31").await;
    assert!(early.figures.accepted_or_decided < 153);
    // Before the ledger existed there was nothing to report.
    let before = summary(&app, &token, "as_of=2020-01-01").await;
    assert_eq!(before.figures.projects, 0);
    assert_eq!(before.figures.acceptance_rate, None);
    assert_eq!(before.figures.acceptance_rate_by_investment, None);
}

async fn bad_report_parameters(app: TestApp) {
    let token = app.login("leader").await;
    let (status, body) = app
        .get("/api/v1/reports/summary?group_by=colour", &token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&body).code, "invalid");
    assert_eq!(error_fields(&body), ["group_by"]);
    let (status, body) = app
        .get("/api/v1/reports/summary?as_of=2023-13-01", &token)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error(&body).code, "malformed");
    assert_eq!(error_fields(&body), ["as_of"]);
}

on_both_backends!(demo;
    published_figures_as_of_2023_06_30,
    groups_add_up_to_the_totals,
    the_rate_rises_month_by_month,
    bad_report_parameters,
);
