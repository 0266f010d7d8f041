//! Notifications end to end: the outbox rows a change writes, delivered by the worker to a real
//! SMTP server on loopback, through an outage, by two senders at once, and the scheduler's
//! reminders and escalations written once however often it ticks.
mod common;
#[path = "common/smtp.rs"]
mod smtp;

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use common::TestApp;
use eiaflow::config::{MailSettings, MailTransport, SmtpSecurity};
use eiaflow::notify::mailer::Mailer;
use eiaflow::notify::worker::Worker;
use eiaflow::services::reminders;
use entity::notification::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use smtp::SmtpServer;

static CODES: AtomicU32 = AtomicU32::new(1);

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

/// Drains until a pass handles nothing.
async fn drain(worker: &Worker) -> usize {
    let mut total = 0;
    loop {
        let n = worker.drain_once().await.expect("drain");
        if n == 0 {
            return total;
        }
        total += n;
    }
}

async fn organization_of(app: &TestApp, owner: &str) -> i64 {
    let token = app.login(owner).await;
    let (_, me) = app.get("/api/v1/auth/me", &token).await;
    me["organization_id"].as_i64().unwrap()
}

/// A new report-form project of the owner's organisation with a submitted filing; returns the
/// filing and the project's name.
async fn submitted_filing(app: &TestApp, officer: &str, owner: &str) -> (Value, String) {
    let org = organization_of(app, owner).await;
    let n = CODES.fetch_add(1, Ordering::Relaxed);
    let name = format!("邮件测试项目{n}号");
    let (status, project) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(officer),
            Some(
                json!({"name": name, "project_code": format!("2601-611002-04-01-{:06}", 800000 + n),
                        "organization_id": org, "county": "611002", "industry": "transport",
                        "total_investment_wan": "12000.00"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{project}");
    let (status, c) = app
        .request(
            Method::PUT,
            &format!("/api/v1/projects/{}/classification", project["id"]),
            Some(officer),
            Some(json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": 12, "sensitive_areas": []}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let owner_token = app.login(owner).await;
    let (status, filing) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{}/filings", project["id"]),
            Some(&owner_token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{filing}");
    let (status, filing) = app
        .request(
            Method::POST,
            &format!("/api/v1/filings/{}/actions", filing["id"]),
            Some(&owner_token),
            Some(json!({"action": "submit", "version": filing["version"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{filing}");
    (filing, name)
}

async fn request_correction(app: &TestApp, officer: &str, filing: &Value, items: &[&str]) -> Value {
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/filings/{}/actions", filing["id"]),
            Some(officer),
            Some(json!({"action": "request_correction", "version": filing["version"], "missing_items": items})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn email_of(app: &TestApp, username: &str) -> String {
    entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .email
        .unwrap()
}

async fn owners_get_their_own_notices_by_smtp(app: TestApp) {
    let Some(server) = SmtpServer::start() else {
        return;
    };
    let officer = app.login("officer1").await;
    let (f1, p1) = submitted_filing(&app, &officer, "owner1").await;
    let (f2, p2) = submitted_filing(&app, &officer, "owner2").await;
    request_correction(
        &app,
        &officer,
        &f1,
        &["建设项目环评委托书原件", "公众参与说明"],
    )
    .await;
    request_correction(&app, &officer, &f2, &["水土保持方案批复"]).await;

    let sent = drain(&worker(&app, smtp_settings(&app, server.port))).await;
    assert!(
        sent >= 4,
        "two submissions to the officers and two correction notices: {sent}"
    );
    let messages = server.messages();
    assert_eq!(messages.len(), sent);

    let owner1 = email_of(&app, "owner1").await;
    let owner2 = email_of(&app, "owner2").await;
    let to_owner1: Vec<_> = messages.iter().filter(|m| m.to.contains(&owner1)).collect();
    let to_owner2: Vec<_> = messages.iter().filter(|m| m.to.contains(&owner2)).collect();
    assert_eq!(to_owner1.len(), 1, "{messages:#?}");
    assert_eq!(to_owner2.len(), 1);
    let m = to_owner1[0];
    assert!(
        m.subject.contains("补正通知") && m.subject.contains(&p1),
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
    let page = format!("{}/filings/{}", app.settings.server.public_url, f1["id"]);
    let link_line = format!("查看申报：{page}");
    assert!(
        m.text.lines().any(|l| l.trim_end() == link_line),
        "a link to the filing: {}",
        m.text
    );
    assert!(m.html.contains(&format!("href=\"{page}\"")), "{}", m.html);
    assert!(m.html.contains("建设项目环评委托书原件"));
    // An owner never receives another owner's notice.
    assert!(
        to_owner1
            .iter()
            .all(|m| !m.subject.contains(&p2) && !m.text.contains(&p2))
    );
    assert!(
        to_owner2
            .iter()
            .all(|m| !m.subject.contains(&p1) && !m.text.contains(&p1))
    );
    // Officers hear of the submissions.
    let officer1 = email_of(&app, "officer1").await;
    assert!(messages.iter().any(|m| m.to.contains(&officer1)
        && m.subject.contains("待受理")
        && m.subject.contains(&p1)));
    // Every message went to exactly one recipient.
    assert!(messages.iter().all(|m| m.to.len() == 1));

    // The same notices in the app, each owner only theirs.
    let token = app.login("owner1").await;
    let (_, mine) = app.get("/api/v1/notifications", &token).await;
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["status"], "sent");
    assert!(mine[0]["subject"].as_str().unwrap().contains(&p1));
    let (status, read) = app
        .request(
            Method::POST,
            &format!("/api/v1/notifications/{}/read", mine[0]["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(read["read_at"].is_string());
    let other = app.login("owner2").await;
    let (status, _) = app
        .request(
            Method::POST,
            &format!("/api/v1/notifications/{}/read", mine[0]["id"]),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn an_outage_delays_but_loses_and_doubles_nothing(app: TestApp) {
    let Some(mut server) = SmtpServer::start() else {
        return;
    };
    server.stop();
    let officer = app.login("officer2").await;
    let owners = ["owner1", "owner2", "owner3", "owner4", "owner5"];
    for (i, owner) in owners.iter().cycle().take(8).enumerate() {
        let (filing, _) = submitted_filing(&app, &officer, owner).await;
        request_correction(&app, &officer, &filing, &[&format!("材料{i}")]).await;
    }
    let settings = smtp_settings(&app, server.port);
    let w = worker(&app, settings);
    let rows = || async {
        entity::notification::Entity::find()
            .filter(entity::notification::Column::Email.is_not_null())
            .all(&app.db)
            .await
            .unwrap()
    };
    let expected = rows().await.len();
    assert!(expected >= 16, "{expected}");
    // With the server down, each message fails once and waits for its retry.
    let tried = w.drain_once().await.unwrap();
    assert_eq!(tried, expected);
    let after = rows().await;
    assert!(
        after
            .iter()
            .all(|n| n.status == Status::Pending && n.attempts == 1 && n.last_error.is_some())
    );
    assert!(server.messages().is_empty());

    server.resume();
    assert_eq!(drain(&w).await, expected);
    let messages = server.messages();
    assert_eq!(messages.len(), expected, "every notification arrives");
    let ids: HashSet<&str> = messages.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), expected, "and none twice");
    let sent = rows().await;
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
    let officer = app.login("officer1").await;
    submitted_filing(&app, &officer, "owner3").await;
    let settings = MailSettings {
        max_attempts: 2,
        ..smtp_settings(&app, server.port)
    };
    let w = worker(&app, settings);
    w.drain_once().await.unwrap();
    w.drain_once().await.unwrap();
    let admin = app.login("admin").await;
    let (status, failed) = app.get("/api/v1/admin/outbox", &admin).await;
    assert_eq!(status, StatusCode::OK);
    let failed = failed.as_array().unwrap().clone();
    assert!(!failed.is_empty());
    assert!(
        failed
            .iter()
            .all(|n| n["status"] == "failed" && n["last_error"].is_string() && n["attempts"] == 2)
    );
    assert_eq!(
        w.drain_once().await.unwrap(),
        0,
        "parked messages are not retried by themselves"
    );
    let (status, _) = app.get("/api/v1/admin/outbox", &officer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    server.resume();
    for n in &failed {
        let (status, body) = app
            .request(
                Method::POST,
                &format!("/api/v1/admin/outbox/{}/resend", n["id"]),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "pending");
    }
    assert_eq!(drain(&w).await, failed.len());
    assert_eq!(server.messages().len(), failed.len());
    let (status, _) = app
        .request(
            Method::POST,
            &format!("/api/v1/admin/outbox/{}/resend", failed[0]["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a sent message is not resent");
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

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

async fn reminders_are_written_once_per_deadline(app: TestApp) {
    common::hold_years_through_next(&app).await;
    let officer = app.login("officer1").await;
    let org = organization_of(&app, "owner4").await;
    let n = CODES.fetch_add(1, Ordering::Relaxed);
    let (_, project) = app
        .request(Method::POST, "/api/v1/projects", Some(&officer),
            Some(json!({"name": format!("提醒测试项目{n}"), "project_code": format!("2601-611021-04-01-{:06}", 900000 + n),
                        "organization_id": org, "county": "611021", "industry": "water", "total_investment_wan": "800.00"})))
        .await;
    app.request(Method::PUT, &format!("/api/v1/projects/{}/classification", project["id"]), Some(&officer),
        Some(json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": 12, "sensitive_areas": []}})))
        .await;
    let (_, filing) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{}/filings", project["id"]),
            Some(&officer),
            None,
        )
        .await;
    // Submitted and accepted on paper some weeks ago; the 30-working-day decision clock then
    // ends in the coming days, inside the years the calendar holds.
    let accepted_on = today() - Duration::days(40);
    let mut f = filing;
    for (action, extra) in [
        ("submit", json!({"on_behalf_of_owner": true})),
        ("accept", json!({})),
    ] {
        let mut body =
            json!({"action": action, "version": f["version"], "effective_on": accepted_on});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, next) = app
            .request(
                Method::POST,
                &format!("/api/v1/filings/{}/actions", f["id"]),
                Some(&officer),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{next}");
        f = next;
    }
    let due: NaiveDate = f["clock"]["decision_due"]
        .as_str()
        .expect("decision due")
        .parse()
        .unwrap();
    let count = || async {
        entity::notification::Entity::find()
            .filter(entity::notification::Column::Template.eq("deadline_approaching"))
            .filter(entity::notification::Column::EntityId.eq(f["id"].as_i64().unwrap()))
            .all(&app.db)
            .await
            .unwrap()
            .len()
    };
    let settings = app.settings.clone();
    // Well before the reminder point: nothing.
    reminders::tick(&app.db, &settings, due - Duration::days(20))
        .await
        .unwrap();
    assert_eq!(count().await, 0);
    // Walk day by day up to the due date, ticking twice a day.
    let mut day = due - Duration::days(10);
    while day <= due {
        reminders::tick(&app.db, &settings, day).await.unwrap();
        reminders::tick(&app.db, &settings, day).await.unwrap();
        day += Duration::days(1);
    }
    assert_eq!(
        count().await,
        1,
        "one reminder for the deadline, not one per tick"
    );
    let reminder = entity::notification::Entity::find()
        .filter(entity::notification::Column::Template.eq("deadline_approaching"))
        .filter(entity::notification::Column::EntityId.eq(f["id"].as_i64().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        reminder.subject.contains(&due.to_string()),
        "{}",
        reminder.subject
    );
    assert_eq!(
        reminder.user_id,
        Some(f["officer_id"].as_i64().unwrap()),
        "the responsible officer"
    );
}

async fn late_service_items_are_urged_then_supervised_once(app: TestApp) {
    let officer = app.login("officer1").await;
    let (_, sheets) = app.get("/api/v1/service-sheets", &officer).await;
    let sheet = sheets
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["officer_name"].as_str().is_some())
        .unwrap()
        .clone();
    // The responsible officer adds an item promised for a Wednesday in 2026.
    let responsible = entity::app_user::Entity::find_by_id(sheet["officer_id"].as_i64().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let token = app.login(&responsible.username).await;
    let promised = NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
    let (status, updated) = app
        .request(Method::POST, &format!("/api/v1/service-sheets/{}/items", sheet["id"]), Some(&token),
            Some(json!({"kind": "document_guidance", "description": "指导编制环评报告表（测试）", "promised_on": promised})))
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
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
    // 11-03 is within two working days: a reminder; 11-05 it is late: urged, once.
    reminders::tick(
        &app.db,
        &settings,
        NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(by_template("service_item_due").await.len(), 1);
    for _ in 0..3 {
        reminders::tick(
            &app.db,
            &settings,
            NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
        )
        .await
        .unwrap();
    }
    let urged = by_template("service_item_urged").await;
    assert_eq!(urged.len(), 1);
    assert_eq!(urged[0].user_id, Some(responsible.id));
    assert!(by_template("service_item_supervised").await.is_empty());
    // Three working days after urging (11-06, 11-09, 11-10): supervised, to the leader, once.
    reminders::tick(
        &app.db,
        &settings,
        NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(),
    )
    .await
    .unwrap();
    assert!(by_template("service_item_supervised").await.is_empty());
    for _ in 0..2 {
        reminders::tick(
            &app.db,
            &settings,
            NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
        )
        .await
        .unwrap();
    }
    let supervised = by_template("service_item_supervised").await;
    assert_eq!(supervised.len(), 1);
    let leader = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Username.eq("leader"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(supervised[0].user_id, Some(leader.id));
    // Each step is recorded on the sheet.
    let (_, sheet) = app
        .get(&format!("/api/v1/service-sheets/{}", sheet["id"]), &officer)
        .await;
    let item = sheet["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["promised_on"] == "2026-11-04")
        .unwrap();
    assert_eq!(item["urged_on"], "2026-11-05");
    assert_eq!(item["supervised_on"], "2026-11-10");
}

async fn reassignment_keeps_history_and_tells_both(app: TestApp) {
    let admin = app.login("admin").await;
    let (_, users) = app.get("/api/v1/users", &admin).await;
    let id_of = |name: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (officer1, officer2) = (id_of("officer1"), id_of("officer2"));
    let (_, sheets) = app
        .get(
            &format!("/api/v1/service-sheets?officer_id={officer1}"),
            &admin,
        )
        .await;
    let count = sheets.as_array().unwrap().len();
    assert!(count > 0);
    let (status, moved) = app
        .request(Method::POST, "/api/v1/service-sheets/reassign", Some(&admin),
            Some(json!({"from_officer_id": officer1, "to_officer_id": officer2, "reason": "工作调动"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved.as_array().unwrap().len(), count);
    for sheet in moved.as_array().unwrap() {
        assert_eq!(sheet["officer_id"], officer2);
        let history = sheet["assignments"].as_array().unwrap();
        assert_eq!(history.last().unwrap()["previous_officer_id"], officer1);
        assert_eq!(history.last().unwrap()["reason"], "工作调动");
    }
    let notices = entity::notification::Entity::find()
        .filter(entity::notification::Column::Template.eq("sheet_reassigned"))
        .all(&app.db)
        .await
        .unwrap();
    let to_officer = notices
        .iter()
        .filter(|n| n.user_id == Some(officer2))
        .count();
    assert_eq!(to_officer, count, "the new officer hears of each sheet");
    assert!(notices.len() > count, "and so do the owners");
    let mut by_sheet: BTreeMap<i64, usize> = BTreeMap::new();
    for n in &notices {
        *by_sheet.entry(n.entity_id.unwrap()).or_default() += 1;
    }
    assert_eq!(by_sheet.len(), count);
}

on_both_backends!(
    owners_get_their_own_notices_by_smtp,
    an_outage_delays_but_loses_and_doubles_nothing,
    failures_park_and_an_admin_resends,
    two_senders_deliver_each_row_once,
    reminders_are_written_once_per_deadline,
    late_service_items_are_urged_then_supervised_once,
    reassignment_keeps_history_and_tells_both,
);
