//! Health, readiness, the OpenAPI document and administration of divisions.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, error_fields};
use serde_json::json;

async fn health_and_openapi(app: TestApp) {
    let (status, _) = app.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, doc) = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/organizations",
        "/api/v1/users",
        "/api/v1/counties",
        "/api/v1/reports/summary",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let (status, _) = app.request(Method::GET, "/api/v1/docs/", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .request(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    common::error_of(&body);
}

async fn another_city_loads_its_divisions(app: TestApp) {
    let admin = app.login("admin").await;
    let (status, county) = app
        .request(
            Method::POST,
            "/api/v1/counties",
            Some(&admin),
            Some(json!({"code": "610502", "name": "临渭区", "city_code": "610500", "city_name": "渭南市"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{county}");
    let officer = app.login("officer1").await;
    let (_, list) = app.get("/api/v1/counties", &officer).await;
    assert_eq!(list.as_array().unwrap().len(), 8);
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/counties",
            Some(&officer),
            Some(json!({"code": "610503", "name": "华州区", "city_code": "610500", "city_name": "渭南市"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/counties",
            Some(&admin),
            Some(json!({"code": "6105", "name": "", "city_code": "610500", "city_name": "渭南市"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["code", "name"]);
}

on_both_backends!(health_and_openapi, another_city_loads_its_divisions);
