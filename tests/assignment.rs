//! Assignment on arrival and the notifications that were missing: a submission goes to the
//! project's service-sheet officer, else to the officer of the administrators' rule for its
//! county and tier, else into the shared queue, where one officer claims it; only the assignee
//! hears of it, and the owner sees who handles it. A withdrawal tells the officer, a filed
//! registration form gives the owner a receipt, an acceptance or decision past due goes to the
//! officer at once and to the officer's leader later, and administrators are reminded weekly to
//! load next year's holiday schedule — each once, however often the scheduler ticks.
mod common;
#[path = "common/smtp.rs"]
mod smtp;

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Datelike, Duration, NaiveDate};
use common::build::{Cast, Kind, User};
use common::{TestApp, api, decode, drain, memory_worker};
use eiaflow::config::{MailSettings, MailTransport, SmtpSecurity};
use eiaflow::notify::mailer::{Mailer, SentMail};
use eiaflow::notify::worker::Worker;
use eiaflow::services::reminders;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use serde_json::{Value, json};
use smtp::SmtpServer;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Who handles a filing, as `GET /filings/{id}` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Handler {
    id: i64,
    name: String,
    office_phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Handled {
    officer_id: Option<i64>,
    handler: Option<Handler>,
}

#[derive(Debug, Clone, Deserialize)]
struct Rule {
    id: i64,
    county: String,
    tier: String,
    officer_id: i64,
    officer_name: String,
}

fn email(user: &User) -> String {
    format!("{}@test.eiaflow.example.cn", user.username)
}

/// Everything mailed so far, delivered to memory.
async fn mailed(app: &TestApp) -> Vec<SentMail> {
    let (worker, transport) = memory_worker(app);
    drain(&worker).await;
    transport.take()
}

/// The outbox rows of a template, oldest first.
async fn rows(app: &TestApp, template: &str) -> Vec<entity::notification::Model> {
    entity::notification::Entity::find()
        .filter(entity::notification::Column::Template.eq(template))
        .order_by_asc(entity::notification::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The accounts a template's rows are for, sorted.
async fn recipients(app: &TestApp, template: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = rows(app, template)
        .await
        .iter()
        .filter_map(|n| n.user_id)
        .collect();
    ids.sort();
    ids
}

async fn handled(app: &TestApp, token: &str, id: i64) -> Handled {
    app.get_ok(&format!("/api/v1/filings/{id}"), token).await
}

/// An administrator's change to an account, with the version just read.
async fn patch_user(app: &TestApp, admin: &User, id: i64, body: Value) -> (StatusCode, Value) {
    let users: Vec<api::User> = app
        .get_ok::<api::Page<api::User>>("/api/v1/users?per_page=200", &admin.token)
        .await
        .items;
    let version = users
        .iter()
        .find(|u| u.id == id)
        .expect("the account")
        .version;
    let body = common::build::merged(json!({"version": version}), body);
    app.request(
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        Some(&admin.token),
        Some(body),
    )
    .await
}

/// A point-to-point project of the owner whose service sheet `officer` keeps.
async fn sheet_project(app: &TestApp, officer: &User, owner: &User) -> i64 {
    let project = app
        .new_project(
            &officer.token,
            owner.org(),
            Kind::ReportForm,
            json!({"point_to_point": true}),
        )
        .await;
    let sheet: api::Sheet = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            &format!("/api/v1/projects/{project}/service-sheet"),
            Some(&officer.token),
            Some(json!({"owner_contact_email": format!("contact-{}@example.cn", owner.username)})),
        )
        .await;
    assert_eq!(sheet.officer_id, officer.id);
    project
}

/// The owner's draft for a project, submitted today.
async fn submit(app: &TestApp, owner: &User, project: i64) -> api::Filing {
    let draft = app.new_filing(&owner.token, project).await;
    app.step(&owner.token, draft.id, "submit", json!({})).await
}

async fn new_rule(app: &TestApp, admin: &User, county: &str, tier: &str, officer: i64) -> Rule {
    app.expect(
        StatusCode::CREATED,
        Method::POST,
        "/api/v1/assignment-rules",
        Some(&admin.token),
        Some(json!({"county": county, "tier": tier, "officer_id": officer})),
    )
    .await
}

async fn post(router: Router, token: String, path: String) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let reply = common::send(&router, req).await;
    (reply.status, reply.json_value())
}

async fn tick(app: &TestApp, day: NaiveDate) {
    reminders::tick(&app.db, &app.settings, day)
        .await
        .expect("tick");
}

// ---------------------------------------------------------------------------------------------
// Assignment on arrival
// ---------------------------------------------------------------------------------------------

async fn a_submission_goes_to_the_sheet_officer_alone_and_the_owner_sees_who(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (admin, keeper) = (&cast.admin, &cast.officer2);
    // The administrator records the officer's office phone; a malformed one is refused.
    let (status, body) = patch_user(&app, admin, keeper.id, json!({"office_phone": "电话"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(common::error_fields(&body), ["office_phone"]);
    let (status, body) = patch_user(
        &app,
        admin,
        keeper.id,
        json!({"office_phone": "0914-2312345"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["office_phone"], "0914-2312345");
    // An account can be made with one too.
    let made: Value = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/users",
            Some(&admin.token),
            Some(
                json!({"username": "officer3", "password": "long-enough-1", "role": "officer",
                "office_phone": "0914 2312346转801"}),
            ),
        )
        .await;
    assert_eq!(made["office_phone"], "0914 2312346转801");

    // Even a rule for the county and tier gives way to the service sheet.
    new_rule(&app, admin, "611024", "report_form", cast.officer.id).await;
    let project = sheet_project(&app, keeper, &cast.owner).await;
    let filing = submit(&app, &cast.owner, project).await;
    assert_eq!(filing.officer_id, Some(keeper.id));
    let expected = Handler {
        id: keeper.id,
        name: keeper.username.clone(),
        office_phone: Some("0914-2312345".into()),
    };
    // The owner sees the handling officer's name and office phone.
    let seen = handled(&app, &cast.owner.token, filing.id).await;
    assert_eq!(seen.handler.as_ref(), Some(&expected));
    assert_eq!(seen.officer_id, Some(keeper.id));

    // Exactly one officer is mailed: the assignee.
    let mail = mailed(&app).await;
    let submitted: Vec<&SentMail> = mail
        .iter()
        .filter(|m| m.subject.contains("待受理") || m.subject.contains("待认领"))
        .collect();
    assert_eq!(submitted.len(), 1, "{mail:#?}");
    assert_eq!(submitted[0].to, [email(keeper)]);
    assert_eq!(recipients(&app, "filing_submitted").await, [keeper.id]);
    assert!(rows(&app, "filing_queued").await.is_empty());

    // The assignment is recorded with its basis.
    let audit = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("filing"))
        .filter(entity::audit_event::Column::EntityId.eq(filing.id))
        .filter(entity::audit_event::Column::Action.eq("assign"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].detail.0["by"], "service_sheet");
    assert_eq!(audit[0].detail.0["officer_id"], keeper.id);
}

async fn administrators_keep_rules_by_county_and_tier(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let admin = &cast.admin;
    let path = "/api/v1/assignment-rules";
    // Only administrators write rules; owners do not read them.
    let e = app
        .expect_error(
            StatusCode::FORBIDDEN,
            Method::POST,
            path,
            Some(&cast.officer.token),
            Some(json!({"county": "611024", "tier": "report_form", "officer_id": cast.officer.id})),
        )
        .await;
    assert_eq!(e.code, "forbidden");
    let (status, _) = app.get(path, &cast.owner.token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Each problem named: an unknown county, an unknown tier, a leader instead of an officer.
    let e = app
        .expect_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            Method::POST,
            path,
            Some(&admin.token),
            Some(json!({"county": "999999", "tier": "big", "officer_id": cast.leader.id})),
        )
        .await;
    assert_eq!(e.code, "invalid");
    assert_eq!(e.field_names(), ["county", "tier", "officer_id"]);
    assert!(e.message_for("officer_id").contains("审批人员"), "{e:?}");

    let rule = new_rule(&app, admin, "611024", "report_form", cast.officer2.id).await;
    assert_eq!(
        (rule.county.as_str(), rule.tier.as_str(), rule.officer_id),
        ("611024", "report_form", cast.officer2.id)
    );
    assert_eq!(rule.officer_name, cast.officer2.username);
    // One rule per county and tier.
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            path,
            Some(&admin.token),
            Some(json!({"county": "611024", "tier": "report_form", "officer_id": cast.officer.id})),
        )
        .await;
    assert_eq!(e.code, "duplicate");
    assert_eq!(e.field_names(), ["tier"]);
    let listed: Vec<Rule> = app.get_ok(path, &cast.officer.token).await;
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), [rule.id]);

    // A report form in 山阳县 goes to the rule's officer alone.
    let project = cast.project(&app, Kind::ReportForm).await;
    let filing = submit(&app, &cast.owner, project).await;
    assert_eq!(filing.officer_id, Some(cast.officer2.id));
    assert_eq!(
        recipients(&app, "filing_submitted").await,
        [cast.officer2.id]
    );
    // A report (报告书) of the same county has no rule: the shared queue, told to the officers
    // the county's rules name.
    let report = cast.project(&app, Kind::Report).await;
    let queued = submit(&app, &cast.owner, report).await;
    assert_eq!(queued.officer_id, None);
    assert_eq!(recipients(&app, "filing_queued").await, [cast.officer2.id]);

    // Removed, the rule assigns no more; the removal is audited.
    let (status, _) = app
        .request(
            Method::DELETE,
            &format!("{path}/{}", rule.id),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .request(
            Method::DELETE,
            &format!("{path}/{}", rule.id),
            Some(&admin.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audited: Vec<String> = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("assignment_rule"))
        .order_by_asc(entity::audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(audited, ["create", "delete"]);
    let later = cast.project(&app, Kind::ReportForm).await;
    assert_eq!(submit(&app, &cast.owner, later).await.officer_id, None);
}

async fn a_resubmission_of_an_unassigned_filing_is_assigned(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let project = cast.project(&app, Kind::ReportForm).await;
    let filing = submit(&app, &cast.owner, project).await;
    assert_eq!(filing.officer_id, None);
    app.step(
        &cast.officer.token,
        filing.id,
        "request_correction",
        json!({"missing_items": ["公众参与说明"]}),
    )
    .await;
    assert_eq!(
        handled(&app, &cast.owner.token, filing.id).await.handler,
        None
    );
    new_rule(&app, &cast.admin, "611024", "report_form", cast.officer2.id).await;
    let resubmitted = app
        .step(
            &cast.owner.token,
            filing.id,
            "resubmit",
            json!({"answers": ["已补充公众参与说明"]}),
        )
        .await;
    assert_eq!(resubmitted.officer_id, Some(cast.officer2.id));
    // The resubmission is told to the new assignee alone.
    let submitted = rows(&app, "filing_submitted").await;
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0].user_id, Some(cast.officer2.id));
}

async fn an_unassigned_filing_is_claimed_once(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let project = cast.project(&app, Kind::ReportForm).await;
    let filing = submit(&app, &cast.owner, project).await;
    assert_eq!(filing.officer_id, None);
    // One shared-queue notice to each officer, and no "submitted to you" mail to anyone.
    let mail = mailed(&app).await;
    let mut to: Vec<String> = mail.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, [email(&cast.officer), email(&cast.officer2)]);
    assert!(
        mail.iter().all(|m| m.subject.contains("待认领")),
        "{mail:#?}"
    );
    assert!(rows(&app, "filing_submitted").await.is_empty());

    // The shared queue lists it; nobody's own queue does.
    let queue: Vec<api::Filing> = app
        .get_ok::<api::Page<api::Filing>>("/api/v1/filings?assigned=none", &cast.officer.token)
        .await
        .items;
    assert_eq!(queue.iter().map(|f| f.id).collect::<Vec<_>>(), [filing.id]);
    let mine: Vec<api::Filing> = app
        .get_ok::<api::Page<api::Filing>>("/api/v1/filings?assigned=me", &cast.officer.token)
        .await
        .items;
    assert!(mine.is_empty());
    let (status, body) = app
        .get("/api/v1/filings?assigned=everyone", &cast.officer.token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::error_fields(&body), ["assigned"]);

    // Owners and leaders do not claim.
    let path = format!("/api/v1/filings/{}/claim", filing.id);
    for who in [&cast.owner, &cast.leader] {
        let e = app
            .expect_error(
                StatusCode::FORBIDDEN,
                Method::POST,
                &path,
                Some(&who.token),
                None,
            )
            .await;
        assert_eq!(e.code, "forbidden");
    }
    // Two officers claim at once: one wins, the other is told it is taken.
    let (a, b) = tokio::join!(
        tokio::spawn(post(
            app.router.clone(),
            cast.officer.token.clone(),
            path.clone()
        )),
        tokio::spawn(post(
            app.router.clone(),
            cast.officer2.token.clone(),
            path.clone()
        )),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let (won, lost) = if a.0 == StatusCode::OK {
        (a, b)
    } else {
        (b, a)
    };
    assert_eq!(common::error(&lost.1).code, "already_assigned");
    let winner: Handled = decode(&won.1);
    let winner_id = winner.officer_id.expect("claimed");
    assert!([cast.officer.id, cast.officer2.id].contains(&winner_id));
    assert_eq!(winner.handler.map(|h| h.id), Some(winner_id));
    let claims = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Action.eq("claim"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(claims.len(), 1);
    // Claimed, it leaves the shared queue for the winner's own.
    let queue: Vec<api::Filing> = app
        .get_ok::<api::Page<api::Filing>>("/api/v1/filings?assigned=none", &cast.officer.token)
        .await
        .items;
    assert!(queue.is_empty());
    let token = if winner_id == cast.officer.id {
        &cast.officer.token
    } else {
        &cast.officer2.token
    };
    let mine: Vec<api::Filing> = app
        .get_ok::<api::Page<api::Filing>>("/api/v1/filings?assigned=me", token)
        .await
        .items;
    assert_eq!(mine.iter().map(|f| f.id).collect::<Vec<_>>(), [filing.id]);
    // The owner sees who took it.
    let seen = handled(&app, &cast.owner.token, filing.id).await;
    assert_eq!(seen.handler.map(|h| h.id), Some(winner_id));
    // A draft is not in the queue.
    let draft = cast.draft(&app, Kind::ReportForm).await;
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            &format!("/api/v1/filings/{}/claim", draft.id),
            Some(&cast.officer.token),
            None,
        )
        .await;
    assert_eq!(e.code, "invalid_state");
}

// ---------------------------------------------------------------------------------------------
// The missing notifications
// ---------------------------------------------------------------------------------------------

async fn a_withdrawal_tells_the_officer_and_a_registration_gives_a_receipt(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let project = sheet_project(&app, &cast.officer2, &cast.owner).await;
    let filing = submit(&app, &cast.owner, project).await;
    app.step(
        &cast.owner.token,
        filing.id,
        "withdraw",
        json!({"reason": "选址调整"}),
    )
    .await;
    let withdrawn = rows(&app, "filing_withdrawn").await;
    assert_eq!(withdrawn.len(), 1);
    assert_eq!(withdrawn[0].user_id, Some(cast.officer2.id));
    assert!(withdrawn[0].body_text.contains("选址调整"));
    // A withdrawn draft nobody handled tells no one.
    let draft = cast.draft(&app, Kind::ReportForm).await;
    app.step(&cast.owner.token, draft.id, "withdraw", json!({}))
        .await;
    assert_eq!(rows(&app, "filing_withdrawn").await.len(), 1);

    let registration = cast.draft(&app, Kind::Registration).await;
    let filed = app
        .step(&cast.owner.token, registration.id, "register", json!({}))
        .await;
    let receipt_no = filed.receipt_no.expect("a receipt number");
    let receipts = rows(&app, "registration_receipt").await;
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0].user_id, Some(cast.owner.id));
    assert!(
        receipts[0].subject.contains(&receipt_no),
        "{}",
        receipts[0].subject
    );
    assert!(receipts[0].body_text.contains(&receipt_no));
    let mail = mailed(&app).await;
    let to_owner: Vec<&SentMail> = mail
        .iter()
        .filter(|m| m.subject.contains("备案回执"))
        .collect();
    assert_eq!(to_owner.len(), 1);
    assert_eq!(to_owner[0].to, [email(&cast.owner)]);
}

/// A filing the officer received on paper on `on` (submitted, and accepted too when `accept`).
async fn on_paper(app: &TestApp, officer: &User, owner: &User, on: &str, accept: bool) -> i64 {
    let project = app
        .new_project(&officer.token, owner.org(), Kind::ReportForm, json!({}))
        .await;
    let id = app.new_filing(&officer.token, project).await.id;
    app.historic(&officer.token, id, "submit", on, json!({}))
        .await;
    if accept {
        app.historic(&officer.token, id, "accept", on, json!({}))
            .await;
    }
    id
}

async fn an_overdue_acceptance_goes_to_the_officer_then_their_leader_once_each(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let leader2 = app.new_user("leader2", "leader", None).await;
    let (status, body) = patch_user(
        &app,
        &cast.admin,
        cast.officer.id,
        json!({"supervisor_id": leader2.id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = on_paper(&app, &cast.officer, &cast.owner, "2026-11-02", false).await;
    let due = app
        .filing(&cast.officer.token, id)
        .await
        .clock()
        .acceptance_due;
    let due = due.expect("acceptance due");
    let token = &cast.officer.token;
    let escalate_on = common::add_working_days(&app, token, due, 3).await;
    // On the due date nothing; the day after, the officer, once however often it ticks.
    tick(&app, due).await;
    assert!(rows(&app, "filing_overdue").await.is_empty());
    let mut day = due + Duration::days(1);
    while day < escalate_on {
        tick(&app, day).await;
        tick(&app, day).await;
        assert_eq!(recipients(&app, "filing_overdue").await, [cast.officer.id]);
        assert!(
            rows(&app, "filing_overdue_escalated").await.is_empty(),
            "{day}: not yet"
        );
        day += Duration::days(1);
    }
    // Three working days late: the officer's own leader, not every leader; once.
    for _ in 0..2 {
        tick(&app, escalate_on).await;
        tick(&app, escalate_on + Duration::days(1)).await;
    }
    assert_eq!(recipients(&app, "filing_overdue").await, [cast.officer.id]);
    assert_eq!(
        recipients(&app, "filing_overdue_escalated").await,
        [leader2.id]
    );
    let escalated = &rows(&app, "filing_overdue_escalated").await[0];
    assert!(escalated.subject.contains("督办"), "{}", escalated.subject);
    assert!(escalated.body_text.contains(&due.to_string()));
    assert!(escalated.body_text.contains(&cast.officer.username));
}

async fn an_overdue_decision_goes_to_the_officer_then_every_leader(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let leader2 = app.new_user("leader2", "leader", None).await;
    let id = on_paper(&app, &cast.officer2, &cast.owner, "2026-09-01", true).await;
    let due = app
        .filing(&cast.officer2.token, id)
        .await
        .clock()
        .decision_due;
    let due = due.expect("decision due");
    let escalate_on = common::add_working_days(&app, &cast.officer2.token, due, 3).await;
    tick(&app, due).await;
    tick(&app, due + Duration::days(1)).await;
    tick(&app, due + Duration::days(1)).await;
    let overdue = rows(&app, "filing_overdue").await;
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].user_id, Some(cast.officer2.id));
    assert!(
        overdue[0].subject.contains("审批时限"),
        "{}",
        overdue[0].subject
    );
    tick(&app, escalate_on - Duration::days(1)).await;
    tick(&app, escalate_on).await;
    tick(&app, escalate_on).await;
    // No leader of their own: every leader, once.
    let mut leaders = vec![cast.leader.id, leader2.id];
    leaders.sort();
    assert_eq!(recipients(&app, "filing_overdue_escalated").await, leaders);
}

async fn administrators_are_reminded_weekly_to_load_next_years_calendar(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let admin2 = app.new_user("admin2", "admin", None).await;
    let years: Vec<api::Schedule> = app
        .get_ok("/api/v1/calendar/years", &cast.admin.token)
        .await;
    let last = years.iter().map(|s| s.year).max().expect("a year");
    let next = last + 1;
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(last, m, day).unwrap();
    // Before November nothing.
    tick(&app, d(10, 31)).await;
    assert!(rows(&app, "calendar_year_missing").await.is_empty());
    // Every tick of one ISO week: one reminder to each administrator.
    let first = d(11, 1);
    let week: Vec<NaiveDate> = (0..7)
        .map(|i| first + Duration::days(i))
        .take_while(|day| day.iso_week() == first.iso_week())
        .collect();
    for day in &week {
        tick(&app, *day).await;
        tick(&app, *day).await;
    }
    let mut admins = vec![cast.admin.id, admin2.id];
    admins.sort();
    assert_eq!(recipients(&app, "calendar_year_missing").await, admins);
    let row = &rows(&app, "calendar_year_missing").await[0];
    assert!(
        row.subject.contains(&format!("请导入{next}年节假日安排")),
        "{}",
        row.subject
    );
    assert!(
        row.body_text
            .contains(&format!("PUT /api/v1/calendar/years/{next}"))
    );
    assert!(row.body_text.contains("eiaflow calendar load"));
    // The next week again.
    let week_after = *week.last().unwrap() + Duration::days(1);
    tick(&app, week_after).await;
    assert_eq!(rows(&app, "calendar_year_missing").await.len(), 4);
    // Loaded, the reminders stop.
    common::load_plain_year(&app, next).await;
    tick(&app, week_after + Duration::days(7)).await;
    tick(&app, d(12, 28)).await;
    assert_eq!(rows(&app, "calendar_year_missing").await.len(), 4);
}

// ---------------------------------------------------------------------------------------------
// At the real SMTP server
// ---------------------------------------------------------------------------------------------

fn smtp_worker(app: &TestApp, port: u16) -> Worker {
    let settings = MailSettings {
        transport: MailTransport::Smtp,
        smtp_host: "127.0.0.1".into(),
        smtp_port: port,
        smtp_security: SmtpSecurity::None,
        timeout_seconds: 5,
        backoff_seconds: 0,
        ..app.settings.mail.clone()
    };
    let mailer = Mailer::from_settings(&settings, app.dir.path()).expect("mailer");
    Worker::new(app.db.clone(), mailer, settings).expect("worker")
}

async fn the_missing_mails_arrive_once_each_at_the_smtp_server(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let worker = smtp_worker(&app, server.port);
    missing_mails_arrive_once_each(&app, &worker, || server.messages()).await;
}

/// The same through the file transport (`.eml` files under `data/mail/`), which needs no
/// server, so that delivery is shown even where aiosmtpd is not installed.
async fn the_missing_mails_arrive_once_each_as_eml_files(app: TestApp) {
    let settings = MailSettings {
        transport: MailTransport::File,
        ..app.settings.mail.clone()
    };
    let mailer = Mailer::from_settings(&settings, app.dir.path()).expect("mailer");
    let worker = Worker::new(app.db.clone(), mailer, settings).expect("worker");
    let dir = app.dir.path().join("mail");
    missing_mails_arrive_once_each(&app, &worker, || {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|path| smtp::parse(&std::fs::read(path).expect("read a message")))
            .collect()
    })
    .await;
}

/// Withdrawal, registration receipt, overdue acceptance (officer, then leader) and the calendar
/// reminder, ticked twice and delivered twice: each arrives once, to its recipient.
async fn missing_mails_arrive_once_each(
    app: &TestApp,
    worker: &Worker,
    received: impl Fn() -> Vec<smtp::Received>,
) {
    let cast = Cast::sign_in(app).await;
    // Withdrawal → the assigned officer.
    let project = sheet_project(app, &cast.officer2, &cast.owner).await;
    let filing = submit(app, &cast.owner, project).await;
    app.step(&cast.owner.token, filing.id, "withdraw", json!({}))
        .await;
    // Registration → the owner's receipt.
    let registration = cast.draft(app, Kind::Registration).await;
    app.step(&cast.owner.token, registration.id, "register", json!({}))
        .await;
    // Overdue acceptance → the officer, then the leader; November of the last year the calendar
    // holds → the administrator's calendar reminder.
    let id = on_paper(app, &cast.officer, &cast.owner, "2026-11-02", false).await;
    let due = app
        .filing(&cast.officer.token, id)
        .await
        .clock()
        .acceptance_due;
    let due = due.expect("acceptance due");
    let escalate_on = common::add_working_days(app, &cast.officer.token, due, 3).await;
    for day in [due + Duration::days(1), escalate_on] {
        tick(app, day).await;
        tick(app, day).await;
    }
    let years: Vec<api::Schedule> = app
        .get_ok("/api/v1/calendar/years", &cast.admin.token)
        .await;
    let calendar_weeks = if years.iter().any(|s| s.year == 2027) {
        0
    } else if (due + Duration::days(1)).iso_week() == escalate_on.iso_week() {
        1
    } else {
        2
    };
    drain(worker).await;
    // A second round of ticks and delivery sends nothing again.
    for day in [due + Duration::days(1), escalate_on] {
        tick(app, day).await;
    }
    drain(worker).await;

    let received = received();
    let by_id: BTreeMap<String, &smtp::Received> =
        received.iter().map(|m| (m.message_id.clone(), m)).collect();
    assert_eq!(by_id.len(), received.len(), "no message twice");
    let arrived = |template: &'static str| {
        let by_id = &by_id;

        async move {
            let mut to: Vec<String> = Vec::new();
            for row in rows(app, template).await {
                let id = format!("notification-{}@eiaflow", row.id);
                let m = by_id
                    .get(&id)
                    .unwrap_or_else(|| panic!("{template} {id} did not arrive"));
                assert_eq!(m.subject, row.subject);
                to.extend(m.to.clone());
            }
            to
        }
    };
    assert_eq!(arrived("filing_withdrawn").await, [email(&cast.officer2)]);
    assert_eq!(arrived("registration_receipt").await, [email(&cast.owner)]);
    assert_eq!(arrived("filing_overdue").await, [email(&cast.officer)]);
    assert_eq!(
        arrived("filing_overdue_escalated").await,
        [email(&cast.leader)]
    );
    assert_eq!(
        arrived("calendar_year_missing").await,
        vec![email(&cast.admin); calendar_weeks]
    );
    // The submission went to the sheet officer alone.
    assert_eq!(arrived("filing_submitted").await, [email(&cast.officer2)]);
    let rows_sent = entity::notification::Entity::find()
        .filter(entity::notification::Column::Email.is_not_null())
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows_sent.len(), received.len(), "every row arrived, once");
}

on_both_backends!(empty;
    a_submission_goes_to_the_sheet_officer_alone_and_the_owner_sees_who,
    administrators_keep_rules_by_county_and_tier,
    a_resubmission_of_an_unassigned_filing_is_assigned,
    a_withdrawal_tells_the_officer_and_a_registration_gives_a_receipt,
    an_overdue_acceptance_goes_to_the_officer_then_their_leader_once_each,
    an_overdue_decision_goes_to_the_officer_then_every_leader,
    administrators_are_reminded_weekly_to_load_next_years_calendar,
    the_missing_mails_arrive_once_each_at_the_smtp_server,
    the_missing_mails_arrive_once_each_as_eml_files,
);
on_both_backends!(empty, at_once; an_unassigned_filing_is_claimed_once);
