//! The approval process as the law runs it, over HTTP on both databases: the pre-decision notice
//! and open hearings gate the decision, clock stops an officer records (one day counts one, N
//! count N, overlaps once, closed and voided), a change of tier never passes a filing silently,
//! submissions carry their materials, a later correction round asks only what is unresolved or
//! new, a voided step brings the previous state back with a correction notice, the public copy
//! is downloadable without signing in, and the first-time-right rate.
//!
//! Dated steps are entered as an officer records paper steps, on the 2023 calendar, so every
//! expected date is counted by hand against resources/holidays-cn/2023.json.
mod common;

use axum::http::{Method, StatusCode};
use common::build::{Cast, Kind};
use common::{TestApp, add_working_days, d, error, today};
use serde_json::{Value, json};

/// A report-form filing entered on paper: received Wed 2023-03-01, accepted Thu 03-02,
/// evaluated Fri 03-03 to Mon 03-06, on pre-decision notice from Mon 03-06.
async fn on_notice_in_march(app: &TestApp, cast: &Cast) -> i64 {
    let officer = &cast.officer.token;
    let project = cast.project(app, Kind::ReportForm).await;
    let id = app.new_filing(officer, project).await.id;
    for (action, on) in [
        ("submit", "2023-03-01"),
        ("accept", "2023-03-02"),
        ("start_evaluation", "2023-03-03"),
        ("finish_evaluation", "2023-03-06"),
    ] {
        app.historic(officer, id, action, on, json!({})).await;
    }
    id
}

/// A report-form filing accepted on paper on Mon 2023-03-06.
async fn accepted_in_march(app: &TestApp, cast: &Cast) -> i64 {
    let officer = &cast.officer.token;
    let project = cast.project(app, Kind::ReportForm).await;
    let id = app.new_filing(officer, project).await.id;
    app.historic(officer, id, "submit", "2023-03-01", json!({}))
        .await;
    app.historic(officer, id, "accept", "2023-03-06", json!({}))
        .await;
    id
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.request(Method::POST, path, Some(token), Some(body))
        .await
}

/// The recipients of the hearing-request notices written so far.
async fn hearing_mail(app: &TestApp) -> Vec<Option<i64>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::notification::Entity::find()
        .filter(entity::notification::Column::Template.eq("hearing_requested"))
        .all(&app.db)
        .await
        .expect("read the outbox")
        .into_iter()
        .map(|n| n.user_id)
        .collect()
}

fn decision_due(view: &Value) -> Option<String> {
    view["clock"]["decision_due"].as_str().map(str::to_owned)
}

// ---------------------------------------------------------------------------------------------
// 1. Notice periods gate the decision
// ---------------------------------------------------------------------------------------------

/// The pre-decision notice of Mon 03-06 runs five working days from the day after: Tue 7, Wed
/// 8, Thu 9, Fri 10, Mon 13. A decision dated the 13th is refused naming the notice and its
/// end; one dated Tue 03-14 is taken.
async fn a_decision_waits_for_the_pre_decision_notice(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = on_notice_in_march(&app, &cast).await;
    let version = app.filing(officer, id).await.version;
    for action in ["approve", "disapprove"] {
        let mut body = json!({"action": action, "version": version, "effective_on": "2023-03-13"});
        if action == "disapprove" {
            body["grounds"] = json!(["defective_document"]);
            body["reason"] = json!("基础资料明显不实");
        }
        let (status, answer) = app.act(officer, id, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{answer}");
        let e = error(&answer);
        assert_eq!(e.code, "notice_period");
        assert!(
            e.message.contains("拟审批公示期至2023-03-13结束") && e.message.contains("2023-03-14"),
            "{e:?}"
        );
    }
    let unchanged = app.filing(officer, id).await;
    assert_eq!(
        (unchanged.state.as_str(), unchanged.version),
        ("pre_decision_notice", version)
    );
    let approved = app
        .historic(officer, id, "approve", "2023-03-14", json!({}))
        .await;
    assert_eq!(approved.state, "approved");
    assert!(approved.decision_no.is_some());
}

/// A hearing asked for during the notice (by the public, recorded by an officer) keeps the
/// filing on the filing and stops the clock; no decision until it is held.
async fn a_requested_hearing_holds_the_decision_until_it_is_held(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = on_notice_in_march(&app, &cast).await;
    let path = format!("/api/v1/filings/{id}/hearing-requests");
    // After the notice's last day (03-13), too late.
    let (status, late) = post(
        &app,
        officer,
        &path,
        json!({"party": "public", "requester": "张某", "requested_on": "2023-03-14"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{late}");
    assert_eq!(error(&late).field_names(), ["requested_on"]);
    assert!(error(&late).fields[0].message.contains("2023-03-13"));
    let (status, view) = post(
        &app,
        officer,
        &path,
        json!({"party": "public", "requester": "张某", "requested_on": "2023-03-08", "note": "书面申请"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let hearing = &view["hearings"][0];
    assert_eq!(hearing["status"], "requested");
    assert_eq!(hearing["party_label"], "利害关系人");
    assert_eq!(view["stops"][0]["reason"], "hearing");
    assert_eq!(view["stops"][0]["to"], Value::Null);
    // Recorded afterwards from the paper file: history, nobody is mailed.
    assert!(hearing_mail(&app).await.is_empty());

    // The notice has run out by 03-14, but the hearing is open.
    let version = view["version"].as_i64().unwrap();
    let (status, answer) = app
        .act(
            officer,
            id,
            json!({"action": "approve", "version": version, "effective_on": "2023-03-14"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(error(&answer).code, "notice_period");
    assert!(error(&answer).message.contains("听证"), "{answer}");

    // Held on Mon 03-20: the hearing's stop ends that day and the decision may follow.
    let (status, held) = post(
        &app,
        officer,
        &format!("/api/v1/filings/{id}/hearing-requests/{}/close", hearing["id"]),
        json!({"version": hearing["version"], "status": "held", "closed_on": "2023-03-20", "outcome": "听证会已举行，意见已记录"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{held}");
    assert_eq!(held["hearings"][0]["status"], "held");
    assert_eq!(held["stops"][0]["to"], "2023-03-20");
    let approved = app
        .historic(officer, id, "approve", "2023-03-21", json!({}))
        .await;
    assert_eq!(approved.state, "approved");
    // The history holds the hearing and its end.
    let events = app.events(officer, id).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    for kind in [
        "hearing_requested",
        "hearing_closed",
        "stop_opened",
        "stop_closed",
    ] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
}

/// The owner asks in the service, today, during the notice; others may not.
async fn the_owner_asks_for_a_hearing_during_the_notice(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let filing = cast
        .filing_in(&app, Kind::ReportForm, "pre_decision_notice")
        .await;
    let path = format!("/api/v1/filings/{}/hearing-requests", filing.id);
    let (status, _) = post(&app, &cast.other_owner.token, &path, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(&app, &cast.leader.token, &path, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, view) = post(&app, &cast.owner.token, &path, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["hearings"][0]["party"], "owner");
    assert_eq!(view["hearings"][0]["requested_on"], json!(today()));
    // The officer handling the filing hears of it, once, and nobody else.
    let mailed = hearing_mail(&app).await;
    assert_eq!(mailed, [Some(cast.officer.id)], "{view}");
    assert!(
        view["decision_blocked"]
            .as_str()
            .is_some_and(|m| m.contains("拟审批公示期")),
        "{view}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Clock stops
// ---------------------------------------------------------------------------------------------

/// Accepted Mon 03-06, due 30 working days later. A one-day hearing moves the due date by one
/// working day, an expert review over eight working days by eight, a stop inside another by
/// nothing; an open stop is closed later and counts its days; a voided stop counts none.
async fn stops_move_the_due_date_by_exactly_their_days(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = accepted_in_march(&app, &cast).await;
    let stops = format!("/api/v1/filings/{id}/clock-stops");
    let base = app.filing(officer, id).await.clock().decision_due.unwrap();
    assert_eq!(base, d("2023-04-18"));
    let due_after = |n: u32| add_working_days(&app, officer, base, n);

    let (status, view) = post(
        &app,
        officer,
        &stops,
        json!({"reason": "hearing", "from": "2023-03-15", "to": "2023-03-15"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        decision_due(&view),
        Some(due_after(1).await.to_string()),
        "a one-day hearing stops one day"
    );
    let hearing_id = view["stops"][0]["id"].clone();
    let hearing_version = view["stops"][0]["version"].clone();

    // Mon 03-20 … Wed 03-29: eight working days.
    let (_, view) = post(
        &app,
        officer,
        &stops,
        json!({"reason": "expert_review", "from": "2023-03-20", "to": "2023-03-29"}),
    )
    .await;
    assert_eq!(decision_due(&view), Some(due_after(9).await.to_string()));
    // Inside the review: counted once.
    let (_, view) = post(
        &app,
        officer,
        &stops,
        json!({"reason": "expert_review", "from": "2023-03-22", "to": "2023-03-23"}),
    )
    .await;
    assert_eq!(decision_due(&view), Some(due_after(9).await.to_string()));

    // Not before acceptance, not in the future, not ending before it starts.
    for (body, field) in [
        (
            json!({"reason": "hearing", "from": "2023-03-01", "to": "2023-03-02"}),
            "from",
        ),
        (
            json!({"reason": "hearing", "from": today().succ_opt().unwrap()}),
            "from",
        ),
        (
            json!({"reason": "hearing", "from": "2023-03-10", "to": "2023-03-09"}),
            "to",
        ),
        (
            json!({"reason": "hearing", "from": "2023-03-10", "to": today().succ_opt().unwrap()}),
            "to",
        ),
        (
            json!({"reason": "correction_request", "from": "2023-03-10"}),
            "reason",
        ),
    ] {
        let (status, answer) = post(&app, officer, &stops, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(
            error(&answer).field_names().contains(&field.to_owned()),
            "{body}: {answer}"
        );
    }

    // An expert review begun Thu 03-30 with no end yet: the due date waits for it.
    let (_, view) = post(
        &app,
        officer,
        &stops,
        json!({"reason": "expert_review", "from": "2023-03-30"}),
    )
    .await;
    assert_eq!(decision_due(&view), None, "{view}");
    let open = view["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["to"].is_null())
        .cloned()
        .unwrap();
    // Closed on Fri 03-31: two more working days.
    let (status, view) = post(
        &app,
        officer,
        &format!("{stops}/{}/close", open["id"]),
        json!({"version": open["version"], "to": "2023-03-31"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(decision_due(&view), Some(due_after(11).await.to_string()));
    // Closing it twice is a conflict.
    let (status, _) = post(
        &app,
        officer,
        &format!("{stops}/{}/close", open["id"]),
        json!({"version": open["version"].as_i64().unwrap() + 1, "to": "2023-03-31"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The one-day hearing was entered by mistake: voided, it stops nothing.
    let (status, view) = post(
        &app,
        officer,
        &format!("{stops}/{hearing_id}/void"),
        json!({"version": hearing_version, "reason": "误录"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(decision_due(&view), Some(due_after(10).await.to_string()));
    assert_eq!(view["stops"].as_array().unwrap().len(), 3);

    // Every stop, its closing and its voiding are in the filing's history.
    let events = app.events(officer, id).await;
    let count = |kind: &str| events.iter().filter(|e| e.kind == kind).count();
    assert_eq!(count("stop_opened"), 4);
    assert_eq!(count("stop_closed"), 4);
    assert_eq!(count("stop_voided"), 1);
    // Owners may not record stops.
    let (status, _) = post(
        &app,
        &cast.owner.token,
        &stops,
        json!({"reason": "hearing", "from": "2023-03-15", "to": "2023-03-15"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

// ---------------------------------------------------------------------------------------------
// 4. Classification and filings agree
// ---------------------------------------------------------------------------------------------

async fn a_tier_change_never_passes_a_filing_silently(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    // Received: refused, naming the filing; the project keeps its tier.
    let submitted = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let project = submitted.project.id;
    let (status, answer) = app
        .request(
            Method::PUT,
            &format!("/api/v1/projects/{project}/classification"),
            Some(officer),
            Some(Kind::Exempt.classification().unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let e = error(&answer);
    assert_eq!(e.code, "filing_tier_conflict");
    assert!(
        e.message.contains(&format!("编号{}", submitted.id)),
        "{e:?}"
    );
    let (_, p) = app
        .get(&format!("/api/v1/projects/{project}"), officer)
        .await;
    assert_eq!(p["classification"]["tier"], "report_form", "{p}");

    // A draft follows the new tier.
    let draft = cast.draft(&app, Kind::ReportForm).await;
    app.classify(officer, draft.project.id, Kind::Report, json!({}))
        .await;
    assert_eq!(app.filing(officer, draft.id).await.tier, "report");
}

// ---------------------------------------------------------------------------------------------
// 5. Required materials
// ---------------------------------------------------------------------------------------------

async fn a_submission_carries_its_materials(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let draft = cast.draft(&app, Kind::Report).await;
    let (status, answer) = app
        .act(
            owner,
            draft.id,
            json!({"action": "submit", "version": draft.version}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let e = error(&answer);
    assert_eq!(
        e.field_names(),
        [
            "documents",
            "documents.application_letter",
            "documents.full_text",
            "documents.public_copy",
            "documents.public_participation"
        ]
    );
    assert!(e.fields[0].message.contains("环评文件全本"), "{e:?}");
    // An owner cannot waive them.
    let (status, _) = app
        .act(
            owner,
            draft.id,
            json!({"action": "submit", "version": draft.version, "materials_waived": "没有"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Three of four is still short of one.
    for material in ["application_letter", "full_text", "public_copy"] {
        app.upload_material(owner, draft.id, material).await;
    }
    let (_, answer) = app
        .act(
            owner,
            draft.id,
            json!({"action": "submit", "version": draft.version}),
        )
        .await;
    assert_eq!(
        error(&answer).field_names(),
        ["documents", "documents.public_participation"]
    );
    app.upload_material(owner, draft.id, "public_participation")
        .await;
    let submitted = app.step(owner, draft.id, "submit", json!({})).await;
    assert_eq!(submitted.state, "submitted");

    // A paper submission an officer enters may waive them, saying why; the step records it.
    let other = cast.draft(&app, Kind::ReportForm).await;
    let on = (today() - chrono::Duration::days(3)).to_string();
    let (status, answer) = app
        .act(
            officer,
            other.id,
            json!({"action": "submit", "version": other.version, "effective_on": on, "on_behalf_of_owner": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        error(&answer)
            .field_names()
            .contains(&"materials_waived".to_owned())
    );
    app.historic(
        officer,
        other.id,
        "submit",
        &on,
        json!({"materials_waived": "纸质材料已存档于窗口"}),
    )
    .await;
    let events = app.events(officer, other.id).await;
    assert_eq!(events[0].detail["materials_waived"], "纸质材料已存档于窗口");
    // A registration form needs none.
    let registration = cast.filing_in(&app, Kind::Registration, "registered").await;
    assert_eq!(registration.state, "registered");
}

/// The copy for public disclosure is offered on the register, without signing in, once the
/// filing is accepted; nothing else is.
async fn the_public_copy_is_downloaded_from_the_register(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let accepted = cast.filing_in(&app, Kind::ReportForm, "accepted").await;
    let register = app.public_register().await;
    let ours: Vec<_> = register
        .iter()
        .filter(|n| n.filing_id == accepted.id)
        .collect();
    assert!(!ours.is_empty());
    let raw: Value = app
        .request(Method::GET, "/api/v1/public/notices", None, None)
        .await
        .1;
    let notice = raw["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["filing_id"] == json!(accepted.id))
        .cloned()
        .unwrap();
    let copies = notice["public_documents"].as_array().unwrap();
    assert_eq!(copies.len(), 1, "{notice}");
    let reply = app
        .send(
            Method::GET,
            &format!("/api/v1/public/documents/{}", copies[0]["id"]),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.bytes.starts_with(b"%PDF-"));
    // The full text is not public.
    let (_, docs) = app
        .get(
            &format!("/api/v1/filings/{}/documents", accepted.id),
            &cast.officer.token,
        )
        .await;
    let full = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["material"] == "full_text")
        .cloned()
        .unwrap();
    assert_eq!(full["public_disclosure"], false);
    let reply = app
        .send(
            Method::GET,
            &format!("/api/v1/public/documents/{}", full["id"]),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Nor is a draft's copy.
    let draft = cast.draft(&app, Kind::ReportForm).await;
    let copy = app
        .upload_material(&cast.owner.token, draft.id, "public_copy")
        .await;
    let reply = app
        .send(
            Method::GET,
            &format!("/api/v1/public/documents/{}", copy["id"]),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------------
// 6. One-time correction and its count
// ---------------------------------------------------------------------------------------------

async fn a_later_correction_round_asks_only_what_is_left(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (owner, officer) = (&cast.owner.token, &cast.officer.token);
    let filing = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let id = filing.id;
    let items = ["盖章版报告表", "公众参与说明"];
    app.step(
        officer,
        id,
        "request_correction",
        json!({"missing_items": items}),
    )
    .await;
    app.step(
        owner,
        id,
        "resubmit",
        json!({"answers": ["已补充", "已补充"]}),
    )
    .await;
    let version = app.filing(officer, id).await.version;
    // Without saying why each item is asked again: refused.
    let (status, answer) = app
        .act(
            officer,
            id,
            json!({"action": "request_correction", "version": version, "missing_items": ["噪声监测报告"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(error(&answer).field_names(), ["basis"]);
    // "Unresolved" must be an item of the previous request.
    let (_, answer) = app
        .act(
            officer,
            id,
            json!({"action": "request_correction", "version": version,
                   "missing_items": ["噪声监测报告"], "basis": ["unresolved"]}),
        )
        .await;
    assert_eq!(error(&answer).field_names(), ["missing_items[0]"]);
    let second = app
        .step(
            officer,
            id,
            "request_correction",
            json!({"missing_items": ["公众参与说明", "补正材料中新增的噪声监测数据来源"],
                   "basis": ["unresolved", "introduced"]}),
        )
        .await;
    assert_eq!(second.correction_rounds, 2);
    let events = app.events(officer, id).await;
    let last = events.last().unwrap();
    assert_eq!(last.detail["round"], 2);
    assert_eq!(last.detail["basis"], json!(["unresolved", "introduced"]));
    app.step(
        owner,
        id,
        "resubmit",
        json!({"answers": ["已补充", "已说明"]}),
    )
    .await;
    app.step(officer, id, "accept", json!({})).await;

    // The first-time-right rate: this filing accepted after two rounds, another at once.
    cast.filing_in(&app, Kind::ReportForm, "accepted").await;
    let (status, ftr) = app
        .get(
            &format!(
                "/api/v1/reports/first-time-right?from={}&group_by=officer",
                today()
            ),
            &cast.leader.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ftr}");
    assert_eq!(ftr["accepted"], 2);
    assert_eq!(ftr["first_time_right"], 1);
    assert_eq!(ftr["correction_rounds"], 2);
    assert_eq!(ftr["rate"], json!(0.5));
    assert_eq!(ftr["groups"][0]["key"], json!(cast.officer.id.to_string()));
    let (status, _) = app
        .get("/api/v1/reports/first-time-right", &cast.owner.token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, bad) = app
        .get(
            "/api/v1/reports/first-time-right?group_by=weather",
            &cast.leader.token,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error(&bad).fields[0].message.contains("county"));
}

// ---------------------------------------------------------------------------------------------
// 11. Mistakes corrected without losing history
// ---------------------------------------------------------------------------------------------

async fn a_voided_step_restores_the_state_and_corrects_the_notice(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let id = cast.ready_to_decide(&app).await;
    let approved = app.step(officer, id, "approve", json!({})).await;
    let number = approved.decision_no.clone().unwrap();
    let events = app.events(officer, id).await;
    let approve = events.iter().find(|e| e.action == "approve").unwrap();
    let path = format!("/api/v1/filings/{id}/void-step");
    // Only the latest step, with a reason, by an officer.
    let earlier = events.iter().find(|e| e.action == "accept").unwrap();
    let (status, answer) = post(
        &app,
        officer,
        &path,
        json!({"version": approved.version, "event_id": earlier.id, "reason": "误录"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (status, _) = post(
        &app,
        officer,
        &path,
        json!({"version": approved.version, "event_id": approve.id, "reason": " "}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(
        &app,
        &cast.owner.token,
        &path,
        json!({"version": approved.version, "event_id": approve.id, "reason": "误录"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, view) = post(
        &app,
        officer,
        &path,
        json!({"version": approved.version, "event_id": approve.id, "reason": "批复对象录错"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["state"], "pre_decision_notice");
    assert_eq!(view["decision_no"], Value::Null);
    // The event stays, marked void.
    let events = app.events(officer, id).await;
    let voided = events.iter().find(|e| e.id == approve.id).unwrap();
    assert!(voided.voided_at.is_some());
    assert_eq!(voided.void_reason.as_deref(), Some("批复对象录错"));
    // The register carries a correction notice for the decision notice it had posted.
    let register = app.public_register().await;
    let ours: Vec<&str> = register
        .iter()
        .filter(|n| n.filing_id == id)
        .map(|n| n.notice.kind.as_str())
        .collect();
    assert_eq!(ours, ["correction"], "{register:?}");
    let correction = register.iter().find(|n| n.filing_id == id).unwrap();
    assert!(correction.notice.body.contains("批复对象录错"));
    // Decided again, it draws the next number: the voided one stays issued.
    let again = app.step(officer, id, "approve", json!({})).await;
    assert_ne!(again.decision_no.as_deref(), Some(number.as_str()));
    // The report counts the filing by its live steps only.
    let (_, summary) = app.get("/api/v1/reports/summary", &cast.leader.token).await;
    assert_eq!(summary["accepted_or_decided"], 1, "{summary}");
}

on_both_backends!(empty;
    a_decision_waits_for_the_pre_decision_notice,
    a_requested_hearing_holds_the_decision_until_it_is_held,
    the_owner_asks_for_a_hearing_during_the_notice,
    stops_move_the_due_date_by_exactly_their_days,
    a_tier_change_never_passes_a_filing_silently,
    a_submission_carries_its_materials,
    the_public_copy_is_downloaded_from_the_register,
    a_later_correction_round_asks_only_what_is_left,
    a_voided_step_restores_the_state_and_corrects_the_notice,
);
