//! Filings over HTTP: the lifecycle with the bureau's rules, deadlines pinned across the 2023
//! holidays, two officers deciding at once, the work queue, documents, notices and the public
//! register, and a new year's holiday schedule recomputing open deadlines.
//!
//! Every case but the last starts on an empty database and builds its own cast and projects
//! (`common::build`); the last checks the demo ledger's paper numbers.
mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::api::{self, Stop};
use common::build::{Cast, Kind};
use common::{Reply, TestApp, add_working_days, d, decode, error, error_fields, json_of, today};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `POST /filings/{id}/actions` with `body` as given.
async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    app.act(token, id, body).await
}

/// The error of an action that must be refused with `status`.
async fn refused(
    app: &TestApp,
    token: &str,
    id: i64,
    body: Value,
    status: StatusCode,
) -> api::ApiError {
    let (got, answer) = act(app, token, id, body.clone()).await;
    assert_eq!(got, status, "{body}: {answer}");
    error(&answer)
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
    let reply = common::send(&router, req).await;
    (reply.status, reply.json_value())
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

async fn upload_parts(app: &TestApp, token: &str, id: i64, parts: &[(&str, &str, &[u8])]) -> Reply {
    let body = multipart(parts);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    app.send(
        Method::POST,
        &format!("/api/v1/filings/{id}/documents"),
        Some(token),
        Some((&body, &content_type)),
    )
    .await
}

async fn upload(
    app: &TestApp,
    token: &str,
    id: i64,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let reply = upload_parts(app, token, id, &[("file", name, bytes)]).await;
    (reply.status, reply.json_value())
}

async fn download(app: &TestApp, token: &str, doc: i64) -> Reply {
    app.send(
        Method::GET,
        &format!("/api/v1/documents/{doc}"),
        Some(token),
        None,
    )
    .await
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

fn ids(list: &[api::Filing]) -> Vec<i64> {
    list.iter().map(|f| f.id).collect()
}

async fn queue(app: &TestApp, token: &str, query: &str) -> Vec<api::Filing> {
    app.get_ok::<api::Page<api::Filing>>(&format!("/api/v1/filings?{query}"), token)
        .await
        .items
}

/// N of a decision number `商环批复〔year〕N号`.
fn decision_number(no: Option<&str>, year: i32) -> i32 {
    let no = no.unwrap_or_else(|| panic!("a decision number, got none"));
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

// ---------------------------------------------------------------------------------------------
// A report form from draft to decision, one step per case
// ---------------------------------------------------------------------------------------------

/// A report-form project of the owner, with a draft, submitted today by the owner.
async fn submitted(app: &TestApp, cast: &Cast) -> (i64, api::Filing) {
    let draft = cast.draft(app, Kind::ReportForm).await;
    let view = app
        .step(&cast.owner.token, draft.id, "submit", json!({}))
        .await;
    (draft.project.id, view)
}

const MISSING: [&str; 2] = ["建设项目环境影响报告表（盖章版）", "公众参与说明"];
const ANSWERS: [&str; 2] = ["已补充盖章版", "已补充公众参与说明"];

/// A report form taken today, in the service, through a correction request and technical
/// evaluation to the pre-decision notice.
async fn evaluated_after_a_correction(app: &TestApp, cast: &Cast) -> api::Filing {
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let (_, filing) = submitted(app, cast).await;
    let id = filing.id;
    app.step(
        officer,
        id,
        "request_correction",
        json!({"missing_items": MISSING}),
    )
    .await;
    app.step(owner, id, "resubmit", json!({"answers": ANSWERS}))
        .await;
    app.step(officer, id, "accept", json!({})).await;
    app.step(
        officer,
        id,
        "start_evaluation",
        json!({"evaluator": "陕西省环境工程评估中心"}),
    )
    .await;
    app.step(officer, id, "finish_evaluation", json!({})).await
}

/// A report-form filing corrected, accepted and evaluated on paper six working days ago (so its
/// 5-working-day pre-decision notice has run out and its 5-day acceptance notice too), then
/// approved today.
async fn approved_after_a_correction(app: &TestApp, cast: &Cast) -> (i64, api::Filing) {
    let officer = &cast.officer.token;
    let project = cast.project(app, Kind::ReportForm).await;
    let id = app.new_filing(&cast.owner.token, project).await.id;
    let on = common::working_days_ago(app, officer, 6).await.to_string();
    app.historic(officer, id, "submit", &on, json!({})).await;
    app.historic(
        officer,
        id,
        "request_correction",
        &on,
        json!({"missing_items": MISSING}),
    )
    .await;
    app.historic(officer, id, "resubmit", &on, json!({"answers": ANSWERS}))
        .await;
    app.historic(officer, id, "accept", &on, json!({})).await;
    app.historic(
        officer,
        id,
        "start_evaluation",
        &on,
        json!({"evaluator": "陕西省环境工程评估中心"}),
    )
    .await;
    app.historic(officer, id, "finish_evaluation", &on, json!({}))
        .await;
    let approved = app
        .step(
            officer,
            id,
            "approve",
            json!({"decision_text": "同意该项目按报告表所列性质、规模、地点建设。"}),
        )
        .await;
    (project, approved)
}

async fn a_draft_takes_the_projects_tier(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let project = cast.project(&app, Kind::ReportForm).await;
    let draft = app.new_filing(&cast.owner.token, project).await;
    assert_eq!(draft.state, "draft");
    assert_eq!(draft.state_label, "草稿");
    assert_eq!(draft.tier, "report_form");
    assert_eq!(draft.version, 1);
    assert_eq!(draft.project.id, project);
    assert_eq!(draft.project.county_code, "611024");
    assert_eq!(draft.project.county_name, "山阳县");
    assert_eq!(draft.project.organization_id, cast.owner.org());
    assert_eq!(draft.officer_id, None);
    assert_eq!(draft.allowed_actions, ["submit", "withdraw"]);
    assert_eq!(draft.clock().status, "not_started");
    assert_eq!(draft.decision_no, None);
    assert_eq!(draft.receipt_no, None);
}

async fn submitting_starts_the_acceptance_clock(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let (_, view) = submitted(&app, &cast).await;
    assert_eq!(view.state, "submitted");
    assert_eq!(view.state_label, "已提交");
    // 5 working days from today's receipt.
    let due = add_working_days(&app, &cast.owner.token, today(), 5).await;
    assert_eq!(
        view.clock(),
        &api::Clock {
            status: "running".into(),
            clock: Some("acceptance".into()),
            unit: Some("working_days".into()),
            acceptance_due: Some(due),
            decision_due: None,
            stopped: vec![],
            days_used: 0,
            days_left: 5,
            overdue: false,
            estimated: false,
            estimate_note: None,
        }
    );
    // What the officer may do with it; no refusal is suggested for an ordinary project.
    let officers = app.filing(&cast.officer.token, view.id).await;
    assert_eq!(
        officers.allowed_actions,
        ["request_correction", "accept", "refuse"]
    );
    assert_eq!(officers.suggested_refusal_reason, None);
    // The owner may only withdraw it now.
    assert_eq!(
        app.filing(&cast.owner.token, view.id).await.allowed_actions,
        ["withdraw"]
    );
}

async fn leaders_never_act_owners_never_accept_others_see_nothing(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (_, view) = submitted(&app, &cast).await;
    let accept = json!({"action": "accept", "version": view.version});
    let e = refused(
        &app,
        &cast.leader.token,
        view.id,
        accept.clone(),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(e.code, "forbidden");
    let e = refused(
        &app,
        &cast.owner.token,
        view.id,
        accept,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(e.code, "forbidden");
    let e = refused(
        &app,
        &cast.other_owner.token,
        view.id,
        json!({"action": "withdraw", "version": view.version}),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(e.code, "not_found");
    let unchanged = app.filing(&cast.officer.token, view.id).await;
    assert_eq!(
        (unchanged.state.as_str(), unchanged.version),
        ("submitted", view.version)
    );
}

async fn an_action_the_state_does_not_allow_is_a_409_naming_the_state(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (_, view) = submitted(&app, &cast).await;
    let e = refused(
        &app,
        &cast.officer.token,
        view.id,
        json!({"action": "approve", "version": view.version}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.code, "invalid_state");
    assert_eq!(
        e.message,
        "申报当前状态为“已提交”（submitted），不能执行“批复”"
    );
    assert_eq!(e.field_names(), ["action"]);
    assert_eq!(e.message_for("action"), "当前状态：submitted");
}

async fn a_stale_version_is_a_409_whatever_else_the_request_says(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (_, view) = submitted(&app, &cast).await;
    let e = refused(
        &app,
        &cast.officer.token,
        view.id,
        json!({"action": "request_correction", "version": view.version - 1,
               "missing_items": ["盖章页"]}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.code, "stale_version");
    assert_eq!(e.field_names(), ["version"]);
}

async fn a_correction_request_lists_every_missing_item_at_once(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let (_, view) = submitted(&app, &cast).await;
    let (id, version) = (view.id, view.version);
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "request_correction", "version": version, "missing_items": []}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["missing_items"]);
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "request_correction", "version": version,
               "missing_items": [MISSING[0], "  "]}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["missing_items[1]"]);
    // Nothing of the refusals above changed the filing or its history.
    let unchanged = app.filing(officer, id).await;
    assert_eq!(unchanged.version, version);
    assert_eq!(unchanged.state, "submitted");
    assert_eq!(app.events(officer, id).await.len(), 1);

    let corrected = app
        .step(
            officer,
            id,
            "request_correction",
            json!({"missing_items": MISSING}),
        )
        .await;
    assert_eq!(corrected.state, "correction_requested");
    assert_eq!(corrected.clock().status, "stopped");
    assert_eq!(corrected.clock().acceptance_due, None);
    let owners_view = app.filing(&cast.owner.token, id).await;
    assert_eq!(
        owners_view.open_correction,
        Some(MISSING.map(String::from).to_vec())
    );
    assert_eq!(owners_view.allowed_actions, ["resubmit", "withdraw"]);
    let last = app.events(officer, id).await.pop().unwrap();
    assert_eq!(last.detail["missing_items"], json!(MISSING));
}

async fn a_resubmission_answers_every_item(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let (_, view) = submitted(&app, &cast).await;
    let id = view.id;
    let asked = app
        .step(
            &cast.officer.token,
            id,
            "request_correction",
            json!({"missing_items": MISSING}),
        )
        .await;
    for answers in [json!([ANSWERS[0]]), json!([ANSWERS[0], ""])] {
        let e = refused(
            &app,
            owner,
            id,
            json!({"action": "resubmit", "version": asked.version, "answers": answers}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(e.field_names(), ["answers"], "{answers}");
    }
    let resubmitted = app
        .step(owner, id, "resubmit", json!({"answers": ANSWERS}))
        .await;
    assert_eq!(resubmitted.state, "submitted");
    assert_eq!(resubmitted.open_correction, None);
    let last = app.events(owner, id).await.pop().unwrap();
    assert_eq!(
        last.detail["answers"],
        json!([
            {"item": MISSING[0], "answer": ANSWERS[0]},
            {"item": MISSING[1], "answer": ANSWERS[1]},
        ])
    );
}

async fn from_acceptance_through_evaluation_to_approval(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let (_, view) = submitted(&app, &cast).await;
    let id = view.id;
    // Accepted: the officer takes the filing; the decision clock starts.
    let accepted = app.step(officer, id, "accept", json!({})).await;
    assert_eq!(accepted.state, "accepted");
    assert_eq!(accepted.officer_id, Some(cast.officer.id));
    assert_eq!(accepted.clock().clock.as_deref(), Some("decision"));
    assert_eq!(accepted.clock().status, "running");
    let evaluating = app
        .step(
            officer,
            id,
            "start_evaluation",
            json!({"evaluator": "陕西省环境工程评估中心"}),
        )
        .await;
    assert_eq!(evaluating.state, "technical_evaluation");
    if let Some(clock) = &evaluating.clock {
        assert_eq!(clock.status, "stopped");
    }
    let on_notice = app.step(officer, id, "finish_evaluation", json!({})).await;
    assert_eq!(on_notice.state, "pre_decision_notice");
    assert_eq!(on_notice.allowed_actions, ["approve", "disapprove"]);
    // The owner may still withdraw, and nothing else.
    assert_eq!(app.filing(owner, id).await.allowed_actions, ["withdraw"]);

    // Not approved while the pre-decision notice runs: the 409 names the notice and its end.
    let ends = add_working_days(&app, officer, today(), 5).await;
    let (status, body) = app
        .act(
            officer,
            id,
            json!({"action": "approve", "version": on_notice.version}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let refused = error(&body);
    assert_eq!(refused.code, "notice_period");
    assert!(
        refused.message.contains("拟审批公示期") && refused.message.contains(&ends.to_string()),
        "{refused:?}"
    );
    assert_eq!(app.filing(officer, id).await.version, on_notice.version);

    // Once it has run out (here: a filing whose steps were on paper three weeks ago), approved
    // with the first decision number of the effective date's year.
    let ready = cast.ready_to_decide(&app).await;
    let approved = app
        .step(
            officer,
            ready,
            "approve",
            json!({"decision_text": "同意该项目按报告表所列性质、规模、地点建设。"}),
        )
        .await;
    assert_eq!(approved.state, "approved");
    assert_eq!(approved.state_label, "已批复");
    assert_eq!(
        decision_number(approved.decision_no.as_deref(), today().year()),
        1
    );
    assert!(approved.allowed_actions.is_empty());
    if let Some(clock) = &approved.clock {
        assert_eq!(clock.status, "finished");
    }
}

async fn the_history_says_who_did_what_and_when(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let started = Utc::now() - Duration::minutes(10);
    let on_notice = evaluated_after_a_correction(&app, &cast).await;
    let (owner, officer) = (cast.owner.id, cast.officer.id);
    let history = app.events(&cast.owner.token, on_notice.id).await;
    let expected = [
        ("submit", "draft", "submitted", owner, "owner"),
        (
            "request_correction",
            "submitted",
            "correction_requested",
            officer,
            "officer",
        ),
        (
            "resubmit",
            "correction_requested",
            "submitted",
            owner,
            "owner",
        ),
        ("accept", "submitted", "accepted", officer, "officer"),
        (
            "start_evaluation",
            "accepted",
            "technical_evaluation",
            officer,
            "officer",
        ),
        (
            "finish_evaluation",
            "technical_evaluation",
            "pre_decision_notice",
            officer,
            "officer",
        ),
    ];
    assert_eq!(history.len(), expected.len(), "{history:?}");
    for (event, (action, from, to, actor, role)) in history.iter().zip(expected) {
        assert_eq!(event.action, action, "{event:?}");
        assert_eq!(event.from_state.as_deref(), Some(from), "{event:?}");
        assert_eq!(event.to_state, to, "{event:?}");
        assert_eq!(event.actor_id, Some(actor), "{event:?}");
        assert_eq!(event.actor_role, role, "{event:?}");
        // When on paper, and when entered.
        assert_eq!(event.effective_on, today(), "{event:?}");
        assert!(
            event.recorded_at > started && event.recorded_at <= Utc::now(),
            "{event:?}"
        );
    }
    // What each step carried.
    let details: Vec<&Value> = history.iter().map(|e| &e.detail).collect();
    assert_eq!(
        details,
        [
            &json!({}),
            &json!({"missing_items": MISSING, "round": 1}),
            &json!({"answers": [
                {"item": MISSING[0], "answer": ANSWERS[0]},
                {"item": MISSING[1], "answer": ANSWERS[1]},
            ]}),
            &json!({}),
            &json!({"evaluator": "陕西省环境工程评估中心"}),
            &json!({}),
        ]
    );
    assert!(history.iter().all(|e| e.reason.is_none()));
}

async fn an_approved_report_form_gives_three_notices(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let (_, approved) = approved_after_a_correction(&app, &cast).await;
    let owner = &cast.owner.token;
    let notices = app.notices(owner, approved.id).await;
    let kinds: Vec<&str> = notices.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["acceptance", "pre_decision", "decision"]);
    // Every notice counts its days from the day after posting. 报告表: 5 working days of comment
    // from acceptance; the pre-decision notice 5 working days (both on paper, six working days
    // ago); the decision notice 7 days from today's decision.
    let posted = notices[0].posted_on;
    let five = add_working_days(&app, owner, posted, 5).await;
    let (on, bureau) = (today(), &app.settings.bureau.name);
    let (after_posting, after_on) = (posted + Duration::days(1), on + Duration::days(1));
    let p = &approved.project;
    let (project, org, code) = (&p.name, &p.organization_name, &p.project_code);
    let number = approved.decision_no.as_deref().unwrap();
    assert_eq!(
        notices,
        [
            api::Notice {
                kind: "acceptance".into(),
                title: format!("关于受理《{project}环境影响报告表》的公示"),
                body: format!(
                    "{bureau}于{posted}受理了{org}报送的《{project}环境影响报告表》（项目代码：{code}，建设地点：山阳县）。\
                     根据《环境影响评价公众参与办法》等规定，现予公示，公示期为5个工作日（{after_posting}至{five}）。\
                     公众可在公示期内通过信函、传真、电子邮件等方式向{bureau}反映与该建设项目环境影响有关的意见和建议。"
                ),
                posted_on: posted,
                ends_on: five,
            },
            // The proposed decision, 5 working days, with the right to ask for a hearing.
            api::Notice {
                kind: "pre_decision".into(),
                title: format!("关于{project}环境影响评价文件拟作出审批意见的公示"),
                body: format!(
                    "{bureau}拟对{org}《{project}环境影响报告表》作出审批意见，现予公示，公示期为5个工作日（{after_posting}至{five}）。\
                     公示期间，建设单位、利害关系人可以提出意见；依据《中华人民共和国行政许可法》第四十七条，\
                     申请人、利害关系人有权要求听证，应在公示期内以书面形式提出听证申请。公示期满且听证（如有）结束前不作出审批决定。"
                ),
                posted_on: posted,
                ends_on: five,
            },
            // The decision: 7 days, with the number and the remedies.
            api::Notice {
                kind: "decision".into(),
                title: format!("关于{project}环境影响评价文件审批决定的公告"),
                body: format!(
                    "{bureau}于{on}对{org}《{project}环境影响报告表》作出批复（{number}），现予公告，公告期为7日（{after_on}至{end}）。\
                     公民、法人或者其他组织认为该审批决定侵犯其合法权益的，可以自知道该决定之日起六十日内依法申请行政复议，\
                     或者自知道该决定之日起六个月内依法向人民法院提起行政诉讼。",
                    end = on + Duration::days(7)
                ),
                posted_on: on,
                ends_on: on + Duration::days(7),
            },
        ]
    );
    // Another owner does not see them.
    let (status, body) = app
        .get(
            &format!("/api/v1/filings/{}/notices", approved.id),
            &cast.other_owner.token,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error(&body).code, "not_found");
}

async fn the_public_register_shows_todays_notices_without_sign_in(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let (_, approved) = approved_after_a_correction(&app, &cast).await;
    let on_notice = evaluated_after_a_correction(&app, &cast).await;
    let register = app.public_register().await;
    let kinds_of = |id: i64| {
        let mut kinds: Vec<&str> = register
            .iter()
            .filter(|n| n.filing_id == id)
            .map(|n| n.notice.kind.as_str())
            .collect();
        kinds.sort();
        kinds
    };
    // Accepted and evaluated today: both notices are up.
    assert_eq!(kinds_of(on_notice.id), ["acceptance", "pre_decision"]);
    // Decided today after notices posted six working days ago: those have run their period and
    // left the register; the decision notice is up.
    assert_eq!(kinds_of(approved.id), ["decision"]);
    assert!(
        register
            .iter()
            .filter(|n| n.filing_id == approved.id || n.filing_id == on_notice.id)
            .all(|n| n.county_name == "山阳县")
    );
    // Each notice says what followed it.
    let raw: Value = app
        .get_ok(
            &format!("/api/v1/filings/{}/notices", on_notice.id),
            &cast.officer.token,
        )
        .await;
    assert_eq!(
        raw[0]["followed_by"],
        json!(format!("{} 进入拟审批公示", today())),
        "{raw}"
    );
    // Everything on the register is up today.
    for n in &register {
        assert!(
            n.notice.posted_on <= today() && today() <= n.notice.ends_on,
            "{n:?}"
        );
    }
}

async fn a_decided_filing_takes_no_more_actions_and_a_new_one_may_start(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let (project, approved) = approved_after_a_correction(&app, &cast).await;
    let e = refused(
        &app,
        &cast.owner.token,
        approved.id,
        json!({"action": "withdraw", "version": approved.version}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.code, "invalid_state");
    let again = app.new_filing(&cast.owner.token, project).await;
    assert_ne!(again.id, approved.id);
    assert_eq!(again.state, "draft");
}

// ---------------------------------------------------------------------------------------------
// Decisions and refusals
// ---------------------------------------------------------------------------------------------

async fn disapproval_needs_grounds_and_a_reason(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = cast.ready_to_decide(&app).await;
    let version = app.filing(officer, id).await.version;
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "disapprove", "version": version}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let mut fields = e.field_names();
    fields.sort();
    assert_eq!(fields, ["grounds", "reason"]);
    // A ground the regulation does not know cannot be read.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "disapprove", "version": version,
        "grounds": ["no_such_ground"], "reason": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["grounds[0]"]);
    // Fields that belong to other actions are refused rather than ignored.
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "approve", "version": version, "grounds": ["defective_document"]}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["grounds"]);
    let unchanged = app.filing(officer, id).await;
    assert_eq!(
        (unchanged.state.as_str(), unchanged.version),
        ("pre_decision_notice", version)
    );
}

async fn a_disapproval_cites_its_grounds(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let officer = &cast.officer.token;
    let id = cast.ready_to_decide(&app).await;
    let reason = "污染防治措施无法确保达标排放，基础资料明显不实。";
    let view = app
        .step(
            officer,
            id,
            "disapprove",
            json!({"grounds": ["emissions_or_ecology_uncontrolled", "defective_document"],
                   "reason": reason}),
        )
        .await;
    assert_eq!(view.state, "disapproved");
    assert_eq!(
        decision_number(view.decision_no.as_deref(), today().year()),
        1
    );
    let last = app.events(officer, id).await.pop().unwrap();
    assert_eq!(last.action, "disapprove");
    assert_eq!(last.reason.as_deref(), Some(reason));
    assert_eq!(
        last.detail["citations"],
        json!([
            "《建设项目环境保护管理条例》第十一条第（三）项",
            "《建设项目环境保护管理条例》第十一条第（五）项"
        ])
    );
    let decision = app.notices(officer, id).await.pop().unwrap();
    assert_eq!(decision.kind, "decision");
    let (on, bureau) = (today(), &app.settings.bureau.name);
    let (project, org) = (&view.project.name, &view.project.organization_name);
    let number = view.decision_no.as_deref().unwrap();
    assert_eq!(
        decision.body,
        format!(
            "{bureau}于{on}对{org}《{project}环境影响报告表》依据《建设项目环境保护管理条例》第十一条第（三）项、\
             《建设项目环境保护管理条例》第十一条第（五）项，作出不予批准的决定（{number}），现予公告，公告期为7日（{next}至{end}）。\
             公民、法人或者其他组织认为该审批决定侵犯其合法权益的，可以自知道该决定之日起六十日内依法申请行政复议，\
             或者自知道该决定之日起六个月内依法向人民法院提起行政诉讼。",
            next = on + Duration::days(1),
            end = on + Duration::days(7)
        )
    );
}

/// A report-form project built before approval with its penalty unsettled, submitted.
async fn unsettled(app: &TestApp, cast: &Cast) -> (i64, i64) {
    let project = app
        .new_project(
            &cast.officer.token,
            cast.owner.org(),
            Kind::ReportForm,
            json!({"built_before_approval": true, "penalty_settled": false}),
        )
        .await;
    let id = app.new_filing(&cast.owner.token, project).await.id;
    assert_eq!(
        app.filing(&cast.officer.token, id)
            .await
            .suggested_refusal_reason,
        None,
        "nothing to refuse yet"
    );
    app.step(&cast.owner.token, id, "submit", json!({})).await;
    (project, id)
}

const UNSETTLED_REASON: &str = "该项目未批先建，依据《中华人民共和国环境影响评价法》第三十一条应予处罚，处罚尚未履行完毕，不予受理；待处罚履行完毕后可重新申报。";

async fn an_unsettled_penalty_blocks_acceptance_and_suggests_refusal(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let (_, id) = unsettled(&app, &cast).await;
    let view = app.filing(officer, id).await;
    assert_eq!(
        view.suggested_refusal_reason.as_deref(),
        Some(UNSETTLED_REASON)
    );
    assert_eq!(
        view.allowed_actions,
        ["request_correction", "refuse"],
        "acceptance is not offered"
    );
    // Offered to officers only.
    for token in [&cast.owner.token, &cast.leader.token] {
        assert_eq!(app.filing(token, id).await.suggested_refusal_reason, None);
    }
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "accept", "version": view.version}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.code, "penalty_unsettled");
    assert_eq!(
        e.message,
        format!("项目未批先建且处罚尚未履行完毕，不能受理。建议不予受理，理由：{UNSETTLED_REASON}")
    );
    assert_eq!(app.filing(officer, id).await.state, "submitted");
    assert_eq!(app.events(officer, id).await.len(), 1);
}

async fn a_refusal_needs_a_reason_and_gives_no_notices(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let (_, id) = unsettled(&app, &cast).await;
    let version = app.filing(officer, id).await.version;
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "refuse", "version": version, "reason": "  "}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["reason"]);
    // The suggested reason will do.
    let refused = app
        .step(officer, id, "refuse", json!({"reason": UNSETTLED_REASON}))
        .await;
    assert_eq!(refused.state, "refused");
    assert_eq!(refused.suggested_refusal_reason, None);
    if let Some(clock) = &refused.clock {
        assert_eq!(clock.status, "finished");
    }
    let last = app.events(&cast.owner.token, id).await.pop().unwrap();
    assert_eq!(last.reason.as_deref(), Some(UNSETTLED_REASON));
    // Refused at the door: no notices.
    assert!(app.notices(&cast.owner.token, id).await.is_empty());
}

async fn once_the_penalty_is_settled_a_new_filing_is_accepted(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let (project, id) = unsettled(&app, &cast).await;
    app.step(officer, id, "refuse", json!({"reason": UNSETTLED_REASON}))
        .await;
    let path = format!("/api/v1/projects/{project}");
    let p: api::Project = app.get_ok(&path, officer).await;
    let settled: api::Project = app
        .expect(
            StatusCode::OK,
            Method::PATCH,
            &path,
            Some(officer),
            Some(json!({"version": p.version, "penalty_settled": true})),
        )
        .await;
    assert!(settled.penalty_settled);
    let again = app.new_filing(owner, project).await.id;
    app.step(owner, again, "submit", json!({})).await;
    assert_eq!(
        app.filing(officer, again).await.suggested_refusal_reason,
        None
    );
    assert_eq!(
        app.step(officer, again, "accept", json!({})).await.state,
        "accepted"
    );
}

async fn a_registration_form_is_filed_with_a_receipt_number(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let draft = cast.draft(&app, Kind::Registration).await;
    let id = draft.id;
    assert_eq!(draft.tier, "registration_form");
    assert_eq!(draft.allowed_actions, ["withdraw", "register"]);
    assert_eq!(draft.clock().status, "not_applicable");
    // A registration form is not submitted for approval.
    let e = refused(
        &app,
        owner,
        id,
        json!({"action": "submit", "version": 1}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["action"]);

    let registered = app.step(owner, id, "register", json!({})).await;
    assert_eq!(registered.state, "registered");
    assert_eq!(registered.decision_no, None);
    let receipt = registered.receipt_no.expect("a receipt number");
    assert_eq!(receipt, format!("商环登记〔{}〕1号", today().year()));
    let history = app.events(owner, id).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].detail["receipt_no"], receipt);
}

async fn a_report_form_is_never_registered(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let draft = cast.draft(&app, Kind::ReportForm).await;
    let e = refused(
        &app,
        &cast.owner.token,
        draft.id,
        json!({"action": "register", "version": 1}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.code, "invalid");
    assert_eq!(e.field_names(), ["action"]);
    assert_eq!(app.filing(&cast.owner.token, draft.id).await.state, "draft");
}

async fn the_owner_withdraws_and_may_file_again(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let accepted = cast.filing_in(&app, Kind::Report, "accepted").await;
    let id = accepted.id;
    // Officers do not withdraw for the bureau.
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "withdraw", "version": accepted.version}),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(e.code, "forbidden");
    let withdrawn = app
        .step(
            owner,
            id,
            "withdraw",
            json!({"reason": "项目选址调整，撤回重报"}),
        )
        .await;
    assert_eq!(withdrawn.state, "withdrawn");
    assert_eq!(withdrawn.state_label, "已撤回");
    let last = app.events(owner, id).await.pop().unwrap();
    assert_eq!(last.reason.as_deref(), Some("项目选址调整，撤回重报"));
    assert_eq!(last.from_state.as_deref(), Some("accepted"));
    // A withdrawn filing is closed; a new one may start.
    let again = app.new_filing(owner, accepted.project.id).await;
    assert_ne!(again.id, id);
}

// ---------------------------------------------------------------------------------------------
// Opening a filing
// ---------------------------------------------------------------------------------------------

async fn only_projects_that_need_an_eia_take_a_filing(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    for (kind, what) in [
        (Kind::Exempt, "exempt"),
        (Kind::Unclassified, "unclassified"),
    ] {
        let project = cast.project(&app, kind).await;
        let (status, body) = app
            .request(
                Method::POST,
                &format!("/api/v1/projects/{project}/filings"),
                Some(&cast.owner.token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert_eq!(error_fields(&body), ["project_id"], "{what}");
    }
    assert_eq!(app.count(entity::filing::Entity).await, 0);
}

async fn who_may_open_a_filing(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let project = cast.project(&app, Kind::ReportForm).await;
    let path = format!("/api/v1/projects/{project}/filings");
    // Another owner cannot see the project; leadership does not file.
    let e = app
        .expect_error(
            StatusCode::NOT_FOUND,
            Method::POST,
            &path,
            Some(&cast.other_owner.token),
            None,
        )
        .await;
    assert_eq!(e.code, "not_found");
    let e = app
        .expect_error(
            StatusCode::FORBIDDEN,
            Method::POST,
            &path,
            Some(&cast.leader.token),
            None,
        )
        .await;
    assert_eq!(e.code, "forbidden");
    app.expect_error(
        StatusCode::NOT_FOUND,
        Method::POST,
        "/api/v1/projects/999999/filings",
        Some(officer),
        None,
    )
    .await;
    assert_eq!(app.count(entity::filing::Entity).await, 0);

    // An officer may open the draft for the owner; it is then the officer's to handle.
    let draft = app.new_filing(officer, project).await;
    assert_eq!(draft.officer_id, Some(cast.officer.id));
    // One open filing per project, whoever asks.
    let e = app
        .expect_error(StatusCode::CONFLICT, Method::POST, &path, Some(owner), None)
        .await;
    assert_eq!(e.code, "open_filing");
    assert_eq!(e.field_names(), ["project_id"]);
    assert_eq!(app.count(entity::filing::Entity).await, 1);
}

async fn another_owners_filing_looks_like_none_at_all(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let id = cast.draft(&app, Kind::ReportForm).await.id;
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
        assert_eq!(body, b1, "{path}");
    }
    let (status, body) = app.get("/api/v1/filings/abc", &cast.owner.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error(&body).code, "not_found");
    // Without a token nothing is readable.
    let (status, body) = app
        .request(Method::GET, &format!("/api/v1/filings/{id}"), None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&body).code, "unauthorized");
}

// ---------------------------------------------------------------------------------------------
// Steps recorded from paper
// ---------------------------------------------------------------------------------------------

async fn owners_neither_date_steps_nor_act_for_others(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let id = cast.draft(&app, Kind::ReportForm).await.id;
    // An owner cannot date a step, not even today.
    for on in [today(), today() - Duration::days(3)] {
        let e = refused(
            &app,
            owner,
            id,
            json!({"action": "submit", "version": 1, "effective_on": on}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(e.field_names(), ["effective_on"], "{on}");
    }
    // An owner cannot claim to act on someone's behalf.
    let e = refused(
        &app,
        owner,
        id,
        json!({"action": "submit", "version": 1, "on_behalf_of_owner": true}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["on_behalf_of_owner"]);
    assert!(app.events(owner, id).await.is_empty());
}

async fn officers_record_an_owners_paper_step_for_them(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = cast.draft(&app, Kind::ReportForm).await.id;
    // Not in the future.
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "submit", "version": 1, "on_behalf_of_owner": true,
               "effective_on": today() + Duration::days(1)}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["effective_on"]);
    // An officer's own action is not the owner's to take…
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "submit", "version": 1}),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(e.code, "forbidden");
    // …and an officer's action is not recorded as the owner's.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "accept", "version": 1, "on_behalf_of_owner": true}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["on_behalf_of_owner"]);
    assert!(app.events(officer, id).await.is_empty());

    let submitted = app
        .historic(officer, id, "submit", "2023-03-01", json!({}))
        .await;
    assert_eq!(submitted.state, "submitted");
    let history = app.events(officer, id).await;
    assert_eq!(history[0].effective_on, d("2023-03-01"));
    assert_eq!(history[0].actor_id, Some(cast.officer.id));
    assert_eq!(history[0].actor_role, "officer");
    assert_eq!(history[0].detail["recorded_for"], "owner");
}

async fn a_paper_date_is_not_before_the_previous_step(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = cast.draft(&app, Kind::ReportForm).await.id;
    let submitted = app
        .historic(officer, id, "submit", "2023-03-01", json!({}))
        .await;
    let e = refused(
        &app,
        officer,
        id,
        json!({"action": "accept", "version": submitted.version, "effective_on": "2023-02-28"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field_names(), ["effective_on"]);
    assert_eq!(
        e.message_for("effective_on"),
        "日期不能早于上一环节（2023-03-01）"
    );
    // The same day is fine.
    let accepted = app
        .historic(officer, id, "accept", "2023-03-01", json!({}))
        .await;
    assert_eq!(accepted.state, "accepted");
    // An undated step after a dated one is dated today.
    let view = app.step(officer, id, "start_evaluation", json!({})).await;
    assert_eq!(view.state, "technical_evaluation");
    assert_eq!(
        app.events(officer, id).await.pop().unwrap().effective_on,
        today()
    );
    // Malformed dates are not accepted.
    let (status, body) = act(
        &app,
        officer,
        id,
        json!({"action": "finish_evaluation", "version": view.version,
        "effective_on": "2023-02-30"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["effective_on"]);
    assert_eq!(app.filing(officer, id).await.version, view.version);
}

// ---------------------------------------------------------------------------------------------
// Deadlines across the 2023 holidays
// ---------------------------------------------------------------------------------------------
//
// The official 2023 schedule: 春节 off 01-21..01-27 with make-up workdays Sat 01-28 and Sun 01-29;
// 清明 off 04-05; 劳动节 off 04-29..05-03 with make-up Sun 04-23 and Sat 05-06; 端午 off
// 06-22..06-24 with make-up Sun 06-25; 中秋、国庆 off 09-29..10-06 with make-up Sat 10-07 and
// Sun 10-08. Days are counted from the day after the event; acceptance 5 working days, decision
// 30 (报告表) / 60 (报告书) working days from acceptance; technical evaluation days do not count
// (a stop covers the days after it starts up to and including the day it ends).

/// The paper history of a report form around the Spring Festival, step by step: the view after
/// each. Received Mon 01-16, a correction request Tue 01-17, resubmitted Wed 01-18, accepted Thu
/// 01-19, sent for technical evaluation Wed 02-01, back Tue 02-14.
async fn spring_festival(app: &TestApp, cast: &Cast, steps: usize) -> (i64, Vec<api::Filing>) {
    let officer = &cast.officer.token;
    let project = cast.project(app, Kind::ReportForm).await;
    let id = app.new_filing(officer, project).await.id;
    let history = [
        ("submit", "2023-01-16", json!({})),
        (
            "request_correction",
            "2023-01-17",
            json!({"missing_items": ["公众参与说明"]}),
        ),
        ("resubmit", "2023-01-18", json!({"answers": ["已补充"]})),
        ("accept", "2023-01-19", json!({})),
        ("start_evaluation", "2023-02-01", json!({})),
        ("finish_evaluation", "2023-02-14", json!({})),
    ];
    let mut views = Vec::new();
    for (action, on, extra) in history.into_iter().take(steps) {
        views.push(app.historic(officer, id, action, on, extra).await);
    }
    (id, views)
}

const CORRECTION_STOP: (&str, &str, &str) = ("correction_request", "2023-01-17", "2023-01-18");

async fn the_acceptance_clock_across_the_spring_festival(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (_, views) = spring_festival(&app, &cast, 3).await;
    // Received Mon 2023-01-16: Tue 17 (1), Wed 18 (2), Thu 19 (3), Fri 20 (4), 21..27 off,
    // Sat 28 make-up (5) → due Saturday 2023-01-28.
    let c = views[0].clock();
    assert_eq!(c.clock.as_deref(), Some("acceptance"));
    assert_eq!(c.acceptance_due, Some(d("2023-01-28")));
    assert_eq!(c.status, "running");
    assert!(c.overdue, "never decided, and 2023 is long past");

    // A correction request on Tue 01-17 ends that clock (1 day used); the resubmission will bring
    // a fresh one.
    let c = views[1].clock();
    assert_eq!(c.status, "stopped");
    assert_eq!(c.acceptance_due, None);
    assert_eq!((c.days_used, c.days_left), (1, 4));
    assert!(!c.overdue);

    // Resubmitted Wed 01-18: Thu 19 (1), Fri 20 (2), 21..27 off, Sat 28 (3), Sun 29 (4),
    // Mon 30 (5) → 2023-01-30.
    let c = views[2].clock();
    assert_eq!(c.acceptance_due, Some(d("2023-01-30")));
    let (reason, from, to) = CORRECTION_STOP;
    assert_eq!(c.stopped, [Stop::new(reason, from, to)]);
}

async fn the_decision_clock_across_the_spring_festival_with_an_evaluation(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (_, views) = spring_festival(&app, &cast, 6).await;
    // Accepted Thu 01-19 (on time; the acceptance due date stays to show it). 30 working days:
    // Fri 20 (1), 21..27 off, Sat 28 (2), Sun 29 (3), Jan 30..Feb 3 (4-8), Feb 6-10 (9-13),
    // 13-17 (14-18), 20-24 (19-23), Feb 27..Mar 3 (24-28), Mon Mar 6 (29), Tue Mar 7 (30)
    // → 2023-03-07.
    let c = views[3].clock();
    assert_eq!(c.clock.as_deref(), Some("decision"));
    assert_eq!(c.unit.as_deref(), Some("working_days"));
    assert_eq!(c.acceptance_due, Some(d("2023-01-30")));
    assert_eq!(c.decision_due, Some(d("2023-03-07")));
    assert_eq!(c.status, "running");
    assert!(c.overdue);

    // Sent for technical evaluation Wed 02-01: the clock stops with 6 days used (Jan 20, 28, 29,
    // 30, 31, Feb 1); while the evaluation runs the due date is unknown.
    let c = views[4].clock();
    assert_eq!(c.status, "stopped");
    assert_eq!(c.decision_due, None);
    assert_eq!((c.days_used, c.days_left), (6, 24));
    assert!(!c.overdue);

    // Back Tue 02-14: Feb 2, 3, 6-10, 13, 14 do not count (9 working days), so the due date moves
    // 9 working days past Mar 7: Mar 8 (1), 9 (2), 10 (3), 13-17 (4-8), Mon Mar 20 (9)
    // → 2023-03-20. Left on the pre-decision notice, undecided: overdue.
    let view = &views[5];
    let c = view.clock();
    assert_eq!(view.state, "pre_decision_notice");
    assert_eq!(c.decision_due, Some(d("2023-03-20")));
    assert_eq!(c.status, "running");
    assert!(c.overdue);
    let (reason, from, to) = CORRECTION_STOP;
    assert_eq!(
        c.stopped,
        [
            Stop::new(reason, from, to),
            Stop::new("technical_evaluation", "2023-02-01", "2023-02-14"),
        ]
    );
}

async fn notices_of_the_spring_festival_filing_are_long_past(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let (id, _) = spring_festival(&app, &cast, 6).await;
    let notices = app.notices(officer, id).await;
    assert_eq!(notices.len(), 2);
    // 报告表 acceptance notice from Thu 01-19, 5 working days: Jan 20, 28, 29, 30, 31.
    assert_eq!(
        (
            notices[0].kind.as_str(),
            notices[0].posted_on,
            notices[0].ends_on
        ),
        ("acceptance", d("2023-01-19"), d("2023-01-31"))
    );
    // The pre-decision notice went up Tue 02-14 for 5 working days: Feb 15, 16, 17, 20, 21.
    assert_eq!(
        (
            notices[1].kind.as_str(),
            notices[1].posted_on,
            notices[1].ends_on
        ),
        ("pre_decision", d("2023-02-14"), d("2023-02-21"))
    );
    // Long past: not on today's public register.
    assert!(
        app.public_register()
            .await
            .iter()
            .all(|n| n.filing_id != id)
    );
    // The work queue lists it as overdue.
    assert!(ids(&queue(&app, officer, "due=overdue").await).contains(&id));
}

/// A report filing across National Day 2023: received Mon 09-25, accepted Thu 09-28, an expert
/// review Mon 10-09 .. Fri 10-13, technical evaluation Mon 10-16 .. Fri 10-20, approved Thu
/// 11-30; the views after acceptance, the review, the evaluation and the approval.
async fn national_day(app: &TestApp, cast: &Cast) -> (i64, Vec<api::Filing>) {
    let officer = &cast.officer.token;
    let project = cast.project(app, Kind::Report).await;
    let id = app.new_filing(officer, project).await.id;
    let submitted = app
        .historic(officer, id, "submit", "2023-09-25", json!({}))
        .await;
    let accepted = app
        .historic(officer, id, "accept", "2023-09-28", json!({}))
        .await;
    let reviewed: api::Filing = app
        .expect(
            StatusCode::OK,
            Method::POST,
            &format!("/api/v1/filings/{id}/clock-stops"),
            Some(officer),
            Some(json!({"reason": "expert_review", "from": "2023-10-09", "to": "2023-10-13", "note": "专家评审会"})),
        )
        .await;
    app.historic(officer, id, "start_evaluation", "2023-10-16", json!({}))
        .await;
    let evaluated = app
        .historic(officer, id, "finish_evaluation", "2023-10-20", json!({}))
        .await;
    let approved = app
        .historic(officer, id, "approve", "2023-11-30", json!({}))
        .await;
    (id, vec![submitted, accepted, reviewed, evaluated, approved])
}

async fn the_decision_clock_across_national_day_with_stops(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (_, views) = national_day(&app, &cast).await;
    // Received Mon 2023-09-25: Tue 26 (1), Wed 27 (2), Thu 28 (3), 09-29..10-06 off,
    // Sat 10-07 make-up (4), Sun 10-08 make-up (5) → due Sunday 2023-10-08.
    assert_eq!(views[0].clock().acceptance_due, Some(d("2023-10-08")));
    // Accepted Thu 09-28. 报告书, 60 working days: Oct 7, 8 (2), Oct 9-13 (7), 16-20 (12),
    // 23-27 (17), 30, 31 (19), Nov 1-3 (22), 6-10 (27), 13-17 (32), 20-24 (37), 27-30 (41),
    // Dec 1 (42), 4-8 (47), 11-15 (52), 18-22 (57), 25 (58), 26 (59), Wed 27 (60) → 2023-12-27.
    let c = views[1].clock();
    assert_eq!(c.acceptance_due, Some(d("2023-10-08")));
    assert_eq!(c.decision_due, Some(d("2023-12-27")));
    // The expert review, dated by the officer, covers both its ends: Oct 9-13 do not count (5
    // working days), so Dec 27 + 5: Thu 28 (1), Fri 29 (2), Dec 30, 31 weekend, 2024-01-01 元旦,
    // Tue Jan 2 (3), Wed Jan 3 (4), Thu Jan 4 (5) → 2024-01-04.
    assert_eq!(views[2].clock().decision_due, Some(d("2024-01-04")));
    // Technical evaluation, opened by its action: the day after Mon 10-16 to Fri 10-20, Oct 17-20
    // (4 more), so Jan 4 + 4: Fri 5 (1), Mon 8 (2), Tue 9 (3), Wed 10 (4) → 2024-01-10.
    assert_eq!(views[3].clock().decision_due, Some(d("2024-01-10")));
    // Approved Thu 11-30, in time. Days used: Oct 7, 8 (2), [9-13 stopped], 16 (3),
    // [17-20 stopped], 23-27 (8), 30, 31 (10), Nov 1-3 (13), 6-10 (18), 13-17 (23), 20-24 (28),
    // 27-30 (32).
    let approved = &views[4];
    assert_eq!(approved.state, "approved");
    assert_eq!(
        approved.clock(),
        &api::Clock {
            status: "finished".into(),
            clock: Some("decision".into()),
            unit: Some("working_days".into()),
            acceptance_due: Some(d("2023-10-08")),
            decision_due: Some(d("2024-01-10")),
            stopped: vec![
                Stop::new("expert_review", "2023-10-09", "2023-10-13"),
                Stop::new("technical_evaluation", "2023-10-16", "2023-10-20"),
            ],
            days_used: 32,
            days_left: 28,
            overdue: false,
            estimated: false,
            estimate_note: None,
        }
    );
    // The decision number is of the year on the decision, not of the year it was entered.
    assert_eq!(decision_number(approved.decision_no.as_deref(), 2023), 1);
}

async fn the_notices_across_national_day(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (id, _) = national_day(&app, &cast).await;
    let notices = app.notices(&cast.officer.token, id).await;
    let windows: Vec<(&str, NaiveDate, NaiveDate)> = notices
        .iter()
        .map(|n| (n.kind.as_str(), n.posted_on, n.ends_on))
        .collect();
    assert_eq!(
        windows,
        [
            // 报告书 acceptance notice from Thu 09-28, 10 working days: Oct 7, 8, 9-13, 16, 17, 18.
            ("acceptance", d("2023-09-28"), d("2023-10-18")),
            // Pre-decision notice from Fri 10-20, 5 working days: Oct 23-27.
            ("pre_decision", d("2023-10-20"), d("2023-10-27")),
            // Decision notice posted Nov 30: 7 days from the day after, Dec 1 .. Dec 7.
            ("decision", d("2023-11-30"), d("2023-12-07")),
        ]
    );
}

async fn a_decided_filing_takes_no_clock_stop(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (id, _) = national_day(&app, &cast).await;
    // Stops are for the decision clock while it runs.
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            &format!("/api/v1/filings/{id}/clock-stops"),
            Some(&cast.officer.token),
            Some(json!({"reason": "hearing", "from": "2023-11-01"})),
        )
        .await;
    assert_eq!(
        e.code, "invalid_state",
        "a decided filing has no running clock"
    );
    assert_eq!(
        app.filing(&cast.officer.token, id)
            .await
            .clock()
            .stopped
            .len(),
        2
    );
}

async fn acceptance_deadlines_across_the_spring_and_summer_holidays(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let project = cast.project(&app, Kind::ReportForm).await;
    let id = app.new_filing(officer, project).await.id;
    let correction = json!({"missing_items": ["监测报告"]});
    let answer = json!({"answers": ["已补充监测报告"]});

    // Mon 04-03: Tue 04 (1), Wed 05 清明 off, Thu 06 (2), Fri 07 (3), Mon 10 (4), Tue 11 (5).
    let v = app
        .historic(officer, id, "submit", "2023-04-03", json!({}))
        .await;
    assert_eq!(v.clock().acceptance_due, Some(d("2023-04-11")));
    app.historic(
        officer,
        id,
        "request_correction",
        "2023-04-04",
        correction.clone(),
    )
    .await;
    // Wed 04-19: Thu 20 (1), Fri 21 (2), Sun 23 make-up (3), Mon 24 (4), Tue 25 (5).
    let v = app
        .historic(officer, id, "resubmit", "2023-04-19", answer.clone())
        .await;
    assert_eq!(v.clock().acceptance_due, Some(d("2023-04-25")));
    app.historic(
        officer,
        id,
        "request_correction",
        "2023-04-20",
        json!({"missing_items": ["监测报告"], "basis": ["unresolved"]}),
    )
    .await;
    // Wed 04-26: Thu 27 (1), Fri 28 (2), 04-29..05-03 off, Thu 05-04 (3), Fri 05 (4),
    // Sat 06 make-up (5) → 2023-05-06.
    let v = app
        .historic(officer, id, "resubmit", "2023-04-26", answer.clone())
        .await;
    assert_eq!(v.clock().acceptance_due, Some(d("2023-05-06")));
    app.historic(
        officer,
        id,
        "request_correction",
        "2023-04-27",
        json!({"missing_items": ["监测报告"], "basis": ["unresolved"]}),
    )
    .await;
    // Tue 06-20: Wed 21 (1), 06-22..24 off, Sun 25 make-up (2), Mon 26 (3), Tue 27 (4),
    // Wed 28 (5) → 2023-06-28.
    let v = app
        .historic(officer, id, "resubmit", "2023-06-20", answer.clone())
        .await;
    let c = v.clock();
    assert_eq!(c.acceptance_due, Some(d("2023-06-28")));
    assert_eq!(c.status, "running");
    assert!(c.overdue);
    // Refused on the last day: on time, all 5 days used.
    let v = app
        .historic(
            officer,
            id,
            "refuse",
            "2023-06-28",
            json!({"reason": "不符合受理条件"}),
        )
        .await;
    let c = v.clock();
    assert_eq!(c.status, "finished");
    assert_eq!((c.days_used, c.days_left), (5, 0));
    assert!(!c.overdue);
}

// ---------------------------------------------------------------------------------------------
// At once
// ---------------------------------------------------------------------------------------------

async fn two_officers_approving_at_once_use_one_number(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    common::hold_years_through_next(&app).await;
    let year = today().year();
    for round in 0..3 {
        let id = cast.ready_to_decide(&app).await;
        let version = app.filing(&cast.officer.token, id).await.version;
        let before = last_decision_number(&app, year).await.unwrap_or(0);
        let before_events = app.events(&cast.officer.token, id).await.len();
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
        let code = error(&lost.1).code;
        assert!(
            code == "stale_version" || code == "invalid_state",
            "{}",
            lost.1
        );
        let won: api::Filing = decode(&won.1);
        let number = decision_number(won.decision_no.as_deref(), year);
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
        let after = app.events(&cast.officer.token, id).await;
        assert_eq!(
            after.len(),
            before_events + 1,
            "exactly one approval recorded"
        );
        assert_eq!(
            after.last().unwrap().detail["decision_no"],
            json!(won.decision_no)
        );
        let view = app.filing(&cast.officer.token, id).await;
        assert_eq!(view.decision_no, won.decision_no);
        assert_eq!(view.version, version + 1);
    }
    // The next approval gets the next number: none was lost to the losing requests.
    let id = cast.ready_to_decide(&app).await;
    let before = last_decision_number(&app, year).await.unwrap();
    let view = app
        .step(&cast.officer2.token, id, "approve", json!({}))
        .await;
    assert_eq!(
        decision_number(view.decision_no.as_deref(), year),
        before + 1
    );
}

/// The first decisions of a year, taken at once on two filings, both get a number: the second
/// waits for the year's new sequence row rather than failing on it.
async fn the_first_decisions_of_a_year_at_once_both_get_numbers(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    for year in [2019, 2020, 2021, 2024, 2025] {
        assert_eq!(last_decision_number(&app, year).await, None, "{year}");
        let on = format!("{year}-06-01");
        let a = cast.ready_to_decide_on(&app, &on).await;
        let b = cast.ready_to_decide_on(&app, &on).await;
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
            decision_number(decode::<api::Filing>(&ra.1).decision_no.as_deref(), year),
            decision_number(decode::<api::Filing>(&rb.1).decision_no.as_deref(), year),
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
        let project = cast.project(&app, Kind::ReportForm).await;
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
        assert_eq!(error(lost).code, "open_filing");
        let list = queue(&app, &cast.officer.token, &format!("project_id={project}")).await;
        assert_eq!(list.len(), 1, "round {round}: {list:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The work queue
// ---------------------------------------------------------------------------------------------

/// Three report-form filings of the owner: accepted in 2023 and never decided (overdue),
/// received two working days ago (3 of the 5 acceptance days left: due soon), received today.
struct Queue {
    late: i64,
    soon: i64,
    fresh: i64,
    fresh_project: i64,
}

async fn a_queue(app: &TestApp, cast: &Cast) -> Queue {
    common::hold_years_through_next(app).await;
    let officer = &cast.officer.token;
    let p = cast.project(app, Kind::ReportForm).await;
    let late = app.new_filing(officer, p).await.id;
    app.historic(officer, late, "submit", "2023-03-01", json!({}))
        .await;
    app.historic(officer, late, "accept", "2023-03-02", json!({}))
        .await;

    let mut received = today();
    let mut counted = 0;
    while counted < 2 {
        if common::working_day(app, officer, received).await {
            counted += 1;
        }
        received -= Duration::days(1);
    }
    let soon = cast.draft(app, Kind::ReportForm).await.id;
    let v = app
        .historic(officer, soon, "submit", &received.to_string(), json!({}))
        .await;
    assert_eq!(v.clock().days_left, 3, "{v:?}");
    assert!(!v.clock().overdue);

    let fresh = cast.draft(app, Kind::ReportForm).await;
    app.step(&cast.owner.token, fresh.id, "submit", json!({}))
        .await;
    Queue {
        late,
        soon,
        fresh: fresh.id,
        fresh_project: fresh.project.id,
    }
}

async fn the_queue_shows_what_is_overdue_and_what_is_due_soon(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let q = a_queue(&app, &cast).await;
    let officer = &cast.officer.token;
    let overdue = queue(&app, officer, "due=overdue").await;
    assert_eq!(ids(&overdue), [q.late]);
    for f in &overdue {
        assert!(f.clock().overdue, "{f:?}");
        assert!(
            ["running", "stopped"].contains(&f.clock().status.as_str()),
            "{f:?}"
        );
    }
    let lefts: Vec<i64> = overdue.iter().map(|f| f.clock().days_left).collect();
    assert!(
        lefts.windows(2).all(|w| w[0] <= w[1]),
        "most urgent first: {lefts:?}"
    );
    let due_soon = queue(&app, officer, "due=soon").await;
    assert_eq!(ids(&due_soon), [q.soon]);
    for f in &due_soon {
        assert!(!f.clock().overdue, "{f:?}");
        assert!(f.clock().days_left <= 3, "{f:?}");
    }
    let mut all = ids(&queue(&app, officer, "").await);
    all.sort();
    assert_eq!(all, [q.late, q.soon, q.fresh]);
}

async fn filters_narrow_the_queue(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let q = a_queue(&app, &cast).await;
    let officer = &cast.officer.token;
    let listed = |query: String| {
        let app = &app;
        async move {
            let mut found = ids(&queue(app, officer, &query).await);
            found.sort();
            found
        }
    };
    assert_eq!(listed("due=overdue&county=611024".into()).await, [q.late]);
    assert!(listed("due=overdue&county=611002".into()).await.is_empty());
    assert_eq!(
        listed("due=overdue&tier=report_form".into()).await,
        [q.late]
    );
    assert!(listed("due=overdue&tier=report".into()).await.is_empty());
    // The officer who accepted it is responsible for it.
    assert_eq!(
        listed(format!("due=overdue&officer_id={}", cast.officer.id)).await,
        [q.late]
    );
    assert!(
        listed(format!("due=overdue&officer_id={}", cast.officer2.id))
            .await
            .is_empty()
    );
    assert_eq!(listed("state=accepted".into()).await, [q.late]);
    assert_eq!(listed("state=submitted".into()).await, [q.soon, q.fresh]);
    assert_eq!(
        listed(format!("project_id={}", q.fresh_project)).await,
        [q.fresh]
    );
    let all = queue(&app, officer, "county=611024&tier=report_form").await;
    let mut found = ids(&all);
    found.sort();
    assert_eq!(found, [q.late, q.soon, q.fresh]);
    for f in &all {
        assert_eq!(f.project.county_code, "611024");
        assert_eq!(f.tier, "report_form");
    }
}

async fn owners_see_their_own_organisations_filings_and_leaders_all(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let q = a_queue(&app, &cast).await;
    // Another owner's filing, which the first owner must not see.
    let theirs_project = app
        .new_project(
            &cast.officer.token,
            cast.other_owner.org(),
            Kind::ReportForm,
            json!({}),
        )
        .await;
    let theirs = app
        .new_filing(&cast.other_owner.token, theirs_project)
        .await
        .id;
    let mine = queue(&app, &cast.owner.token, "").await;
    let mut found = ids(&mine);
    found.sort();
    assert_eq!(found, [q.late, q.soon, q.fresh]);
    assert!(
        mine.iter()
            .all(|f| f.project.organization_id == cast.owner.org())
    );
    assert_eq!(
        ids(&queue(&app, &cast.other_owner.token, "").await),
        [theirs]
    );
    assert!(
        queue(&app, &cast.other_owner.token, "due=overdue")
            .await
            .is_empty()
    );
    // Leadership reads the whole queue.
    assert_eq!(
        ids(&queue(&app, &cast.leader.token, "due=overdue").await),
        [q.late]
    );
    assert_eq!(queue(&app, &cast.leader.token, "").await.len(), 4);
}

async fn bad_queue_filters_are_named(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    for (q, field) in [
        ("due=late", "due"),
        ("tier=huge", "tier"),
        ("county=999999", "county"),
        ("state=lost", "state"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/filings?{q}"), officer).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {body}");
        assert_eq!(error(&body).code, "invalid", "{q}");
        assert_eq!(error_fields(&body), [field], "{q}");
    }
    // A value of the wrong type, or an unknown filter, cannot be read at all (as for projects).
    for (q, field) in [("officer_id=abc", "officer_id"), ("colour=red", "colour")] {
        let (status, body) = app.get(&format!("/api/v1/filings?{q}"), officer).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert_eq!(error(&body).code, "malformed", "{q}");
        assert_eq!(error_fields(&body), [field], "{q}");
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

fn leftovers(app: &TestApp) -> usize {
    std::fs::read_dir(common::data_path(app, "documents/incoming"))
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn a_document_is_stored_and_served_with_its_hash(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let id = cast.draft(&app, Kind::Report).await.id;
    let pdf = a_pdf();
    let (status, doc) = upload(&app, owner, id, "商南县某公路环境影响报告书.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    let doc: api::Document = decode(&doc);
    assert_eq!(doc.filing_id, id);
    assert_eq!(doc.size, pdf.len() as u64);
    assert_eq!(doc.sha256, sha256_hex(&pdf));
    assert_eq!(doc.content_type, "application/pdf");
    assert_eq!(doc.uploaded_by, Some(cast.owner.id));
    assert_eq!(doc.file_name, "商南县某公路环境影响报告书.pdf");

    // The bytes come back as they went in, with their hash.
    let reply = download(&app, owner, doc.id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.bytes, pdf);
    assert_eq!(
        reply.header("x-content-sha256"),
        Some(sha256_hex(&pdf).as_str())
    );
    assert_eq!(reply.header("content-type"), Some("application/pdf"));
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename*=UTF-8''"),
        "{:?}",
        reply.header("content-disposition")
    );
    let reply = download(&app, officer, doc.id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(sha256_hex(&reply.bytes), sha256_hex(&pdf));
    let listed: Vec<api::Document> = app
        .get_ok(&format!("/api/v1/filings/{id}/documents"), owner)
        .await;
    assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<_>>(), [doc.id]);
}

async fn other_owners_and_leaders_neither_read_nor_add_documents(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let id = cast.draft(&app, Kind::Report).await.id;
    let pdf = a_pdf();
    let (_, doc) = upload(&app, owner, id, "报告书.pdf", &pdf).await;
    let doc: api::Document = decode(&doc);
    // Another owner: as if it did not exist.
    let reply = download(&app, &cast.other_owner.token, doc.id).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let missing = download(&app, owner, 99_999_999).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.json_value(),
        missing.json_value(),
        "no hint that it exists"
    );
    assert_eq!(error(&reply.json_value()).code, "not_found");
    // Another owner cannot add to it; leadership uploads nothing.
    let (status, body) = upload(&app, &cast.other_owner.token, id, "x.pdf", &pdf).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error(&body).code, "not_found");
    let (status, body) = upload(&app, &cast.leader.token, id, "x.pdf", &pdf).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    assert_eq!(app.count(entity::document::Entity).await, 1);
    assert_eq!(leftovers(&app), 0, "refused uploads leave nothing behind");
}

async fn uploads_are_checked_by_type_and_size(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let id = cast.draft(&app, Kind::Report).await.id;
    // An image is fine.
    let (status, body) = upload(
        &app,
        owner,
        id,
        "附图.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(decode::<api::Document>(&body).content_type, "image/png");

    // Wrong extension; content that is not what the extension says; empty.
    for (name, bytes, why) in [
        ("setup.exe", &b"MZ\x90\0"[..], "an extension not taken"),
        (
            "报告书.pdf",
            &b"\x89PNG\r\n\x1a\nnot a pdf"[..],
            "a PNG named .pdf",
        ),
        (
            "报告书.docx",
            &b"%PDF-1.4 a pdf in disguise"[..],
            "a PDF named .docx",
        ),
        ("空.pdf", &b""[..], "empty"),
    ] {
        let (status, body) = upload(&app, owner, id, name, bytes).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {body}");
        assert_eq!(error_fields(&body), ["file"], "{why}");
    }
    // Too large, and far over (refused while reading the body).
    let limit = app.settings.filings.max_upload_bytes;
    assert_eq!(limit, 1024 * 1024, "the tests set 1 MiB");
    let mut big = b"%PDF-1.7\n".to_vec();
    for size in [limit + 1, 3 * limit] {
        big.resize(size, b'0');
        let (status, body) = upload(&app, owner, id, "大.pdf", &big).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{size}: {body}");
        assert_eq!(error(&body).code, "too_large", "{size}");
    }
    // Exactly the limit is fine.
    big.truncate(limit);
    let (status, body) = upload(&app, owner, id, "刚好.pdf", &big).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(decode::<api::Document>(&body).size, limit as u64);
    assert_eq!(app.count(entity::document::Entity).await, 2);
    assert_eq!(leftovers(&app), 0, "refused uploads leave nothing behind");
}

async fn an_upload_that_cannot_be_read_is_a_400(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let id = cast.draft(&app, Kind::Report).await.id;
    let path = format!("/api/v1/filings/{id}/documents");
    // Not multipart at all, or multipart that cannot be read: a 400 in the API's error shape.
    for (body, content_type) in [
        ("{}", "application/json"),
        ("garbage", "multipart/form-data; boundary=xyz"),
    ] {
        let (status, answer) = app
            .raw(Method::POST, &path, Some(owner), Some(body), content_type)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type}: {answer}");
        assert_eq!(error(&answer).code, "malformed", "{content_type}");
    }
    // No field named file.
    let reply = upload_parts(&app, owner, id, &[("attachment", "a.pdf", b"%PDF-1.7")]).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        json_of(&reply.bytes)
    );
    assert_eq!(error_fields(&reply.json_value()), ["file"]);
    assert_eq!(app.count(entity::document::Entity).await, 0);
}

async fn materials_are_fixed_once_submitted_until_a_correction_is_asked(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let owner = &cast.owner.token;
    let id = cast.draft(&app, Kind::Report).await.id;
    let pdf = a_pdf();
    app.step(owner, id, "submit", json!({})).await;
    let (status, body) = upload(&app, owner, id, "补充.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "invalid_state");
    app.step(
        &cast.officer.token,
        id,
        "request_correction",
        json!({"missing_items": ["补充监测报告"]}),
    )
    .await;
    let (status, body) = upload(&app, owner, id, "补充监测报告.pdf", &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The four required materials the submission carried, and the one correction.
    assert_eq!(app.count(entity::document::Entity).await, 5);
}

// ---------------------------------------------------------------------------------------------
// Next year's calendar
// ---------------------------------------------------------------------------------------------

async fn next_years_calendar_recomputes_open_deadlines(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    // Accepted on paper on Friday 2026-11-20: its 60 working days reach into 2027. Whatever year
    // this runs in, every year after 2027 up to next year is loaded first, so 2027 alone is
    // missing and the due date is estimated, counting its weekends only.
    for year in 2028..=today().year() + 1 {
        common::load_plain_year(&app, year).await;
    }
    let project = cast.project(&app, Kind::Report).await;
    let id = app.new_filing(officer, project).await.id;
    app.historic(officer, id, "submit", "2026-11-19", json!({}))
        .await;
    let accepted = app
        .historic(officer, id, "accept", "2026-11-20", json!({}))
        .await;

    // The clock runs and gives a date, marked as estimated with the reason: 29 working days in
    // 2026, then 2027's weekdays as working days (New Year's Day, a Friday, unknown yet): 21 in
    // January make 50, February 1–5 and 8–12 make 60.
    let c = accepted.clock();
    assert_eq!(c.decision_due, Some(d("2027-02-12")), "{accepted:?}");
    assert!(c.estimated);
    assert!(
        c.estimate_note
            .as_deref()
            .is_some_and(|n| n.contains("2027年节假日安排尚未导入")),
        "{c:?}"
    );
    assert_eq!(accepted.clock_error, None);
    // The notices that the calendar can reach are still given.
    let (status, notices) = app
        .get(&format!("/api/v1/filings/{id}/notices"), officer)
        .await;
    assert_eq!(status, StatusCode::OK, "{notices}");

    // An upload holding another year's dates, or none, is refused, in Chinese.
    let admin = &cast.admin.token;
    let mut last_years: Value =
        serde_json::from_str(include_str!("../resources/holidays-cn/2026.json")).unwrap();
    last_years["year"] = json!(2027);
    for (bad, says) in [
        (last_years, "没有2027年的日期"),
        (json!({"year": 2027, "papers": [], "days": []}), "不能为空"),
    ] {
        let e = app
            .expect_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                Method::PUT,
                "/api/v1/calendar/years/2027",
                Some(admin),
                Some(bad),
            )
            .await;
        assert!(e.fields[0].message.contains(says), "{e:?}");
    }

    let schedule = json!({"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]});
    // Before it is applied, the upload shows which open deadlines it moves.
    let (status, preview) = app
        .request(
            Method::PUT,
            "/api/v1/calendar/years/2027?dry_run=true",
            Some(admin),
            Some(schedule.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let moved: Vec<&Value> = preview["moved"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["filing_id"] == json!(id))
        .collect();
    assert_eq!(moved.len(), 1, "{preview}");
    assert_eq!(moved[0]["due_before"], json!("2027-02-12"));
    assert_eq!(moved[0]["due_after"], json!("2027-02-15"));
    assert_eq!(moved[0]["estimated_before"], json!(true));
    assert_eq!(moved[0]["estimated_after"], json!(false));
    assert!(
        app.filing(officer, id).await.clock().estimated,
        "a dry run stores nothing"
    );
    let e = app
        .expect_error(
            StatusCode::FORBIDDEN,
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(officer),
            Some(schedule.clone()),
        )
        .await;
    assert_eq!(e.code, "forbidden");
    app.expect::<api::Schedule>(
        StatusCode::OK,
        Method::PUT,
        "/api/v1/calendar/years/2027",
        Some(&cast.admin.token),
        Some(schedule),
    )
    .await;

    // Counted by hand from 2026-11-20: the rest of November has 6 working days (23–27, 30),
    // December 23, so 29 in 2026; January 2027 has 20 (21 weekdays less New Year's Day, a
    // Friday), 49 in all; February's first 11 weekdays (1–5, 8–12, 15) make 60.
    let view = app.filing(officer, id).await;
    assert_eq!(view.clock_error, None, "{view:?}");
    let c = view.clock();
    assert_eq!(c.decision_due, Some(d("2027-02-15")));
    assert!(!c.estimated);
    assert_eq!(
        add_working_days(&app, officer, d("2026-11-20"), 60).await,
        d("2027-02-15")
    );
}

/// While the calendar lacks a year a notice period reaches (here: the current year's schedule
/// removed, as in late December before next year's is loaded), the filing's other notices are
/// still given, and the clock says why it cannot be computed; loading the year brings it all back.
async fn notices_wait_for_a_missing_years_calendar(app: TestApp) {
    use sea_orm::ModelTrait;
    let cast = Cast::sign_in(&app).await;
    let id = cast.ready_to_decide(&app).await;
    let approved = app
        .step(&cast.officer.token, id, "approve", json!({}))
        .await;
    let year = today().year();
    let schedule = entity::holiday_schedule::Entity::find()
        .filter(entity::holiday_schedule::Column::Year.eq(year))
        .one(&app.db)
        .await
        .unwrap()
        .expect("this year's schedule");
    let source: Value = serde_json::from_str(&schedule.source).unwrap();
    schedule.delete(&app.db).await.unwrap();

    // Every notice is still given; the periods counted in working days are estimates now.
    let notices = app.notices(&cast.owner.token, id).await;
    let kinds: Vec<&str> = notices.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["acceptance", "pre_decision", "decision"]);
    let raw: Value = app
        .get_ok(&format!("/api/v1/filings/{id}/notices"), &cast.owner.token)
        .await;
    assert_eq!(raw[0]["estimated"], json!(true), "{raw}");
    assert_eq!(
        raw[2]["estimated"],
        json!(false),
        "seven days need no calendar"
    );
    assert!(
        notices[2]
            .body
            .contains(approved.decision_no.as_deref().unwrap())
    );
    let register = app.public_register().await;
    let ours: Vec<&api::PublicNotice> = register.iter().filter(|n| n.filing_id == id).collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(ours[0].notice.kind, "decision");
    // The finished clock still shows, its due date an estimate.
    let view = app.filing(&cast.owner.token, id).await;
    let c = view.clock();
    assert_eq!(c.status, "finished", "{view:?}");
    assert!(c.decision_due.is_some());
    assert!(c.estimated);

    app.expect::<api::Schedule>(
        StatusCode::OK,
        Method::PUT,
        &format!("/api/v1/calendar/years/{year}"),
        Some(&cast.admin.token),
        Some(source),
    )
    .await;
    assert_eq!(app.notices(&cast.owner.token, id).await.len(), 3);
    // The clock is back too, unless its due date lies in next year, which is not loaded (a
    // 30-working-day limit from a December acceptance).
    let view = app.filing(&cast.owner.token, id).await;
    assert!(
        view.clock.is_some()
            || view
                .clock_error
                .as_deref()
                .unwrap_or_default()
                .contains(&format!("{}-", year + 1)),
        "{view:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Numbers of paper decisions
// ---------------------------------------------------------------------------------------------

/// A decision made on paper keeps its number; the year's sequence moves past it.
async fn a_paper_decision_keeps_its_number_and_the_next_comes_after_it(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let first = cast.ready_to_decide_on(&app, "2024-03-01").await;
    let approved = app
        .historic(
            officer,
            first,
            "approve",
            "2024-03-01",
            json!({"number": "商环批复〔2024〕40号"}),
        )
        .await;
    assert_eq!(
        approved.decision_no.as_deref(),
        Some("商环批复〔2024〕40号")
    );
    assert_eq!(last_decision_number(&app, 2024).await, Some(40));
    let second = cast.ready_to_decide_on(&app, "2024-03-04").await;
    let next = app
        .historic(officer, second, "approve", "2024-03-04", json!({}))
        .await;
    assert_eq!(
        next.decision_no.as_deref(),
        Some("商环批复〔2024〕41号"),
        "issued after the paper one"
    );
}

/// The same paper number cannot be recorded twice, and only paper decisions carry one.
async fn a_paper_number_is_not_taken_twice_nor_given_where_it_does_not_belong(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let first = cast.ready_to_decide_on(&app, "2024-03-01").await;
    app.historic(
        officer,
        first,
        "approve",
        "2024-03-01",
        json!({"number": "商环批复〔2024〕40号"}),
    )
    .await;
    let third = cast.ready_to_decide_on(&app, "2024-03-05").await;
    let version = app.filing(officer, third).await.version;
    let e = refused(
        &app,
        officer,
        third,
        json!({"action": "approve", "version": version, "effective_on": "2024-03-05",
               "number": "商环批复〔2024〕40号"}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.code, "duplicate");
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
        } else {
            assert_eq!(error(&response).code, "invalid_state", "{why}");
        }
    }
    let view = app.filing(officer, third).await;
    assert_eq!(
        (view.state.as_str(), view.version),
        ("pre_decision_notice", version)
    );
    assert_eq!(last_decision_number(&app, 2024).await, Some(40));
}

/// The demo ledger's decisions keep the numbers of the paper file.
async fn the_demo_ledger_keeps_its_paper_numbers(app: TestApp) {
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
    assert!(expected.is_some());
    assert_eq!(disapproved.decision_no, expected);
}

on_both_backends!(empty;
    a_draft_takes_the_projects_tier,
    submitting_starts_the_acceptance_clock,
    leaders_never_act_owners_never_accept_others_see_nothing,
    an_action_the_state_does_not_allow_is_a_409_naming_the_state,
    a_stale_version_is_a_409_whatever_else_the_request_says,
    a_correction_request_lists_every_missing_item_at_once,
    a_resubmission_answers_every_item,
    from_acceptance_through_evaluation_to_approval,
    the_history_says_who_did_what_and_when,
    an_approved_report_form_gives_three_notices,
    the_public_register_shows_todays_notices_without_sign_in,
    a_decided_filing_takes_no_more_actions_and_a_new_one_may_start,
    disapproval_needs_grounds_and_a_reason,
    a_disapproval_cites_its_grounds,
    an_unsettled_penalty_blocks_acceptance_and_suggests_refusal,
    a_refusal_needs_a_reason_and_gives_no_notices,
    once_the_penalty_is_settled_a_new_filing_is_accepted,
    a_registration_form_is_filed_with_a_receipt_number,
    a_report_form_is_never_registered,
    the_owner_withdraws_and_may_file_again,
    only_projects_that_need_an_eia_take_a_filing,
    who_may_open_a_filing,
    another_owners_filing_looks_like_none_at_all,
    owners_neither_date_steps_nor_act_for_others,
    officers_record_an_owners_paper_step_for_them,
    a_paper_date_is_not_before_the_previous_step,
    the_acceptance_clock_across_the_spring_festival,
    the_decision_clock_across_the_spring_festival_with_an_evaluation,
    notices_of_the_spring_festival_filing_are_long_past,
    the_decision_clock_across_national_day_with_stops,
    the_notices_across_national_day,
    a_decided_filing_takes_no_clock_stop,
    acceptance_deadlines_across_the_spring_and_summer_holidays,
    the_queue_shows_what_is_overdue_and_what_is_due_soon,
    filters_narrow_the_queue,
    owners_see_their_own_organisations_filings_and_leaders_all,
    bad_queue_filters_are_named,
    a_document_is_stored_and_served_with_its_hash,
    other_owners_and_leaders_neither_read_nor_add_documents,
    uploads_are_checked_by_type_and_size,
    an_upload_that_cannot_be_read_is_a_400,
    materials_are_fixed_once_submitted_until_a_correction_is_asked,
    next_years_calendar_recomputes_open_deadlines,
    notices_wait_for_a_missing_years_calendar,
    a_paper_decision_keeps_its_number_and_the_next_comes_after_it,
    a_paper_number_is_not_taken_twice_nor_given_where_it_does_not_belong,
);
on_both_backends!(empty, at_once;
    two_officers_approving_at_once_use_one_number,
    the_first_decisions_of_a_year_at_once_both_get_numbers,
    two_drafts_at_once_make_one_open_filing,
);
on_both_backends!(demo; the_demo_ledger_keeps_its_paper_numbers);
