//! The interface pinned by snapshots (`tests/snapshots/`): the OpenAPI document, every shape of
//! error body the API answers with, and the main views — a project, filings with their clocks,
//! history and notices, the work queue, the summary report and the public register. Each
//! snapshot is taken on SQLite and on PostgreSQL alike, against the same file; row ids,
//! timestamps and dates derived from today are redacted (see `common::snap`).
//!
//! A change here is a change of the interface: review the new snapshot (`cargo insta review`,
//! or the `.snap.new` file beside the old one) and say so in the commit.
mod common;

use axum::http::{Method, StatusCode};
use chrono::{Datelike, Duration};
use common::build::{Cast, Kind};
use common::snap::Scrub;
use common::{Reply, TestApp, add_working_days, api, decode, today};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

async fn the_openapi_document(app: TestApp) {
    let reply = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let doc = reply.json_value();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    assert_snapshot_json!(plain: "openapi", doc);
}

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

/// What a client sees of an error: status, content type, the request id header and the body.
fn error_answer(reply: &Reply) -> Value {
    let request_id = reply
        .header("x-request-id")
        .expect("every answer carries a request id");
    assert!(
        uuid::Uuid::parse_str(request_id).is_ok(),
        "the request id is a UUID: {request_id}"
    );
    let body = reply.json_value();
    if !reply.bytes.is_empty() {
        // Whatever else it is, it is the API's error shape.
        common::error(&body);
    }
    json!({
        "status": reply.status.as_u16(),
        "content_type": reply.header("content-type"),
        "x-request-id": "[uuid]",
        "body": body,
    })
}

async fn json_body(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Reply {
    let text = body.to_string();
    app.send(
        method,
        path,
        token,
        Some((text.as_bytes(), "application/json")),
    )
    .await
}

fn project_body(org: i64, code: &str) -> Value {
    json!({
        "name": "商州区新材料产业园污水处理厂",
        "project_code": code,
        "organization_id": org,
        "county": "611002",
        "industry": "environment",
        "total_investment_wan": "18650.35",
    })
}

/// Snapshots the error a request got, which must have the status given.
fn snapshot_error(name: &str, reply: &Reply, status: StatusCode, scrub: Scrub) {
    assert_eq!(reply.status, status, "{name}: {:?}", reply.json_value());
    assert_snapshot_json!(format!("error_{name}"), scrub.apply(&error_answer(reply)));
}

async fn malformed_requests_are_400(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    for (name, body, content_type) in [
        ("400_malformed_json", "{\"name\": ", "application/json"),
        (
            "400_not_json",
            "name=x",
            "application/x-www-form-urlencoded",
        ),
    ] {
        let reply = app
            .send(
                Method::POST,
                "/api/v1/projects",
                Some(&officer),
                Some((body.as_bytes(), content_type)),
            )
            .await;
        snapshot_error(name, &reply, StatusCode::BAD_REQUEST, Scrub::new());
    }
    let reply = app
        .send(
            Method::GET,
            "/api/v1/projects?page=abc",
            Some(&officer),
            None,
        )
        .await;
    snapshot_error(
        "400_bad_query",
        &reply,
        StatusCode::BAD_REQUEST,
        Scrub::new(),
    );
}

async fn unauthenticated_requests_are_401(app: TestApp) {
    app.new_user("leader", "leader", None).await;
    let reply = app.send(Method::GET, "/api/v1/projects", None, None).await;
    snapshot_error(
        "401_no_token",
        &reply,
        StatusCode::UNAUTHORIZED,
        Scrub::new(),
    );
    let reply = json_body(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        json!({"username": "leader", "password": "wrong-password"}),
    )
    .await;
    snapshot_error(
        "401_wrong_credentials",
        &reply,
        StatusCode::UNAUTHORIZED,
        Scrub::new(),
    );
}

async fn an_owner_asking_for_the_report_is_403(app: TestApp) {
    let owner = app.new_owner("owner1").await.token;
    let reply = app
        .send(Method::GET, "/api/v1/reports/summary", Some(&owner), None)
        .await;
    snapshot_error("403", &reply, StatusCode::FORBIDDEN, Scrub::new());
}

async fn what_is_not_there_is_404(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let reply = app
        .send(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    snapshot_error(
        "404_no_endpoint",
        &reply,
        StatusCode::NOT_FOUND,
        Scrub::new(),
    );
    let reply = app
        .send(Method::GET, "/api/v1/projects/999999", Some(&officer), None)
        .await;
    snapshot_error(
        "404_no_project",
        &reply,
        StatusCode::NOT_FOUND,
        Scrub::new(),
    );
}

/// A method the endpoint does not take: a 405 with no body (the one error without the API's
/// error shape).
async fn a_method_not_taken_is_405(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let reply = app
        .send(Method::DELETE, "/api/v1/projects", Some(&officer), None)
        .await;
    snapshot_error("405", &reply, StatusCode::METHOD_NOT_ALLOWED, Scrub::new());
}

async fn a_duplicate_and_a_stale_version_are_409(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await.id;
    let body = project_body(org, "2305-611002-04-01-900001");
    let created: api::Project = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(body.clone()),
        )
        .await;
    let reply = json_body(&app, Method::POST, "/api/v1/projects", Some(&officer), body).await;
    snapshot_error("409_duplicate", &reply, StatusCode::CONFLICT, Scrub::new());
    let path = format!("/api/v1/projects/{}", created.id);
    app.expect::<api::Project>(
        StatusCode::OK,
        Method::PATCH,
        &path,
        Some(&officer),
        Some(json!({"version": 1, "point_to_point": true})),
    )
    .await;
    let reply = json_body(
        &app,
        Method::PATCH,
        &path,
        Some(&officer),
        json!({"version": 1, "name": "覆盖别人的修改"}),
    )
    .await;
    snapshot_error(
        "409_stale_version",
        &reply,
        StatusCode::CONFLICT,
        Scrub::new(),
    );
}

async fn a_filing_in_the_wrong_state_or_twice_open_is_409(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let submitted = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let reply = json_body(
        &app,
        Method::POST,
        &format!("/api/v1/filings/{}/actions", submitted.id),
        Some(&cast.officer.token),
        json!({"action": "approve", "version": submitted.version}),
    )
    .await;
    snapshot_error(
        "409_invalid_state",
        &reply,
        StatusCode::CONFLICT,
        Scrub::new(),
    );
    let reply = app
        .send(
            Method::POST,
            &format!("/api/v1/projects/{}/filings", submitted.project.id),
            Some(&cast.owner.token),
            None,
        )
        .await;
    // The message names the open filing by its id.
    let scrub = Scrub::new().replace(format!("（编号{}）", submitted.id), "（编号[id]）");
    snapshot_error("409_open_filing", &reply, StatusCode::CONFLICT, scrub);
}

async fn accepting_with_an_unsettled_penalty_is_409(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let unsettled = app
        .new_project(
            &cast.officer.token,
            cast.owner.org(),
            Kind::ReportForm,
            json!({"built_before_approval": true, "penalty_settled": false}),
        )
        .await;
    let draft = app.new_filing(&cast.owner.token, unsettled).await;
    app.step(&cast.owner.token, draft.id, "submit", json!({}))
        .await;
    let reply = json_body(
        &app,
        Method::POST,
        &format!("/api/v1/filings/{}/actions", draft.id),
        Some(&cast.officer.token),
        json!({"action": "accept", "version": 2}),
    )
    .await;
    snapshot_error(
        "409_penalty_unsettled",
        &reply,
        StatusCode::CONFLICT,
        Scrub::new(),
    );
}

async fn a_body_over_the_limit_is_413(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    // Over the 1 MiB default.
    let huge = format!("{{\"name\": \"{}\"}}", "长".repeat(400_000));
    let reply = app
        .send(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some((huge.as_bytes(), "application/json")),
        )
        .await;
    snapshot_error("413", &reply, StatusCode::PAYLOAD_TOO_LARGE, Scrub::new());
}

async fn invalid_input_is_422_naming_every_field(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let reply = json_body(
        &app,
        Method::POST,
        "/api/v1/projects",
        Some(&officer),
        json!({
            "name": "  ",
            "project_code": "2313-611002-04-01-900002",
            "organization_id": 999999,
            "county": "110101",
            "industry": "space",
            "total_investment_wan": "100.00",
            "listed_on": "2999-01-01",
        }),
    )
    .await;
    snapshot_error(
        "422_fields",
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        Scrub::new(),
    );
    // A field the body may not have.
    let reply = json_body(
        &app,
        Method::POST,
        "/api/v1/projects",
        Some(&officer),
        json!({"name": "x", "budget": 1}),
    )
    .await;
    snapshot_error(
        "422_unknown_field",
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        Scrub::new(),
    );
}

async fn too_many_failed_logins_are_429(app: TestApp) {
    app.new_user("leader", "leader", None).await;
    for _ in 0..10 {
        let reply = json_body(
            &app,
            Method::POST,
            "/api/v1/auth/login",
            None,
            json!({"username": "leader", "password": "wrong-password"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = json_body(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        json!({"username": "leader", "password": common::DEMO_PASSWORD}),
    )
    .await;
    snapshot_error("429", &reply, StatusCode::TOO_MANY_REQUESTS, Scrub::new());
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// A project as an officer reads it, with its classification.
async fn a_project(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let id = app
        .new_project(
            &cast.officer.token,
            cast.owner.org(),
            Kind::ReportForm,
            json!({"provincial": true, "point_to_point": true, "description": "测试用项目",
                   "listed_on": "2023-02-01"}),
        )
        .await;
    let (status, view) = app
        .get(&format!("/api/v1/projects/{id}"), &cast.officer.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    // Classified today, as the builder does.
    let scrub = Scrub::new().replace(today(), "[today]");
    assert_snapshot_json!("view_project", scrub.apply(&view));
    let (_, history) = app
        .get(
            &format!("/api/v1/projects/{id}/classification/history"),
            &cast.officer.token,
        )
        .await;
    assert_snapshot_json!("view_classification_history", scrub.apply(&history));
}

/// A report filing recorded from the paper file across National Day 2023 with an expert review
/// and a technical evaluation, then approved: every date is on paper, so nothing depends on
/// the day the suite runs.
async fn a_decided_filing_with_its_clock_history_and_notices(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let project = cast.project(&app, Kind::Report).await;
    let id = app.new_filing(officer, project).await.id;
    app.historic(officer, id, "submit", "2023-09-25", json!({}))
        .await;
    app.historic(officer, id, "accept", "2023-09-28", json!({}))
        .await;
    app.expect::<api::Filing>(
        StatusCode::OK,
        Method::POST,
        &format!("/api/v1/filings/{id}/clock-stops"),
        Some(officer),
        Some(json!({"reason": "expert_review", "from": "2023-10-09", "to": "2023-10-13", "note": "专家评审会"})),
    )
    .await;
    app.historic(
        officer,
        id,
        "start_evaluation",
        "2023-10-16",
        json!({"evaluator": "陕西省环境工程评估中心"}),
    )
    .await;
    app.historic(officer, id, "finish_evaluation", "2023-10-20", json!({}))
        .await;
    app.historic(
        officer,
        id,
        "approve",
        "2023-11-30",
        json!({"decision_text": "同意该项目建设。"}),
    )
    .await;
    let (_, view) = app.get(&format!("/api/v1/filings/{id}"), officer).await;
    assert_snapshot_json!("view_filing_decided", view);
    let (_, events) = app
        .get(&format!("/api/v1/filings/{id}/events"), officer)
        .await;
    assert_snapshot_json!("view_filing_events", events);
    let (_, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), officer)
        .await;
    assert_snapshot_json!("view_filing_notices", notices);
}

/// A filing submitted today, as its owner and as the officer see it: the acceptance clock runs.
async fn a_submitted_filing_with_its_running_clock(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let id = cast.filing_in(&app, Kind::ReportForm, "submitted").await.id;
    let due = add_working_days(&app, &cast.officer.token, today(), 5).await;
    let scrub = Scrub::new()
        .replace(due, "[5 working days after today]")
        .replace(today(), "[today]");
    for (who, token) in [
        ("owner", &cast.owner.token),
        ("officer", &cast.officer.token),
    ] {
        let (_, view) = app.get(&format!("/api/v1/filings/{id}"), token).await;
        assert_snapshot_json!(format!("view_filing_submitted_{who}"), scrub.apply(&view));
    }
}

/// The work queue with filings in several states: decided, stopped for evaluation, overdue since
/// 2023, and received today.
async fn the_work_queue(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let officer = &cast.officer.token;

    // Accepted on 2023-03-02 and never decided: overdue, its count still running.
    let overdue = app
        .new_filing(officer, cast.project(&app, Kind::ReportForm).await)
        .await
        .id;
    app.historic(officer, overdue, "submit", "2023-03-01", json!({}))
        .await;
    app.historic(officer, overdue, "accept", "2023-03-02", json!({}))
        .await;
    // Sent for technical evaluation on 2023-02-01 and not back: stopped.
    let stopped = app
        .new_filing(officer, cast.project(&app, Kind::Report).await)
        .await
        .id;
    app.historic(officer, stopped, "submit", "2023-01-16", json!({}))
        .await;
    app.historic(officer, stopped, "accept", "2023-01-19", json!({}))
        .await;
    app.historic(
        officer,
        stopped,
        "start_evaluation",
        "2023-02-01",
        json!({}),
    )
    .await;
    // Filed as a registration form: no clock.
    let registered = cast.draft(&app, Kind::Registration).await.id;
    app.historic(officer, registered, "register", "2023-05-10", json!({}))
        .await;
    // Received today.
    let fresh = cast.filing_in(&app, Kind::ReportForm, "submitted").await.id;

    let (status, mut queue) = app.get("/api/v1/filings", officer).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let listed: Vec<i64> = decode::<api::Page<api::Filing>>(&queue)
        .items
        .iter()
        .map(|f| f.id)
        .collect();
    let mut expected = vec![overdue, stopped, registered, fresh];
    expected.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "the whole queue");
    // The overdue filing's count goes on day by day: checked here, labelled in the snapshot.
    let position = listed.iter().position(|&f| f == overdue).unwrap();
    let clock = &mut queue["items"][position]["clock"];
    let used = clock["days_used"].as_i64().unwrap();
    assert!(used > 30, "{clock}");
    assert_eq!(clock["days_left"].as_i64().unwrap(), 30 - used);
    clock["days_used"] = json!("[working days since 2023-03-02]");
    clock["days_left"] = json!("[30 − days_used]");
    let due = add_working_days(&app, officer, today(), 5).await;
    let scrub = Scrub::new()
        .replace(due, "[5 working days after today]")
        .replace(today(), "[today]")
        .replace(format!("〔{}〕", today().year()), "〔[this year]〕");
    assert_snapshot_json!("view_work_queue", scrub.apply(&queue));
}

/// The summary report of the demo ledger on the day of the published figures, whole and by
/// county.
async fn the_summary_report(app: TestApp) {
    let leader = app.login("leader").await;
    for (name, query) in [
        ("view_summary_2023_06_30", "as_of=2023-06-30"),
        (
            "view_summary_2023_06_30_by_county",
            "as_of=2023-06-30&group_by=county",
        ),
    ] {
        let (status, summary) = app
            .get(&format!("/api/v1/reports/summary?{query}"), &leader)
            .await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_snapshot_json!(name, summary);
    }
}

/// The public register with the three notices of a report-form filing approved today.
async fn the_public_register(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    // One filing on notice today (its acceptance and pre-decision notices up), and one decided
    // today after notices posted three weeks ago (only its decision notice still up).
    cast.filing_in(&app, Kind::ReportForm, "pre_decision_notice")
        .await;
    let approved = cast.filing_in(&app, Kind::ReportForm, "approved").await;
    let (status, register) = app
        .request(Method::GET, "/api/v1/public/notices", None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{register}");
    let notices = register["items"].as_array().expect("a list");
    assert_eq!(notices.len(), 3, "{register}");
    let five = add_working_days(&app, &cast.officer.token, today(), 5).await;
    let number = approved.decision_no.clone().expect("a decision number");
    let year = format!("〔{}〕", today().year());
    assert!(number.contains(&year), "{number}");
    // Each notice with its own end date: 5 working days after today, or 7 days after today; each
    // period begins the day after posting.
    let labelled: Vec<Value> = notices
        .iter()
        .map(|n| {
            let (end, label) = match n["kind"].as_str().unwrap() {
                "acceptance" | "pre_decision" => (five, "[5 working days after today]"),
                "decision" => (today() + Duration::days(7), "[7 days after today]"),
                other => panic!("unknown kind {other}"),
            };
            assert_eq!(n["ends_on"], json!(end), "{n}");
            Scrub::new()
                .replace(end, label)
                .replace(today() + Duration::days(1), "[tomorrow]")
                .replace(today(), "[today]")
                .replace(&year, "〔[this year]〕")
                .apply(n)
        })
        .collect();
    assert_snapshot_json!("view_public_register", labelled);
}

on_both_backends!(empty;
    the_openapi_document,
    malformed_requests_are_400,
    unauthenticated_requests_are_401,
    an_owner_asking_for_the_report_is_403,
    what_is_not_there_is_404,
    a_method_not_taken_is_405,
    a_duplicate_and_a_stale_version_are_409,
    a_filing_in_the_wrong_state_or_twice_open_is_409,
    accepting_with_an_unsettled_penalty_is_409,
    a_body_over_the_limit_is_413,
    invalid_input_is_422_naming_every_field,
    too_many_failed_logins_are_429,
    a_project,
    a_decided_filing_with_its_clock_history_and_notices,
    a_submitted_filing_with_its_running_clock,
    the_work_queue,
    the_public_register,
);
on_both_backends!(demo; the_summary_report);
