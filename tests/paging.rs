//! Every list pages alike: `page` from 1, `per_page` 1–200 (default 50), answered as
//! `{"items", "total", "page", "per_page"}`; a page past the end is empty with the true total;
//! a bad page is a 422 (or a 400 when it is no number at all), never a 500. And filings are
//! searched by project name or code.
mod common;

use axum::http::StatusCode;
use common::build::{Cast, Kind};
use common::{TestApp, api, error};
use serde_json::Value;

/// Every list endpoint, and who may read it.
const LISTS: &[(&str, bool)] = &[
    ("/api/v1/projects", false),
    ("/api/v1/filings", false),
    ("/api/v1/organizations", false),
    ("/api/v1/notifications", false),
    ("/api/v1/service-sheets", false),
    ("/api/v1/public/notices", false),
    ("/api/v1/counties", false),
    ("/api/v1/policy-exemptions", false),
    ("/api/v1/users", true),
    ("/api/v1/admin/outbox", true),
];

fn join(path: &str, query: &str) -> String {
    format!("{path}?{query}")
}

async fn every_list_pages_alike(app: TestApp) {
    let admin = app.admin().await.token;
    let officer = app.new_user("officer1", "officer", None).await.token;
    for &(path, admin_only) in LISTS {
        let token = if admin_only { &admin } else { &officer };
        // The default page.
        let page: api::Page<Value> = app.get_ok(path, token).await;
        assert_eq!((page.page, page.per_page), (1, 50), "{path}");
        assert!(page.items.len() as u64 <= page.total, "{path}");

        // Past the end: no items, the true total.
        let far: api::Page<Value> = app
            .get_ok(&join(path, "page=1000&per_page=200"), token)
            .await;
        assert!(far.items.is_empty(), "{path}");
        assert_eq!(far.total, page.total, "{path}");
        assert_eq!((far.page, far.per_page), (1000, 200), "{path}");

        // Out of range: a 422 naming the parameter.
        for (query, field) in [
            ("page=0", "page"),
            ("per_page=0", "per_page"),
            ("per_page=1000", "per_page"),
        ] {
            let (status, body) = app.get(&join(path, query), token).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}: {body}"
            );
            assert_eq!(error(&body).field_names(), [field], "{path}?{query}");
        }
        // A number no page can reach, or none at all: never a 500.
        for query in [
            "page=9223372036854775809",
            "page=18446744073709551615&per_page=200",
            "page=99999999999999999999999",
            "page=abc",
        ] {
            let (status, body) = app.get(&join(path, query), token).await;
            assert!(
                status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}: {status} {body}"
            );
            assert_eq!(error(&body).field_names(), ["page"], "{path}?{query}");
        }
    }
}

async fn pages_cut_the_list_in_order(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(app.new_organization().await.id);
    }
    let all: api::Page<api::Organization> = app
        .get_ok("/api/v1/organizations?per_page=200", &officer)
        .await;
    assert_eq!(all.total, 5);
    let mut seen = Vec::new();
    for page in 1..=3 {
        let p: api::Page<api::Organization> = app
            .get_ok(
                &format!("/api/v1/organizations?per_page=2&page={page}"),
                &officer,
            )
            .await;
        assert_eq!(p.total, 5);
        assert_eq!(p.items.len(), if page < 3 { 2 } else { 1 });
        seen.extend(p.items.iter().map(|o| o.id));
    }
    assert_eq!(seen, made);

    // The seven seeded divisions of Shangluo.
    let counties: api::Page<api::County> = app
        .get_ok("/api/v1/counties?per_page=3&page=3", &officer)
        .await;
    assert_eq!((counties.total, counties.items.len()), (7, 1));

    let users: api::Page<api::User> = app
        .get_ok("/api/v1/users?per_page=1&page=2", &app.login("admin").await)
        .await;
    assert_eq!(users.total, 2);
    assert_eq!(users.items[0].username, "officer1");
}

async fn filings_are_searched_by_project_name_or_code(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = cast.officer.token.clone();
    let road = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let other = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let draft = cast.filing_in(&app, Kind::ReportForm, "draft").await;
    let road_project = road.project.clone();
    let listed = |page: api::Page<api::Filing>| page.items.iter().map(|f| f.id).collect::<Vec<_>>();

    let q = |text: &str| format!("/api/v1/filings?q={}", urlencode(text));
    // The whole name, a fragment of it, the whole code, its tail.
    let name = road_project.name.clone();
    let fragment: String = name.chars().skip(2).collect();
    let code = road_project.project_code.clone();
    let tail = code[code.len() - 6..].to_owned();
    for text in [name.as_str(), fragment.as_str()] {
        let found: api::Page<api::Filing> = app.get_ok(&q(text), &officer).await;
        assert!(found.items.iter().any(|f| f.id == road.id), "q={text}");
        for f in &found.items {
            assert!(
                f.project.name.contains(text),
                "q={text}: {}",
                f.project.name
            );
        }
    }
    // Codes are unique: exactly the one.
    for text in [code.as_str(), tail.as_str()] {
        let found: api::Page<api::Filing> = app.get_ok(&q(text), &officer).await;
        assert_eq!(listed(found), [road.id], "q={text}");
    }
    // With the other filters.
    let found: api::Page<api::Filing> = app
        .get_ok(&format!("{}&state=draft", q(&code)), &officer)
        .await;
    assert!(found.items.is_empty());
    let all: api::Page<api::Filing> = app
        .get_ok(
            "/api/v1/filings?q=%E6%B5%8B%E8%AF%95&state=submitted",
            &officer,
        )
        .await;
    let mut ids = listed(all);
    ids.sort();
    assert_eq!(ids, [road.id, other.id]);
    // A blank search is no filter; a search that matches nothing is an empty page.
    let blank: api::Page<api::Filing> = app.get_ok("/api/v1/filings?q=", &officer).await;
    assert_eq!(blank.total, 3);
    let none: api::Page<api::Filing> = app.get_ok(&q("没有这个项目"), &officer).await;
    assert_eq!((none.total, none.items.len()), (0, 0));
    // An owner searches only their own.
    let theirs: api::Page<api::Filing> = app.get_ok(&q(&code), &cast.other_owner.token).await;
    assert!(theirs.items.is_empty());
    let found: api::Page<api::Filing> = app.get_ok(&q(&draft.project.project_code), &officer).await;
    assert_eq!(listed(found), [draft.id]);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

on_both_backends!(empty;
    every_list_pages_alike,
    pages_cut_the_list_in_order,
    filings_are_searched_by_project_name_or_code,
);
