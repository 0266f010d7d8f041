//! Health, readiness, the OpenAPI document and administration of divisions.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, api, error, error_fields};
use serde_json::{Value, json};

async fn health_and_readiness_need_no_token(app: TestApp) {
    let reply = app.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.bytes, b"ok");
    let reply = app.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.bytes, b"ready");
}

async fn the_openapi_document_describes_the_api(app: TestApp) {
    // The whole document is pinned by the `openapi` snapshot (tests/contract.rs); here, that
    // it is served without a token and names the fixed endpoints.
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
}

async fn an_unknown_endpoint_is_a_404_in_the_error_shape(app: TestApp) {
    let (status, body) = app
        .request(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let error = error(&body);
    assert_eq!(error.code, "not_found");
    assert_eq!(error.message, "没有这个接口");
}

async fn another_city_loads_its_divisions(app: TestApp) {
    let admin = app.login("admin").await;
    let county: api::County = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/counties",
            Some(&admin),
            Some(json!({"code": "610502", "name": "临渭区", "city_code": "610500", "city_name": "渭南市"})),
        )
        .await;
    assert_eq!(
        (county.code.as_str(), county.name.as_str()),
        ("610502", "临渭区")
    );
    let officer = app.new_user("officer1", "officer", None).await;
    let list = app
        .get_ok::<api::Page<api::County>>("/api/v1/counties", &officer.token)
        .await
        .items;
    assert_eq!(list.len(), 8, "Shangluo's seven and the new one");
    assert!(
        list.iter()
            .any(|c| c.code == "610502" && c.city_name == "渭南市")
    );
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/counties",
            Some(&officer.token),
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
    let list = app
        .get_ok::<api::Page<Value>>("/api/v1/counties", &admin)
        .await
        .items;
    assert_eq!(list.len(), 8, "the refused ones are not stored");
}

on_both_backends!(empty;
    health_and_readiness_need_no_token,
    the_openapi_document_describes_the_api,
    an_unknown_endpoint_is_a_404_in_the_error_shape,
    another_city_loads_its_divisions,
);
