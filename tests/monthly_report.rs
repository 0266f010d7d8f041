//! The province's monthly report (陕环环评函〔2025〕46号): drafted by the scheduler's tick on the
//! 1st for the month just ended, reviewed and approved by an officer, sent to the province with
//! its workbook attached, and downloadable — on the demo ledger, on both databases.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use mail_parser::MimeHeaders;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use common::{TestApp, d, drain, memory_worker};
use eiaflow::http::{AppState, app};
use eiaflow::services::reminders;

const PROVINCE: &str = "hpc@sthjt.shaanxi.example.gov.cn";

/// The app again, its settings naming the province's address.
fn with_province(mut t: TestApp) -> TestApp {
    t.settings.scheduler.province_report_to = PROVINCE.into();
    t.router = app(AppState::new(t.db.clone(), t.settings.clone()));
    t
}

async fn tick(app: &TestApp, day: &str) -> reminders::TickReport {
    reminders::tick(&app.db, &app.settings, d(day))
        .await
        .expect("tick")
}

async fn notifications_of(app: &TestApp, template: &str) -> Vec<entity::notification::Model> {
    entity::notification::Entity::find()
        .filter(entity::notification::Column::Template.eq(template))
        .all(&app.db)
        .await
        .expect("notifications")
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    use sea_orm::QueryOrder;
    entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("monthly_report"))
        .order_by_asc(entity::audit_event::Column::Id)
        .all(&app.db)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// A sheet of a workbook as rows of cells.
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an .xlsx workbook");
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
        .rows()
        .map(|r| r.to_vec())
        .collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// 月度数据 as label → value.
fn month_figures(bytes: &[u8]) -> BTreeMap<String, f64> {
    sheet(bytes, "月度数据")
        .iter()
        .skip(3)
        .filter(|r| r.len() >= 2 && !matches!(r[1], Data::Empty))
        .map(|r| (text(&r[0]), number(&r[1])))
        .collect()
}

fn wan(v: &Value) -> f64 {
    v.as_str()
        .map(|s| s.parse().expect("an amount"))
        .or_else(|| v.as_f64())
        .expect("an amount")
}

/// The workbook's figures are the summary's on the month's last day.
fn assert_figures_match(bytes: &[u8], summary: &Value) {
    let f = month_figures(bytes);
    let get = |label: &str| *f.get(label).unwrap_or_else(|| panic!("{label} in {f:?}"));
    assert_eq!(get("台账项目（个）"), summary["projects"].as_f64().unwrap());
    assert_eq!(get("豁免环评（个）"), summary["exempt"].as_f64().unwrap());
    assert_eq!(get("应办环评（个）"), summary["required"].as_f64().unwrap());
    assert_eq!(
        get("已受理或已办结（个）"),
        summary["accepted_or_decided"].as_f64().unwrap()
    );
    assert_eq!(
        get("点对点服务项目（个）"),
        summary["point_to_point"].as_f64().unwrap()
    );
    // The rate as a percentage with two decimals, rounded half up like the summary's.
    let rate = summary["acceptance_rate"].as_f64().unwrap();
    assert_eq!(
        (get("受理审批率（按项目数）") * 100.0).round(),
        (rate * 10000.0).round()
    );
    let by_investment = summary["acceptance_rate_by_investment"].as_f64().unwrap();
    assert_eq!(
        (get("受理审批率（按投资额）") * 100.0).round(),
        (by_investment * 10000.0).round()
    );
    assert_eq!(
        format!("{:.2}", get("总投资（万元）")),
        format!("{:.2}", wan(&summary["total_investment_wan"]))
    );
    assert_eq!(
        format!("{:.2}", get("已受理或已办结项目投资（万元）")),
        format!("{:.2}", wan(&summary["accepted_investment_wan"]))
    );
}

async fn a_tick_on_the_first_drafts_the_month_just_ended_once(app: TestApp) {
    let app = with_province(app);
    let officer = app.login("officer1").await;
    let (status, _) = app.get("/api/v1/reports/monthly/2023-06", &officer).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing before the tick");

    let first = tick(&app, "2023-07-01").await;
    assert_eq!(first.monthly_reports_drafted, 1);
    assert_eq!(tick(&app, "2023-07-01").await.monthly_reports_drafted, 0);
    assert_eq!(tick(&app, "2023-07-03").await.monthly_reports_drafted, 0);

    let report: Value = app
        .get_ok("/api/v1/reports/monthly/2023-06", &officer)
        .await;
    assert_eq!(report["status"], "draft");
    assert_eq!(report["status_label"], "草稿");
    assert_eq!(report["version"], 1);
    assert_eq!(report["as_of"], "2023-06-30");
    let (_, summary) = app
        .get("/api/v1/reports/summary?as_of=2023-06-30", &officer)
        .await;
    for figure in [
        "projects",
        "exempt",
        "required",
        "point_to_point",
        "accepted_or_decided",
        "acceptance_rate",
        "acceptance_rate_by_investment",
        "total_investment_wan",
        "accepted_investment_wan",
    ] {
        assert_eq!(report["figures"][figure], summary[figure], "{figure}");
    }
    assert_eq!(report["figures"]["required"], 158);
    assert_eq!(report["figures"]["accepted_or_decided"], 153);

    // The officers hear of it, once each, with a link to the page; the province nothing yet.
    let officers = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Role.eq("officer"))
        .filter(entity::app_user::Column::Active.eq(true))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!officers.is_empty());
    let notices = notifications_of(&app, "monthly_report_drafted").await;
    assert_eq!(notices.len(), officers.len());
    let mut told: Vec<i64> = notices.iter().filter_map(|n| n.user_id).collect();
    told.sort();
    let mut expected: Vec<i64> = officers.iter().map(|o| o.id).collect();
    expected.sort();
    assert_eq!(told, expected);
    for n in &notices {
        assert!(n.subject.contains("2023年6月"), "{}", n.subject);
        assert!(
            n.link
                .as_deref()
                .is_some_and(|l| l.ends_with("/reports/monthly?month=2023-06")),
            "{:?}",
            n.link
        );
        assert!(n.body_text.contains(PROVINCE), "{}", n.body_text);
    }
    assert!(
        notifications_of(&app, "province_monthly_report")
            .await
            .is_empty(),
        "the province is no longer mailed by the tick"
    );
    let (worker, transport) = memory_worker(&app);
    drain(&worker).await;
    let sent = transport.messages();
    assert!(sent.iter().all(|m| !m.to.iter().any(|t| t == PROVINCE)));
    assert!(
        sent.iter().any(|m| m.subject.contains("待审核")),
        "the officers' notice went out by mail"
    );
    assert_eq!(audit_actions(&app).await, ["draft"]);
}

async fn the_workbook_holds_the_figures_and_one_row_per_service_item(app: TestApp) {
    tick(&app, "2023-07-01").await;
    let officer = app.login("officer1").await;
    let leader = app.login("leader").await;
    let owner = app.login("owner1").await;
    let reply = app
        .send(
            Method::GET,
            "/api/v1/reports/monthly/2023-06.xlsx",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.contains("spreadsheetml")),
        "{:?}",
        reply.header("content-type")
    );
    assert!(
        reply
            .header("content-disposition")
            .is_some_and(|c| c.contains("attachment")),
    );
    let bytes = reply.bytes;

    let (_, summary) = app
        .get("/api/v1/reports/summary?as_of=2023-06-30", &leader)
        .await;
    assert_figures_match(&bytes, &summary);

    let figures = sheet(&bytes, "月度数据");
    assert!(
        text(&figures[0][0]).contains("商洛市生态环境局"),
        "{:?}",
        figures[0]
    );
    assert!(text(&figures[0][0]).contains("2023年6月"));
    assert!(text(&figures[1][0]).contains("填报单位"));
    assert!(text(&figures[1][0]).contains("2023-06-30"));

    // 服务台账: a title, a 填报单位/日期 line, the header, then one row per service item.
    let ledger = sheet(&bytes, "服务台账");
    assert!(text(&ledger[0][0]).contains("服务台账"));
    assert!(text(&ledger[1][0]).starts_with("填报单位"));
    let header: Vec<String> = ledger[2].iter().map(text).collect();
    for column in [
        "项目名称",
        "投资项目统一代码",
        "县区",
        "重点项目级别",
        "建设单位",
        "总投资（万元）",
        "服务事项",
        "承诺办结日期",
        "事项状态",
        "办结日期",
        "责任人",
        "服务单状态",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows = &ledger[3..];
    let codes: BTreeSet<String> = rows
        .iter()
        .map(|r| text(&r[at("投资项目统一代码")]))
        .collect();
    assert_eq!(codes.len(), 59, "the 59 point-to-point projects");
    assert_eq!(summary["point_to_point"], 59);

    // Every item of their sheets, one row each, with its description.
    let projects = entity::project::Entity::find()
        .filter(entity::project::Column::PointToPoint.eq(true))
        .all(&app.db)
        .await
        .unwrap();
    let sheets = entity::service_sheet::Entity::find()
        .filter(entity::service_sheet::Column::ProjectId.is_in(projects.iter().map(|p| p.id)))
        .all(&app.db)
        .await
        .unwrap();
    let items = entity::service_item::Entity::find()
        .filter(entity::service_item::Column::SheetId.is_in(sheets.iter().map(|s| s.id)))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!items.is_empty());
    let with_items: BTreeSet<i64> = items.iter().map(|i| i.sheet_id).collect();
    let without = projects.len() - with_items.len();
    assert_eq!(rows.len(), items.len() + without, "one row per item");
    let mut shown: Vec<String> = rows
        .iter()
        .map(|r| text(&r[at("服务事项")]))
        .filter(|s| !s.is_empty())
        .collect();
    let mut stored: Vec<String> = items.iter().map(|i| i.description.clone()).collect();
    shown.sort();
    stored.sort();
    assert_eq!(shown, stored);
    let statuses: BTreeSet<String> = rows.iter().map(|r| text(&r[at("事项状态")])).collect();
    assert!(
        statuses
            .iter()
            .all(|s| ["待办", "办理中", "已办结", "已取消", ""].contains(&s.as_str())),
        "{statuses:?}"
    );
    assert!(
        rows.iter()
            .all(|r| matches!(r[at("总投资（万元）")], Data::Float(_))),
        "amounts are numbers"
    );

    // Leaders read it too; owners do not.
    let reply = app
        .send(
            Method::GET,
            "/api/v1/reports/monthly/2023-06.xlsx",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let (status, _) = app
        .get("/api/v1/reports/monthly/2023-06.xlsx", &owner)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get("/api/v1/reports/monthly/2023-06", &owner).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.get("/api/v1/reports/monthly/2023-13", &officer).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app
        .get("/api/v1/reports/monthly/2023-05.xlsx", &officer)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "May was never drafted");
}

async fn approval_sends_the_report_to_the_province_with_its_workbook(app: TestApp) {
    let app = with_province(app);
    tick(&app, "2023-07-01").await;
    let (worker, transport) = memory_worker(&app);
    drain(&worker).await;
    transport.take();

    let officer = app.login("officer1").await;
    for who in ["leader", "owner1"] {
        let token = app.login(who).await;
        let (status, body) = app
            .request(
                Method::POST,
                "/api/v1/reports/monthly/2023-06/approve",
                Some(&token),
                Some(json!({"version": 1})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
    }
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/reports/monthly/2023-06/approve",
            Some(&officer),
            Some(json!({"version": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "stale_version");
    assert_eq!(
        app.get_ok::<Value>("/api/v1/reports/monthly/2023-06", &officer)
            .await["status"],
        "draft",
        "nothing changed"
    );

    let (status, approved) = app
        .request(
            Method::POST,
            "/api/v1/reports/monthly/2023-06/approve",
            Some(&officer),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["send_to"], PROVINCE);
    assert_eq!(approved["not_sent"], false);
    assert!(approved["approved_by_name"].is_string());
    let (status, again) = app
        .request(
            Method::POST,
            "/api/v1/reports/monthly/2023-06/approve",
            Some(&officer),
            Some(json!({"version": approved["version"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["error"]["code"], "invalid_state");

    // The worker delivers it: to the province, with the workbook.
    drain(&worker).await;
    let sent = transport.take();
    let to_province: Vec<_> = sent
        .iter()
        .filter(|m| m.to.iter().any(|t| t == PROVINCE))
        .collect();
    assert_eq!(to_province.len(), 1, "{sent:?}");
    let mail = to_province[0];
    assert!(mail.subject.contains("2023年6月"), "{}", mail.subject);
    assert!(mail.text.contains("见附件"), "{}", mail.text);
    let row = &notifications_of(&app, "province_monthly_report").await[0];
    assert_eq!(
        mail.message_id,
        format!("<notification-{}@eiaflow>", row.id)
    );
    let parsed = mail_parser::MessageParser::default()
        .parse(&mail.raw)
        .expect("a well-formed message");
    assert_eq!(parsed.attachment_count(), 1);
    let attachment = parsed.attachment(0).unwrap();
    let name = attachment.attachment_name().unwrap_or_default();
    assert!(name.ends_with("2023年6月环评服务月报.xlsx"), "{name}");
    let (_, summary) = app
        .get("/api/v1/reports/summary?as_of=2023-06-30", &officer)
        .await;
    assert_figures_match(attachment.contents(), &summary);
    // The file attached is the file approved, and the one the API serves from now on.
    let download = app
        .send(
            Method::GET,
            "/api/v1/reports/monthly/2023-06.xlsx",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(download.bytes, attachment.contents());

    let report: Value = app
        .get_ok("/api/v1/reports/monthly/2023-06", &officer)
        .await;
    assert_eq!(report["status"], "sent");
    assert_eq!(report["status_label"], "已报送");
    assert!(report["sent_at"].is_string());
    assert_eq!(drain(&worker).await, 0, "sent once");
    assert_eq!(audit_actions(&app).await, ["draft", "approve", "send"]);
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/reports/monthly/2023-06/draft",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a sent report is not drafted again"
    );
}

async fn without_an_address_an_approved_report_is_marked_not_sent(app: TestApp) {
    assert!(app.settings.scheduler.province_report_to.is_empty());
    tick(&app, "2023-07-01").await;
    let officer = app.login("officer1").await;
    let approved: Value = app
        .expect(
            StatusCode::OK,
            Method::POST,
            "/api/v1/reports/monthly/2023-06/approve",
            Some(&officer),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["not_sent"], true);
    assert!(approved["send_to"].is_null());
    assert!(
        notifications_of(&app, "province_monthly_report")
            .await
            .is_empty()
    );
    let (worker, _) = memory_worker(&app);
    drain(&worker).await;
    let report: Value = app
        .get_ok("/api/v1/reports/monthly/2023-06", &officer)
        .await;
    assert_eq!(report["status"], "approved", "not sent");

    let session = app.web_login("officer1").await;
    let page = app
        .page(
            Method::GET,
            "/reports/monthly?month=2023-06",
            Some(&session),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert!(html.contains("已审核"), "{html}");
    assert!(
        html.contains("data-not-sent"),
        "the page says it was not sent"
    );
    assert!(
        !html.contains("/reports/monthly/approve"),
        "no approve button any more"
    );
}

async fn an_officer_drafts_again_while_a_draft_and_a_stale_approval_is_refused(app: TestApp) {
    tick(&app, "2023-07-01").await;
    let officer = app.login("officer1").await;
    let leader = app.login("leader").await;
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/reports/monthly/2023-06/draft",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let redrafted: Value = app
        .expect(
            StatusCode::OK,
            Method::POST,
            "/api/v1/reports/monthly/2023-06/draft",
            Some(&officer),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(redrafted["status"], "draft");
    assert_eq!(redrafted["version"], 2);
    // Approving what was read before the redraft is refused.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/reports/monthly/2023-06/approve",
            Some(&officer),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "stale_version");
    // A month drafted by hand for the first time, and a month not over yet refused.
    let may: Value = app
        .expect(
            StatusCode::OK,
            Method::POST,
            "/api/v1/reports/monthly/2023-05/draft",
            Some(&officer),
            Some(json!({})),
        )
        .await;
    assert_eq!(may["as_of"], "2023-05-31");
    let this_month = common::today().format("%Y-%m").to_string();
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/reports/monthly/{this_month}/draft"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(audit_actions(&app).await, ["draft", "redraft", "draft"]);
}

async fn the_page_shows_the_draft_and_an_officer_approves_it_there(app: TestApp) {
    let app = with_province(app);
    tick(&app, "2023-07-01").await;
    let leader = app.web_login("leader").await;
    let html = app
        .page(Method::GET, "/reports/monthly?month=2023-06", Some(&leader))
        .await
        .html();
    assert!(html.contains("data-report-status=\"draft\""), "{html}");
    assert!(html.contains("/reports/monthly.xlsx?month=2023-06"));
    assert!(
        !html.contains("/reports/monthly/approve"),
        "leaders do not approve"
    );

    let session = app.web_login("officer1").await;
    let page = app
        .page(
            Method::GET,
            "/reports/monthly?month=2023-06",
            Some(&session),
        )
        .await;
    let html = page.html();
    assert!(html.contains("草稿"));
    assert!(html.contains("action=\"/reports/monthly/approve\""));
    assert!(
        html.contains("data-confirm=\"确定审核通过2023年6月月报"),
        "{html}"
    );
    // The figures shown are the draft's.
    assert!(html.contains(">153</a>"), "{html}");
    let download = app
        .page(
            Method::GET,
            "/reports/monthly.xlsx?month=2023-06",
            Some(&session),
        )
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(month_figures(&download.bytes)["应办环评（个）"], 158.0);

    let version = common::web::hidden_value(
        &html[html.find("/reports/monthly/approve").unwrap()..],
        "version",
    )
    .expect("the version in the form");
    let reply = app
        .post_form(
            "/reports/monthly/approve",
            &session,
            &[("month", "2023-06"), ("version", &version)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.html());
    assert!(reply.flash().contains(PROVINCE), "{}", reply.flash());
    let html = app.follow(&reply, &session).await;
    assert!(html.contains("data-report-status=\"approved\""), "{html}");
    assert!(html.contains("由"), "who approved");
    // The same form again: the report is no longer a draft.
    let reply = app
        .post_form(
            "/reports/monthly/approve",
            &session,
            &[("month", "2023-06"), ("version", &version)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.flash().contains("已审核"), "{}", reply.flash());
}

/// Two servers ticking on the 1st at the same moment: one draft, one notice per officer.
async fn two_schedulers_ticking_at_once_draft_the_month_once(app: TestApp) {
    let ticks: Vec<_> = (0..2)
        .map(|_| {
            let db = app.db.clone();
            let settings = app.settings.clone();
            tokio::spawn(async move {
                eiaflow::services::monthly_reports::draft_due(&db, &settings, d("2023-07-01"))
                    .await
                    .expect("draft")
            })
        })
        .collect();
    let mut drafted = 0;
    for t in ticks {
        drafted += t.await.expect("the tick");
    }
    assert_eq!(drafted, 1);
    let reports = entity::monthly_report::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].month, "2023-06");
    let notices = notifications_of(&app, "monthly_report_drafted").await;
    let officers: BTreeSet<Option<i64>> = notices.iter().map(|n| n.user_id).collect();
    assert_eq!(officers.len(), notices.len(), "one notice per officer");
    assert_eq!(audit_actions(&app).await, ["draft"]);
}

crate::on_both_backends!(demo;
    a_tick_on_the_first_drafts_the_month_just_ended_once,
    the_workbook_holds_the_figures_and_one_row_per_service_item,
    approval_sends_the_report_to_the_province_with_its_workbook,
    without_an_address_an_approved_report_is_marked_not_sent,
    an_officer_drafts_again_while_a_draft_and_a_stale_approval_is_refused,
    the_page_shows_the_draft_and_an_officer_approves_it_there,
);
crate::on_both_backends!(demo, at_once; two_schedulers_ticking_at_once_draft_the_month_once);
