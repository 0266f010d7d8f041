//! Filings over HTTP: the lifecycle with the bureau's rules, deadlines pinned across the 2023
//! holidays, two officers deciding at once, the work queue, documents, notices and the public
//! register, and a new year's holiday schedule recomputing open deadlines.
mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::{TestApp, error_fields, error_of};
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Today in Asia/Shanghai, the day the service counts from (China has no daylight saving).
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// A signed-in demo user.
struct User {
    token: String,
    id: i64,
    org: Option<i64>,
}

async fn user(app: &TestApp, name: &str) -> User {
    let token = app.login(name).await;
    let (status, me) = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    User {
        token,
        id: me["id"].as_i64().expect("id"),
        org: me["organization_id"].as_i64(),
    }
}

/// The people of most cases.
struct Cast {
    officer: User,
    officer2: User,
    leader: User,
    admin: User,
    owner: User,
    other_owner: User,
}

impl Cast {
    async fn sign_in(app: &TestApp) -> Cast {
        Cast {
            officer: user(app, "officer1").await,
            officer2: user(app, "officer2").await,
            leader: user(app, "leader").await,
            admin: user(app, "admin").await,
            owner: user(app, "owner1").await,
            other_owner: user(app, "owner2").await,
        }
    }

    fn owner_org(&self) -> i64 {
        self.owner.org.expect("owner1 belongs to an organisation")
    }
}

/// What a test project classifies as (catalogue row 130, 等级公路).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 新建涉及环境敏感区的二级公路 → 报告书.
    Report,
    /// 新建二级公路 12 km, no sensitive area → 报告表.
    ReportForm,
    /// 新建三级公路 8 km → 登记表.
    Registration,
    /// In no row → exempt (Art. 5).
    Exempt,
    /// Never classified.
    Unclassified,
}

static NEXT_PROJECT: AtomicU32 = AtomicU32::new(1);

/// A new project of `org` in 山阳县 (611024), classified as `kind` by the officer; `extra` is merged
/// into the project body (e.g. built before approval).
async fn new_project(app: &TestApp, officer: &str, org: i64, kind: Kind, extra: Value) -> i64 {
    let n = NEXT_PROJECT.fetch_add(1, Ordering::SeqCst);
    let mut body = json!({
        "name": format!("申报测试公路工程{n}"),
        "project_code": format!("2311-611024-04-01-{:06}", 810_000 + n),
        "organization_id": org,
        "county": "611024",
        "industry": "transport",
        "total_investment_wan": "52000.00",
    });
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        body[k] = v;
    }
    let (status, project) = app
        .request(Method::POST, "/api/v1/projects", Some(officer), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{project}");
    let id = project["id"].as_i64().expect("project id");
    let classification = match kind {
        Kind::Unclassified => return id,
        Kind::Exempt => json!({"rows": [], "facts": {}}),
        Kind::Report => json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class2", "length_km": 12, "sensitive_areas": ["nature_reserve"]}}),
        Kind::ReportForm => json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class2", "length_km": 12, "sensitive_areas": []}}),
        Kind::Registration => json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class3", "length_km": 8, "sensitive_areas": []}}),
    };
    let (status, body) = app
        .request(
            Method::PUT,
            &format!("/api/v1/projects/{id}/classification"),
            Some(officer),
            Some(classification),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected = match kind {
        Kind::Report => "report",
        Kind::ReportForm => "report_form",
        Kind::Registration => "registration_form",
        Kind::Exempt => "exempt",
        Kind::Unclassified => unreachable!(),
    };
    assert_eq!(body["tier"], expected, "{body}");
    id
}

/// `POST /projects/{id}/filings` → 201, the draft.
async fn new_filing(app: &TestApp, token: &str, project: i64) -> Value {
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{project}/filings"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

fn id_of(filing: &Value) -> i64 {
    filing["id"].as_i64().expect("filing id")
}

async fn filing(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, body) = app.get(&format!("/api/v1/filings/{id}"), token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn events(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let (status, body) = app
        .get(&format!("/api/v1/filings/{id}/events"), token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().expect("events").clone()
}

/// Sends an action as given.
async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    app.request(
        Method::POST,
        &format!("/api/v1/filings/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

/// Takes `action` with the version just read (by the same user), plus `extra`; expects 200.
async fn step(app: &TestApp, token: &str, id: i64, action: &str, extra: Value) -> Value {
    let current = filing(app, token, id).await;
    let mut body = json!({"action": action, "version": current["version"]});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        body[k] = v;
    }
    let (status, view) = act(app, token, id, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}: {view}");
    assert_eq!(view["version"], current["version"].as_i64().unwrap() + 1);
    view
}

/// An officer records a step that took place on paper on `on`; owner steps are recorded on the
/// owner's behalf.
async fn historic(
    app: &TestApp,
    officer: &str,
    id: i64,
    action: &str,
    on: &str,
    extra: Value,
) -> Value {
    let owners = ["submit", "resubmit", "withdraw", "register"].contains(&action);
    let mut extra = extra;
    extra["effective_on"] = json!(on);
    if owners {
        extra["on_behalf_of_owner"] = json!(true);
    }
    step(app, officer, id, action, extra).await
}

fn clock(view: &Value) -> &Value {
    assert!(
        view["clock"].is_object(),
        "the clock should be computable: {}",
        view["clock_error"]
    );
    &view["clock"]
}

/// Any request through the router, for bodies that are not JSON and for headers of the answer.
async fn send(router: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let res = router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.to_vec())
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into()))
}

/// A JSON request through a router of its own, so it can run on another task.
async fn call(router: Router, token: String, path: String, body: Value) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let (status, _, bytes) = send(&router, req).await;
    (status, json_of(&bytes))
}

const BOUNDARY: &str = "----eiaflow-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart body by hand: one part per `(field, file name, bytes)`.
fn multipart(parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, name, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(
    app: &TestApp,
    token: &str,
    id: i64,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/filings/{id}/documents"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(&[("file", name, bytes)])))
        .expect("request");
    let (status, _, body) = send(&app.router, req).await;
    (status, json_of(&body))
}

async fn download(app: &TestApp, token: &str, doc: i64) -> (StatusCode, HeaderMap, Vec<u8>) {
    let req = Request::builder()
        .uri(format!("/api/v1/documents/{doc}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    send(&app.router, req).await
}

fn a_pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    pdf.extend((0..4000u32).map(|i| (i % 251) as u8));
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether a date is a working day, by the service's calendar.
async fn working_day(app: &TestApp, token: &str, date: NaiveDate) -> bool {
    let (status, body) = app
        .get(&format!("/api/v1/calendar/days/{date}"), token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["working_day"].as_bool().expect("working_day")
}

async fn add_working_days(app: &TestApp, token: &str, from: NaiveDate, days: u32) -> NaiveDate {
    let (status, body) = app
        .get(
            &format!("/api/v1/calendar/add-working-days?from={from}&days={days}"),
            token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    d(body["date"].as_str().unwrap())
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect()
}

fn decision_number(no: &Value, year: i32) -> i32 {
    let no = no
        .as_str()
        .unwrap_or_else(|| panic!("a decision number, got {no}"));
    let prefix = format!("商环批复〔{year}〕");
    let n = no
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix('号'))
        .unwrap_or_else(|| panic!("{no} is not like {prefix}N号"));
    n.parse()
        .unwrap_or_else(|_| panic!("{no}: N is not a number"))
}

async fn last_decision_number(app: &TestApp, year: i32) -> Option<i32> {
    use entity::number_sequence as seq;
    seq::Entity::find()
        .filter(seq::Column::Kind.eq("decision"))
        .filter(seq::Column::Year.eq(year))
        .one(&app.db)
        .await
        .expect("number_sequence")
        .map(|row| row.last)
}

/// Counting working days from today needs the calendar to hold this year and the next; the
/// official schedules shipped end with 2026, so later years get a plain weekdays-only one.
async fn calendar_reaches_the_next_weeks(app: &TestApp, _admin: &str) {
    common::hold_years_through_next(app).await;
}

/// A report-form filing of owner1 taken (today) to the pre-decision notice, ready to decide.
async fn ready_to_decide(app: &TestApp, cast: &Cast) -> i64 {
    let project = new_project(
        app,
        &cast.officer.token,
        cast.owner_org(),
        Kind::ReportForm,
        json!({}),
    )
    .await;
    let id = id_of(&new_filing(app, &cast.owner.token, project).await);
    step(app, &cast.owner.token, id, "submit", json!({})).await;
    step(app, &cast.officer.token, id, "accept", json!({})).await;
    step(app, &cast.officer.token, id, "start_evaluation", json!({})).await;
    let view = step(app, &cast.officer.token, id, "finish_evaluation", json!({})).await;
    assert_eq!(view["state"], "pre_decision_notice");
    id
}

// ---------------------------------------------------------------------------------------------
// The lifecycle and the bureau's rules
// ---------------------------------------------------------------------------------------------

async fn a_report_form_goes_from_draft_to_decision(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    calendar_reaches_the_next_weeks(&app, &cast.admin.token).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = new_project(&app, officer, cast.owner_org(), Kind::ReportForm, json!({})).await;

    // The owner starts a draft for their own project; its tier is the project's.
    let draft = new_filing(&app, owner, project).await;
    let id = id_of(&draft);
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["state_label"], "草稿");
    assert_eq!(draft["tier"], "report_form");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["project"]["id"], project);
    assert_eq!(draft["project"]["county_code"], "611024");
    assert_eq!(draft["officer_id"], Value::Null);
    assert_eq!(draft["allowed_actions"], json!(["submit", "withdraw"]));
    assert_eq!(draft["clock"]["status"], "not_started");

    // A second open filing for the same project is a conflict.
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{project}/filings"),
            Some(owner),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "open_filing");
    assert_eq!(error_fields(&body), ["project_id"]);

    // The owner uploads the report form as a PDF.
    let pdf = a_pdf();
    let (status, doc) = upload(&app, owner, id, "环境影响报告表.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["filing_id"], id);
    assert_eq!(doc["content_type"], "application/pdf");
    assert_eq!(doc["sha256"], sha256_hex(&pdf));

    // Submitting starts the acceptance clock: 5 working days from today's receipt.
    let submitted = step(&app, owner, id, "submit", json!({})).await;
    assert_eq!(submitted["state"], "submitted");
    let c = clock(&submitted);
    assert_eq!(c["status"], "running");
    assert_eq!(c["clock"], "acceptance");
    let due = add_working_days(&app, owner, today(), 5).await;
    assert_eq!(c["acceptance_due"], json!(due));
    assert_eq!(c["overdue"], false);

    // What the officer may do with it; no refusal is suggested for an ordinary project.
    let view = filing(&app, officer, id).await;
    assert_eq!(
        view["allowed_actions"],
        json!(["request_correction", "accept", "refuse"])
    );
    assert_eq!(view["suggested_refusal_reason"], Value::Null);
    let version = view["version"].as_i64().unwrap();

    // Leadership reads but never acts; an owner never accepts; another owner does not see it.
    let (status, body) = act(
        &app,
        &cast.leader.token,
        id,
        json!({"action": "accept", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_of(&body)["code"], "forbidden");
    let (status, body) = act(
        &app,
        owner,
        id,
        json!({"action": "accept", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    error_of(&body);
    let (status, body) = act(
        &app,
        &cast.other_owner.token,
        id,
        json!({"action": "withdraw", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    error_of(&body);

    // An action the state does not allow is a 409 naming the state.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "approve", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let error = error_of(&body);
    assert_eq!(error["code"], "invalid_state");
    assert!(
        error["message"].as_str().unwrap().contains("已提交"),
        "{body}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("submitted"),
        "{body}"
    );
    assert_eq!(error_fields(&body), ["action"]);
    assert!(
        error["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("submitted")
    );

    // A stale version is a 409 too, whatever else the request says.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "request_correction", "version": version - 1,
        "missing_items": ["盖章页"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "stale_version");
    assert_eq!(error_fields(&body), ["version"]);

    // A correction request lists every missing item at once; an empty list is refused.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "request_correction", "version": version,
        "missing_items": []}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["missing_items"]);
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "request_correction", "version": version,
        "missing_items": ["建设项目环境影响报告表（盖章版）", "  "]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["missing_items[1]"]);
    // Nothing of the refusals above changed the filing or its history.
    let unchanged = filing(&app, officer, id).await;
    assert_eq!(unchanged["version"], version);
    assert_eq!(unchanged["state"], "submitted");
    assert_eq!(events(&app, officer, id).await.len(), 1);

    let items = ["建设项目环境影响报告表（盖章版）", "公众参与说明"];
    let corrected = step(
        &app,
        officer,
        id,
        "request_correction",
        json!({"missing_items": items}),
    )
    .await;
    assert_eq!(corrected["state"], "correction_requested");
    assert_eq!(clock(&corrected)["status"], "stopped");
    assert_eq!(clock(&corrected)["acceptance_due"], Value::Null);
    let owners_view = filing(&app, owner, id).await;
    assert_eq!(owners_view["open_correction"], json!(items));
    assert_eq!(
        owners_view["allowed_actions"],
        json!(["resubmit", "withdraw"])
    );

    // The owner answers every item: fewer answers are refused.
    let version = owners_view["version"].clone();
    let (status, body) = act(
        &app,
        owner,
        id,
        json!({"action": "resubmit", "version": version,
        "answers": ["已补充盖章版"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["answers"]);
    let (status, body) = act(
        &app,
        owner,
        id,
        json!({"action": "resubmit", "version": version,
        "answers": ["已补充盖章版", ""]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["answers"]);
    let resubmitted = step(
        &app,
        owner,
        id,
        "resubmit",
        json!({"answers": ["已补充盖章版", "已补充公众参与说明"]}),
    )
    .await;
    assert_eq!(resubmitted["state"], "submitted");
    assert_eq!(resubmitted["open_correction"], Value::Null);

    // Accepted: the officer takes the filing; the decision clock starts.
    let accepted = step(&app, officer, id, "accept", json!({})).await;
    assert_eq!(accepted["state"], "accepted");
    assert_eq!(accepted["officer_id"], cast.officer.id);
    let evaluating = step(
        &app,
        officer,
        id,
        "start_evaluation",
        json!({"evaluator": "陕西省环境工程评估中心"}),
    )
    .await;
    assert_eq!(evaluating["state"], "technical_evaluation");
    if evaluating["clock"].is_object() {
        assert_eq!(evaluating["clock"]["status"], "stopped");
    }
    let on_notice = step(&app, officer, id, "finish_evaluation", json!({})).await;
    assert_eq!(on_notice["state"], "pre_decision_notice");
    assert_eq!(
        on_notice["allowed_actions"],
        json!(["approve", "disapprove"])
    );
    // The owner may still withdraw, and nothing else.
    assert_eq!(
        filing(&app, owner, id).await["allowed_actions"],
        json!(["withdraw"])
    );

    // Approved with a decision number of the effective date's year.
    let approved = step(
        &app,
        officer,
        id,
        "approve",
        json!({"decision_text": "同意该项目按报告表所列性质、规模、地点建设。"}),
    )
    .await;
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["state_label"], "已批复");
    let number = decision_number(&approved["decision_no"], today().year());
    assert!(number >= 1);
    assert_eq!(approved["allowed_actions"], json!([]));
    if approved["clock"].is_object() {
        assert_eq!(approved["clock"]["status"], "finished");
    }

    // The history: who did what, from which state to which, when on paper and when entered.
    let history = events(&app, owner, id).await;
    let expected = [
        ("submit", "draft", "submitted", cast.owner.id, "owner"),
        (
            "request_correction",
            "submitted",
            "correction_requested",
            cast.officer.id,
            "officer",
        ),
        (
            "resubmit",
            "correction_requested",
            "submitted",
            cast.owner.id,
            "owner",
        ),
        (
            "accept",
            "submitted",
            "accepted",
            cast.officer.id,
            "officer",
        ),
        (
            "start_evaluation",
            "accepted",
            "technical_evaluation",
            cast.officer.id,
            "officer",
        ),
        (
            "finish_evaluation",
            "technical_evaluation",
            "pre_decision_notice",
            cast.officer.id,
            "officer",
        ),
        (
            "approve",
            "pre_decision_notice",
            "approved",
            cast.officer.id,
            "officer",
        ),
    ];
    assert_eq!(history.len(), expected.len(), "{history:?}");
    let started = Utc::now() - Duration::minutes(10);
    for (event, (action, from, to, actor, role)) in history.iter().zip(expected) {
        assert_eq!(event["action"], action, "{event}");
        assert_eq!(event["from_state"], from, "{event}");
        assert_eq!(event["to_state"], to, "{event}");
        assert_eq!(event["actor_id"], actor, "{event}");
        assert_eq!(event["actor_role"], role, "{event}");
        assert_eq!(event["effective_on"], json!(today()), "{event}");
        let recorded: chrono::DateTime<Utc> = event["recorded_at"]
            .as_str()
            .unwrap()
            .parse()
            .expect("recorded_at is a timestamp");
        assert!(recorded > started && recorded <= Utc::now(), "{event}");
    }
    assert_eq!(history[1]["detail"]["missing_items"], json!(items));
    assert_eq!(history[2]["detail"]["answers"][1]["item"], "公众参与说明");
    assert_eq!(
        history[2]["detail"]["answers"][1]["answer"],
        "已补充公众参与说明"
    );
    assert_eq!(history[4]["detail"]["evaluator"], "陕西省环境工程评估中心");
    assert_eq!(history[6]["detail"]["decision_no"], approved["decision_no"]);

    // The notices it gave rise to.
    let (status, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), owner)
        .await;
    assert_eq!(status, StatusCode::OK, "{notices}");
    let notices = notices.as_array().unwrap();
    let kinds: Vec<&str> = notices
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["acceptance", "pre_decision", "decision"]);
    // 报告表: 5 working days of comment from acceptance.
    assert_eq!(notices[0]["posted_on"], json!(today()));
    assert_eq!(
        notices[0]["ends_on"],
        json!(add_working_days(&app, owner, today(), 5).await)
    );
    assert!(
        notices[0]["body"]
            .as_str()
            .unwrap()
            .contains("环境影响报告表")
    );
    assert!(
        notices[1]["body"].as_str().unwrap().contains("听证"),
        "{}",
        notices[1]
    );
    assert_eq!(
        notices[1]["ends_on"],
        json!(add_working_days(&app, owner, today(), 5).await)
    );
    let decision = notices[2]["body"].as_str().unwrap();
    assert!(
        decision.contains("六十日") && decision.contains("六个月"),
        "{decision}"
    );
    assert!(
        decision.contains(approved["decision_no"].as_str().unwrap()),
        "{decision}"
    );
    assert_eq!(notices[2]["ends_on"], json!(today() + Duration::days(6)));
    let (status, _) = app
        .get(
            &format!("/api/v1/filings/{id}/notices"),
            &cast.other_owner.token,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The public register needs no sign-in and shows today's notices of this filing.
    let (status, register) = app
        .request(Method::GET, "/api/v1/public/notices", None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{register}");
    let ours: Vec<&Value> = register
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["filing_id"] == id)
        .collect();
    let kinds: Vec<&str> = ours.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3, "{ours:?}");
    for kind in ["acceptance", "pre_decision", "decision"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let project_name = approved["project"]["name"].clone();
    assert!(
        ours.iter()
            .all(|n| n["project_name"] == project_name && n["county_name"] == "山阳县")
    );
    // Everything on the register is up today.
    for n in register.as_array().unwrap() {
        let posted = d(n["posted_on"].as_str().unwrap());
        let ends = d(n["ends_on"].as_str().unwrap());
        assert!(posted <= today() && today() <= ends, "{n}");
    }

    // A decided filing takes no more actions; a new filing for the project may start.
    let (status, body) = act(
        &app,
        owner,
        id,
        json!({"action": "withdraw", "version": approved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "invalid_state");
    new_filing(&app, owner, project).await;
}

async fn disapproval_needs_grounds_and_a_reason(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = ready_to_decide(&app, &cast).await;
    let version = filing(&app, officer, id).await["version"].clone();
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "disapprove", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut fields = error_fields(&body);
    fields.sort();
    assert_eq!(fields, ["grounds", "reason"]);
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "disapprove", "version": version,
        "grounds": ["no_such_ground"], "reason": "x"}),
    )
    .await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
        "{status} {body}"
    );
    error_of(&body);
    // Fields that belong to other actions are refused rather than ignored.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "approve", "version": version,
        "grounds": ["defective_document"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["grounds"]);

    let view = step(
        &app,
        officer,
        id,
        "disapprove",
        json!({
        "grounds": ["emissions_or_ecology_uncontrolled", "defective_document"],
        "reason": "污染防治措施无法确保达标排放，基础资料明显不实。"}),
    )
    .await;
    assert_eq!(view["state"], "disapproved");
    let number = decision_number(&view["decision_no"], today().year());
    assert!(number >= 1);
    let history = events(&app, officer, id).await;
    let last = history.last().unwrap();
    assert_eq!(last["action"], "disapprove");
    assert_eq!(
        last["reason"],
        "污染防治措施无法确保达标排放，基础资料明显不实。"
    );
    assert_eq!(
        last["detail"]["citations"],
        json!([
            "《建设项目环境保护管理条例》第十一条第（三）项",
            "《建设项目环境保护管理条例》第十一条第（五）项"
        ])
    );
    let (_, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), officer)
        .await;
    let decision = notices.as_array().unwrap().last().unwrap().clone();
    assert_eq!(decision["kind"], "decision");
    let body = decision["body"].as_str().unwrap();
    assert!(
        body.contains("不予批准") && body.contains("第十一条第（三）项"),
        "{body}"
    );
    assert!(body.contains("六十日") && body.contains("六个月"), "{body}");
}

async fn unsettled_penalty_blocks_acceptance_and_suggests_refusal(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = new_project(
        &app,
        officer,
        cast.owner_org(),
        Kind::ReportForm,
        json!({"built_before_approval": true, "penalty_settled": false}),
    )
    .await;
    let id = id_of(&new_filing(&app, owner, project).await);
    assert_eq!(
        filing(&app, officer, id).await["suggested_refusal_reason"],
        Value::Null,
        "nothing to refuse yet"
    );
    step(&app, owner, id, "submit", json!({})).await;

    let view = filing(&app, officer, id).await;
    let suggested = view["suggested_refusal_reason"]
        .as_str()
        .expect("a suggested reason")
        .to_owned();
    assert!(
        suggested.contains("未批先建") && suggested.contains("第三十一条"),
        "{suggested}"
    );
    let offered = view["allowed_actions"].as_array().unwrap();
    assert!(offered.contains(&json!("refuse")), "{view}");
    assert!(
        !offered.contains(&json!("accept")),
        "acceptance is not offered: {view}"
    );
    assert_eq!(
        filing(&app, owner, id).await["suggested_refusal_reason"],
        Value::Null,
        "offered to officers only"
    );
    assert_eq!(
        filing(&app, &cast.leader.token, id).await["suggested_refusal_reason"],
        Value::Null
    );

    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "accept", "version": view["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "penalty_unsettled");
    assert!(
        error_of(&body)["message"]
            .as_str()
            .unwrap()
            .contains(&suggested)
    );
    assert_eq!(filing(&app, officer, id).await["state"], "submitted");
    assert_eq!(events(&app, officer, id).await.len(), 1);

    // A refusal needs a reason; the suggested one will do.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "refuse", "version": view["version"], "reason": "  "}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["reason"]);
    let refused = step(&app, officer, id, "refuse", json!({"reason": suggested})).await;
    assert_eq!(refused["state"], "refused");
    assert_eq!(refused["suggested_refusal_reason"], Value::Null);
    if refused["clock"].is_object() {
        assert_eq!(refused["clock"]["status"], "finished");
    }
    let history = events(&app, owner, id).await;
    assert_eq!(history.last().unwrap()["reason"], json!(suggested));
    // Refused at the door: no notices.
    let (_, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), owner)
        .await;
    assert_eq!(notices, json!([]));

    // Once the penalty is settled, a new filing can be accepted.
    let (_, p) = app
        .get(&format!("/api/v1/projects/{project}"), officer)
        .await;
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{project}"),
            Some(officer),
            Some(json!({"version": p["version"], "penalty_settled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let again = id_of(&new_filing(&app, owner, project).await);
    step(&app, owner, again, "submit", json!({})).await;
    assert_eq!(
        filing(&app, officer, again).await["suggested_refusal_reason"],
        Value::Null
    );
    assert_eq!(
        step(&app, officer, again, "accept", json!({})).await["state"],
        "accepted"
    );
}

async fn a_registration_form_is_filed_with_a_receipt_number(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = new_project(
        &app,
        officer,
        cast.owner_org(),
        Kind::Registration,
        json!({}),
    )
    .await;
    let draft = new_filing(&app, owner, project).await;
    let id = id_of(&draft);
    assert_eq!(draft["tier"], "registration_form");
    assert_eq!(draft["allowed_actions"], json!(["withdraw", "register"]));
    assert_eq!(draft["clock"]["status"], "not_applicable");
    // A registration form is not submitted for approval.
    let (status, body) = act(&app, owner, id, json!({"action": "submit", "version": 1})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["action"]);

    let registered = step(&app, owner, id, "register", json!({})).await;
    assert_eq!(registered["state"], "registered");
    assert_eq!(registered["decision_no"], Value::Null);
    let receipt = registered["receipt_no"].as_str().expect("a receipt number");
    let prefix = format!("商环登记〔{}〕", today().year());
    let n = receipt
        .strip_prefix(&prefix)
        .and_then(|r| r.strip_suffix('号'))
        .unwrap_or_else(|| panic!("{receipt}"));
    assert!(n.parse::<u32>().unwrap() >= 1);
    let history = events(&app, owner, id).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["detail"]["receipt_no"], receipt);

    // A report-form filing is never registered.
    let other = new_project(&app, officer, cast.owner_org(), Kind::ReportForm, json!({})).await;
    let other = id_of(&new_filing(&app, owner, other).await);
    let (status, body) = act(
        &app,
        owner,
        other,
        json!({"action": "register", "version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn the_owner_withdraws_and_may_file_again(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = new_project(&app, officer, cast.owner_org(), Kind::Report, json!({})).await;
    let id = id_of(&new_filing(&app, owner, project).await);
    step(&app, owner, id, "submit", json!({})).await;
    step(&app, officer, id, "accept", json!({})).await;
    // Officers do not withdraw for the bureau.
    let version = filing(&app, officer, id).await["version"].clone();
    let (status, _) = act(
        &app,
        officer,
        id,
        json!({"action": "withdraw", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let withdrawn = step(
        &app,
        owner,
        id,
        "withdraw",
        json!({"reason": "项目选址调整，撤回重报"}),
    )
    .await;
    assert_eq!(withdrawn["state"], "withdrawn");
    assert_eq!(withdrawn["state_label"], "已撤回");
    let history = events(&app, owner, id).await;
    assert_eq!(history.last().unwrap()["reason"], "项目选址调整，撤回重报");
    assert_eq!(history.last().unwrap()["from_state"], "accepted");
    // A withdrawn filing is closed; a new one may start.
    let again = new_filing(&app, owner, project).await;
    assert_ne!(id_of(&again), id);
}

async fn creating_a_filing_follows_the_classification(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let org = cast.owner_org();
    let before = app.count(entity::filing::Entity).await;
    for (kind, what) in [
        (Kind::Exempt, "exempt"),
        (Kind::Unclassified, "unclassified"),
    ] {
        let project = new_project(&app, officer, org, kind, json!({})).await;
        let (status, body) = app
            .request(
                Method::POST,
                &format!("/api/v1/projects/{project}/filings"),
                Some(owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert_eq!(error_fields(&body), ["project_id"], "{what}");
    }
    assert_eq!(app.count(entity::filing::Entity).await, before);

    let project = new_project(&app, officer, org, Kind::ReportForm, json!({})).await;
    // Another owner cannot see the project; leadership does not file.
    let (status, _) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{project}/filings"),
            Some(&cast.other_owner.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{project}/filings"),
            Some(&cast.leader.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/projects/999999/filings",
            Some(officer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An officer may open the draft for the owner; it is then the officer's to handle.
    let draft = new_filing(&app, officer, project).await;
    assert_eq!(draft["officer_id"], cast.officer.id);
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{project}/filings"),
            Some(owner),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "open_filing");

    // Another owner's filing looks like one that does not exist.
    let id = id_of(&draft);
    let other = &cast.other_owner.token;
    let (s1, b1) = app.get(&format!("/api/v1/filings/{id}"), other).await;
    let (s2, b2) = app.get("/api/v1/filings/99999999", other).await;
    assert_eq!((s1, s2), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(b1, b2, "no hint that the filing exists");
    for path in [
        format!("/api/v1/filings/{id}/events"),
        format!("/api/v1/filings/{id}/notices"),
        format!("/api/v1/filings/{id}/documents"),
    ] {
        let (status, body) = app.get(&path, other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        error_of(&body);
    }
    let (status, _) = app.get("/api/v1/filings/abc", owner).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Without a token nothing is readable.
    let (status, _) = app
        .request(Method::GET, &format!("/api/v1/filings/{id}"), None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn effective_dates_are_checked(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = new_project(&app, officer, cast.owner_org(), Kind::ReportForm, json!({})).await;
    let id = id_of(&new_filing(&app, owner, project).await);

    // An owner cannot date a step, not even today.
    for on in [today(), today() - Duration::days(3)] {
        let (status, body) = act(
            &app,
            owner,
            id,
            json!({"action": "submit", "version": 1, "effective_on": on}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error_fields(&body), ["effective_on"]);
    }
    // An owner cannot claim to act on someone's behalf.
    let (status, body) = act(
        &app,
        owner,
        id,
        json!({"action": "submit", "version": 1, "on_behalf_of_owner": true}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["on_behalf_of_owner"]);
    // Not in the future.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "submit", "version": 1,
        "on_behalf_of_owner": true, "effective_on": today() + Duration::days(1)}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["effective_on"]);
    // An officer's own action is not recorded as the owner's.
    let (status, body) = act(&app, officer, id, json!({"action": "submit", "version": 1})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "accept", "version": 1, "on_behalf_of_owner": true}),
    )
    .await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::CONFLICT,
        "{status} {body}"
    );
    assert_eq!(events(&app, officer, id).await.len(), 0);

    let submitted = historic(&app, officer, id, "submit", "2023-03-01", json!({})).await;
    assert_eq!(submitted["state"], "submitted");
    let history = events(&app, officer, id).await;
    assert_eq!(history[0]["effective_on"], "2023-03-01");
    assert_eq!(history[0]["actor_id"], cast.officer.id);
    assert_eq!(history[0]["actor_role"], "officer");
    assert_eq!(history[0]["detail"]["recorded_for"], "owner");

    // Not before the previous step.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "accept", "version": submitted["version"],
        "effective_on": "2023-02-28"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["effective_on"]);
    assert!(
        error_of(&body)["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2023-03-01"),
        "{body}"
    );
    // The same day is fine.
    let accepted = historic(&app, officer, id, "accept", "2023-03-01", json!({})).await;
    assert_eq!(accepted["state"], "accepted");
    // An undated step after a dated one is dated today.
    let view = step(&app, officer, id, "start_evaluation", json!({})).await;
    assert_eq!(view["state"], "technical_evaluation");
    assert_eq!(
        events(&app, officer, id).await.last().unwrap()["effective_on"],
        json!(today())
    );
    // Malformed dates are not accepted.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "finish_evaluation", "version": view["version"],
        "effective_on": "2023-02-30"}),
    )
    .await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status} {body}"
    );
    error_of(&body);
}

// ---------------------------------------------------------------------------------------------
// Deadlines across the 2023 holidays
// ---------------------------------------------------------------------------------------------

/// The official 2023 schedule: 春节 off 01-21..01-27 with make-up workdays Sat 01-28 and Sun 01-29;
/// 清明 off 04-05; 劳动节 off 04-29..05-03 with make-up Sun 04-23 and Sat 05-06; 端午 off
/// 06-22..06-24 with make-up Sun 06-25; 中秋、国庆 off 09-29..10-06 with make-up Sat 10-07 and
/// Sun 10-08. Days are counted from the day after the event; acceptance 5 working days, decision
/// 30 (报告表) / 60 (报告书) working days from acceptance; technical evaluation days do not count
/// (a stop covers the days after it starts up to and including the day it ends).
async fn deadlines_across_the_spring_festival_with_an_evaluation(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let project = new_project(&app, officer, cast.owner_org(), Kind::ReportForm, json!({})).await;
    let id = id_of(&new_filing(&app, officer, project).await);

    // Received Mon 2023-01-16: Tue 17 (1), Wed 18 (2), Thu 19 (3), Fri 20 (4), 21..27 off,
    // Sat 28 make-up (5) → due Saturday 2023-01-28.
    let v = historic(&app, officer, id, "submit", "2023-01-16", json!({})).await;
    let c = clock(&v);
    assert_eq!(c["clock"], "acceptance");
    assert_eq!(c["acceptance_due"], "2023-01-28");
    assert_eq!(c["status"], "running");
    assert_eq!(c["overdue"], true, "never decided, and 2023 is long past");

    // A correction request on Tue 01-17 ends that clock (1 day used); the resubmission will bring
    // a fresh one.
    let v = historic(
        &app,
        officer,
        id,
        "request_correction",
        "2023-01-17",
        json!({"missing_items": ["公众参与说明"]}),
    )
    .await;
    let c = clock(&v);
    assert_eq!(c["status"], "stopped");
    assert_eq!(c["acceptance_due"], Value::Null);
    assert_eq!(c["days_used"], 1);
    assert_eq!(c["days_left"], 4);
    assert_eq!(c["overdue"], false);

    // Resubmitted Wed 01-18: Thu 19 (1), Fri 20 (2), 21..27 off, Sat 28 (3), Sun 29 (4),
    // Mon 30 (5) → 2023-01-30.
    let v = historic(
        &app,
        officer,
        id,
        "resubmit",
        "2023-01-18",
        json!({"answers": ["已补充"]}),
    )
    .await;
    assert_eq!(clock(&v)["acceptance_due"], "2023-01-30");
    assert_eq!(
        clock(&v)["stopped"],
        json!([{"reason": "correction_request", "from": "2023-01-17", "to": "2023-01-18"}])
    );

    // Accepted Thu 01-19 (on time; the acceptance due date stays to show it). 30 working days:
    // Fri 20 (1), 21..27 off, Sat 28 (2), Sun 29 (3), Jan 30..Feb 3 (4-8), Feb 6-10 (9-13),
    // 13-17 (14-18), 20-24 (19-23), Feb 27..Mar 3 (24-28), Mon Mar 6 (29), Tue Mar 7 (30)
    // → 2023-03-07.
    let v = historic(&app, officer, id, "accept", "2023-01-19", json!({})).await;
    let c = clock(&v);
    assert_eq!(c["clock"], "decision");
    assert_eq!(c["unit"], "working_days");
    assert_eq!(c["acceptance_due"], "2023-01-30");
    assert_eq!(c["decision_due"], "2023-03-07");
    assert_eq!(c["status"], "running");
    assert_eq!(c["overdue"], true);

    // Sent for technical evaluation Wed 02-01: the clock stops with 6 days used (Jan 20, 28, 29,
    // 30, 31, Feb 1); while the evaluation runs the due date is unknown.
    let v = historic(
        &app,
        officer,
        id,
        "start_evaluation",
        "2023-02-01",
        json!({}),
    )
    .await;
    let c = clock(&v);
    assert_eq!(c["status"], "stopped");
    assert_eq!(c["decision_due"], Value::Null);
    assert_eq!(c["days_used"], 6);
    assert_eq!(c["days_left"], 24);
    assert_eq!(c["overdue"], false);

    // Back Tue 02-14: Feb 2, 3, 6-10, 13, 14 do not count (9 working days), so the due date moves
    // 9 working days past Mar 7: Mar 8 (1), 9 (2), 10 (3), 13-17 (4-8), Mon Mar 20 (9)
    // → 2023-03-20. Left on the pre-decision notice, undecided: overdue.
    let v = historic(
        &app,
        officer,
        id,
        "finish_evaluation",
        "2023-02-14",
        json!({}),
    )
    .await;
    let c = clock(&v);
    assert_eq!(v["state"], "pre_decision_notice");
    assert_eq!(c["decision_due"], "2023-03-20");
    assert_eq!(c["status"], "running");
    assert_eq!(c["overdue"], true);
    assert_eq!(
        c["stopped"],
        json!([
            {"reason": "correction_request", "from": "2023-01-17", "to": "2023-01-18"},
            {"reason": "technical_evaluation", "from": "2023-02-01", "to": "2023-02-14"}
        ])
    );

    // The pre-decision notice went up Tue 02-14 for 5 working days: Feb 15, 16, 17, 20, 21.
    let (_, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), officer)
        .await;
    let notices = notices.as_array().unwrap();
    assert_eq!(notices.len(), 2);
    // 报告表 acceptance notice from Thu 01-19, 5 working days: Jan 20, 28, 29, 30, 31.
    assert_eq!(notices[0]["ends_on"], "2023-01-31");
    assert_eq!(notices[1]["posted_on"], "2023-02-14");
    assert_eq!(notices[1]["ends_on"], "2023-02-21");
    // Long past: not on today's public register.
    let (_, register) = app
        .request(Method::GET, "/api/v1/public/notices", None, None)
        .await;
    assert!(
        register
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["filing_id"] != id)
    );

    // The work queue lists it as overdue.
    let (status, overdue) = app.get("/api/v1/filings?due=overdue", officer).await;
    assert_eq!(status, StatusCode::OK, "{overdue}");
    assert!(ids(&overdue).contains(&id));
}

async fn deadlines_across_national_day_with_stops(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let project = new_project(&app, officer, cast.owner_org(), Kind::Report, json!({})).await;
    let id = id_of(&new_filing(&app, officer, project).await);

    // Received Mon 2023-09-25: Tue 26 (1), Wed 27 (2), Thu 28 (3), 09-29..10-06 off,
    // Sat 10-07 make-up (4), Sun 10-08 make-up (5) → due Sunday 2023-10-08.
    let v = historic(&app, officer, id, "submit", "2023-09-25", json!({})).await;
    assert_eq!(clock(&v)["acceptance_due"], "2023-10-08");

    // Accepted Thu 09-28. 报告书, 60 working days: Oct 7, 8 (2), Oct 9-13 (7), 16-20 (12),
    // 23-27 (17), 30, 31 (19), Nov 1-3 (22), 6-10 (27), 13-17 (32), 20-24 (37), 27-30 (41),
    // Dec 1 (42), 4-8 (47), 11-15 (52), 18-22 (57), 25 (58), 26 (59), Wed 27 (60) → 2023-12-27.
    let v = historic(&app, officer, id, "accept", "2023-09-28", json!({})).await;
    let c = clock(&v);
    assert_eq!(c["acceptance_due"], "2023-10-08");
    assert_eq!(c["decision_due"], "2023-12-27");

    // An expert review Mon 10-09 .. Fri 10-13: Oct 10-13 do not count (4 working days), so
    // Dec 27 + 4: Thu 28 (1), Fri 29 (2), Dec 30, 31 weekend, 2024-01-01 元旦, Tue Jan 2 (3),
    // Wed Jan 3 (4) → 2024-01-03.
    let (status, v) = app
        .request(Method::POST, &format!("/api/v1/filings/{id}/clock-stops"), Some(officer),
            Some(json!({"reason": "expert_review", "from": "2023-10-09", "to": "2023-10-13", "note": "专家评审会"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(clock(&v)["decision_due"], "2024-01-03");

    // Technical evaluation Mon 10-16 .. Fri 10-20: Oct 17-20 do not count (4 more), so
    // Jan 3 + 4: Thu 4 (1), Fri 5 (2), Mon 8 (3), Tue 9 (4) → 2024-01-09.
    historic(
        &app,
        officer,
        id,
        "start_evaluation",
        "2023-10-16",
        json!({}),
    )
    .await;
    let v = historic(
        &app,
        officer,
        id,
        "finish_evaluation",
        "2023-10-20",
        json!({}),
    )
    .await;
    assert_eq!(clock(&v)["decision_due"], "2024-01-09");

    // Approved Thu 11-30, in time. Days used: Oct 7, 8, 9 (3), [10-13 stopped], 16 (4),
    // [17-20 stopped], 23-27 (9), 30, 31 (11), Nov 1-3 (14), 6-10 (19), 13-17 (24), 20-24 (29),
    // 27-30 (33).
    let v = historic(&app, officer, id, "approve", "2023-11-30", json!({})).await;
    let c = clock(&v);
    assert_eq!(v["state"], "approved");
    assert_eq!(c["status"], "finished");
    assert_eq!(c["decision_due"], "2024-01-09");
    assert_eq!(c["days_used"], 33);
    assert_eq!(c["days_left"], 27);
    assert_eq!(c["overdue"], false);
    assert_eq!(
        c["stopped"],
        json!([
            {"reason": "expert_review", "from": "2023-10-09", "to": "2023-10-13"},
            {"reason": "technical_evaluation", "from": "2023-10-16", "to": "2023-10-20"}
        ])
    );
    // The decision number is of the year on the decision, not of the year it was entered.
    decision_number(&v["decision_no"], 2023);

    let (_, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), officer)
        .await;
    let notices = notices.as_array().unwrap();
    // 报告书 acceptance notice from Thu 09-28, 10 working days: Oct 7, 8, 9-13, 16, 17, 18.
    assert_eq!(notices[0]["posted_on"], "2023-09-28");
    assert_eq!(notices[0]["ends_on"], "2023-10-18");
    // Pre-decision notice from Fri 10-20, 5 working days: Oct 23-27.
    assert_eq!(notices[1]["ends_on"], "2023-10-27");
    // Decision notice: 7 days, Nov 30 .. Dec 6.
    assert_eq!(notices[2]["posted_on"], "2023-11-30");
    assert_eq!(notices[2]["ends_on"], "2023-12-06");

    // Stops are for the decision clock, recorded by officers, and dated sensibly.
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/filings/{id}/clock-stops"),
            Some(officer),
            Some(json!({"reason": "hearing", "from": "2023-11-01"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a decided filing has no running clock: {body}"
    );
    assert_eq!(error_of(&body)["code"], "invalid_state");
}

async fn acceptance_deadlines_across_the_spring_and_summer_holidays(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let project = new_project(&app, officer, cast.owner_org(), Kind::ReportForm, json!({})).await;
    let id = id_of(&new_filing(&app, officer, project).await);
    let correction = json!({"missing_items": ["监测报告"]});
    let answer = json!({"answers": ["已补充监测报告"]});

    // Mon 04-03: Tue 04 (1), Wed 05 清明 off, Thu 06 (2), Fri 07 (3), Mon 10 (4), Tue 11 (5).
    let v = historic(&app, officer, id, "submit", "2023-04-03", json!({})).await;
    assert_eq!(clock(&v)["acceptance_due"], "2023-04-11");
    historic(
        &app,
        officer,
        id,
        "request_correction",
        "2023-04-04",
        correction.clone(),
    )
    .await;
    // Wed 04-19: Thu 20 (1), Fri 21 (2), Sun 23 make-up (3), Mon 24 (4), Tue 25 (5).
    let v = historic(&app, officer, id, "resubmit", "2023-04-19", answer.clone()).await;
    assert_eq!(clock(&v)["acceptance_due"], "2023-04-25");
    historic(
        &app,
        officer,
        id,
        "request_correction",
        "2023-04-20",
        correction.clone(),
    )
    .await;
    // Wed 04-26: Thu 27 (1), Fri 28 (2), 04-29..05-03 off, Thu 05-04 (3), Fri 05 (4),
    // Sat 06 make-up (5) → 2023-05-06.
    let v = historic(&app, officer, id, "resubmit", "2023-04-26", answer.clone()).await;
    assert_eq!(clock(&v)["acceptance_due"], "2023-05-06");
    historic(
        &app,
        officer,
        id,
        "request_correction",
        "2023-04-27",
        correction.clone(),
    )
    .await;
    // Tue 06-20: Wed 21 (1), 06-22..24 off, Sun 25 make-up (2), Mon 26 (3), Tue 27 (4),
    // Wed 28 (5) → 2023-06-28.
    let v = historic(&app, officer, id, "resubmit", "2023-06-20", answer.clone()).await;
    let c = clock(&v);
    assert_eq!(c["acceptance_due"], "2023-06-28");
    assert_eq!(c["status"], "running");
    assert_eq!(c["overdue"], true);
    // Refused on the last day: on time, all 5 days used.
    let v = historic(
        &app,
        officer,
        id,
        "refuse",
        "2023-06-28",
        json!({"reason": "不符合受理条件"}),
    )
    .await;
    let c = clock(&v);
    assert_eq!(c["status"], "finished");
    assert_eq!(c["days_used"], 5);
    assert_eq!(c["days_left"], 0);
    assert_eq!(c["overdue"], false);
}

// ---------------------------------------------------------------------------------------------
// Two officers deciding at once
// ---------------------------------------------------------------------------------------------

async fn two_officers_approving_at_once_use_one_number(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let year = today().year();
    for round in 0..3 {
        let id = ready_to_decide(&app, &cast).await;
        let version = filing(&app, &cast.officer.token, id).await["version"].clone();
        let before = last_decision_number(&app, year).await.unwrap_or(0);
        let before_events = events(&app, &cast.officer.token, id).await.len();
        let path = format!("/api/v1/filings/{id}/actions");
        let body = json!({"action": "approve", "version": version});
        let first = tokio::spawn(call(
            app.router.clone(),
            cast.officer.token.clone(),
            path.clone(),
            body.clone(),
        ));
        let second = tokio::spawn(call(
            app.router.clone(),
            cast.officer2.token.clone(),
            path,
            body,
        ));
        let (first, second) = tokio::join!(first, second);
        let (first, second) = (
            first.expect("first request"),
            second.expect("second request"),
        );
        let mut statuses = [first.0, second.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {first:?} {second:?}"
        );
        let (won, lost) = if first.0 == StatusCode::OK {
            (first, second)
        } else {
            (second, first)
        };
        let code = error_of(&lost.1)["code"].as_str().unwrap().to_owned();
        assert!(
            code == "stale_version" || code == "invalid_state",
            "{}",
            lost.1
        );

        let number = decision_number(&won.1["decision_no"], year);
        assert_eq!(
            number,
            before + 1,
            "round {round}: the next number of the year"
        );
        assert_eq!(
            last_decision_number(&app, year).await,
            Some(before + 1),
            "exactly one number used"
        );
        let after = events(&app, &cast.officer.token, id).await;
        assert_eq!(
            after.len(),
            before_events + 1,
            "exactly one approval recorded"
        );
        assert_eq!(
            after.last().unwrap()["detail"]["decision_no"],
            won.1["decision_no"]
        );
        let view = filing(&app, &cast.officer.token, id).await;
        assert_eq!(view["decision_no"], won.1["decision_no"]);
        assert_eq!(view["version"], version.as_i64().unwrap() + 1);
    }
    // The next approval gets the next number: none was lost to the losing requests.
    let id = ready_to_decide(&app, &cast).await;
    let before = last_decision_number(&app, year).await.unwrap();
    let view = step(&app, &cast.officer2.token, id, "approve", json!({})).await;
    assert_eq!(decision_number(&view["decision_no"], year), before + 1);
}

// ---------------------------------------------------------------------------------------------
// The work queue
// ---------------------------------------------------------------------------------------------

async fn the_work_queue_shows_overdue_and_soon(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    calendar_reaches_the_next_weeks(&app, &cast.admin.token).await;
    let officer = &cast.officer.token;
    let org = cast.owner_org();

    // Accepted in 2023 and never decided: overdue.
    let p = new_project(&app, officer, org, Kind::ReportForm, json!({})).await;
    let late = id_of(&new_filing(&app, officer, p).await);
    historic(&app, officer, late, "submit", "2023-03-01", json!({})).await;
    historic(&app, officer, late, "accept", "2023-03-02", json!({})).await;

    // Received two working days ago: 3 of the 5 acceptance days left, due soon.
    let mut received = today();
    let mut counted = 0;
    while counted < 2 {
        if working_day(&app, officer, received).await {
            counted += 1;
        }
        received -= Duration::days(1);
    }
    let p = new_project(&app, officer, org, Kind::ReportForm, json!({})).await;
    let soon = id_of(&new_filing(&app, &cast.owner.token, p).await);
    let v = historic(
        &app,
        officer,
        soon,
        "submit",
        &received.to_string(),
        json!({}),
    )
    .await;
    assert_eq!(clock(&v)["days_left"], 3, "{v}");
    assert_eq!(clock(&v)["overdue"], false);

    // Received today: 5 days left, neither.
    let p = new_project(&app, officer, org, Kind::ReportForm, json!({})).await;
    let fresh = id_of(&new_filing(&app, &cast.owner.token, p).await);
    step(&app, &cast.owner.token, fresh, "submit", json!({})).await;

    let (status, overdue) = app.get("/api/v1/filings?due=overdue", officer).await;
    assert_eq!(status, StatusCode::OK, "{overdue}");
    let overdue_ids = ids(&overdue);
    assert!(overdue_ids.contains(&late));
    assert!(!overdue_ids.contains(&soon) && !overdue_ids.contains(&fresh));
    for f in overdue.as_array().unwrap() {
        assert_eq!(f["clock"]["overdue"], true, "{f}");
        assert!(
            ["running", "stopped"].contains(&f["clock"]["status"].as_str().unwrap()),
            "{f}"
        );
    }
    let lefts: Vec<i64> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["clock"]["days_left"].as_i64().unwrap())
        .collect();
    assert!(
        lefts.windows(2).all(|w| w[0] <= w[1]),
        "most urgent first: {lefts:?}"
    );

    let (status, due_soon) = app.get("/api/v1/filings?due=soon", officer).await;
    assert_eq!(status, StatusCode::OK, "{due_soon}");
    let soon_ids = ids(&due_soon);
    assert!(soon_ids.contains(&soon), "{soon_ids:?}");
    assert!(!soon_ids.contains(&late) && !soon_ids.contains(&fresh));
    for f in due_soon.as_array().unwrap() {
        assert_eq!(f["clock"]["overdue"], false, "{f}");
        assert!(f["clock"]["days_left"].as_i64().unwrap() <= 3, "{f}");
    }

    // Filters narrow the queue.
    let contains = |list: &Value, id: i64| ids(list).contains(&id);
    let query = |q: String| {
        let app = &app;
        async move {
            let (status, body) = app.get(&format!("/api/v1/filings?{q}"), officer).await;
            assert_eq!(status, StatusCode::OK, "{q}: {body}");
            body
        }
    };
    assert!(contains(
        &query("due=overdue&county=611024".into()).await,
        late
    ));
    assert!(!contains(
        &query("due=overdue&county=611002".into()).await,
        late
    ));
    assert!(contains(
        &query("due=overdue&tier=report_form".into()).await,
        late
    ));
    assert!(!contains(
        &query("due=overdue&tier=report".into()).await,
        late
    ));
    assert!(contains(
        &query(format!("due=overdue&officer_id={}", cast.officer.id)).await,
        late
    ));
    assert!(!contains(
        &query(format!("due=overdue&officer_id={}", cast.officer2.id)).await,
        late
    ));
    assert!(contains(&query("state=accepted".into()).await, late));
    assert!(!contains(&query("state=submitted".into()).await, late));
    assert_eq!(ids(&query(format!("project_id={p}")).await), [fresh]);
    let all = query("county=611024&tier=report_form".into()).await;
    for id in [late, soon, fresh] {
        assert!(contains(&all, id));
    }
    for f in all.as_array().unwrap() {
        assert_eq!(f["project"]["county_code"], "611024");
        assert_eq!(f["tier"], "report_form");
    }

    // Owners see only their own organisation's filings.
    let (_, mine) = app.get("/api/v1/filings", &cast.owner.token).await;
    assert!(contains(&mine, soon) && contains(&mine, late));
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|f| f["project"]["organization_id"] == org)
    );
    let (_, theirs) = app
        .get("/api/v1/filings?due=overdue", &cast.other_owner.token)
        .await;
    assert!(!contains(&theirs, late));
    // Leadership reads the whole queue.
    let (_, leaders) = app
        .get("/api/v1/filings?due=overdue", &cast.leader.token)
        .await;
    assert!(contains(&leaders, late));

    // Bad filter values are named.
    for (q, field) in [
        ("due=late", "due"),
        ("tier=huge", "tier"),
        ("county=999999", "county"),
        ("state=lost", "state"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/filings?{q}"), officer).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {body}");
        assert_eq!(error_fields(&body), [field], "{q}");
    }
    // A value of the wrong type, or an unknown filter, cannot be read at all (as for projects).
    for q in ["officer_id=abc", "colour=red"] {
        let (status, body) = app.get(&format!("/api/v1/filings?{q}"), officer).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        error_of(&body);
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

async fn documents_are_checked_stored_and_served(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = new_project(&app, officer, cast.owner_org(), Kind::Report, json!({})).await;
    let id = id_of(&new_filing(&app, owner, project).await);
    let incoming = app.dir.path().join("documents").join("incoming");
    let leftovers = || std::fs::read_dir(&incoming).map(|d| d.count()).unwrap_or(0);
    let before = app.count(entity::document::Entity).await;

    let pdf = a_pdf();
    let (status, doc) = upload(&app, owner, id, "商南县某公路环境影响报告书.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["size"], pdf.len());
    assert_eq!(doc["sha256"], sha256_hex(&pdf));
    assert_eq!(doc["uploaded_by"], cast.owner.id);
    assert_eq!(doc["file_name"], "商南县某公路环境影响报告书.pdf");
    let doc_id = doc["id"].as_i64().unwrap();

    // The bytes come back as they went in, with their hash.
    let (status, headers, bytes) = download(&app, owner, doc_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, pdf);
    assert_eq!(
        headers["x-content-sha256"].to_str().unwrap(),
        sha256_hex(&pdf)
    );
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename*=UTF-8''")
    );
    let (status, _, bytes) = download(&app, officer, doc_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha256_hex(&bytes), sha256_hex(&pdf));
    // Another owner: as if it did not exist.
    let (status, _, body) = download(&app, &cast.other_owner.token, doc_id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    error_of(&json_of(&body));
    let (status, _, _) = download(&app, owner, 99_999_999).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A Word file in a ZIP container, an image: fine.
    let (status, body) = upload(
        &app,
        owner,
        id,
        "附图.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, list) = app
        .get(&format!("/api/v1/filings/{id}/documents"), owner)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // Wrong extension; content that is not what the extension says; empty; too large.
    let (status, body) = upload(&app, owner, id, "setup.exe", b"MZ\x90\0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["file"]);
    let (status, body) = upload(&app, owner, id, "报告书.pdf", b"\x89PNG\r\n\x1a\nnot a pdf").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["file"]);
    let (status, body) = upload(
        &app,
        owner,
        id,
        "报告书.docx",
        b"%PDF-1.4 a pdf in disguise",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = upload(&app, owner, id, "空.pdf", b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let limit = app.settings.filings.max_upload_bytes;
    assert_eq!(limit, 1024 * 1024, "the tests set 1 MiB");
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(limit + 1, b'0');
    let (status, body) = upload(&app, owner, id, "大.pdf", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(error_of(&body)["code"], "too_large");
    // Far over: refused while reading the body.
    big.resize(3 * limit, b'0');
    let (status, body) = upload(&app, owner, id, "更大.pdf", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    error_of(&body);
    // Exactly the limit is fine.
    big.truncate(limit);
    let (status, body) = upload(&app, owner, id, "刚好.pdf", &big).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Not multipart at all, or multipart that cannot be read: a 400 in the API's error shape.
    let (status, body) = app
        .raw(
            Method::POST,
            &format!("/api/v1/filings/{id}/documents"),
            Some(owner),
            Some("{}"),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_of(&body)["code"], "malformed");
    let (status, body) = app
        .raw(
            Method::POST,
            &format!("/api/v1/filings/{id}/documents"),
            Some(owner),
            Some("garbage"),
            "multipart/form-data; boundary=xyz",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    error_of(&body);
    // No field named file.
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/filings/{id}/documents"))
        .header(header::AUTHORIZATION, format!("Bearer {owner}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(&[(
            "attachment",
            "a.pdf",
            b"%PDF-1.7",
        )])))
        .expect("request");
    let (status, _, body) = send(&app.router, req).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        json_of(&body)
    );

    // Another owner cannot add to it; leadership uploads nothing.
    let (status, _) = upload(&app, &cast.other_owner.token, id, "x.pdf", &pdf).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = upload(&app, &cast.leader.token, id, "x.pdf", &pdf).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count(entity::document::Entity).await, before + 3);
    assert_eq!(leftovers(), 0, "refused uploads leave nothing behind");

    // Once submitted the owner's materials are fixed until a correction is asked for.
    step(&app, owner, id, "submit", json!({})).await;
    let (status, body) = upload(&app, owner, id, "补充.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "invalid_state");
    step(
        &app,
        officer,
        id,
        "request_correction",
        json!({"missing_items": ["补充监测报告"]}),
    )
    .await;
    let (status, body) = upload(&app, owner, id, "补充监测报告.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

// ---------------------------------------------------------------------------------------------
// Next year's calendar
// ---------------------------------------------------------------------------------------------

async fn next_years_calendar_recomputes_open_deadlines(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    // Accepted on paper on Friday 2026-11-20: its 60 working days reach into 2027. Whatever year
    // this runs in, every year after 2027 up to next year is loaded first, so 2027 alone is
    // missing and the due date waits for it.
    for year in 2028..=today().year() + 1 {
        common::load_plain_year(&app, year).await;
    }
    let project = new_project(&app, officer, cast.owner_org(), Kind::Report, json!({})).await;
    let id = id_of(&new_filing(&app, officer, project).await);
    historic(&app, officer, id, "submit", "2026-11-19", json!({})).await;
    let accepted = historic(&app, officer, id, "accept", "2026-11-20", json!({})).await;

    // The clock runs and counts its days; only the due date waits for 2027's schedule.
    let c = clock(&accepted);
    assert_eq!(c["decision_due"], Value::Null, "{accepted}");
    assert_eq!(c["due_beyond_calendar"], true);
    assert_eq!(accepted["clock_error"], Value::Null);
    // The notices that the calendar can reach are still given.
    let (status, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), officer)
        .await;
    assert_eq!(status, StatusCode::OK, "{notices}");

    let schedule = json!({"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]});
    let (status, _) = app
        .request(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(officer),
            Some(schedule.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .request(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(&cast.admin.token),
            Some(schedule),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Counted by hand from 2026-11-20: the rest of November has 6 working days (23–27, 30),
    // December 23, so 29 in 2026; January 2027 has 20 (21 weekdays less New Year's Day, a
    // Friday), 49 in all; February's first 11 weekdays (1–5, 8–12, 15) make 60.
    let view = filing(&app, officer, id).await;
    assert_eq!(view["clock_error"], Value::Null, "{view}");
    let c = clock(&view);
    assert_eq!(c["decision_due"], json!("2027-02-15"));
    assert_eq!(c["due_beyond_calendar"], false);
    assert_eq!(
        add_working_days(&app, officer, d("2026-11-20"), 60).await,
        d("2027-02-15")
    );
}

/// A report-form filing of owner1 taken to the pre-decision notice with every step dated `on`.
async fn ready_to_decide_on(app: &TestApp, cast: &Cast, on: &str) -> i64 {
    let officer = &cast.officer.token;
    let project = new_project(app, officer, cast.owner_org(), Kind::ReportForm, json!({})).await;
    let id = id_of(&new_filing(app, officer, project).await);
    for action in ["submit", "accept", "start_evaluation", "finish_evaluation"] {
        historic(app, officer, id, action, on, json!({})).await;
    }
    id
}

/// The first decisions of a year, taken at once on two filings, both get a number: the second
/// waits for the year's new sequence row rather than failing on it.
async fn the_first_decisions_of_a_year_at_once_both_get_numbers(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    // Years in which the demo ledger decided nothing, so each round starts a new sequence.
    for year in [2019, 2020, 2021, 2024, 2025] {
        assert_eq!(last_decision_number(&app, year).await, None, "{year}");
        let on = format!("{year}-06-01");
        let a = ready_to_decide_on(&app, &cast, &on).await;
        let b = ready_to_decide_on(&app, &cast, &on).await;
        let request = |id: i64, token: &str| {
            let body = json!({"action": "approve", "version": 5, "effective_on": on});
            tokio::spawn(call(
                app.router.clone(),
                token.to_owned(),
                format!("/api/v1/filings/{id}/actions"),
                body,
            ))
        };
        let (ra, rb) = tokio::join!(
            request(a, &cast.officer.token),
            request(b, &cast.officer2.token)
        );
        let (ra, rb) = (ra.expect("first request"), rb.expect("second request"));
        assert_eq!(
            (ra.0, rb.0),
            (StatusCode::OK, StatusCode::OK),
            "{year}: {} / {}",
            ra.1,
            rb.1
        );
        let mut numbers = [
            decision_number(&ra.1["decision_no"], year),
            decision_number(&rb.1["decision_no"], year),
        ];
        numbers.sort();
        assert_eq!(numbers, [1, 2], "{year}");
        assert_eq!(last_decision_number(&app, year).await, Some(2));
    }
}

/// Two requests to open a filing for the same project at once: one draft, one conflict.
async fn two_drafts_at_once_make_one_open_filing(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    for round in 0..6 {
        let project = new_project(
            &app,
            &cast.officer.token,
            cast.owner_org(),
            Kind::ReportForm,
            json!({}),
        )
        .await;
        let path = format!("/api/v1/projects/{project}/filings");
        let (a, b) = tokio::join!(
            tokio::spawn(call(
                app.router.clone(),
                cast.officer.token.clone(),
                path.clone(),
                Value::Null
            )),
            tokio::spawn(call(
                app.router.clone(),
                cast.owner.token.clone(),
                path,
                Value::Null
            )),
        );
        let (a, b) = (a.expect("first request"), b.expect("second request"));
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "round {round}: {} / {}",
            a.1,
            b.1
        );
        let lost = if a.0 == StatusCode::CONFLICT {
            &a.1
        } else {
            &b.1
        };
        assert_eq!(error_of(lost)["code"], "open_filing");
        let (_, list) = app
            .get(
                &format!("/api/v1/filings?project_id={project}"),
                &cast.officer.token,
            )
            .await;
        assert_eq!(list.as_array().unwrap().len(), 1, "round {round}: {list}");
    }
}

/// While the calendar lacks a year a notice period reaches (here: the current year's schedule
/// removed, as in late December before next year's is loaded), the filing's other notices are
/// still given, and the clock says why it cannot be computed; loading the year brings it all back.
async fn notices_wait_for_a_missing_years_calendar(app: TestApp) {
    use sea_orm::ModelTrait;
    let cast = Cast::sign_in(&app).await;
    let id = ready_to_decide(&app, &cast).await;
    let approved = step(&app, &cast.officer.token, id, "approve", json!({})).await;
    let year = today().year();
    let schedule = entity::holiday_schedule::Entity::find()
        .filter(entity::holiday_schedule::Column::Year.eq(year))
        .one(&app.db)
        .await
        .unwrap()
        .expect("this year's schedule");
    let source: Value = serde_json::from_str(&schedule.source).unwrap();
    schedule.delete(&app.db).await.unwrap();

    let (status, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), &cast.owner.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{notices}");
    let kinds: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["decision"],
        "the 7-day decision notice needs no working days"
    );
    assert!(
        notices[0]["body"]
            .as_str()
            .unwrap()
            .contains(approved["decision_no"].as_str().unwrap())
    );
    let (status, register) = app
        .request(Method::GET, "/api/v1/public/notices", None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{register}");
    let ours: Vec<&Value> = register
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["filing_id"] == id)
        .collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(ours[0]["kind"], "decision");
    // The finished clock still shows; the due date it had waits for the schedule.
    let view = filing(&app, &cast.owner.token, id).await;
    assert_eq!(view["clock"]["status"], "finished", "{view}");
    assert_eq!(view["clock"]["decision_due"], Value::Null);
    assert_eq!(view["clock"]["due_beyond_calendar"], true);

    let (status, body) = app
        .request(
            Method::PUT,
            &format!("/api/v1/calendar/years/{year}"),
            Some(&cast.admin.token),
            Some(source),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), &cast.owner.token)
        .await;
    assert_eq!(notices.as_array().unwrap().len(), 3, "{notices}");
    // The clock is back too, unless its due date lies in next year, which is not loaded (a
    // 30-working-day limit from a December acceptance).
    let view = filing(&app, &cast.owner.token, id).await;
    assert!(
        view["clock"].is_object()
            || view["clock_error"]
                .as_str()
                .unwrap()
                .contains(&format!("{}-", year + 1)),
        "{view}"
    );
}

/// A decision made on paper keeps its number; the year's sequence moves past it, and the same
/// number cannot be recorded twice.
async fn paper_decision_numbers_are_kept_and_not_reissued(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let first = ready_to_decide_on(&app, &cast, "2024-03-01").await;
    let approved = historic(
        &app,
        officer,
        first,
        "approve",
        "2024-03-01",
        json!({"number": "商环批复〔2024〕40号"}),
    )
    .await;
    assert_eq!(approved["decision_no"], "商环批复〔2024〕40号");
    let second = ready_to_decide_on(&app, &cast, "2024-03-04").await;
    let next = historic(&app, officer, second, "approve", "2024-03-04", json!({})).await;
    assert_eq!(
        next["decision_no"], "商环批复〔2024〕41号",
        "issued after the paper one"
    );

    let third = ready_to_decide_on(&app, &cast, "2024-03-05").await;
    let version = filing(&app, officer, third).await["version"].clone();
    let (status, body) = act(
        &app,
        officer,
        third,
        json!({"action": "approve", "version": version, "effective_on": "2024-03-05",
               "number": "商环批复〔2024〕40号"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        filing(&app, officer, third).await["state"],
        "pre_decision_notice"
    );
    for (body, why) in [
        (
            json!({"action": "approve", "version": version, "number": "商环批复〔2026〕1号"}),
            "no date: the system numbers it",
        ),
        (
            json!({"action": "start_evaluation", "version": version, "effective_on": "2024-03-05", "number": "x"}),
            "not a numbered action",
        ),
    ] {
        let (status, response) = act(&app, officer, third, body).await;
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::CONFLICT,
            "{why}: {response}"
        );
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(error_fields(&response), ["number"], "{why}");
        }
    }
    // The demo ledger's decisions keep the numbers of the paper file.
    let disapproved = entity::filing::Entity::find()
        .filter(entity::filing::Column::State.eq("disapproved"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let demo = eiaflow::demo::ledger().unwrap();
    let expected = demo
        .projects
        .iter()
        .filter_map(|p| p.filing.as_ref())
        .flat_map(|f| &f.steps)
        .find(|s| s.action == eiaflow::domain::filing::Action::Disapprove)
        .and_then(|s| s.number.clone());
    assert_eq!(disapproved.decision_no, expected);
}

on_both_backends!(
    paper_decision_numbers_are_kept_and_not_reissued,
    notices_wait_for_a_missing_years_calendar,
    a_report_form_goes_from_draft_to_decision,
    disapproval_needs_grounds_and_a_reason,
    unsettled_penalty_blocks_acceptance_and_suggests_refusal,
    a_registration_form_is_filed_with_a_receipt_number,
    the_owner_withdraws_and_may_file_again,
    creating_a_filing_follows_the_classification,
    effective_dates_are_checked,
    deadlines_across_the_spring_festival_with_an_evaluation,
    deadlines_across_national_day_with_stops,
    acceptance_deadlines_across_the_spring_and_summer_holidays,
    the_work_queue_shows_overdue_and_soon,
    documents_are_checked_stored_and_served,
    next_years_calendar_recomputes_open_deadlines,
);

/// Like `on_both_backends!`, on a runtime with two threads, so that requests spawned at once run
/// at once (on PostgreSQL, on connections of their own).
macro_rules! at_once_on_both_backends {
    ($($case:ident),* $(,)?) => {
        $(
            mod $case {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$case(crate::common::TestApp::sqlite().await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = crate::common::TestApp::postgres().await {
                        super::$case(app).await
                    }
                }
            }
        )*
    };
}

at_once_on_both_backends!(
    two_officers_approving_at_once_use_one_number,
    the_first_decisions_of_a_year_at_once_both_get_numbers,
    two_drafts_at_once_make_one_open_filing,
);
