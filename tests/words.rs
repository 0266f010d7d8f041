//! Words a user understands: every 4xx is the error shape, in Chinese, naming the field and
//! what it expects — bad JSON types, numbers out of range, unknown codes, impossible dates,
//! unknown and missing fields, unreadable query strings and paths, a method a path does not
//! take — and a duplicate names the field and the value.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, api, error};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

/// Words of the parsers that must never reach a user.
const ENGLISH_TELLTALES: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "expected",
    "unknown variant",
    "unknown field",
    "missing field",
    "duplicate field",
    "invalid digit",
    "premature end",
    "trailing",
    "EOF",
    "at line",
    "input contains",
    "out of range",
    "number too",
    "provided string",
    "Failed to",
    "failed to",
    "deserialize",
    "parse",
    "string \"",
    "floating point",
    "did not match",
    "holiday schedule",
    "outside the",
];

/// A body and its content type.
type Body = (&'static str, &'static str);

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

/// Asserts a 4xx in the error shape whose every message is Chinese and free of parser English.
fn assert_in_words(what: &str, status: StatusCode, body: &Value) -> api::ApiError {
    assert!(
        status.is_client_error(),
        "{what}: expected a 4xx, got {status}: {body}"
    );
    let err: api::ErrorBody = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{what}: not the error shape ({e}): {body}"));
    let err = err.error;
    let mut texts = vec![err.message.clone()];
    texts.extend(err.fields.iter().map(|f| f.message.clone()));
    for text in &texts {
        assert!(has_cjk(text), "{what}: not in Chinese: {text:?} in {body}");
        for tell in ENGLISH_TELLTALES {
            assert!(
                !text.contains(tell),
                "{what}: parser English {tell:?} in {text:?}"
            );
        }
    }
    err
}

fn project_body(org: i64, code: &str) -> Value {
    json!({
        "name": "商州区新材料产业园污水处理厂",
        "project_code": code,
        "organization_id": org,
        "county": "611002",
        "industry": "environment",
        "total_investment_wan": "12000.00",
        "listed_on": "2023-03-01",
    })
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

fn without(mut body: Value, key: &str) -> Value {
    body.as_object_mut().unwrap().remove(key);
    body
}

async fn every_bad_input_is_answered_in_chinese(app: TestApp) {
    let admin = app.admin().await.token;
    let officer = app.new_user("officer1", "officer", None).await;
    let org = app.new_organization().await.id;
    let good = project_body(org, "2305-611002-04-01-900001");
    let project = format!(
        "/api/v1/users/{}",
        officer.id // any existing record with a PATCH taking a version
    );

    // JSON bodies: (what, method, path, body text)
    let json_cases: Vec<(&str, Method, String, String)> = vec![
        (
            "float for an id",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "organization_id", json!(1e20)).to_string(),
        ),
        (
            "fraction for an id",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "organization_id", json!(1.5)).to_string(),
        ),
        (
            "string for an id",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "organization_id", json!("abc")).to_string(),
        ),
        (
            "huge integer literal",
            Method::POST,
            "/api/v1/projects".into(),
            good.to_string().replace(
                &format!("\"organization_id\":{org}"),
                "\"organization_id\":99999999999999999999999",
            ),
        ),
        (
            "string for a boolean",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "provincial", json!("yes")).to_string(),
        ),
        (
            "number for a string",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "name", json!(5)).to_string(),
        ),
        (
            "null for a string",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "name", Value::Null).to_string(),
        ),
        (
            "array for a string",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "name", json!(["a"])).to_string(),
        ),
        (
            "boolean for money",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "total_investment_wan", json!(true)).to_string(),
        ),
        (
            "negative money",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "total_investment_wan", json!("-5")).to_string(),
        ),
        (
            "impossible date",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "listed_on", json!("2023-02-30")).to_string(),
        ),
        (
            "not a date",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "listed_on", json!("yesterday")).to_string(),
        ),
        (
            "date out of range",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "listed_on", json!("99999-01-01")).to_string(),
        ),
        (
            "number for a date",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "listed_on", json!(20230101)).to_string(),
        ),
        (
            "unknown field",
            Method::POST,
            "/api/v1/projects".into(),
            with(good.clone(), "budget", json!(1)).to_string(),
        ),
        (
            "missing field",
            Method::POST,
            "/api/v1/projects".into(),
            without(good.clone(), "name").to_string(),
        ),
        (
            "array body",
            Method::POST,
            "/api/v1/projects".into(),
            "[1,2]".into(),
        ),
        (
            "string body",
            Method::POST,
            "/api/v1/projects".into(),
            "\"x\"".into(),
        ),
        (
            "null body",
            Method::POST,
            "/api/v1/projects".into(),
            "null".into(),
        ),
        (
            "cut short",
            Method::POST,
            "/api/v1/projects".into(),
            "{\"name\": ".into(),
        ),
        (
            "broken syntax",
            Method::POST,
            "/api/v1/projects".into(),
            "{name: 1}".into(),
        ),
        (
            "two documents",
            Method::POST,
            "/api/v1/projects".into(),
            "{} {}".into(),
        ),
        (
            "empty body",
            Method::POST,
            "/api/v1/projects".into(),
            "".into(),
        ),
        (
            "unknown role",
            Method::POST,
            "/api/v1/users".into(),
            json!({"username": "u1x", "password": "a-long-password-1", "role": "superuser"})
                .to_string(),
        ),
        (
            "number for a role",
            Method::POST,
            "/api/v1/users".into(),
            json!({"username": "u1x", "password": "a-long-password-1", "role": 3}).to_string(),
        ),
        (
            "version too large",
            Method::PATCH,
            project.clone(),
            json!({"version": 99_999_999_999i64}).to_string(),
        ),
        (
            "version negative huge",
            Method::PATCH,
            project.clone(),
            json!({"version": -99_999_999_999i64}).to_string(),
        ),
        (
            "string for a version",
            Method::PATCH,
            project.clone(),
            json!({"version": "1"}).to_string(),
        ),
        (
            "string for active",
            Method::PATCH,
            project.clone(),
            json!({"version": 1, "active": "no"}).to_string(),
        ),
        (
            "login types",
            Method::POST,
            "/api/v1/auth/login".into(),
            json!({"username": 1, "password": false}).to_string(),
        ),
        (
            "login empty object",
            Method::POST,
            "/api/v1/auth/login".into(),
            "{}".into(),
        ),
        (
            "unknown action",
            Method::POST,
            "/api/v1/filings/1/actions".into(),
            json!({"action": "fly"}).to_string(),
        ),
        (
            "classify rows as text",
            Method::POST,
            "/api/v1/classify".into(),
            json!({"rows": "130", "facts": {}}).to_string(),
        ),
        (
            "classify row too large",
            Method::POST,
            "/api/v1/classify".into(),
            json!({"rows": [70000], "facts": {}}).to_string(),
        ),
        (
            "organisation unknown field",
            Method::POST,
            "/api/v1/organizations".into(),
            json!({"name": "x", "credit_code": "y", "colour": "red"}).to_string(),
        ),
        (
            "county code as number",
            Method::POST,
            "/api/v1/counties".into(),
            json!({"code": 611099, "name": "x"}).to_string(),
        ),
        (
            "password change types",
            Method::POST,
            "/api/v1/auth/password".into(),
            json!({"old_password": 1, "new_password": []}).to_string(),
        ),
    ];
    for (what, method, path, text) in &json_cases {
        let token = if path.starts_with("/api/v1/users") || path.starts_with("/api/v1/counties") {
            &admin
        } else {
            &officer.token
        };
        let (status, body) = app
            .raw(
                method.clone(),
                path,
                Some(token),
                Some(text),
                "application/json",
            )
            .await;
        assert_in_words(what, status, &body);
    }

    // Query strings, paths, methods and bodies of the wrong kind.
    let other_cases: Vec<(&str, Method, &str, Option<Body>)> = vec![
        (
            "page not a number",
            Method::GET,
            "/api/v1/projects?page=abc",
            None,
        ),
        (
            "page negative",
            Method::GET,
            "/api/v1/projects?page=-1",
            None,
        ),
        (
            "page beyond u64",
            Method::GET,
            "/api/v1/projects?page=99999999999999999999999",
            None,
        ),
        (
            "page huge",
            Method::GET,
            "/api/v1/projects?page=9223372036854775809",
            None,
        ),
        (
            "per_page fraction",
            Method::GET,
            "/api/v1/projects?per_page=1.5",
            None,
        ),
        (
            "per_page empty",
            Method::GET,
            "/api/v1/projects?per_page=",
            None,
        ),
        (
            "boolean filter",
            Method::GET,
            "/api/v1/projects?point_to_point=maybe",
            None,
        ),
        (
            "unknown level",
            Method::GET,
            "/api/v1/projects?level=county",
            None,
        ),
        (
            "unknown parameter",
            Method::GET,
            "/api/v1/projects?colour=red",
            None,
        ),
        (
            "repeated parameter",
            Method::GET,
            "/api/v1/projects?page=1&page=2",
            None,
        ),
        (
            "filings officer",
            Method::GET,
            "/api/v1/filings?officer_id=abc",
            None,
        ),
        (
            "filings state",
            Method::GET,
            "/api/v1/filings?state=lost",
            None,
        ),
        (
            "filings due",
            Method::GET,
            "/api/v1/filings?due=later",
            None,
        ),
        ("filings page", Method::GET, "/api/v1/filings?page=0", None),
        (
            "summary date",
            Method::GET,
            "/api/v1/reports/summary?as_of=2023-13-01",
            None,
        ),
        (
            "summary text date",
            Method::GET,
            "/api/v1/reports/summary?as_of=tomorrow",
            None,
        ),
        (
            "summary group",
            Method::GET,
            "/api/v1/reports/summary?group_by=planet",
            None,
        ),
        (
            "calendar impossible date",
            Method::GET,
            "/api/v1/calendar/add-working-days?from=2023-02-30&days=3",
            None,
        ),
        (
            "calendar days text",
            Method::GET,
            "/api/v1/calendar/add-working-days?from=2023-02-01&days=x",
            None,
        ),
        (
            "calendar days negative",
            Method::GET,
            "/api/v1/calendar/add-working-days?from=2023-02-01&days=-1",
            None,
        ),
        (
            "calendar outside the years",
            Method::GET,
            "/api/v1/calendar/add-working-days?from=1990-02-01&days=1",
            None,
        ),
        (
            "calendar day outside",
            Method::GET,
            "/api/v1/calendar/days/1990-01-01",
            None,
        ),
        (
            "calendar day impossible",
            Method::GET,
            "/api/v1/calendar/days/2023-02-30",
            None,
        ),
        (
            "notifications unread",
            Method::GET,
            "/api/v1/notifications?unread=perhaps",
            None,
        ),
        (
            "outbox status",
            Method::GET,
            "/api/v1/admin/outbox?status=lost",
            None,
        ),
        (
            "organisations page",
            Method::GET,
            "/api/v1/organizations?page=0",
            None,
        ),
        (
            "catalog flag",
            Method::GET,
            "/api/v1/catalog?structured=2",
            None,
        ),
        (
            "public register page",
            Method::GET,
            "/api/v1/public/notices?per_page=abc",
            None,
        ),
        (
            "service sheets officer",
            Method::GET,
            "/api/v1/service-sheets?officer_id=1e3",
            None,
        ),
        (
            "path not a number",
            Method::GET,
            "/api/v1/projects/abc",
            None,
        ),
        ("path negative", Method::GET, "/api/v1/projects/-1", None),
        (
            "path huge",
            Method::GET,
            "/api/v1/projects/99999999999999999999",
            None,
        ),
        (
            "nested path not a number",
            Method::GET,
            "/api/v1/filings/abc/events",
            None,
        ),
        ("catalog row", Method::GET, "/api/v1/catalog/999", None),
        (
            "no such endpoint",
            Method::GET,
            "/api/v1/nothing-here",
            None,
        ),
        (
            "delete the ledger",
            Method::DELETE,
            "/api/v1/projects",
            None,
        ),
        ("patch the login", Method::PATCH, "/api/v1/auth/login", None),
        ("put users", Method::PUT, "/api/v1/users", None),
        (
            "form body",
            Method::POST,
            "/api/v1/projects",
            Some(("name=x", "application/x-www-form-urlencoded")),
        ),
        (
            "text body",
            Method::POST,
            "/api/v1/projects",
            Some(("hello", "text/plain")),
        ),
        (
            "upload not multipart",
            Method::POST,
            "/api/v1/filings/1/documents",
            Some(("{}", "application/json")),
        ),
        (
            "upload without boundary",
            Method::POST,
            "/api/v1/filings/1/documents",
            Some(("--x--", "multipart/form-data")),
        ),
    ];
    for (what, method, path, body) in other_cases {
        let token = if path.starts_with("/api/v1/admin") || path.starts_with("/api/v1/users") {
            &admin
        } else {
            &officer.token
        };
        let reply = app
            .send(
                method,
                path,
                Some(token),
                body.map(|(b, ct)| (b.as_bytes(), ct)),
            )
            .await;
        assert_in_words(what, reply.status, &reply.json_value());
    }
}

async fn messages_name_the_field_and_what_it_expects(app: TestApp) {
    let admin = app.admin().await.token;
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await.id;
    let good = project_body(org, "2305-611002-04-01-900002");
    let post = |body: Value| {
        let token = officer.clone();
        let app = &app;
        async move {
            app.request(Method::POST, "/api/v1/projects", Some(&token), Some(body))
                .await
        }
    };

    let (status, body) = post(with(good.clone(), "organization_id", json!(1e20))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let e = error(&body);
    assert_eq!(e.code, "invalid");
    assert_eq!(
        e.message_for("organization_id"),
        "超出范围，应为不超过 9223372036854775807 的整数"
    );

    let (status, body) = post(with(good.clone(), "organization_id", json!("abc"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        error(&body)
            .message_for("organization_id")
            .starts_with("应为整数"),
        "{body}"
    );

    let (status, body) = post(with(good.clone(), "provincial", json!("yes"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        error(&body)
            .message_for("provincial")
            .starts_with("应为布尔值"),
        "{body}"
    );

    let (status, body) = post(with(good.clone(), "listed_on", json!("2023-02-30"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error(&body).message_for("listed_on"),
        "日期不存在或超出范围，应为有效日期 YYYY-MM-DD"
    );

    let (status, body) = post(with(good.clone(), "budget", json!(1))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = error(&body).message_for("budget").to_owned();
    assert!(
        message.starts_with("不认识的字段 budget；可用字段：name、project_code、"),
        "{message}"
    );

    let (status, body) = post(without(good.clone(), "name")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).message_for("name"), "缺少必填字段 name");

    // An unknown code lists the ones there are.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "u1x", "password": "a-long-password-1", "role": "superuser"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error(&body).message_for("role"),
        "取值“superuser”无效，应为以下之一：owner、leader、officer、admin"
    );

    // A query parameter that cannot be read is a 400 naming it and its type.
    let (status, body) = app.get("/api/v1/projects?page=abc", &officer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let e = error(&body);
    assert_eq!(e.code, "malformed");
    assert_eq!(e.message_for("page"), "应为整数（收到的是“abc”）");
    assert_eq!(e.message, "查询参数 page 有误：应为整数（收到的是“abc”）");

    let (status, body) = app
        .get("/api/v1/projects?page=99999999999999999999999", &officer)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        error(&body).message_for("page"),
        "超出范围，应为不超过 18446744073709551615 的整数"
    );

    let (status, body) = app.get("/api/v1/projects?level=county", &officer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        error(&body).message_for("level"),
        "取值“county”无效，应为以下之一：provincial、municipal"
    );

    // A filter code the service checks lists the codes too.
    let (status, body) = app.get("/api/v1/filings?state=lost", &officer).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = error(&body).message_for("state").to_owned();
    assert!(
        message.starts_with("未知的申报状态，应为以下之一：") && message.contains("、submitted、"),
        "{message}"
    );

    let (status, body) = app.get("/api/v1/projects?colour=red", &officer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        error(&body)
            .message_for("colour")
            .starts_with("不认识的字段 colour；可用字段：page、per_page、"),
        "{body}"
    );
}

async fn a_method_not_taken_is_405_in_the_error_shape(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let reply = app
        .send(Method::DELETE, "/api/v1/projects", Some(&officer), None)
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let allow = reply.header("allow").expect("an Allow header").to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let e = error(&reply.json_value());
    assert_eq!(e.code, "method_not_allowed");
    assert_eq!(e.message, "该接口不支持 DELETE 方法；可用：GET、POST");

    // Without signing in too: the method is wrong whoever asks.
    let reply = app
        .send(Method::PATCH, "/api/v1/auth/login", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    let e = error(&reply.json_value());
    assert_eq!(e.message, "该接口不支持 PATCH 方法；可用：POST");
}

async fn duplicates_name_the_field_and_the_value(app: TestApp) {
    let admin = app.admin().await.token;
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await;

    // The project code.
    let body = project_body(org.id, "2305-611002-04-01-900003");
    let (status, created) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let before = app.count(entity::project::Entity).await;
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(body),
        )
        .await;
    assert_eq!(e.code, "duplicate");
    assert_eq!(e.field_names(), ["project_code"]);
    assert!(e.message.contains("2305-611002-04-01-900003"), "{e:?}");
    assert!(e.message.contains("投资项目统一代码"), "{e:?}");
    assert_eq!(app.count(entity::project::Entity).await, before);

    // The credit code.
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            "/api/v1/organizations",
            Some(&admin),
            Some(json!({"name": "另一家公司", "credit_code": org.credit_code})),
        )
        .await;
    assert_eq!(e.code, "duplicate");
    assert_eq!(e.field_names(), ["credit_code"]);
    assert_eq!(
        e.message_for("credit_code"),
        format!("统一社会信用代码 {} 已被使用（已登记）", org.credit_code)
    );

    // The username.
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(
                json!({"username": "officer1", "password": "a-long-password-1", "role": "officer"}),
            ),
        )
        .await;
    assert_eq!(e.code, "duplicate");
    assert_eq!(e.field_names(), ["username"]);
    assert_eq!(e.message_for("username"), "用户名 officer1 已被使用");

    // The county code.
    let e = app
        .expect_error(
            StatusCode::CONFLICT,
            Method::POST,
            "/api/v1/counties",
            Some(&admin),
            Some(json!({"code": "611024", "name": "山阳县", "city_code": "611000", "city_name": "商洛市"})),
        )
        .await;
    assert_eq!(e.code, "duplicate", "{e:?}");
    assert_eq!(e.field_names(), ["code"]);
    assert!(e.message.contains("611024"), "{e:?}");
}

/// The unique index behind the services' own checks, as each database words its violation:
/// still a 409 naming the field.
async fn the_unique_index_backstop_names_the_field(app: TestApp) {
    let org = app.new_organization().await;
    let now = chrono::Utc::now();
    let err = entity::organization::ActiveModel {
        name: Set("重复的单位".into()),
        credit_code: Set(org.credit_code.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect_err("the unique index refuses it");
    match eiaflow::error::Error::from(err) {
        eiaflow::error::Error::Conflict {
            code,
            fields,
            message,
        } => {
            assert_eq!(code, eiaflow::error::ErrorCode::Duplicate);
            assert_eq!(fields[0].field, "credit_code", "{message}");
            assert!(message.starts_with("统一社会信用代码"), "{message}");
        }
        other => panic!("not a conflict: {other:?}"),
    }

    let err = entity::app_user::ActiveModel {
        username: Set(common::ADMIN.into()),
        display_name: Set("x".into()),
        password_hash: Set("x".into()),
        role: Set("officer".parse().unwrap()),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect_err("the unique index refuses it");
    match eiaflow::error::Error::from(err) {
        eiaflow::error::Error::Conflict {
            fields, message, ..
        } => {
            assert_eq!(fields[0].field, "username", "{message}");
            assert!(message.starts_with("用户名"), "{message}");
        }
        other => panic!("not a conflict: {other:?}"),
    }
}

on_both_backends!(empty;
    every_bad_input_is_answered_in_chinese,
    messages_name_the_field_and_what_it_expects,
    a_method_not_taken_is_405_in_the_error_shape,
    duplicates_name_the_field_and_the_value,
    the_unique_index_backstop_names_the_field,
);
