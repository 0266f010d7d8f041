//! The trail of every change: field-level audit over HTTP (who, which field, from what to what,
//! the request id), who may read a project's or an organisation's trail, that nothing can
//! change it; and the corrections it records: removing and restoring a project, the area-code
//! rule of project codes, withdrawing a document before acceptance.
mod common;

use axum::http::{Method, StatusCode};
use common::build::{Cast, Kind};
use common::{TestApp, error, error_fields};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

async fn trail(app: &TestApp, path: &str, token: &str) -> Value {
    let (status, body) = app.get(path, token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn changes(item: &Value) -> Vec<(String, Value, Value)> {
    item["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["old"].clone(),
                c["new"].clone(),
            )
        })
        .collect()
}

async fn a_patch_shows_in_the_project_trail_with_old_new_actor_and_request(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer;
    let id = app
        .new_project(
            &officer.token,
            cast.owner.org(),
            Kind::ReportForm,
            json!({"built_before_approval": true}),
        )
        .await;
    let path = format!("/api/v1/projects/{id}");
    let (_, project) = app.get(&path, &officer.token).await;
    let version = project["version"].as_i64().unwrap();
    let body =
        json!({"version": version, "penalty_settled": true, "total_investment_wan": "20000.5"})
            .to_string();
    let reply = app
        .send(
            Method::PATCH,
            &path,
            Some(&officer.token),
            Some((body.as_bytes(), "application/json")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let request_id = reply.header("x-request-id").unwrap().to_owned();

    let audit = trail(&app, &format!("{path}/audit"), &officer.token).await;
    let newest = &audit["items"][0];
    assert_eq!(newest["action"], "update");
    assert_eq!(newest["entity"], "project");
    assert_eq!(newest["request_id"], request_id.as_str());
    assert_eq!(newest["actor"]["id"], officer.id);
    assert_eq!(newest["actor"]["name"], "officer1");
    assert_eq!(newest["actor"]["role"], "officer");
    assert_eq!(
        changes(newest),
        [
            (
                "total_investment_wan".to_owned(),
                json!("52000.00"),
                json!("20000.50")
            ),
            ("penalty_settled".to_owned(), json!(false), json!(true)),
        ],
        "exactly the fields that changed, money as the decimal string"
    );
    assert_eq!(newest["changes"][1]["label"], "处罚已履行");
    // Older entries follow: the classification (no tier → report_form) and the creation.
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "classify", "create"]);
    let classify = &audit["items"][1];
    assert_eq!(
        changes(classify)[0],
        ("tier".to_owned(), Value::Null, json!("report_form"))
    );
    assert_eq!(audit["total"], 3);

    // A PATCH that changes nothing bumps no version and writes no record.
    let (status, same) = app
        .request(
            Method::PATCH,
            &path,
            Some(&officer.token),
            Some(json!({"version": version + 1, "penalty_settled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{same}");
    assert_eq!(same["version"], version + 1);
    let again = trail(&app, &format!("{path}/audit"), &officer.token).await;
    assert_eq!(again["total"], 3);

    // Paged, newest first.
    let page = trail(
        &app,
        &format!("{path}/audit?page=2&per_page=2"),
        &officer.token,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["action"], "create");
    assert_eq!(page["total"], 3);

    // Leaders read it, the owner reads its own, another owner gets a 404.
    trail(&app, &format!("{path}/audit"), &cast.leader.token).await;
    trail(&app, &format!("{path}/audit"), &cast.owner.token).await;
    let (status, body) = app
        .get(&format!("{path}/audit"), &cast.other_owner.token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(error(&body).code, "not_found");
}

async fn the_project_trail_includes_filings_and_the_organisation_trail_its_changes(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let filing = cast.draft(&app, Kind::ReportForm).await;
    app.step(&cast.owner.token, filing.id, "submit", json!({}))
        .await;
    let project = filing.project.id;
    let audit = trail(
        &app,
        &format!("/api/v1/projects/{project}/audit"),
        &cast.officer.token,
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    let submit = items
        .iter()
        .find(|i| i["entity"] == "filing" && i["action"] == "submit")
        .expect("the filing's submission in the project's trail");
    assert_eq!(
        changes(submit),
        [("state".to_owned(), json!("draft"), json!("submitted"))]
    );
    assert!(
        items
            .iter()
            .any(|i| i["entity"] == "filing" && i["action"] == "create")
    );

    // The organisation's own change, in its trail.
    let org = cast.owner.org();
    let path = format!("/api/v1/organizations/{org}");
    let (_, current) = app.get(&path, &cast.admin.token).await;
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&cast.officer.token),
            Some(json!({"version": current["version"], "contact_name": "王经理"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let audit = trail(&app, &format!("{path}/audit"), &cast.owner.token).await;
    let newest = &audit["items"][0];
    assert_eq!(newest["entity"], "organization");
    assert_eq!(newest["action"], "update");
    let (field, _, new) = &changes(newest)[0];
    assert_eq!(field, "contact_name");
    assert_eq!(new, &json!("王经理"));
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["entity"] == "project" && i["action"] == "create"),
        "its projects' changes are in it too"
    );
    let (status, _) = app
        .get(&format!("{path}/audit"), &cast.other_owner.token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn nothing_changes_the_trail(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let id = cast.project(&app, Kind::ReportForm).await;
    for path in [
        format!("/api/v1/projects/{id}/audit"),
        format!("/api/v1/organizations/{}/audit", cast.owner.org()),
    ] {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            let (status, _) = app
                .request(
                    method.clone(),
                    &path,
                    Some(&cast.admin.token),
                    Some(json!({})),
                )
                .await;
            assert!(
                status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND,
                "{method} {path}: {status}"
            );
        }
    }
    // Not even SQL: the database refuses UPDATE and DELETE on the trail.
    use sea_orm::PaginatorTrait;
    use sea_orm::sea_query::Expr;
    let before = entity::audit_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert!(before > 0);
    let updated = entity::audit_event::Entity::update_many()
        .col_expr(entity::audit_event::Column::Action, Expr::value("forged"))
        .exec(&app.db)
        .await;
    assert!(updated.is_err(), "an UPDATE of audit_event is refused");
    let deleted = entity::audit_event::Entity::delete_many()
        .exec(&app.db)
        .await;
    assert!(deleted.is_err(), "a DELETE of audit_event is refused");
    assert_eq!(
        entity::audit_event::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        before
    );
}

async fn a_project_entered_by_mistake_is_removed_and_restored(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let id = cast.project(&app, Kind::ReportForm).await;
    let path = format!("/api/v1/projects/{id}");
    let (_, project) = app.get(&path, &cast.officer.token).await;
    let code = project["project_code"].as_str().unwrap().to_owned();
    let version = project["version"].clone();

    // A reason is required.
    let (status, body) = app
        .request(
            Method::POST,
            &format!("{path}/remove"),
            Some(&cast.officer.token),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["reason"]);
    // Owners may not remove.
    let (status, _) = app
        .request(
            Method::POST,
            &format!("{path}/remove"),
            Some(&cast.owner.token),
            Some(json!({"version": version, "reason": "重复录入"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .request(
            Method::POST,
            &format!("{path}/remove"),
            Some(&cast.officer.token),
            Some(json!({"version": version, "reason": "重复录入"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Gone from lists and views, except for an administrator.
    let (status, _) = app.get(&path, &cast.officer.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get(&path, &cast.owner.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.get("/api/v1/projects", &cast.officer.token).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id)
    );
    let (status, _) = app
        .get("/api/v1/projects?removed=true", &cast.officer.token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, removed) = app
        .get("/api/v1/projects?removed=true", &cast.admin.token)
        .await;
    let ids: Vec<&Value> = removed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["id"])
        .collect();
    assert_eq!(ids, [&json!(id)]);
    assert_eq!(removed["items"][0]["removed_reason"], "重复录入");

    // Its code stays taken.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&cast.officer.token),
            Some(json!({"name": "另一个项目", "project_code": code, "organization_id": cast.owner.org(),
                "county": "611024", "industry": "transport", "total_investment_wan": "100.00"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Only an administrator restores.
    let (_, removed_view) = app.get(&path, &cast.admin.token).await;
    let version = removed_view["version"].clone();
    let (status, _) = app
        .request(
            Method::POST,
            &format!("{path}/restore"),
            Some(&cast.officer.token),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .request(
            Method::POST,
            &format!("{path}/restore"),
            Some(&cast.admin.token),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["removed_at"], Value::Null);
    let (status, _) = app.get(&path, &cast.owner.token).await;
    assert_eq!(status, StatusCode::OK);

    // Both in the trail.
    let audit = trail(&app, &format!("{path}/audit"), &cast.officer.token).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .take(2)
        .collect();
    assert_eq!(actions, ["restore", "remove"]);
    assert_eq!(
        changes(&audit["items"][1])[0],
        ("removed".to_owned(), json!(false), json!(true))
    );

    // A draft does not hold a removal back, and leaves the work queue with its project.
    let draft = cast.draft(&app, Kind::ReportForm).await;
    let in_queue = |queue: &Value| {
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == draft.id)
    };
    let (_, queue) = app.get("/api/v1/filings", &cast.admin.token).await;
    assert!(in_queue(&queue), "{queue}");
    let (_, p) = app
        .get(
            &format!("/api/v1/projects/{}", draft.project.id),
            &cast.officer.token,
        )
        .await;
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{}/remove", draft.project.id),
            Some(&cast.officer.token),
            Some(json!({"version": p["version"], "reason": "误录"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, queue) = app.get("/api/v1/filings", &cast.admin.token).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert!(!in_queue(&queue), "{queue}");

    // A project with a real procedure is not a typo: 409.
    let filing = cast.draft(&app, Kind::ReportForm).await;
    app.step(&cast.owner.token, filing.id, "submit", json!({}))
        .await;
    let (_, p) = app
        .get(
            &format!("/api/v1/projects/{}", filing.project.id),
            &cast.officer.token,
        )
        .await;
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/projects/{}/remove", filing.project.id),
            Some(&cast.officer.token),
            Some(json!({"version": p["version"], "reason": "误录"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "invalid_state");
}

async fn a_project_code_must_carry_its_county_or_a_confirmed_reason(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let n = app.next_seq();
    let body = |code: String, extra: Value| {
        let mut b = json!({"name": format!("跨区县项目{n}"), "project_code": code,
            "organization_id": cast.owner.org(), "county": "611002", "industry": "transport",
            "total_investment_wan": "100.00"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (status, reply) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&cast.officer.token),
            Some(body(format!("2601-611021-04-01-{n:06}"), json!({}))),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert_eq!(error_fields(&reply), ["project_code"]);
    assert_eq!(
        error(&reply).message_for("project_code"),
        "项目代码中的行政区划代码 611021（洛南县）与所选县区 611002（商州区）不符；跨区县项目请确认（cross_county_reason）"
    );
    // The city's and the province's codes fit.
    for (i, area) in ["611000", "610000"].iter().enumerate() {
        let (status, reply) = app
            .request(
                Method::POST,
                "/api/v1/projects",
                Some(&cast.officer.token),
                Some(json!({"name": format!("市级代码项目{n}-{i}"), "project_code": format!("2601-{area}-04-01-{:06}", n * 10 + i as u32 + 1),
                    "organization_id": cast.owner.org(), "county": "611002", "industry": "transport",
                    "total_investment_wan": "100.00"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{area}: {reply}");
    }
    // Confirmed with a reason: stored and in the trail.
    let (status, created) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&cast.officer.token),
            Some(body(
                format!("2601-611021-04-01-{n:06}"),
                json!({"cross_county_reason": "项目跨洛南、商州两地，由商州区牵头"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["cross_county_reason"],
        "项目跨洛南、商州两地，由商州区牵头"
    );
    let audit = trail(
        &app,
        &format!("/api/v1/projects/{}/audit", created["id"]),
        &cast.officer.token,
    )
    .await;
    assert!(
        changes(&audit["items"][0])
            .iter()
            .any(|(f, _, _)| f == "cross_county_reason")
    );
    // Moving a fitting project to another county without a reason is refused the same way.
    let id = cast.project(&app, Kind::Unclassified).await;
    let (_, p) = app
        .get(&format!("/api/v1/projects/{id}"), &cast.officer.token)
        .await;
    let (status, reply) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            Some(&cast.officer.token),
            Some(json!({"version": p["version"], "county": "611002"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert_eq!(error_fields(&reply), ["project_code"]);
}

const BOUNDARY: &str = "----eiaflow-audit-boundary-7MA4YWxk";

async fn upload_pdf(app: &TestApp, token: &str, filing: i64) -> Value {
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(
        b"Content-Disposition: form-data; name=\"file\"; filename=\"report.pdf\"\r\n",
    );
    body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let reply = app
        .send(
            Method::POST,
            &format!("/api/v1/filings/{filing}/documents"),
            Some(token),
            Some((&body, &content_type)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    reply.json_value()
}

async fn a_document_is_withdrawn_before_acceptance_only(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let filing = cast.draft(&app, Kind::ReportForm).await;
    let doc = upload_pdf(&app, &cast.owner.token, filing.id).await;
    let doc_id = doc["id"].as_i64().unwrap();
    let withdraw = format!("/api/v1/documents/{doc_id}/withdraw");
    // Another owner cannot see it at all.
    let (status, _) = app
        .request(
            Method::POST,
            &withdraw,
            Some(&cast.other_owner.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .request(
            Method::POST,
            &withdraw,
            Some(&cast.owner.token),
            Some(json!({"reason": "传错了版本"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["withdraw_reason"], "传错了版本");
    let list = format!("/api/v1/filings/{}/documents", filing.id);
    let (_, shown) = app.get(&list, &cast.owner.token).await;
    assert_eq!(shown, json!([]), "out of the list by default");
    let (_, all) = app
        .get(&format!("{list}?include_withdrawn=true"), &cast.owner.token)
        .await;
    assert_eq!(all[0]["id"], doc_id);
    assert!(all[0]["withdrawn_at"].is_string());
    let audit = trail(
        &app,
        &format!("/api/v1/projects/{}/audit", filing.project.id),
        &cast.officer.token,
    )
    .await;
    let newest = &audit["items"][0];
    assert_eq!(newest["entity"], "document");
    assert_eq!(newest["action"], "withdraw");

    // After acceptance the documents are the record: 409.
    let accepted = cast.draft(&app, Kind::ReportForm).await;
    let doc = upload_pdf(&app, &cast.owner.token, accepted.id).await;
    app.step(&cast.owner.token, accepted.id, "submit", json!({}))
        .await;
    app.step(&cast.officer.token, accepted.id, "accept", json!({}))
        .await;
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/documents/{}/withdraw", doc["id"]),
            Some(&cast.officer.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "invalid_state");
}

async fn accounts_are_in_their_organisation_trail_and_a_password_change_without_its_hash(
    app: TestApp,
) {
    let cast = Cast::sign_in(&app).await;
    let org = cast.owner.org();
    let (status, user) = app
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&cast.admin.token),
            Some(
                json!({"username": "owner-new", "password": "first-pass-2026", "role": "owner",
                "organization_id": org, "display_name": "新业主"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/users/{}", user["id"]),
            Some(&cast.admin.token),
            Some(json!({"version": user["version"], "password": "second-pass-2026"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let audit = trail(
        &app,
        &format!("/api/v1/organizations/{org}/audit"),
        &cast.officer.token,
    )
    .await;
    let newest = &audit["items"][0];
    assert_eq!(
        (&newest["entity"], &newest["action"]),
        (&json!("user"), &json!("update"))
    );
    assert_eq!(
        changes(newest),
        [("password".to_owned(), json!(""), json!("（已修改）"))]
    );
    assert_eq!(audit["items"][1]["action"], "create");
    let stored = entity::app_user::Entity::find_by_id(user["id"].as_i64().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !audit.to_string().contains(&stored.password_hash),
        "the hash is never in the trail"
    );
}

on_both_backends!(empty;
    accounts_are_in_their_organisation_trail_and_a_password_change_without_its_hash,
    a_patch_shows_in_the_project_trail_with_old_new_actor_and_request,
    the_project_trail_includes_filings_and_the_organisation_trail_its_changes,
    nothing_changes_the_trail,
    a_project_entered_by_mistake_is_removed_and_restored,
    a_project_code_must_carry_its_county_or_a_confirmed_reason,
    a_document_is_withdrawn_before_acceptance_only,
);
