//! The administrators' pages through the router: each form stores what it says, other roles get
//! the 403 page, bad input comes back as 422 with the message beside its field, and a calendar
//! preview changes nothing until it is confirmed.
mod common;

use axum::http::{Method, StatusCode};
use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use common::build::{Cast, Kind};
use common::web::Session;
use common::{Reply, TestApp};

async fn sign_in(app: &TestApp, username: &str) -> Session {
    app.web_login(username).await
}

async fn get(app: &TestApp, s: &Session, path: &str) -> Reply {
    app.page(Method::GET, path, Some(s)).await
}

/// Posts a form (with the session's token) and answers the reply.
async fn post(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> Reply {
    app.post_form(path, s, fields).await
}

async fn post_multipart(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> Reply {
    app.post_multipart(path, s, fields, &[]).await
}

async fn user_row(app: &TestApp, username: &str) -> entity::app_user::Model {
    entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .expect("read users")
        .unwrap_or_else(|| panic!("no user {username}"))
}

async fn pages_are_for_administrators_only(app: TestApp) {
    let paths = [
        "/admin",
        "/admin/users",
        "/admin/users/new",
        "/admin/calendar",
        "/admin/exemptions",
        "/admin/assignment-rules",
        "/admin/outbox",
        "/admin/audit",
    ];
    for who in ["officer1", "leader", "owner1"] {
        let s = sign_in(&app, who).await;
        for path in paths {
            let reply = get(&app, &s, path).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who} GET {path}");
            assert!(reply.html().contains("无权访问"), "{who} {path}");
        }
        let reply = post(&app, &s, "/admin/users", &[("username", "sneaky")]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who} POST");
    }
    assert!(
        entity::app_user::Entity::find()
            .filter(entity::app_user::Column::Username.eq("sneaky"))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );

    let admin = sign_in(&app, "admin").await;
    for path in paths {
        let reply = get(&app, &admin, path).await;
        assert_eq!(reply.status, StatusCode::OK, "admin GET {path}");
    }
    let home = get(&app, &admin, "/admin").await.html();
    let next = common::today().year() + 1;
    assert!(
        home.contains(&format!("尚未载入{next}年的节假日安排")),
        "the overview warns of the missing year"
    );
    assert!(home.contains("data-count=\"users\""));
    // A signed-out visitor is sent to sign in, coming back here.
    let reply = app.send(Method::GET, "/admin/users", None, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        reply
            .location()
            .unwrap_or_default()
            .starts_with("/login?next=")
    );
}

async fn users_are_created_edited_deactivated_and_reset(app: TestApp) {
    let admin = sign_in(&app, "admin").await;
    // A bad username: 422, the message beside the field, the values typed kept.
    let bad = post(
        &app,
        &admin,
        "/admin/users",
        &[
            ("username", "Wang Wu"),
            ("display_name", "王五"),
            ("role", "officer"),
            ("email", "wangwu@example.cn"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.html();
    assert!(
        page.contains("<p class=\"field-error\">用户名须为3–32位"),
        "{page}"
    );
    assert!(
        page.contains("value=\"王五\""),
        "the display name typed is kept"
    );
    assert!(page.contains("value=\"wangwu@example.cn\""));
    // An owner account without its organisation.
    let no_org = post(
        &app,
        &admin,
        "/admin/users",
        &[("username", "owner9"), ("role", "owner")],
    )
    .await;
    assert_eq!(no_org.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_org.html().contains("建设单位账号必须关联一个建设单位"));
    // A username taken.
    let taken = post(
        &app,
        &admin,
        "/admin/users",
        &[("username", "officer1"), ("role", "officer")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.html().contains("已被使用"));

    // Created without a password: a temporary one, shown once, to be changed at sign-in.
    let leader = user_row(&app, "leader").await;
    let created = post(
        &app,
        &admin,
        "/admin/users",
        &[
            ("username", "wangwu"),
            ("display_name", "王五"),
            ("role", "officer"),
            ("email", "wangwu@example.cn"),
            ("office_phone", "0914-2312345"),
            ("supervisor_id", &leader.id.to_string()),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    let page = created.html();
    assert!(page.contains("临时密码只显示这一次"));
    let row = user_row(&app, "wangwu").await;
    assert_eq!(row.display_name, "王五");
    assert_eq!(row.role.as_str(), "officer");
    assert_eq!(row.email.as_deref(), Some("wangwu@example.cn"));
    assert_eq!(row.office_phone.as_deref(), Some("0914-2312345"));
    assert_eq!(row.supervisor_id, Some(leader.id));
    assert!(row.must_change_password && row.active);
    let at = page.find("data-temporary-password>").expect("the password") + 24;
    let temporary = &page[at..at + 12];
    let login = format!("username=wangwu&password={temporary}");
    let reply = app
        .send(
            Method::POST,
            "/login",
            None,
            Some((login.as_bytes(), "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(
        reply.location().unwrap_or_default(),
        "/account/password",
        "the temporary password works"
    );

    // Edited: a phone number that is none comes back beside its field; a good one is stored.
    let path = format!("/admin/users/{}", row.id);
    let version = row.version.to_string();
    let bad = post(
        &app,
        &admin,
        &path,
        &[
            ("version", &version),
            ("display_name", "王五"),
            ("role", "officer"),
            ("office_phone", "call me"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html().contains("办公电话应为3–32位数字"));
    assert!(bad.html().contains("value=\"call me\""));
    let ok = post(
        &app,
        &admin,
        &path,
        &[
            ("version", &version),
            ("display_name", "王五五"),
            ("role", "leader"),
            ("office_phone", "0914-7654321"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html());
    let row = user_row(&app, "wangwu").await;
    assert_eq!(
        (row.display_name.as_str(), row.role.as_str()),
        ("王五五", "leader")
    );
    assert_eq!(row.office_phone.as_deref(), Some("0914-7654321"));
    assert_eq!(row.email, None, "an emptied email is cleared");
    // The same stale version again: back with a message, nothing changed.
    let stale = post(
        &app,
        &admin,
        &path,
        &[
            ("version", &version),
            ("display_name", "旧"),
            ("role", "officer"),
        ],
    )
    .await;
    assert_eq!(stale.status, StatusCode::SEE_OTHER);
    assert!(stale.flash().contains("已被他人修改"));
    assert_eq!(user_row(&app, "wangwu").await.display_name, "王五五");

    // Deactivated, then reactivated.
    let v = row.version.to_string();
    let off = post(
        &app,
        &admin,
        &format!("{path}/active"),
        &[("version", &v), ("active", "false")],
    )
    .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let row = user_row(&app, "wangwu").await;
    assert!(!row.active);
    let list = get(&app, &admin, "/admin/users?active=false&q=wangwu")
        .await
        .html();
    assert!(list.contains("data-total=\"1\"") && list.contains("已停用"));
    let v = row.version.to_string();
    post(
        &app,
        &admin,
        &format!("{path}/active"),
        &[("version", &v), ("active", "true")],
    )
    .await;
    assert!(user_row(&app, "wangwu").await.active);
    // The administrator cannot deactivate themself.
    let me = user_row(&app, "admin").await;
    let own = post(
        &app,
        &admin,
        &format!("/admin/users/{}/active", me.id),
        &[("version", &me.version.to_string()), ("active", "false")],
    )
    .await;
    assert!(own.flash().contains("不能停用自己的账号"));
    assert!(user_row(&app, "admin").await.active);

    // A reset shows the new temporary password once.
    let officer = user_row(&app, "officer2").await;
    let reset = post(
        &app,
        &admin,
        &format!("/admin/users/{}/password-reset", officer.id),
        &[],
    )
    .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert!(reset.html().contains("data-temporary-password"));
    assert!(user_row(&app, "officer2").await.must_change_password);

    // The list filters by role and search.
    let list = get(&app, &admin, "/admin/users?role=owner").await.html();
    assert!(list.contains("owner1") && !list.contains(">officer1<"));
    // The audit trail finds what the administrator did to the account.
    let trail = get(
        &app,
        &admin,
        &format!(
            "/admin/audit?entity=user&entity_id={}&user={}",
            row.id, me.id
        ),
    )
    .await
    .html();
    assert!(trail.contains("王五 → 王五五"), "{trail}");
    assert!(trail.contains("重置密码"));
    let bad = get(&app, &admin, "/admin/audit?from=2026-13-01").await;
    assert!(bad.html().contains("日期格式应为 YYYY-MM-DD"));
}

fn plain_year(year: i32) -> String {
    serde_json::json!({"year": year, "papers": ["测试：只有工作日"],
        "days": [{"name": "测试", "date": format!("{year}-01-04"), "isOffDay": false}]})
    .to_string()
}

async fn schedule_rows(app: &TestApp, year: i32) -> usize {
    entity::holiday_schedule::Entity::find()
        .filter(entity::holiday_schedule::Column::Year.eq(year))
        .all(&app.db)
        .await
        .expect("read the calendar")
        .len()
}

async fn a_calendar_year_is_previewed_then_stored(app: TestApp) {
    let next = common::today().year() + 1;
    // An open filing whose decision is due next year, estimated while the year is missing.
    let cast = Cast::sign_in(&app).await;
    let filing = cast.filing_in(&app, Kind::ReportForm, "accepted").await;
    let admin = sign_in(&app, "admin").await;

    // Errors in Chinese, beside the text.
    let bad = post_multipart(
        &app,
        &admin,
        "/admin/calendar/preview",
        &[("year", &next.to_string()), ("source", "{\"year\": 2027")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html().contains("节假日安排格式有误"));
    let other = post_multipart(
        &app,
        &admin,
        "/admin/calendar/preview",
        &[("year", "2031"), ("source", &plain_year(next))],
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other.html().contains("请求的年份为2031"));

    let source = plain_year(next);
    let preview = post_multipart(
        &app,
        &admin,
        "/admin/calendar/preview",
        &[("year", ""), ("source", &source)],
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK);
    let page = preview.html();
    assert!(page.contains(&format!("载入{next}年节假日安排（预览）")));
    assert!(page.contains("新增年份"));
    assert!(
        page.contains(&format!("data-filing-id=\"{}\"", filing.id)),
        "the preview names the open filing whose deadline moves: {page}"
    );
    assert!(page.contains("（估算）"));
    assert_eq!(
        schedule_rows(&app, next).await,
        0,
        "a preview stores nothing"
    );
    let home = get(&app, &admin, "/admin").await.html();
    assert!(home.contains(&format!("尚未载入{next}年的节假日安排")));

    let stored = post(
        &app,
        &admin,
        "/admin/calendar",
        &[("year", &next.to_string()), ("source", &source)],
    )
    .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER);
    assert_eq!(stored.location().unwrap_or_default(), "/admin/calendar");
    assert!(
        stored
            .flash()
            .contains(&format!("已载入{next}年节假日安排"))
    );
    assert_eq!(schedule_rows(&app, next).await, 1);
    let page = get(&app, &admin, "/admin/calendar").await.html();
    assert!(page.contains(&format!("data-year=\"{next}\"")));
    assert!(page.contains("测试：只有工作日"));
    assert!(!page.contains("尚未载入"));
    let home = get(&app, &admin, "/admin").await.html();
    assert!(!home.contains("尚未载入"), "the warning is gone");
}

async fn exemption_documents_and_assignment_rules_are_kept(app: TestApp) {
    let admin = sign_in(&app, "admin").await;
    let before = entity::policy_exemption::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    // No item: 422 with the message; a bad row number beside its field.
    let doc = [
        ("document_no", "商环发〔2026〕9号"),
        ("title", "商洛市环评豁免试点清单"),
        ("issuer", "商洛市生态环境局"),
        ("issued_on", "2026-03-01"),
        ("jurisdiction", "municipal"),
        ("covers", "试点豁免的项目类型"),
    ];
    let empty = post(&app, &admin, "/admin/exemptions", &doc).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html().contains("至少需要一个条目"));
    assert!(empty.html().contains("value=\"商洛市环评豁免试点清单\""));
    let mut fields = doc.to_vec();
    fields.extend([
        ("items[0].code", "豁免-乡村道路"),
        ("items[0].rows", "131, 999"),
        ("items[0].tiers", "registration_form"),
        ("items[0].effect", "exempt"),
        ("items[0].description", "乡村道路"),
    ]);
    let bad = post(&app, &admin, "/admin/exemptions", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html()
            .contains("<p class=\"field-error\">名录行号999不存在")
    );
    fields[7] = ("items[0].rows", "131");
    let ok = post(&app, &admin, "/admin/exemptions", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html());
    let row = entity::policy_exemption::Entity::find()
        .filter(entity::policy_exemption::Column::DocumentNo.eq("商环发〔2026〕9号"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(row.items.0.len(), 1);
    assert_eq!(row.items.0[0].rows, vec![131]);
    assert!(row.active);
    let again = post(&app, &admin, "/admin/exemptions", &fields).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.html().contains("已被使用"));
    // Removed from the list (kept on record).
    let removed = post(
        &app,
        &admin,
        &format!("/admin/exemptions/{}/active", row.id),
        &[("version", &row.version.to_string()), ("active", "false")],
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let row = entity::policy_exemption::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.active);
    assert_eq!(
        entity::policy_exemption::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        before + 1
    );

    // Assignment rules: one added, the same county and tier refused beside the field, removed.
    let officer = user_row(&app, "officer2").await;
    let rules = || async {
        entity::assignment_rule::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
    };
    let count = rules().await.len();
    let missing = post(
        &app,
        &admin,
        "/admin/assignment-rules",
        &[("county", "611024")],
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.html().contains("请选择承办的审批人员"));
    let rule = [
        ("county", "611024"),
        ("tier", "report"),
        ("officer_id", &officer.id.to_string()),
    ];
    let ok = post(&app, &admin, "/admin/assignment-rules", &rule).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html());
    let all = rules().await;
    assert_eq!(all.len(), count + 1);
    let added = all.iter().max_by_key(|r| r.id).unwrap().clone();
    assert_eq!(added.officer_id, officer.id);
    let twice = post(&app, &admin, "/admin/assignment-rules", &rule).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.html().contains("已有分办规则"));
    let page = get(&app, &admin, "/admin/assignment-rules").await.html();
    assert!(page.contains(&format!("data-rule-id=\"{}\"", added.id)));
    let gone = post(
        &app,
        &admin,
        &format!("/admin/assignment-rules/{}/delete", added.id),
        &[],
    )
    .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(rules().await.len(), count);
}

async fn a_parked_mail_is_listed_and_resent(app: TestApp) {
    use entity::notification::{self, Status};
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let parked = notification::ActiveModel {
        idempotency_key: Set("test:parked".into()),
        user_id: Set(None),
        status: Set(Status::Failed),
        email: Set(Some("nobody@example.cn".into())),
        template: Set("filing_accepted".into()),
        subject: Set("申报已受理（测试）".into()),
        body_text: Set("正文".into()),
        body_html: Set("<p>正文</p>".into()),
        link: Set(None),
        entity: Set(None),
        entity_id: Set(None),
        attempts: Set(5),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(Some("550 mailbox unavailable".into())),
        sent_at: Set(None),
        read_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("a parked mail");
    let admin = sign_in(&app, "admin").await;
    let home = get(&app, &admin, "/admin").await.html();
    assert!(home.contains("已搁置"));
    let page = get(&app, &admin, "/admin/outbox").await.html();
    assert!(page.contains(&format!("data-notification-id=\"{}\"", parked.id)));
    assert!(page.contains("550 mailbox unavailable") && page.contains("nobody@example.cn"));
    let resent = post(
        &app,
        &admin,
        &format!("/admin/outbox/{}/resend", parked.id),
        &[],
    )
    .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    let row = notification::Entity::find_by_id(parked.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.status, row.attempts), (Status::Pending, 0));
    let pending = get(&app, &admin, "/admin/outbox?status=pending")
        .await
        .html();
    assert!(pending.contains(&format!("data-notification-id=\"{}\"", parked.id)));
    // Resending it again: it is no longer parked.
    let twice = post(
        &app,
        &admin,
        &format!("/admin/outbox/{}/resend", parked.id),
        &[],
    )
    .await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER);
    assert!(twice.flash().contains("只能重发发送失败的邮件"));
    // A form without its token is refused.
    let forged = Session {
        cookie: admin.cookie.clone(),
        csrf: "forged".into(),
    };
    let reply = post(
        &app,
        &forged,
        &format!("/admin/outbox/{}/resend", parked.id),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

crate::on_both_backends!(demo;
    pages_are_for_administrators_only,
    users_are_created_edited_deactivated_and_reset,
    a_calendar_year_is_previewed_then_stored,
    exemption_documents_and_assignment_rules_are_kept,
    a_parked_mail_is_listed_and_resent,
);
