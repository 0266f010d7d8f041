//! What a hostile client sends, on both databases: control characters (NUL above all, which
//! PostgreSQL cannot store) in a login, a JSON field, a query filter and a posted form are each
//! a 422 naming the field, and nothing is written; names with line breaks or bidi overrides and
//! dates before the EIA Law are refused; every response carries the security headers; a
//! client's request id is kept only when it looks like one.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, error};
use serde_json::json;

fn project(name: &str, code: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut body = json!({
        "name": name,
        "project_code": code,
        "organization_id": 1,
        "county": "611024",
        "industry": "transport",
        "total_investment_wan": "52000.00",
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn control_characters_are_refused_everywhere(app: TestApp) {
    // Anonymous: the login's user name.
    let (status, body) = app
        .raw(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(r#"{"username":"a\u0000","password":"x"}"#),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let e = error(&body);
    assert_eq!(e.fields[0].field, "username", "{body}");
    assert!(e.fields[0].message.contains("U+0000"), "{body}");

    let officer = app.login("officer1").await;
    let projects = app.count(entity::project::Entity).await;
    // A JSON field, nested paths named as the JSON errors name them.
    let (status, body) = app
        .raw(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(&project("坏\u{0}名字", "2601-611024-04-09-990001", json!({})).to_string()),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).fields[0].field, "name", "{body}");
    // DEL and C1 controls too, in the description.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(project(
                "正常名字",
                "2601-611024-04-09-990002",
                json!({"description": "说明\u{7f}"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).fields[0].field, "description", "{body}");
    assert_eq!(app.count(entity::project::Entity).await, projects);

    // A query filter.
    let (status, body) = app.get("/api/v1/projects?q=%E5%95%86%00", &officer).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).fields[0].field, "q", "{body}");

    // A posted form of the web interface: the error page, not a 500.
    let reply = app
        .send(
            Method::POST,
            "/login",
            None,
            Some((
                b"username=officer1%00&password=x",
                "application/x-www-form-urlencoded",
            )),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = String::from_utf8_lossy(&reply.bytes);
    assert!(page.contains("U+0000"), "{page}");

    // Tabs and line breaks are text, where text may hold them.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(project(
                "正常名字",
                "2601-611024-04-09-990003",
                json!({"description": "第一行\r\n第二行\t完"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn names_stay_on_one_line_and_dates_after_the_eia_law(app: TestApp) {
    let officer = app.login("officer1").await;
    let projects = app.count(entity::project::Entity).await;
    for (n, (name, extra, field)) in [
        ("第一行\n第二行", json!({}), "name"),
        ("\u{202e}程工路公", json!({}), "name"),
        ("正常名字", json!({"listed_on": "0001-01-01"}), "listed_on"),
        ("正常名字", json!({"listed_on": "2003-08-31"}), "listed_on"),
    ]
    .into_iter()
    .enumerate()
    {
        let code = format!("2601-611024-04-09-99001{n}");
        let e = app
            .expect_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                Method::POST,
                "/api/v1/projects",
                Some(&officer),
                Some(project(name, &code, extra)),
            )
            .await;
        assert_eq!(e.fields[0].field, field, "{name}: {e:?}");
    }
    assert_eq!(app.count(entity::project::Entity).await, projects);
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(project(
                "正常名字",
                "2601-611024-04-09-990020",
                json!({"listed_on": "2003-09-01"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let officer = app.login("officer1").await;
    for (path, token) in [
        ("/api/v1/projects", Some(officer.as_str())),
        ("/api/v1/projects", None),
        ("/api/v1/nothing-here", None),
        ("/login", None),
        ("/nothing-here", None),
        ("/healthz", None),
    ] {
        let reply = app.send(Method::GET, path, token, None).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        if path.starts_with("/api/") {
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        }
    }
    let page = app.send(Method::GET, "/login", None, None).await;
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
}

on_both_backends!(demo;
    control_characters_are_refused_everywhere,
    names_stay_on_one_line_and_dates_after_the_eia_law,
    every_response_carries_the_security_headers,
);
