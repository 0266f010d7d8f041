//! The administrators' pages through the router: each form stores what it says, other roles get
//! the 403 page, bad input comes back as 422 with the message beside its field, and a calendar
//! preview changes nothing until it is confirmed.
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use common::build::{Cast, Kind};
use common::{DEMO_PASSWORD, Reply, TestApp};

/// A browser's session: the cookie the sign-in page set, and the form token of its pages.
struct Session {
    cookie: String,
    csrf: String,
}

async fn sign_in(app: &TestApp, username: &str) -> Session {
    let body = format!("username={username}&password={DEMO_PASSWORD}");
    let reply = app
        .send(
            Method::POST,
            "/login",
            None,
            Some((body.as_bytes(), "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "sign-in of {username}");
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("eiaflow_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let mut session = Session {
        cookie,
        csrf: String::new(),
    };
    let page = get(app, &session, "/account/password").await;
    session.csrf = csrf_of(&html(&page));
    session
}

fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"_csrf\" value=\"")
        .expect("a form token on the page")
        + "name=\"_csrf\" value=\"".len();
    page[at..].split('"').next().expect("token").to_owned()
}

fn html(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.bytes).into_owned()
}

async fn request(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: Option<(Vec<u8>, String)>,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &s.cookie);
    let req = match body {
        Some((bytes, content_type)) => req
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes)),
        None => {
            req = req.header(header::ACCEPT, "text/html");
            req.body(Body::empty())
        }
    }
    .expect("request");
    common::send(&app.router, req).await
}

async fn get(app: &TestApp, s: &Session, path: &str) -> Reply {
    request(app, s, Method::GET, path, None).await
}

/// Posts a form (with the session's token) and answers the reply.
async fn post(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("_csrf", &s.csrf)
        .extend_pairs(fields)
        .finish();
    request(
        app,
        s,
        Method::POST,
        path,
        Some((
            body.into_bytes(),
            "application/x-www-form-urlencoded".into(),
        )),
    )
    .await
}

async fn post_multipart(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> Reply {
    let boundary = "----eiaflow-test-boundary";
    let mut body = String::new();
    for (name, value) in [("_csrf", s.csrf.as_str())].iter().chain(fields) {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    request(
        app,
        s,
        Method::POST,
        path,
        Some((
            body.into_bytes(),
            format!("multipart/form-data; boundary={boundary}"),
        )),
    )
    .await
}

fn location(reply: &Reply) -> &str {
    reply.header("location").unwrap_or_default()
}

/// The message a redirect carries to the next page.
fn flash(reply: &Reply) -> String {
    let raw = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("eiaflow_flash="))
        .and_then(|v| v.split(';').next())
        .unwrap_or_default();
    form_urlencoded::parse(format!("v={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
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
            assert!(html(&reply).contains("无权访问"), "{who} {path}");
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
    let home = html(&get(&app, &admin, "/admin").await);
    let next = common::today().year() + 1;
    assert!(
        home.contains(&format!("尚未载入{next}年的节假日安排")),
        "the overview warns of the missing year"
    );
    assert!(home.contains("data-count=\"users\""));
    // A signed-out visitor is sent to sign in, coming back here.
    let reply = app.send(Method::GET, "/admin/users", None, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(location(&reply).starts_with("/login?next="));
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
    let page = html(&bad);
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
    assert!(html(&no_org).contains("建设单位账号必须关联一个建设单位"));
    // A username taken.
    let taken = post(
        &app,
        &admin,
        "/admin/users",
        &[("username", "officer1"), ("role", "officer")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&taken).contains("已被使用"));

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
    let page = html(&created);
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
        location(&reply),
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
    assert!(html(&bad).contains("办公电话应为3–32位数字"));
    assert!(html(&bad).contains("value=\"call me\""));
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
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", html(&ok));
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
    assert!(flash(&stale).contains("已被他人修改"));
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
    let list = html(&get(&app, &admin, "/admin/users?active=false&q=wangwu").await);
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
    assert!(flash(&own).contains("不能停用自己的账号"));
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
    assert!(html(&reset).contains("data-temporary-password"));
    assert!(user_row(&app, "officer2").await.must_change_password);

    // The list filters by role and search.
    let list = html(&get(&app, &admin, "/admin/users?role=owner").await);
    assert!(list.contains("owner1") && !list.contains(">officer1<"));
    // The audit trail finds what the administrator did to the account.
    let trail = html(
        &get(
            &app,
            &admin,
            &format!(
                "/admin/audit?entity=user&entity_id={}&user={}",
                row.id, me.id
            ),
        )
        .await,
    );
    assert!(trail.contains("王五 → 王五五"), "{trail}");
    assert!(trail.contains("重置密码"));
    let bad = get(&app, &admin, "/admin/audit?from=2026-13-01").await;
    assert!(html(&bad).contains("日期格式应为 YYYY-MM-DD"));
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
    assert!(html(&bad).contains("节假日安排格式有误"));
    let other = post_multipart(
        &app,
        &admin,
        "/admin/calendar/preview",
        &[("year", "2031"), ("source", &plain_year(next))],
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&other).contains("请求的年份为2031"));

    let source = plain_year(next);
    let preview = post_multipart(
        &app,
        &admin,
        "/admin/calendar/preview",
        &[("year", ""), ("source", &source)],
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK);
    let page = html(&preview);
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
    let home = html(&get(&app, &admin, "/admin").await);
    assert!(home.contains(&format!("尚未载入{next}年的节假日安排")));

    let stored = post(
        &app,
        &admin,
        "/admin/calendar",
        &[("year", &next.to_string()), ("source", &source)],
    )
    .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&stored), "/admin/calendar");
    assert!(flash(&stored).contains(&format!("已载入{next}年节假日安排")));
    assert_eq!(schedule_rows(&app, next).await, 1);
    let page = html(&get(&app, &admin, "/admin/calendar").await);
    assert!(page.contains(&format!("data-year=\"{next}\"")));
    assert!(page.contains("测试：只有工作日"));
    assert!(!page.contains("尚未载入"));
    let home = html(&get(&app, &admin, "/admin").await);
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
    assert!(html(&empty).contains("至少需要一个条目"));
    assert!(html(&empty).contains("value=\"商洛市环评豁免试点清单\""));
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
    assert!(html(&bad).contains("<p class=\"field-error\">名录行号999不存在"));
    fields[7] = ("items[0].rows", "131");
    let ok = post(&app, &admin, "/admin/exemptions", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", html(&ok));
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
    assert!(html(&again).contains("已被使用"));
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
    assert!(html(&missing).contains("请选择承办的审批人员"));
    let rule = [
        ("county", "611024"),
        ("tier", "report"),
        ("officer_id", &officer.id.to_string()),
    ];
    let ok = post(&app, &admin, "/admin/assignment-rules", &rule).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", html(&ok));
    let all = rules().await;
    assert_eq!(all.len(), count + 1);
    let added = all.iter().max_by_key(|r| r.id).unwrap().clone();
    assert_eq!(added.officer_id, officer.id);
    let twice = post(&app, &admin, "/admin/assignment-rules", &rule).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&twice).contains("已有分办规则"));
    let page = html(&get(&app, &admin, "/admin/assignment-rules").await);
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
    let home = html(&get(&app, &admin, "/admin").await);
    assert!(home.contains("已搁置"));
    let page = html(&get(&app, &admin, "/admin/outbox").await);
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
    let pending = html(&get(&app, &admin, "/admin/outbox?status=pending").await);
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
    assert!(flash(&twice).contains("只能重发发送失败的邮件"));
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
