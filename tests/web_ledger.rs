//! The ledger, project, work-queue and service-sheet pages at the router: signed in through the
//! sign-in page with a session cookie, forms posted with their `_csrf` token.
mod common;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use common::build::Kind;
use common::{Reply, TestApp, web};

/// A browser's session through the sign-in page (the shared page-session helper).
struct Session<'a> {
    app: &'a TestApp,
    session: web::Session,
}

impl<'a> Session<'a> {
    async fn sign_in(app: &'a TestApp, username: &str) -> Session<'a> {
        Session {
            app,
            session: app.web_login(username).await,
        }
    }

    /// A page's status and HTML.
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let reply = self.app.page(Method::GET, path, Some(&self.session)).await;
        (reply.status, reply.html())
    }

    /// Posts a form (its `_csrf` added) and answers the reply.
    async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.app.post_form(path, &self.session, pairs).await
    }

    /// Follows a 303 with the flash cookie it set, as a browser does.
    async fn follow(&self, reply: &Reply) -> (StatusCode, String) {
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.html());
        let to = reply.location().expect("a location").to_owned();
        let next = self
            .app
            .page_flashed(&to, &self.session, reply.flash_cookie().as_deref())
            .await;
        (next.status, next.html())
    }
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_owned())
}

/// The `data-total` of a listing page.
fn total(page: &str) -> u64 {
    between(page, "data-total=\"", "\"")
        .expect("data-total")
        .parse()
        .unwrap()
}

/// The project ids of a listing page's rows, in order.
fn row_ids(page: &str) -> Vec<i64> {
    page.split("<tr data-project-id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

async fn api_total(app: &TestApp, token: &str, query: &str) -> u64 {
    let (status, body) = app.get(&format!("/api/v1/projects?{query}"), token).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["total"].as_u64().unwrap()
}

async fn filters_and_totals_match_the_api(app: TestApp) {
    let officer = Session::sign_in(&app, "officer1").await;
    let token = app.login("officer1").await;

    let (status, all) = officer.get("/projects").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(total(&all), 239, "the demo ledger");
    assert_eq!(row_ids(&all).len(), 50, "50 per page");
    assert!(all.contains("class=\"pager\""));

    for (page_query, api_query) in [
        ("county=611024", "county=611024"),
        ("tier=report", "classification=report"),
        (
            "tier=exempt&level=provincial",
            "classification=exempt&level=provincial",
        ),
        ("p2p=true", "point_to_point=true"),
        ("accepted=false", "accepted=false"),
        (
            "state=approved&county=611002",
            "filing_state=approved&county=611002",
        ),
        ("overdue=true", "overdue=true"),
        ("q=%E5%85%AC%E8%B7%AF", "q=%E5%85%AC%E8%B7%AF"),
    ] {
        let (status, page) = officer.get(&format!("/projects?{page_query}")).await;
        assert_eq!(status, StatusCode::OK, "{page_query}");
        let expected = api_total(&app, &token, api_query).await;
        assert_eq!(total(&page), expected, "{page_query}");
        assert_eq!(
            row_ids(&page).len() as u64,
            expected.min(50),
            "{page_query}"
        );
    }
    assert!(
        api_total(&app, &token, "county=611024").await < 239,
        "a county filter narrows the ledger"
    );

    // Page 2 holds the next 50, none of the first page's.
    let (_, second) = officer.get("/projects?page=2").await;
    let first = row_ids(&all);
    let next = row_ids(&second);
    assert_eq!(next.len(), 50);
    assert!(next.iter().all(|id| !first.contains(id)));

    // An unknown filter value is said on the page, not a server error.
    let (status, bad) = officer.get("/projects?county=999999").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("未知的行政区划代码"), "{bad}");

    // Leaders read the ledger; owners have their own portal.
    let leader = Session::sign_in(&app, "leader").await;
    assert_eq!(leader.get("/projects").await.0, StatusCode::OK);
    let owner = Session::sign_in(&app, "owner1").await;
    assert_eq!(owner.get("/projects").await.0, StatusCode::FORBIDDEN);
}

async fn names_sort_in_pinyin_order(app: TestApp) {
    let token = app.login("officer1").await;
    let owner = app.new_owner("pinyin_owner").await;
    let mut ids = Vec::new();
    for name in [
        "重庆路拼音排序工程",
        "北京路拼音排序工程",
        "安康路拼音排序工程",
    ] {
        ids.push(
            app.new_project(
                &token,
                owner.org(),
                Kind::Unclassified,
                json!({"name": name}),
            )
            .await,
        );
    }
    let officer = Session::sign_in(&app, "officer1").await;
    let (_, page) = officer
        .get("/projects?q=%E6%8B%BC%E9%9F%B3%E6%8E%92%E5%BA%8F&sort=name")
        .await;
    assert_eq!(total(&page), 3);
    // 安康 (an) < 北京 (bei) < 重庆 (chong), though by code point 北 < 安 < 重.
    assert_eq!(row_ids(&page), vec![ids[2], ids[1], ids[0]]);
    let (_, page) = officer
        .get("/projects?q=%E6%8B%BC%E9%9F%B3%E6%8E%92%E5%BA%8F&sort=name&order=desc")
        .await;
    assert_eq!(row_ids(&page), vec![ids[0], ids[1], ids[2]]);

    // A rename moves the project in the order.
    let (status, body) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{}", ids[0]),
            Some(&token),
            Some(json!({"version": 1, "name": "阿坝路拼音排序工程"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = officer
        .get("/projects?q=%E6%8B%BC%E9%9F%B3%E6%8E%92%E5%BA%8F&sort=name")
        .await;
    assert_eq!(
        row_ids(&page),
        vec![ids[0], ids[2], ids[1]],
        "阿坝 (a ba) first"
    );

    // The demo ledger in name order: every key in order.
    let (_, page) = officer.get("/projects?sort=name").await;
    let names: Vec<String> = page
        .split("<tr data-project-id=")
        .skip(1)
        .map(|row| {
            let link = between(row, "<a href=\"/projects/", "</a>").unwrap();
            link[link.find("\">").unwrap() + 2..].to_owned()
        })
        .collect();
    let keys: Vec<String> = names
        .iter()
        .map(|n| eiaflow::domain::sort_key::pinyin_key(n))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

async fn a_stale_edit_changes_nothing_and_says_why(app: TestApp) {
    let token = app.login("officer1").await;
    let owner = app.new_owner("stale_owner").await;
    let id = app
        .new_project(&token, owner.org(), Kind::ReportForm, json!({}))
        .await;
    let officer = Session::sign_in(&app, "officer1").await;
    let (status, page) = officer.get(&format!("/projects/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let version = between(&page, "name=\"version\" value=\"", "\"").unwrap();
    assert!(page.contains("名录第130项"), "the catalogue row quoted");

    // Someone else saves first.
    let (status, _) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            Some(&token),
            Some(json!({"version": version.parse::<i32>().unwrap(), "name": "他人先改的名称"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let form = edit_form(
        &page,
        &[("name", "我的修改"), ("total_investment_wan", "1.00")],
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = officer.post(&format!("/projects/{id}"), &pairs).await;
    let (status, after) = officer.follow(&reply).await;
    assert_eq!(status, StatusCode::OK);
    assert!(after.contains("已被他人修改"), "{after}");
    assert!(after.contains("他人先改的名称"), "the fresh values shown");
    let stored: Value = app.get(&format!("/api/v1/projects/{id}"), &token).await.1;
    assert_eq!(stored["name"], "他人先改的名称");
    assert_eq!(stored["total_investment_wan"], "52000.00");

    // With the fresh version the edit goes through; a bad amount is a 422 beside its field.
    let (_, page) = officer.get(&format!("/projects/{id}")).await;
    let form = edit_form(&page, &[("total_investment_wan", "12.345")]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = officer.post(&format!("/projects/{id}"), &pairs).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let again = reply.html();
    assert!(again.contains("value=\"12.345\""), "the value typed kept");
    assert!(again.contains("field-error"), "{again}");
    let form = edit_form(&page, &[("total_investment_wan", "60000.50")]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = officer.post(&format!("/projects/{id}"), &pairs).await;
    let (_, after) = officer.follow(&reply).await;
    assert!(after.contains("项目信息已保存"));
    let stored: Value = app.get(&format!("/api/v1/projects/{id}"), &token).await.1;
    assert_eq!(stored["total_investment_wan"], "60000.50");
    assert_eq!(stored["name"], "他人先改的名称");
}

/// The edit form's fields as the page fills them, with `changes` applied.
fn edit_form(page: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let start = page.find("id=\"edit-form\"").expect("the edit form");
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    for input in form.split("<input").skip(1) {
        let name = between(input, "name=\"", "\"").unwrap();
        if name == "_csrf" {
            continue;
        }
        let value = between(input, "value=\"", "\"").unwrap_or_default();
        if input.contains("type=\"checkbox\"") && !input.contains(" checked") {
            continue;
        }
        out.push((name, value));
    }
    for select in form.split("<select").skip(1) {
        let name = between(select, "name=\"", "\"").unwrap();
        let chosen = select
            .split("<option")
            .find(|o| o.contains(" selected"))
            .and_then(|o| between(o, "value=\"", "\""))
            .unwrap_or_default();
        out.push((name, chosen));
    }
    for (k, v) in changes {
        out.retain(|(name, _)| name != k);
        out.push(((*k).to_owned(), (*v).to_owned()));
    }
    out
}

async fn the_classify_form_stores_a_classification(app: TestApp) {
    let token = app.login("officer1").await;
    let owner = app.new_owner("classify_owner").await;
    let id = app
        .new_project(&token, owner.org(), Kind::Unclassified, json!({}))
        .await;
    let officer = Session::sign_in(&app, "officer1").await;

    // The rows typed build the form from their fact schema.
    let (status, page) = officer.get(&format!("/projects/{id}?rows=130")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"fact.length_km\""), "a number fact");
    assert!(page.contains("name=\"fact.road_grade\""), "a choice fact");
    assert!(
        page.contains("name=\"fact.sensitive_areas\""),
        "a list fact"
    );

    // A fact missing is said beside the form, nothing stored.
    let reply = officer
        .post(
            &format!("/projects/{id}/classification"),
            &[("rows", "130"), ("fact.construction", "new")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.html()
    );
    assert!(reply.html().contains("field-error"));
    let (status, _) = app
        .get(&format!("/api/v1/projects/{id}/classification"), &token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let reply = officer
        .post(
            &format!("/projects/{id}/classification"),
            &[
                ("rows", "130"),
                ("fact.construction", "new"),
                ("fact.road_grade", "class2"),
                ("fact.length_km", "12"),
                ("fact.sensitive_areas", "nature_reserve"),
            ],
        )
        .await;
    let (status, after) = officer.follow(&reply).await;
    assert_eq!(status, StatusCode::OK);
    assert!(after.contains("分类已保存"), "{after}");
    let stored: Value = app
        .get(&format!("/api/v1/projects/{id}/classification"), &token)
        .await
        .1;
    assert_eq!(stored["tier"], "report");
    assert_eq!(stored["facts"]["length_km"], 12);
    assert_eq!(
        stored["facts"]["sensitive_areas"],
        json!(["nature_reserve"])
    );
}

async fn owners_read_only_their_own_projects(app: TestApp) {
    let owner1 = app.login("owner1").await;
    let owner2 = app.login("owner2").await;
    let own: Value = app.get("/api/v1/projects?per_page=1", &owner1).await.1;
    let other: Value = app.get("/api/v1/projects?per_page=1", &owner2).await.1;
    let own_id = own["items"][0]["id"].as_i64().unwrap();
    let other_id = other["items"][0]["id"].as_i64().unwrap();

    let session = Session::sign_in(&app, "owner1").await;
    let (status, page) = session.get(&format!("/projects/{own_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("id=\"edit-form\""),
        "no edit form for an owner"
    );
    assert!(
        !page.contains("id=\"classify-form\""),
        "no classify form for an owner"
    );
    let (status, page) = session.get(&format!("/projects/{other_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("页面不存在"));
    // Nor can an owner post the forms.
    let reply = session
        .post(&format!("/projects/{own_id}"), &[("name", "x")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

async fn the_queue_and_a_service_sheet(app: TestApp) {
    let officer = Session::sign_in(&app, "officer1").await;
    let (status, page) = officer.get("/filings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("我的待办"));
    for tab in ["claim", "soon", "overdue", "all"] {
        let (status, page) = officer.get(&format!("/filings?tab={tab}")).await;
        assert_eq!(status, StatusCode::OK, "{tab}");
        assert!(page.contains("data-total="));
    }

    // Claiming from the shared queue.
    let token = app.login("officer1").await;
    let owner = app.new_owner("queue_owner").await;
    let project = app
        .new_project(&token, owner.org(), Kind::ReportForm, json!({}))
        .await;
    let draft = app.new_filing(&owner.token, project).await;
    app.attach_materials(&owner.token, draft.id, "report_form")
        .await;
    app.step(&owner.token, draft.id, "submit", json!({})).await;
    let (_, page) = officer.get("/filings?tab=claim").await;
    if page.contains(&format!("data-filing-id=\"{}\"", draft.id)) {
        let reply = officer
            .post("/filings/claim", &[("filing_id", &draft.id.to_string())])
            .await;
        let (_, mine) = officer.follow(&reply).await;
        assert!(mine.contains("已认领"), "{mine}");
        let me: Value = app.get("/api/v1/auth/me", &token).await.1;
        let filing: Value = app
            .get(&format!("/api/v1/filings/{}", draft.id), &token)
            .await
            .1;
        assert_eq!(filing["officer_id"], me["id"], "{filing}");
    }

    // Service sheets.
    let (status, list) = officer.get("/service-sheets").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(total(&list), 59, "the demo's sheets");
    let sheet = between(&list, "data-sheet-id=\"", "\"").unwrap();
    let (status, page) = officer.get(&format!("/service-sheets/{sheet}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("服务事项"));
}

crate::on_both_backends!(demo;
    filters_and_totals_match_the_api,
    names_sort_in_pinyin_order,
    a_stale_edit_changes_nothing_and_says_why,
    the_classify_form_stores_a_classification,
    owners_read_only_their_own_projects,
    the_queue_and_a_service_sheet,
);
