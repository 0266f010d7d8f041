//! Notifications end to end: the outbox rows a change writes and what the worker makes of them.
//! Who gets which message, and what it says, is read from the in-memory transport; delivery,
//! an outage, parked failures and two senders over one outbox go through a real SMTP server on
//! loopback (or, for two senders, `.eml` files). The scheduler's reminders and escalations are
//! written once however often it ticks.
mod common;
#[path = "common/smtp.rs"]
mod smtp;

use std::collections::{BTreeMap, HashSet};

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use common::build::{Cast, Kind, User};
use common::{TestApp, api, drain, error, memory_worker, today};
use eiaflow::config::{MailSettings, MailTransport, SmtpSecurity};
use eiaflow::notify::mailer::{Mailer, SentMail};
use eiaflow::notify::worker::Worker;
use eiaflow::services::reminders;
use entity::notification::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use smtp::SmtpServer;

fn smtp_settings(app: &TestApp, port: u16) -> MailSettings {
    MailSettings {
        transport: MailTransport::Smtp,
        smtp_host: "127.0.0.1".into(),
        smtp_port: port,
        smtp_security: SmtpSecurity::None,
        timeout_seconds: 5,
        backoff_seconds: 0,
        ..app.settings.mail.clone()
    }
}

fn worker(app: &TestApp, settings: MailSettings) -> Worker {
    let mailer = Mailer::from_settings(&settings, app.dir.path()).expect("mailer");
    Worker::new(app.db.clone(), mailer, settings).expect("worker")
}

fn email(user: &User) -> String {
    format!("{}@test.eiaflow.example.cn", user.username)
}

/// A new report-form project of the owner's organisation with a submitted filing; returns the
/// filing and the project's name.
async fn submitted_filing(app: &TestApp, officer: &User, owner: &User) -> (api::Filing, String) {
    let project = app
        .new_project(&officer.token, owner.org(), Kind::ReportForm, json!({}))
        .await;
    let draft = app.new_filing(&owner.token, project).await;
    let filing = app.step(&owner.token, draft.id, "submit", json!({})).await;
    let name = filing.project.name.clone();
    (filing, name)
}

async fn request_correction(app: &TestApp, officer: &User, filing: &api::Filing, items: &[&str]) {
    app.step(
        &officer.token,
        filing.id,
        "request_correction",
        json!({"missing_items": items}),
    )
    .await;
}

async fn rows_with_email(app: &TestApp) -> Vec<entity::notification::Model> {
    entity::notification::Entity::find()
        .filter(entity::notification::Column::Email.is_not_null())
        .order_by_asc(entity::notification::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn to<'a>(messages: &'a [SentMail], address: &str) -> Vec<&'a SentMail> {
    messages
        .iter()
        .filter(|m| m.to.iter().any(|t| t == address))
        .collect()
}

/// Two owners, each with a submitted filing the officer asked to correct, delivered to memory.
struct Corrections {
    cast: Cast,
    filing: api::Filing,
    name: String,
    other_name: String,
    messages: Vec<SentMail>,
}

async fn corrections(app: &TestApp) -> Corrections {
    common::hold_years_through_next(app).await;
    let cast = Cast::sign_in(app).await;
    let (f1, p1) = submitted_filing(app, &cast.officer, &cast.owner).await;
    let (f2, p2) = submitted_filing(app, &cast.officer, &cast.other_owner).await;
    request_correction(
        app,
        &cast.officer,
        &f1,
        &["建设项目环评委托书原件", "公众参与说明"],
    )
    .await;
    request_correction(app, &cast.officer, &f2, &["水土保持方案批复"]).await;
    let (worker, transport) = memory_worker(app);
    let sent = drain(&worker).await;
    let messages = transport.take();
    assert_eq!(messages.len(), sent);
    Corrections {
        cast,
        filing: f1,
        name: p1,
        other_name: p2,
        messages,
    }
}

// ---------------------------------------------------------------------------------------------
// Who gets what (in memory)
// ---------------------------------------------------------------------------------------------

async fn each_message_goes_to_one_recipient_and_each_row_is_delivered(app: TestApp) {
    let c = corrections(&app).await;
    // Two submissions, each to both officers; two correction notices, each to its owner.
    let mut recipients: Vec<String> = c.messages.iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    let mut expected = vec![
        email(&c.cast.officer),
        email(&c.cast.officer),
        email(&c.cast.officer2),
        email(&c.cast.officer2),
        email(&c.cast.owner),
        email(&c.cast.other_owner),
    ];
    expected.sort();
    assert_eq!(recipients, expected);
    assert!(c.messages.iter().all(|m| m.to.len() == 1));
    // Every row with an address was sent, once, under its own message id, from the bureau.
    let rows = rows_with_email(&app).await;
    assert_eq!(rows.len(), c.messages.len());
    let ids: HashSet<&str> = c.messages.iter().map(|m| m.message_id.as_str()).collect();
    for row in &rows {
        assert_eq!(row.status, Status::Sent, "{row:?}");
        assert!(ids.contains(format!("<notification-{}@eiaflow>", row.id).as_str()));
    }
    assert!(c.messages.iter().all(|m| m.from == app.settings.mail.from));
}

async fn an_owner_is_told_every_missing_item_and_by_when(app: TestApp) {
    let c = corrections(&app).await;
    let mine = to(&c.messages, &email(&c.cast.owner));
    assert_eq!(mine.len(), 1, "{:#?}", c.messages);
    let m = mine[0];
    assert!(
        m.subject.contains("补正通知") && m.subject.contains(&c.name),
        "{}",
        m.subject
    );
    assert!(
        m.text.contains("建设项目环评委托书原件") && m.text.contains("公众参与说明"),
        "{}",
        m.text
    );
    assert!(m.text.contains("5个工作日"), "what to do and by when");
    // Mail links open the filing's page in the web interface, not the API.
    let page = format!("{}/filings/{}", app.settings.server.public_url, c.filing.id);
    let link_line = format!("查看申报：{page}");
    assert!(
        m.text.lines().any(|l| l.trim_end() == link_line),
        "a link to the filing: {}",
        m.text
    );
    assert!(m.html.contains(&format!("href=\"{page}\"")), "{}", m.html);
    assert!(m.html.contains("建设项目环评委托书原件"), "{}", m.html);
    assert!(m.html.contains("公众参与说明"), "{}", m.html);
}

async fn an_owner_never_receives_another_owners_notice(app: TestApp) {
    let c = corrections(&app).await;
    let mine = to(&c.messages, &email(&c.cast.owner));
    let theirs = to(&c.messages, &email(&c.cast.other_owner));
    assert_eq!((mine.len(), theirs.len()), (1, 1));
    for (messages, foreign) in [(&mine, &c.other_name), (&theirs, &c.name)] {
        assert!(
            messages
                .iter()
                .all(|m| !m.subject.contains(foreign.as_str())
                    && !m.text.contains(foreign.as_str())
                    && !m.html.contains(foreign.as_str()))
        );
    }
    assert!(theirs[0].text.contains("水土保持方案批复"));
}

async fn officers_hear_of_submissions(app: TestApp) {
    let c = corrections(&app).await;
    for officer in [&c.cast.officer, &c.cast.officer2] {
        let theirs = to(&c.messages, &email(officer));
        assert_eq!(theirs.len(), 2, "{}", officer.username);
        for name in [&c.name, &c.other_name] {
            assert!(
                theirs
                    .iter()
                    .any(|m| m.subject.contains("待受理") && m.subject.contains(name.as_str())),
                "{}: {name}",
                officer.username
            );
        }
    }
}

async fn the_same_notices_are_in_the_app_each_owner_only_theirs(app: TestApp) {
    let c = corrections(&app).await;
    let token = &c.cast.owner.token;
    let mine = app
        .get_ok::<api::Page<api::Notification>>("/api/v1/notifications", token)
        .await
        .items;
    assert_eq!(mine.len(), 1);
    let n = &mine[0];
    assert_eq!(n.status, "sent");
    assert_eq!(n.template, "correction_requested");
    assert!(n.subject.contains(&c.name), "{}", n.subject);
    assert_eq!(n.email.as_deref(), Some(email(&c.cast.owner).as_str()));
    assert_eq!(n.entity_id, Some(c.filing.id));
    assert!(n.sent_at.is_some() && n.read_at.is_none());
    // What was mailed is what the app shows.
    let mailed = to(&c.messages, &email(&c.cast.owner));
    assert_eq!(mailed[0].subject, n.subject);
    assert_eq!(mailed[0].text, n.body);

    let read: api::Notification = app
        .expect(
            StatusCode::OK,
            Method::POST,
            &format!("/api/v1/notifications/{}/read", n.id),
            Some(token),
            None,
        )
        .await;
    assert!(read.read_at.is_some());
    let e = app
        .expect_error(
            StatusCode::NOT_FOUND,
            Method::POST,
            &format!("/api/v1/notifications/{}/read", n.id),
            Some(&c.cast.other_owner.token),
            None,
        )
        .await;
    assert_eq!(e.code, "not_found");
    let theirs = app
        .get_ok::<api::Page<api::Notification>>("/api/v1/notifications", &c.cast.other_owner.token)
        .await
        .items;
    assert_eq!(theirs.len(), 1);
    assert_ne!(theirs[0].id, n.id);
}

// ---------------------------------------------------------------------------------------------
// Delivery by SMTP
// ---------------------------------------------------------------------------------------------

async fn smtp_delivers_every_message_once_to_its_recipient(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let cast = Cast::sign_in(&app).await;
    let (f1, p1) = submitted_filing(&app, &cast.officer, &cast.owner).await;
    request_correction(&app, &cast.officer, &f1, &["公众参与说明"]).await;
    let sent = drain(&worker(&app, smtp_settings(&app, server.port))).await;
    let rows = rows_with_email(&app).await;
    assert_eq!(sent, rows.len());
    assert_eq!(
        sent, 3,
        "the submission to both officers, the correction to the owner"
    );
    let messages = server.messages();
    assert_eq!(messages.len(), sent);
    // Each message arrived whole: to its row's address, under its row's id, with both parts.
    for row in &rows {
        let id = format!("notification-{}@eiaflow", row.id);
        let m = messages
            .iter()
            .find(|m| m.message_id == id)
            .unwrap_or_else(|| panic!("{id} not received: {messages:#?}"));
        assert_eq!(m.to, [row.email.clone().unwrap()]);
        assert_eq!(m.subject, row.subject);
        // Lines end in CRLF on the wire.
        let unwire = |s: &str| s.replace("\r\n", "\n").trim_end().to_owned();
        assert_eq!(unwire(&m.text), unwire(&row.body_text));
        assert_eq!(unwire(&m.html), unwire(&row.body_html));
        assert_eq!(row.status, Status::Sent);
    }
    let owners = messages
        .iter()
        .find(|m| m.to == [email(&cast.owner)])
        .unwrap();
    assert!(owners.subject.contains(&p1), "{}", owners.subject);
}

async fn an_outage_delays_but_loses_and_doubles_nothing(app: TestApp) {
    let Some(mut server) = SmtpServer::start() else {
        return;
    };
    server.stop();
    let officer = app.new_user("officer2", "officer", None).await;
    let mut owners = Vec::new();
    for i in 1..=5 {
        owners.push(app.new_owner(&format!("owner{i}")).await);
    }
    for (i, owner) in owners.iter().cycle().take(8).enumerate() {
        let (filing, _) = submitted_filing(&app, &officer, owner).await;
        request_correction(&app, &officer, &filing, &[&format!("材料{i}")]).await;
    }
    let w = worker(&app, smtp_settings(&app, server.port));
    let expected = rows_with_email(&app).await.len();
    assert_eq!(
        expected, 16,
        "8 submissions to the officer and 8 corrections"
    );
    // With the server down, each message fails once and waits for its retry.
    let tried = w.drain_once().await.unwrap();
    assert_eq!(tried, expected);
    let after = rows_with_email(&app).await;
    assert!(
        after
            .iter()
            .all(|n| n.status == Status::Pending && n.attempts == 1 && n.last_error.is_some()),
        "{after:#?}"
    );
    assert!(server.messages().is_empty());

    server.resume();
    assert_eq!(drain(&w).await, expected);
    let messages = server.messages();
    assert_eq!(messages.len(), expected, "every notification arrives");
    let ids: HashSet<&str> = messages.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), expected, "and none twice");
    let sent = rows_with_email(&app).await;
    assert!(
        sent.iter()
            .all(|n| n.status == Status::Sent && n.attempts == 2)
    );
    for n in &sent {
        assert!(ids.contains(format!("notification-{}@eiaflow", n.id).as_str()));
    }
    assert_eq!(drain(&w).await, 0, "nothing left to send");
}

async fn failures_park_and_an_admin_resends(app: TestApp) {
    let Some(mut server) = SmtpServer::start() else {
        return;
    };
    server.stop();
    let cast = Cast::sign_in(&app).await;
    submitted_filing(&app, &cast.officer, &cast.owner).await;
    let settings = MailSettings {
        max_attempts: 2,
        ..smtp_settings(&app, server.port)
    };
    let w = worker(&app, settings);
    w.drain_once().await.unwrap();
    w.drain_once().await.unwrap();
    let admin = &cast.admin.token;
    let failed = app
        .get_ok::<api::Page<api::Notification>>("/api/v1/admin/outbox", admin)
        .await
        .items;
    assert_eq!(failed.len(), 2, "the submission to both officers");
    assert!(
        failed
            .iter()
            .all(|n| n.status == "failed" && n.last_error.is_some() && n.attempts == 2),
        "{failed:#?}"
    );
    assert_eq!(
        w.drain_once().await.unwrap(),
        0,
        "parked messages are not retried by themselves"
    );
    let (status, body) = app.get("/api/v1/admin/outbox", &cast.officer.token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");

    server.resume();
    for n in &failed {
        let resent: api::Notification = app
            .expect(
                StatusCode::OK,
                Method::POST,
                &format!("/api/v1/admin/outbox/{}/resend", n.id),
                Some(admin),
                None,
            )
            .await;
        assert_eq!(resent.status, "pending");
    }
    assert_eq!(drain(&w).await, failed.len());
    assert_eq!(server.messages().len(), failed.len());
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            &format!("/api/v1/admin/outbox/{}/resend", failed[0].id),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(
        e.code, "invalid_state",
        "a sent message is not resent: {e:?}"
    );
    assert_eq!(server.messages().len(), failed.len());
}

async fn two_senders_deliver_each_row_once(app: TestApp) {
    use sea_orm::Set;
    const ROWS: usize = 3000;
    let now = chrono::Utc::now();
    let rows: Vec<entity::notification::ActiveModel> = (0..ROWS)
        .map(|i| entity::notification::ActiveModel {
            idempotency_key: Set(format!("load-test:{i}")),
            user_id: Set(None),
            email: Set(Some(format!("r{i}@example.cn"))),
            template: Set("filing_accepted".into()),
            subject: Set(format!("测试{i}")),
            body_text: Set("正文".into()),
            body_html: Set("<p>正文</p>".into()),
            link: Set(None),
            entity: Set(None),
            entity_id: Set(None),
            status: Set(Status::Pending),
            attempts: Set(0),
            next_attempt_at: Set(now),
            locked_until: Set(None),
            locked_by: Set(None),
            last_error: Set(None),
            sent_at: Set(None),
            read_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        entity::notification::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    let file_settings = MailSettings {
        transport: MailTransport::File,
        batch_size: 100,
        ..app.settings.mail.clone()
    };
    let a = worker(&app, file_settings.clone());
    let b = worker(&app, file_settings);
    let (na, nb) = tokio::join!(drain(&a), drain(&b));
    assert_eq!(na + nb, ROWS);
    if app.backend == "postgres" {
        assert!(na > 0 && nb > 0, "both senders took part: {na} + {nb}");
    }
    let mut ids = HashSet::new();
    let mut files = 0;
    for entry in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        let m = smtp::parse(&raw);
        assert!(
            ids.insert(m.message_id.clone()),
            "{} delivered twice",
            m.message_id
        );
        files += 1;
    }
    assert_eq!(files, ROWS, "every row delivered");
    let unsent = entity::notification::Entity::find()
        .filter(entity::notification::Column::Status.ne("sent"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(unsent.is_empty());
}

// ---------------------------------------------------------------------------------------------
// The scheduler
// ---------------------------------------------------------------------------------------------

async fn reminders_are_written_once_per_deadline(app: TestApp) {
    common::hold_years_through_next(&app).await;
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let project = cast.project(&app, Kind::ReportForm).await;
    let id = app.new_filing(officer, project).await.id;
    // Submitted and accepted on paper some weeks ago; the 30-working-day decision clock then
    // ends in the coming days, inside the years the calendar holds.
    let accepted_on = (today() - Duration::days(40)).to_string();
    app.historic(officer, id, "submit", &accepted_on, json!({}))
        .await;
    let f = app
        .historic(officer, id, "accept", &accepted_on, json!({}))
        .await;
    let due = f.clock().decision_due.expect("decision due");
    let reminders_of = || async {
        entity::notification::Entity::find()
            .filter(entity::notification::Column::Template.eq("deadline_approaching"))
            .filter(entity::notification::Column::EntityId.eq(id))
            .all(&app.db)
            .await
            .unwrap()
    };
    let settings = app.settings.clone();
    // Well before the reminder point: nothing.
    reminders::tick(&app.db, &settings, due - Duration::days(20))
        .await
        .unwrap();
    assert!(reminders_of().await.is_empty());
    // Walk day by day up to the due date, ticking twice a day.
    let mut day = due - Duration::days(10);
    while day <= due {
        reminders::tick(&app.db, &settings, day).await.unwrap();
        reminders::tick(&app.db, &settings, day).await.unwrap();
        day += Duration::days(1);
    }
    let written = reminders_of().await;
    assert_eq!(
        written.len(),
        1,
        "one reminder for the deadline, not one per tick"
    );
    let reminder = &written[0];
    assert!(
        reminder.subject.contains(&due.to_string()),
        "{}",
        reminder.subject
    );
    assert_eq!(
        reminder.user_id,
        Some(cast.officer.id),
        "the responsible officer"
    );
    assert_eq!(f.officer_id, Some(cast.officer.id));
    // Delivered to that officer alone.
    let (worker, transport) = memory_worker(&app);
    drain(&worker).await;
    let mailed: Vec<SentMail> = transport
        .take()
        .into_iter()
        .filter(|m| m.message_id == format!("<notification-{}@eiaflow>", reminder.id))
        .collect();
    assert_eq!(mailed.len(), 1);
    assert_eq!(mailed[0].to, [email(&cast.officer)]);
}

/// A point-to-point project of the owner with a service sheet kept by `officer`.
async fn a_sheet(app: &TestApp, officer: &User, owner: &User) -> api::Sheet {
    let project = app
        .new_project(
            &officer.token,
            owner.org(),
            Kind::ReportForm,
            json!({"point_to_point": true}),
        )
        .await;
    app.expect(
        StatusCode::CREATED,
        Method::POST,
        &format!("/api/v1/projects/{project}/service-sheet"),
        Some(&officer.token),
        Some(json!({"owner_contact_email": format!("contact-{}@example.cn", owner.username)})),
    )
    .await
}

async fn late_service_items_are_urged_then_supervised_once(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let responsible = &cast.officer;
    let sheet = a_sheet(&app, responsible, &cast.owner).await;
    assert_eq!(sheet.officer_id, responsible.id);
    // The responsible officer adds an item promised for a Wednesday in 2026.
    let promised = NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
    let updated: api::Sheet = app
        .expect(
            StatusCode::OK,
            Method::POST,
            &format!("/api/v1/service-sheets/{}/items", sheet.id),
            Some(&responsible.token),
            Some(json!({"kind": "document_guidance", "description": "指导编制环评报告表（测试）", "promised_on": promised})),
        )
        .await;
    assert_eq!(updated.items.len(), 1);
    let settings = app.settings.clone();
    let by_template = |t: &'static str| {
        let db = app.db.clone();
        async move {
            entity::notification::Entity::find()
                .filter(entity::notification::Column::Template.eq(t))
                .all(&db)
                .await
                .unwrap()
        }
    };
    let tick = |day: &str| {
        let (db, settings) = (app.db.clone(), settings.clone());
        let day: NaiveDate = day.parse().unwrap();
        async move { reminders::tick(&db, &settings, day).await.unwrap() }
    };
    // 11-03 is within two working days: a reminder; 11-05 it is late: urged, once.
    tick("2026-11-03").await;
    let due = by_template("service_item_due").await;
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].user_id, Some(responsible.id));
    for _ in 0..3 {
        tick("2026-11-05").await;
    }
    let urged = by_template("service_item_urged").await;
    assert_eq!(urged.len(), 1);
    assert_eq!(urged[0].user_id, Some(responsible.id));
    assert!(by_template("service_item_supervised").await.is_empty());
    // Three working days after urging (11-06, 11-09, 11-10): supervised, to the leader, once.
    tick("2026-11-09").await;
    assert!(by_template("service_item_supervised").await.is_empty());
    for _ in 0..2 {
        tick("2026-11-10").await;
    }
    let supervised = by_template("service_item_supervised").await;
    assert_eq!(supervised.len(), 1);
    assert_eq!(supervised[0].user_id, Some(cast.leader.id));
    // Each step is recorded on the sheet.
    let sheet: api::Sheet = app
        .get_ok(
            &format!("/api/v1/service-sheets/{}", sheet.id),
            &cast.officer.token,
        )
        .await;
    let item = sheet
        .items
        .iter()
        .find(|i| i.promised_on == promised)
        .unwrap();
    assert_eq!(item.urged_on, Some(common::d("2026-11-05")));
    assert_eq!(item.supervised_on, Some(common::d("2026-11-10")));
}

async fn reassignment_keeps_history_and_tells_each_person_once(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (officer1, officer2) = (&cast.officer, &cast.officer2);
    let third = app.new_owner("owner3").await;
    let owners = [&cast.owner, &cast.other_owner, &third];
    // 30 sheets of three owners, all kept by officer1.
    let mut created = Vec::new();
    let mut of_owner: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for n in 0..30 {
        let owner = owners[n % 3];
        let id = a_sheet(&app, officer1, owner).await.id;
        created.push(id);
        of_owner.entry(owner.id).or_default().push(id);
    }
    // A sheet of officer2's that the move leaves alone.
    let untouched = a_sheet(&app, officer2, &cast.owner).await.id;
    let admin = &cast.admin.token;
    let (worker, transport) = memory_worker(&app);
    drain(&worker).await;
    transport.take();
    let moved: Vec<api::Sheet> = app
        .expect(
            StatusCode::OK,
            Method::POST,
            "/api/v1/service-sheets/reassign",
            Some(admin),
            Some(json!({"from_officer_id": officer1.id, "to_officer_id": officer2.id, "reason": "工作调动"})),
        )
        .await;
    assert_eq!(moved.iter().map(|s| s.id).collect::<Vec<_>>(), created);
    for sheet in &moved {
        assert_eq!(sheet.officer_id, officer2.id);
        let last = sheet.assignments.last().unwrap();
        assert_eq!(last.previous_officer_id, Some(officer1.id));
        assert_eq!(last.officer_id, officer2.id);
        assert_eq!(last.reason.as_deref(), Some("工作调动"));
        assert_eq!(last.assigned_by, Some(cast.admin.id));
    }
    // One mail per person: the new officer lists all 30 sheets, each owner its own 10.
    drain(&worker).await;
    let mails = transport.take();
    assert_eq!(
        mails.len(),
        4,
        "{:?}",
        mails.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    let to = |user: &User| -> Vec<&SentMail> {
        mails.iter().filter(|m| m.to == [email(user)]).collect()
    };
    let officer_mail = to(officer2);
    assert_eq!(officer_mail.len(), 1);
    assert!(
        officer_mail[0].subject.contains("30个点对点服务单"),
        "{}",
        officer_mail[0].subject
    );
    for id in &created {
        assert!(
            officer_mail[0]
                .text
                .contains(&format!("（服务单 {id} 号）"))
        );
    }
    for owner in owners {
        let mine = to(owner);
        assert_eq!(mine.len(), 1, "one mail to {}", owner.username);
        let listed = mine[0].text.matches("（服务单 ").count();
        assert_eq!(listed, 10);
        for id in &of_owner[&owner.id] {
            assert!(mine[0].text.contains(&format!("（服务单 {id} 号）")));
        }
    }
    assert!(to(officer1).is_empty());
    let still: api::Sheet = app
        .get_ok(&format!("/api/v1/service-sheets/{untouched}"), admin)
        .await;
    assert_eq!(still.officer_id, officer2.id);
    assert!(
        still
            .assignments
            .iter()
            .all(|a| a.previous_officer_id.is_none())
    );
}

async fn a_sheet_is_signed_off_only_when_every_item_is_settled_and_reopens_on_change(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let (officer, owner) = (&cast.officer, &cast.owner);
    let sheet = a_sheet(&app, officer, owner).await;
    let path = format!("/api/v1/service-sheets/{}", sheet.id);
    for (kind, text) in [
        ("pre_application_consultation", "环评前期咨询（测试）"),
        ("document_guidance", "指导编制环评报告表（测试）"),
        ("evaluation_coordination", "协调技术评估（测试）"),
        ("fast_track_decision", "快速审批（测试）"),
    ] {
        app.expect::<Value>(
            StatusCode::OK,
            Method::POST,
            &format!("{path}/items"),
            Some(&officer.token),
            Some(json!({"kind": kind, "description": text, "promised_on": "2026-11-04"})),
        )
        .await;
    }
    let current: Value = app.get_ok(&path, &officer.token).await;
    let items = current["items"].as_array().unwrap().clone();
    // One done, three still planned: the owner cannot sign off, and is told which.
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/service-items/{}", items[0]["id"]),
            Some(&officer.token),
            Some(json!({"version": items[0]["version"], "status": "done", "done_on": today()})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sign_path = format!("{path}/sign-off");
    let sign = |version: Value| {
        let (app, sign_path, token) = (&app, &sign_path, &owner.token);
        async move {
            app.request(
                Method::POST,
                sign_path,
                Some(token),
                Some(json!({"version": version, "note": "服务到位"})),
            )
            .await
        }
    };
    let (status, body) = sign(current["version"].clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let err = error(&body);
    assert_eq!(err.code, "open_items");
    assert_eq!(err.fields.len(), 3);
    for text in [
        "指导编制环评报告表（测试）",
        "协调技术评估（测试）",
        "快速审批（测试）",
    ] {
        assert!(err.message.contains(text), "{}", err.message);
    }
    // Cancelling needs a reason.
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/service-items/{}", items[3]["id"]),
            Some(&officer.token),
            Some(json!({"version": items[3]["version"], "status": "cancelled"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).field_names(), ["cancel_reason"]);
    app.expect::<Value>(
        StatusCode::OK,
        Method::PATCH,
        &format!("/api/v1/service-items/{}", items[3]["id"]),
        Some(&officer.token),
        Some(json!({"version": items[3]["version"], "status": "cancelled", "cancel_reason": "项目改走告知承诺制"})),
    )
    .await;
    for item in &items[1..3] {
        app.expect::<Value>(
            StatusCode::OK,
            Method::PATCH,
            &format!("/api/v1/service-items/{}", item["id"]),
            Some(&officer.token),
            Some(json!({"version": item["version"], "status": "done", "done_on": today()})),
        )
        .await;
    }
    let (status, signed) = sign(current["version"].clone()).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert!(signed["signed_off_at"].is_string());

    // A change after the sign-off reopens the sheet, recorded, and the owner is told.
    let (worker, transport) = memory_worker(&app);
    drain(&worker).await;
    transport.take();
    let item = &signed["items"][1];
    let (status, reopened) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/service-items/{}", item["id"]),
            Some(&officer.token),
            Some(json!({"version": item["version"], "evidence": "补充办理情况说明"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(reopened["signed_off_at"], Value::Null);
    let reopenings = reopened["reopenings"].as_array().unwrap();
    assert_eq!(reopenings.len(), 1);
    assert_eq!(reopenings[0]["by"], officer.id);
    assert!(
        reopenings[0]["reason"]
            .as_str()
            .unwrap()
            .contains(item["description"].as_str().unwrap())
    );
    drain(&worker).await;
    let mails = transport.take();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, [email(owner)]);
    assert!(
        mails[0].subject.contains("重新打开"),
        "{}",
        mails[0].subject
    );
    let project = sheet.project_id;
    let audit: Value = app
        .get_ok(&format!("/api/v1/projects/{project}/audit"), &officer.token)
        .await;
    assert_eq!(audit["items"][0]["action"], "reopen");
    assert_eq!(audit["items"][1]["action"], "update_item");
    // Signed off again once re-checked.
    let (status, body) = sign(reopened["version"].clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

on_both_backends!(empty;
    each_message_goes_to_one_recipient_and_each_row_is_delivered,
    an_owner_is_told_every_missing_item_and_by_when,
    an_owner_never_receives_another_owners_notice,
    officers_hear_of_submissions,
    the_same_notices_are_in_the_app_each_owner_only_theirs,
    smtp_delivers_every_message_once_to_its_recipient,
    an_outage_delays_but_loses_and_doubles_nothing,
    failures_park_and_an_admin_resends,
    two_senders_deliver_each_row_once,
    reminders_are_written_once_per_deadline,
    late_service_items_are_urged_then_supervised_once,
    reassignment_keeps_history_and_tells_each_person_once,
    a_sheet_is_signed_off_only_when_every_item_is_settled_and_reopens_on_change,
);
