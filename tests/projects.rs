//! The ledger over HTTP: owner isolation, roles, versions and bad input.
mod common;

use axum::http::{Method, StatusCode};
use common::build::{Kind, User};
use common::{TestApp, api, error, error_fields};
use serde_json::{Value, json};

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

/// Two owners of different organisations: the first with two projects (one served point to
/// point), the second with one.
struct TwoOwners {
    officer: User,
    owner: User,
    other: User,
    own: Vec<i64>,
    foreign: i64,
}

async fn two_owners(app: &TestApp) -> TwoOwners {
    let officer = app.new_user("officer1", "officer", None).await;
    let owner = app.new_owner("owner1").await;
    let other = app.new_owner("owner2").await;
    let mut own = Vec::new();
    for extra in [json!({}), json!({"point_to_point": true})] {
        own.push(
            app.new_project(&officer.token, owner.org(), Kind::ReportForm, extra)
                .await,
        );
    }
    let foreign = app
        .new_project(&officer.token, other.org(), Kind::ReportForm, json!({}))
        .await;
    TwoOwners {
        officer,
        owner,
        other,
        own,
        foreign,
    }
}

// ---------------------------------------------------------------------------------------------
// Owners see their own
// ---------------------------------------------------------------------------------------------

async fn owners_list_only_their_own_projects(app: TestApp) {
    let t = two_owners(&app).await;
    let page: api::ProjectPage = app
        .get_ok("/api/v1/projects?per_page=200", &t.owner.token)
        .await;
    let mut ids = page.ids();
    ids.sort();
    assert_eq!(ids, t.own);
    assert_eq!(page.total, 2);
    assert!(
        page.items
            .iter()
            .all(|p| p.organization.id == t.owner.org())
    );
    assert_eq!(
        page.items.iter().filter(|p| p.point_to_point).count(),
        1,
        "one of them point to point"
    );
    // Officers see every project.
    let all: api::ProjectPage = app
        .get_ok("/api/v1/projects?per_page=200", &t.officer.token)
        .await;
    assert_eq!(all.total, 3);

    // Asking for another organisation's projects by filter still yields only their own: none.
    let foreign: api::ProjectPage = app
        .get_ok(
            &format!("/api/v1/projects?organization_id={}", t.other.org()),
            &t.owner.token,
        )
        .await;
    assert_eq!(foreign.total, 0);
    assert!(foreign.items.is_empty());
}

async fn another_owners_project_looks_like_none_at_all(app: TestApp) {
    let t = two_owners(&app).await;
    let (status, body) = app
        .get(&format!("/api/v1/projects/{}", t.foreign), &t.owner.token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status2, body2) = app.get("/api/v1/projects/999999", &t.owner.token).await;
    assert_eq!(status2, StatusCode::NOT_FOUND);
    assert_eq!(body, body2, "no hint that the project exists");
    assert_eq!(error(&body).message, "项目不存在");
    let (status, body) = app
        .get("/api/v1/projects/not-a-number", &t.owner.token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error(&body).code, "not_found");
    // Their own they read.
    let own: api::Project = app
        .get_ok(&format!("/api/v1/projects/{}", t.own[0]), &t.owner.token)
        .await;
    assert_eq!(own.organization.id, t.owner.org());
}

async fn owners_see_only_their_own_organisation(app: TestApp) {
    let t = two_owners(&app).await;
    let orgs = app
        .get_ok::<api::Page<api::Organization>>("/api/v1/organizations", &t.owner.token)
        .await
        .items;
    assert_eq!(
        orgs.iter().map(|o| o.id).collect::<Vec<_>>(),
        [t.owner.org()]
    );
    let (status, body) = app
        .get(
            &format!("/api/v1/organizations/{}", t.other.org()),
            &t.owner.token,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error(&body).code, "not_found");
}

async fn owners_neither_change_the_ledger_nor_read_reports(app: TestApp) {
    let t = two_owners(&app).await;
    let path = format!("/api/v1/projects/{}", t.own[0]);
    let before: api::Project = app.get_ok(&path, &t.owner.token).await;
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&t.owner.token),
            Some(json!({"version": before.version, "name": "改名"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let after: api::Project = app.get_ok(&path, &t.owner.token).await;
    assert_eq!((after.name, after.version), (before.name, before.version));
    let (status, body) = app.get("/api/v1/reports/summary", &t.owner.token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
}

// ---------------------------------------------------------------------------------------------
// Lists, filters, search
// ---------------------------------------------------------------------------------------------

async fn the_demo_ledger_in_pages_and_by_filter(app: TestApp) {
    let token = app.login("leader").await;
    let all: api::ProjectPage = app.get_ok("/api/v1/projects?per_page=200", &token).await;
    assert_eq!(all.total, 239);
    assert_eq!(all.items.len(), 200);
    assert_eq!((all.page, all.per_page), (1, 200));
    let page2: api::ProjectPage = app
        .get_ok("/api/v1/projects?per_page=200&page=2", &token)
        .await;
    assert_eq!(page2.items.len(), 39);
    assert_eq!(page2.page, 2);
    assert!(
        page2.ids().iter().all(|id| !all.ids().contains(id)),
        "pages do not overlap"
    );

    for (filter, total) in [("exempt", 81), ("required", 158), ("unclassified", 0)] {
        let page: api::ProjectPage = app
            .get_ok(&format!("/api/v1/projects?classification={filter}"), &token)
            .await;
        assert_eq!(page.total, total, "{filter}");
    }

    let mut by_county = 0;
    for code in [
        "611002", "611021", "611022", "611023", "611024", "611025", "611026",
    ] {
        let page: api::ProjectPage = app
            .get_ok(&format!("/api/v1/projects?county={code}"), &token)
            .await;
        assert!(page.total > 0, "county {code} has projects");
        assert!(page.items.iter().all(|p| p.county.code == code));
        by_county += page.total;
    }
    assert_eq!(by_county, 239);

    let provincial: api::ProjectPage = app
        .get_ok("/api/v1/projects?level=provincial&per_page=200", &token)
        .await;
    assert!(provincial.total > 0);
    assert!(provincial.items.iter().all(|p| p.provincial));
}

async fn search_by_whole_code_and_part_of_a_name(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await.id;
    let mut created = Vec::new();
    for (name, code) in [
        ("商州区新材料产业园污水处理厂", "2305-611002-04-01-900001"),
        ("商州区城市道路改造工程", "2305-611002-04-01-900002"),
        ("丹凤县光伏发电项目", "2305-611022-04-01-900003"),
    ] {
        let mut body = new_project(org);
        body["name"] = json!(name);
        body["project_code"] = json!(code);
        // The county the code's division code names (the area-code rule).
        body["county"] = json!(&code[5..11]);
        let p: api::Project = app
            .expect(
                StatusCode::CREATED,
                Method::POST,
                "/api/v1/projects",
                Some(&officer),
                Some(body),
            )
            .await;
        created.push(p.id);
    }
    let by_code: api::ProjectPage = app
        .get_ok("/api/v1/projects?q=2305-611002-04-01-900002", &officer)
        .await;
    assert_eq!(by_code.ids(), [created[1]]);
    let by_name: api::ProjectPage = app
        .get_ok(
            &format!("/api/v1/projects?q={}", urlencode("商州区")),
            &officer,
        )
        .await;
    let mut found = by_name.ids();
    found.sort();
    assert_eq!(found, created[..2]);
    let wildcard: api::ProjectPage = app.get_ok("/api/v1/projects?q=%25", &officer).await;
    assert_eq!(wildcard.total, 0, "% is searched literally");
}

async fn bad_list_parameters_are_named(app: TestApp) {
    let token = app.new_user("leader", "leader", None).await.token;
    // Read, but not acceptable: 422.
    for (bad, field) in [
        ("/api/v1/projects?per_page=0", "per_page"),
        ("/api/v1/projects?per_page=1000", "per_page"),
        ("/api/v1/projects?page=0", "page"),
        ("/api/v1/projects?classification=maybe", "classification"),
        ("/api/v1/projects?county=999999", "county"),
    ] {
        let (status, body) = app.get(bad, &token).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(error(&body).code, "invalid", "{bad}");
        assert_eq!(error_fields(&body), [field], "{bad}");
    }
    // Cannot be read at all: 400.
    for (bad, field) in [
        ("/api/v1/projects?page=abc", "page"),
        ("/api/v1/projects?level=national", "level"),
        ("/api/v1/projects?colour=red", "colour"),
    ] {
        let (status, body) = app.get(bad, &token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(error(&body).code, "malformed", "{bad}");
        assert_eq!(error_fields(&body), [field], "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// Officers keep the ledger
// ---------------------------------------------------------------------------------------------

async fn officers_create_projects(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await;
    let created: api::Project = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(new_project(org.id)),
        )
        .await;
    assert_eq!(created.name, "商州区新材料产业园污水处理厂");
    assert_eq!(created.project_code, "2305-611002-04-01-900001");
    assert_eq!(created.total_investment_wan, "18650.35");
    assert_eq!(
        created.county,
        api::CountyRef {
            code: "611002".into(),
            name: "商州区".into()
        }
    );
    assert_eq!(
        created.organization,
        api::OrganizationRef {
            id: org.id,
            name: org.name.clone(),
            credit_code: org.credit_code.clone()
        }
    );
    assert_eq!((created.provincial, created.municipal), (false, true));
    assert_eq!(created.industry, "environment");
    assert_eq!(created.version, 1);
    assert_eq!(created.tier, None);
    assert_eq!(
        created.listed_on,
        common::today(),
        "listed today by default"
    );

    // The same code again is a conflict naming the field, and stores nothing.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(new_project(org.id)),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error(&body).code, "duplicate");
    assert_eq!(error_fields(&body), ["project_code"]);
    assert_eq!(app.count(entity::project::Entity).await, 1);
}

async fn a_stale_version_loses_to_the_first_update(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let other = app.new_user("officer2", "officer", None).await.token;
    let org = app.new_organization().await.id;
    let created: api::Project = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/projects",
            Some(&officer),
            Some(new_project(org)),
        )
        .await;
    let path = format!("/api/v1/projects/{}", created.id);

    // Two officers read version 1; the first update wins, the second gets 409.
    let updated: api::Project = app
        .expect(
            StatusCode::OK,
            Method::PATCH,
            &path,
            Some(&officer),
            Some(json!({"version": 1, "total_investment_wan": "20000.00", "point_to_point": true})),
        )
        .await;
    assert_eq!(updated.version, 2);
    assert_eq!(updated.total_investment_wan, "20000.00");
    assert!(updated.point_to_point);
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&other),
            Some(json!({"version": 1, "name": "覆盖别人的修改"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "stale_version");
    assert_eq!(error_fields(&body), ["version"]);
    let stored: api::Project = app.get_ok(&path, &officer).await;
    assert_eq!(stored.name, "商州区新材料产业园污水处理厂");
    assert_eq!(stored.total_investment_wan, "20000.00");
    assert_eq!(stored.version, 2);

    // Each change left an audit event; the refused one did not.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let events = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("project"))
        .filter(entity::audit_event::Column::EntityId.eq(created.id))
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
    let officer = app.new_user("officer1", "officer", None).await.token;
    let leader = app.new_user("leader", "leader", None).await.token;
    let org = app.new_organization().await.id;
    let id = app
        .new_project(&officer, org, Kind::ReportForm, json!({}))
        .await;
    let path = format!("/api/v1/projects/{id}");
    let project: api::Project = app.get_ok(&path, &leader).await;
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&leader),
            Some(json!({"version": project.version, "name": "领导改名"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(&leader),
            Some(new_project(org)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/organizations",
            Some(&leader),
            Some(json!({"name": "某公司", "credit_code": "91350100M000100Y43"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let same: api::Project = app.get_ok(&path, &leader).await;
    assert_eq!(same.name, project.name);
    assert_eq!(same.version, project.version);
    assert_eq!(app.count(entity::project::Entity).await, 1);
    assert_eq!(app.count(entity::organization::Entity).await, 1);
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

async fn invalid_projects_name_the_field_and_store_nothing(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await.id;
    let with = |patch: Value| {
        let mut p = new_project(org);
        for (k, v) in patch.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "malformed project code",
            with(json!({"project_code": "2305-61100-04-01-900001"})),
            "project_code",
        ),
        (
            "impossible month",
            with(json!({"project_code": "2313-611002-04-01-900001"})),
            "project_code",
        ),
        (
            "negative investment",
            with(json!({"total_investment_wan": "-5.00"})),
            "total_investment_wan",
        ),
        (
            "negative investment number",
            with(json!({"total_investment_wan": -5})),
            "total_investment_wan",
        ),
        (
            "non-numeric investment",
            with(json!({"total_investment_wan": "一万"})),
            "total_investment_wan",
        ),
        (
            "too precise investment",
            with(json!({"total_investment_wan": "1.005"})),
            "total_investment_wan",
        ),
        (
            "boolean investment",
            with(json!({"total_investment_wan": true})),
            "total_investment_wan",
        ),
        ("unknown field", with(json!({"budget": 1})), "budget"),
        (
            "unknown county",
            with(json!({"county": "110101"})),
            "county",
        ),
        (
            "unknown organisation",
            with(json!({"organization_id": 99999})),
            "organization_id",
        ),
        (
            "unknown industry",
            with(json!({"industry": "space"})),
            "industry",
        ),
        ("empty name", with(json!({"name": "  "})), "name"),
        (
            "future listing date",
            with(json!({"listed_on": "2999-01-01"})),
            "listed_on",
        ),
        (
            "bad date",
            with(json!({"listed_on": "2023-02-30"})),
            "listed_on",
        ),
        (
            "penalty without violation",
            with(json!({"penalty_settled": true})),
            "penalty_settled",
        ),
        ("missing field", json!({"name": "x"}), "project_code"),
    ];
    for (what, body, field) in cases {
        let (status, response) = app
            .request(Method::POST, "/api/v1/projects", Some(&officer), Some(body))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {response}"
        );
        let error = error(&response);
        assert_eq!(error.code, "invalid", "{what}");
        assert_eq!(error.field_names(), [field], "{what}");
    }
    assert_eq!(app.count(entity::project::Entity).await, 0);
}

async fn unreadable_and_oversized_bodies_are_400_and_413(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    // Malformed JSON, wrong content type, trailing garbage: 400.
    for (body, content_type, message) in [
        (
            "{\"name\": ",
            "application/json",
            "JSON 格式错误（第1行第9列）",
        ),
        (
            "{\"name\": \"x\"} {}",
            "application/json",
            "JSON 格式错误（第1行第15列）",
        ),
        (
            "name=x",
            "application/x-www-form-urlencoded",
            "请求体须为 JSON（Content-Type: application/json）",
        ),
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
        let error = error(&response);
        assert_eq!(error.code, "malformed", "{body}");
        assert_eq!(error.message, message, "{body}");
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
    assert_eq!(error(&response).code, "too_large");
    assert_eq!(app.count(entity::project::Entity).await, 0);
}

async fn an_invalid_credit_code_names_the_field_and_says_why(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    for (code, why) in [
        (
            "91350100M000100Y44",
            "统一社会信用代码校验位错误：应为“3”，实际为“4”",
        ),
        ("91350100M000100Y4", "统一社会信用代码应为18位，实际为17位"),
        (
            "91350100M000100YI3",
            "统一社会信用代码第17位“I”不是允许的字符（0-9及除I、O、S、V、Z外的大写字母）",
        ),
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
        let error = error(&response);
        assert_eq!(error.field_names(), ["credit_code"]);
        assert_eq!(error.message_for("credit_code"), why, "{code}");
    }
    assert_eq!(app.count(entity::organization::Entity).await, 0);
}

async fn an_update_with_bad_input_changes_nothing(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await.id;
    let id = app
        .new_project(&officer, org, Kind::ReportForm, json!({}))
        .await;
    let path = format!("/api/v1/projects/{id}");
    let (_, project) = app.get(&path, &officer).await;
    let version = project["version"].clone();
    for (patch, field) in [
        (
            json!({"version": version, "name": "新名称", "total_investment_wan": "-1"}),
            "total_investment_wan",
        ),
        (
            json!({"version": version, "name": "新名称", "county": "000000"}),
            "county",
        ),
    ] {
        let (status, body) = app
            .request(Method::PATCH, &path, Some(&officer), Some(patch))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error_fields(&body), [field]);
    }
    let (_, same) = app.get(&path, &officer).await;
    assert_eq!(same, project);
}

async fn organisations_are_kept_by_officers(app: TestApp) {
    let officer = app.new_user("officer2", "officer", None).await.token;
    let org: api::Organization = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/organizations",
            Some(&officer),
            Some(json!({"name": "商洛市某新能源有限公司", "credit_code": "91350100m000100y43", "contact_email": "env@example.cn"})),
        )
        .await;
    assert_eq!(org.credit_code, "91350100M000100Y43", "stored upper-case");
    assert_eq!(org.name, "商洛市某新能源有限公司");
    assert_eq!(org.contact_email.as_deref(), Some("env@example.cn"));
    assert_eq!(org.version, 1);
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/organizations",
            Some(&officer),
            Some(json!({"name": "重复登记", "credit_code": "91350100M000100Y43"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error(&body).code, "duplicate");
    assert_eq!(error_fields(&body), ["credit_code"]);
    let path = format!("/api/v1/organizations/{}", org.id);
    let updated: api::Organization = app
        .expect(
            StatusCode::OK,
            Method::PATCH,
            &path,
            Some(&officer),
            Some(json!({"version": 1, "contact_phone": "0914-2312345"})),
        )
        .await;
    assert_eq!(updated.version, 2);
    assert_eq!(updated.contact_phone.as_deref(), Some("0914-2312345"));
    let (status, body) = app
        .request(
            Method::PATCH,
            &path,
            Some(&officer),
            Some(json!({"version": 1, "contact_phone": "0914-0000000"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error(&body).code, "stale_version");
    let stored: api::Organization = app.get_ok(&path, &officer).await;
    assert_eq!(stored.contact_phone.as_deref(), Some("0914-2312345"));
}

on_both_backends!(empty;
    owners_list_only_their_own_projects,
    another_owners_project_looks_like_none_at_all,
    owners_see_only_their_own_organisation,
    owners_neither_change_the_ledger_nor_read_reports,
    search_by_whole_code_and_part_of_a_name,
    bad_list_parameters_are_named,
    officers_create_projects,
    a_stale_version_loses_to_the_first_update,
    leaders_read_but_do_not_change,
    invalid_projects_name_the_field_and_store_nothing,
    unreadable_and_oversized_bodies_are_400_and_413,
    an_invalid_credit_code_names_the_field_and_says_why,
    an_update_with_bad_input_changes_nothing,
    organisations_are_kept_by_officers,
);
on_both_backends!(demo; the_demo_ledger_in_pages_and_by_filter);
