//! The ledger over HTTP: owner isolation, roles, versions and bad input.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, error_fields, error_of};
use serde_json::{Value, json};

/// A project of the given owner's organisation, and one of another organisation.
async fn own_and_foreign(app: &TestApp, owner: &str) -> (Value, Value, String) {
    let token = app.login(owner).await;
    let (_, me) = app.get("/api/v1/auth/me", &token).await;
    let org = me["organization_id"].as_i64().unwrap();
    let officer = app.login("officer1").await;
    let (_, all) = app.get("/api/v1/projects?per_page=200", &officer).await;
    let items = all["items"].as_array().unwrap();
    let own = items
        .iter()
        .find(|p| p["organization"]["id"] == org)
        .unwrap()
        .clone();
    let foreign = items
        .iter()
        .find(|p| p["organization"]["id"] != org)
        .unwrap()
        .clone();
    (own, foreign, token)
}

async fn owners_see_only_their_own_projects(app: TestApp) {
    let token = app.login("owner1").await;
    let (_, me) = app.get("/api/v1/auth/me", &token).await;
    let org = me["organization_id"].as_i64().unwrap();

    let (status, page) = app.get("/api/v1/projects?per_page=200", &token).await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().unwrap();
    assert!(items.len() >= 2, "demo owners have at least two projects");
    assert_eq!(page["total"].as_u64().unwrap() as usize, items.len());
    assert!(items.iter().all(|p| p["organization"]["id"] == org));
    assert!(items.iter().any(|p| p["point_to_point"] == true));

    // Asking for another organisation's projects by filter still yields only their own: none.
    let (_, foreign) = app
        .get(
            &format!("/api/v1/projects?organization_id={}", org + 1),
            &token,
        )
        .await;
    assert_eq!(foreign["total"], 0);

    // Reading another's project looks exactly like reading one that does not exist.
    let (_, other, _) = own_and_foreign(&app, "owner1").await;
    let (status, body) = app
        .get(&format!("/api/v1/projects/{}", other["id"]), &token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status2, body2) = app.get("/api/v1/projects/999999", &token).await;
    assert_eq!(status2, StatusCode::NOT_FOUND);
    assert_eq!(body, body2, "no hint that the project exists");
    let (status, _) = app.get("/api/v1/projects/not-a-number", &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Organisations: their own only.
    let (_, orgs) = app.get("/api/v1/organizations", &token).await;
    assert_eq!(orgs.as_array().unwrap().len(), 1);
    let (status, _) = app
        .get(&format!("/api/v1/organizations/{}", org + 1), &token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Owners cannot change the ledger or read reports.
    let (status, _) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{}", items[0]["id"]),
            Some(&token),
            Some(json!({"version": items[0]["version"], "name": "改名"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.get("/api/v1/reports/summary", &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_of(&body)["code"], "forbidden");
}

async fn list_filters_search_and_pages(app: TestApp) {
    let token = app.login("leader").await;
    let (_, all) = app.get("/api/v1/projects?per_page=200", &token).await;
    assert_eq!(all["total"], 239);
    assert_eq!(all["items"].as_array().unwrap().len(), 200);
    let (_, page2) = app
        .get("/api/v1/projects?per_page=200&page=2", &token)
        .await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 39);
    assert_eq!(page2["page"], 2);

    let (_, exempt) = app
        .get("/api/v1/projects?classification=exempt", &token)
        .await;
    assert_eq!(exempt["total"], 81);
    let (_, required) = app
        .get("/api/v1/projects?classification=required", &token)
        .await;
    assert_eq!(required["total"], 158);
    let (_, none) = app
        .get("/api/v1/projects?classification=unclassified", &token)
        .await;
    assert_eq!(none["total"], 0);

    let mut by_county = 0;
    for code in [
        "611002", "611021", "611022", "611023", "611024", "611025", "611026",
    ] {
        let (status, page) = app
            .get(&format!("/api/v1/projects?county={code}"), &token)
            .await;
        assert_eq!(status, StatusCode::OK);
        let n = page["total"].as_u64().unwrap();
        assert!(n > 0, "county {code} has projects");
        assert!(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["county"]["code"] == code)
        );
        by_county += n;
    }
    assert_eq!(by_county, 239);

    let (_, provincial) = app
        .get("/api/v1/projects?level=provincial&per_page=200", &token)
        .await;
    assert!(
        provincial["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["provincial"] == true)
    );

    // Search by part of a name and by a whole project code.
    let first = &all["items"][0];
    let code = first["project_code"].as_str().unwrap();
    let (_, by_code) = app.get(&format!("/api/v1/projects?q={code}"), &token).await;
    assert_eq!(by_code["total"], 1);
    assert_eq!(by_code["items"][0]["id"], first["id"]);
    let word: String = first["name"].as_str().unwrap().chars().take(4).collect();
    let (_, by_name) = app
        .get(&format!("/api/v1/projects?q={}", urlencode(&word)), &token)
        .await;
    assert!(
        by_name["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == first["id"])
    );
    let (_, wildcard) = app.get("/api/v1/projects?q=%25", &token).await;
    assert_eq!(wildcard["total"], 0, "% is searched literally");

    for bad in [
        "/api/v1/projects?per_page=0",
        "/api/v1/projects?per_page=1000",
        "/api/v1/projects?page=0",
        "/api/v1/projects?classification=maybe",
        "/api/v1/projects?county=999999",
    ] {
        let (status, body) = app.get(bad, &token).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        error_of(&body);
    }
    for bad in [
        "/api/v1/projects?page=abc",
        "/api/v1/projects?level=national",
        "/api/v1/projects?colour=red",
    ] {
        let (status, body) = app.get(bad, &token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert!(!error_fields(&body).is_empty(), "{bad}: {body}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn new_project(org: i64) -> Value {
    json!({
        "name": "商州区新材料产业园污水处理厂",
        "project_code": "2305-611002-04-01-900001",
        "organization_id": org,
        "county": "611002",
        "provincial": false,
        "municipal": true,
        "industry": "environment",
        "total_investment_wan": "18650.35",
        "point_to_point": false,
    })
}

async fn officers_create_and_update_with_versions(app: TestApp) {
    let officer = app.login("officer1").await;
    let (_, orgs) = app.get("/api/v1/organizations", &officer).await;
    let org = orgs[0]["id"].as_i64().unwrap();
    let (status, created) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(new_project(org)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["total_investment_wan"], "18650.35");
    assert_eq!(created["county"]["name"], "商州区");
    assert_eq!(created["version"], 1);
    assert_eq!(created["tier"], Value::Null);
    let id = created["id"].as_i64().unwrap();

    // The same code again is a conflict naming the field.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(new_project(org)),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_fields(&body), ["project_code"]);

    // Two officers read version 1; the first update wins, the second gets 409.
    let other = app.login("officer2").await;
    let (status, updated) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            Some(&officer),
            Some(json!({"version": 1, "total_investment_wan": "20000.00", "point_to_point": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["total_investment_wan"], "20000.00");
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            Some(&other),
            Some(json!({"version": 1, "name": "覆盖别人的修改"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_of(&body)["code"], "stale_version");
    let (_, stored) = app.get(&format!("/api/v1/projects/{id}"), &officer).await;
    assert_eq!(stored["name"], "商州区新材料产业园污水处理厂");
    assert_eq!(stored["total_investment_wan"], "20000.00");
    assert_eq!(stored["version"], 2);

    // Each change left an audit event.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let events = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("project"))
        .filter(entity::audit_event::Column::EntityId.eq(id))
        .order_by_asc(entity::audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["create", "update"]
    );
}

async fn leaders_read_but_do_not_change(app: TestApp) {
    let leader = app.login("leader").await;
    let (_, page) = app.get("/api/v1/projects?per_page=1", &leader).await;
    let project = &page["items"][0];
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{}", project["id"]),
            Some(&leader),
            Some(json!({"version": project["version"], "name": "领导改名"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_of(&body)["code"], "forbidden");
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&leader),
            Some(new_project(1)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/organizations",
            Some(&leader),
            Some(json!({"name": "某公司", "credit_code": "91350100M000100Y43"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, same) = app
        .get(&format!("/api/v1/projects/{}", project["id"]), &leader)
        .await;
    assert_eq!(same["name"], project["name"]);
    assert_eq!(same["version"], project["version"]);
}

async fn bad_input_is_a_clear_4xx_and_stores_nothing(app: TestApp) {
    let officer = app.login("officer1").await;
    let projects_before = app.count(entity::project::Entity).await;
    let orgs_before = app.count(entity::organization::Entity).await;

    let with = |patch: Value| {
        let mut p = new_project(1);
        for (k, v) in patch.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    };
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "malformed project code",
            with(json!({"project_code": "2305-61100-04-01-900001"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "project_code",
        ),
        (
            "impossible month",
            with(json!({"project_code": "2313-611002-04-01-900001"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "project_code",
        ),
        (
            "negative investment",
            with(json!({"total_investment_wan": "-5.00"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "total_investment_wan",
        ),
        (
            "negative investment number",
            with(json!({"total_investment_wan": -5})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "total_investment_wan",
        ),
        (
            "non-numeric investment",
            with(json!({"total_investment_wan": "一万"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "total_investment_wan",
        ),
        (
            "too precise investment",
            with(json!({"total_investment_wan": "1.005"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "total_investment_wan",
        ),
        (
            "boolean investment",
            with(json!({"total_investment_wan": true})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "total_investment_wan",
        ),
        (
            "unknown field",
            with(json!({"budget": 1})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "budget",
        ),
        (
            "unknown county",
            with(json!({"county": "110101"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "county",
        ),
        (
            "unknown organisation",
            with(json!({"organization_id": 99999})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "organization_id",
        ),
        (
            "unknown industry",
            with(json!({"industry": "space"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "industry",
        ),
        (
            "empty name",
            with(json!({"name": "  "})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name",
        ),
        (
            "future listing date",
            with(json!({"listed_on": "2999-01-01"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "listed_on",
        ),
        (
            "bad date",
            with(json!({"listed_on": "2023-02-30"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "listed_on",
        ),
        (
            "penalty without violation",
            with(json!({"penalty_settled": true})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "penalty_settled",
        ),
        (
            "missing field",
            json!({"name": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "project_code",
        ),
    ];
    for (what, body, expected, field) in cases {
        let (status, response) = app
            .request(Method::POST, "/api/v1/projects", Some(&officer), Some(body))
            .await;
        assert_eq!(status, expected, "{what}: {response}");
        let fields = error_fields(&response);
        assert!(
            fields.iter().any(|f| f == field),
            "{what}: expected field {field} in {response}"
        );
    }

    // Malformed JSON, wrong content type, trailing garbage: 400.
    for (body, content_type) in [
        ("{\"name\": ", "application/json"),
        ("{\"name\": \"x\"} {}", "application/json"),
        ("name=x", "application/x-www-form-urlencoded"),
    ] {
        let (status, response) = app
            .raw(
                Method::POST,
                "/api/v1/projects",
                Some(&officer),
                Some(body),
                content_type,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {response}");
        assert_eq!(error_of(&response)["code"], "malformed");
    }

    // A body over the limit (1 MiB by default): 413.
    let huge = format!("{{\"name\": \"{}\"}}", "长".repeat(400_000));
    let (status, response) = app
        .raw(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(&huge),
            "application/json",
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_of(&response)["code"], "too_large");

    // Organisations: an invalid credit code names the field and says why.
    for code in [
        "91350100M000100Y44",
        "91350100M000100Y4",
        "91350100M000100YI3",
    ] {
        let (status, response) = app
            .request(
                Method::POST,
                "/api/v1/organizations",
                Some(&officer),
                Some(json!({"name": "商洛某某建设有限公司", "credit_code": code})),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{code}: {response}"
        );
        assert_eq!(error_fields(&response), ["credit_code"]);
        assert!(
            error_of(&response)["message"]
                .as_str()
                .unwrap()
                .contains("统一社会信用代码")
        );
    }

    // An update with bad input changes nothing either.
    let (_, page) = app.get("/api/v1/projects?per_page=1", &officer).await;
    let (_, project) = app
        .get(
            &format!("/api/v1/projects/{}", page["items"][0]["id"]),
            &officer,
        )
        .await;
    let (status, _) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{}", project["id"]),
            Some(&officer),
            Some(json!({"version": project["version"], "name": "新名称", "total_investment_wan": "-1"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{}", project["id"]),
            Some(&officer),
            Some(json!({"version": project["version"], "name": "新名称", "county": "000000"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, same) = app
        .get(&format!("/api/v1/projects/{}", project["id"]), &officer)
        .await;
    assert_eq!(same, project);

    assert_eq!(app.count(entity::project::Entity).await, projects_before);
    assert_eq!(app.count(entity::organization::Entity).await, orgs_before);
}

async fn organisations_are_kept_by_officers(app: TestApp) {
    let officer = app.login("officer2").await;
    let (status, org) = app
        .request(
            Method::POST,
            "/api/v1/organizations",
            Some(&officer),
            Some(json!({"name": "商洛市某新能源有限公司", "credit_code": "91350100m000100y43", "contact_email": "env@example.cn"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    assert_eq!(org["credit_code"], "91350100M000100Y43");
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/organizations",
            Some(&officer),
            Some(json!({"name": "重复登记", "credit_code": "91350100M000100Y43"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_fields(&body), ["credit_code"]);
    let (status, updated) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/organizations/{}", org["id"]),
            Some(&officer),
            Some(json!({"version": 1, "contact_phone": "0914-2312345"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["version"], 2);
    let (status, _) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/organizations/{}", org["id"]),
            Some(&officer),
            Some(json!({"version": 1, "contact_phone": "0914-0000000"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

on_both_backends!(
    owners_see_only_their_own_projects,
    list_filters_search_and_pages,
    officers_create_and_update_with_versions,
    leaders_read_but_do_not_change,
    bad_input_is_a_clear_4xx_and_stores_nothing,
    organisations_are_kept_by_officers,
);
