//! The dashboard, the lists behind its numbers and the monthly report, through the router as
//! a browser would reach them: signed in through the sign-in page, with the session cookie.
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;

use common::{DEMO_PASSWORD, Reply, TestApp};

/// Signs in through `/login` and returns the session cookie (`eiaflow_session=…`).
async fn sign_in(app: &TestApp, username: &str) -> String {
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
        .expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let Reply { status, bytes, .. } = common::send(&app.router, req).await;
    (status, String::from_utf8(bytes).expect("utf-8"))
}

/// Every `data-measure="M"` element's text and its link (`href`), in page order.
fn figures(html: &str) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("data-measure=\"") {
        // The opening tag around the attribute.
        let tag_start = rest[..at].rfind('<').unwrap();
        let after = &rest[at + 14..];
        let name_end = after.find('"').unwrap();
        let name = after[..name_end].to_owned();
        let tag_end = at + rest[at..].find('>').unwrap();
        let tag = &rest[tag_start..tag_end];
        let href = tag.find("href=\"").map(|h| {
            tag[h + 6..]
                .split('"')
                .next()
                .unwrap()
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        });
        let text_end = tag_end + rest[tag_end..].find('<').unwrap();
        let text = rest[tag_end + 1..text_end].trim().to_owned();
        out.push((name, text, href));
        rest = &rest[text_end..];
    }
    out
}

fn total_of(html: &str) -> u64 {
    let at = html.find("data-total=\"").expect("a data-total");
    html[at + 12..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .expect("a number")
}

fn rows_of(html: &str) -> usize {
    html.matches("<tr data-project-id=").count()
}

async fn the_dashboard_states_the_published_figures_and_each_opens_its_list(app: TestApp) {
    let cookie = sign_in(&app, "leader").await;
    let (status, html) = page(&app, &cookie, "/dashboard?as_of=2023-06-30").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let figs = figures(&html);
    let value = |m: &str| {
        figs.iter()
            .find(|(n, _, _)| n == m)
            .map(|(_, v, _)| v.clone())
            .unwrap_or_else(|| panic!("no {m} on the dashboard"))
    };
    assert_eq!(value("projects"), "239");
    assert_eq!(value("exempt"), "81");
    assert_eq!(value("required"), "158");
    assert_eq!(value("accepted_or_decided"), "153");
    assert_eq!(value("point_to_point"), "59");
    assert_eq!(value("acceptance_rate"), "96.84%");
    assert_eq!(value("total_investment"), "1204.23");
    let token = app.login("leader").await;
    let (_, summary) = app
        .get("/api/v1/reports/summary?as_of=2023-06-30", &token)
        .await;
    let by_investment = summary["acceptance_rate_by_investment"].as_f64().unwrap();
    assert_eq!(
        value("acceptance_rate_by_investment"),
        format!("{:.2}%", by_investment * 100.0)
    );
    // Every count opens a list whose total is that count.
    let mut followed = 0;
    for (name, text, href) in &figs {
        let Some(href) = href else { continue };
        let (status, list) = page(&app, &cookie, href).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        let n: u64 = text.parse().unwrap_or_else(|_| panic!("{name}: {text}"));
        assert_eq!(total_of(&list), n, "{name} → {href}");
        assert_eq!(
            rows_of(&list) as u64,
            n.min(50),
            "{name}: one row per project on page 1"
        );
        followed += 1;
    }
    assert!(followed >= 12, "every count links to a list ({followed})");
    // The county table's counts too.
    let (_, county) = app
        .get(
            "/api/v1/reports/summary?as_of=2023-06-30&group_by=county",
            &token,
        )
        .await;
    let g = &county["groups"][0];
    let key = g["key"].as_str().unwrap();
    let href = format!(
        "/dashboard/projects?measure=accepted_or_decided&as_of=2023-06-30&group_by=county&group={key}"
    );
    assert!(html.contains(&href.replace('&', "&#38;")), "{href}");
    let (_, list) = page(&app, &cookie, &href).await;
    assert_eq!(total_of(&list), g["accepted_or_decided"].as_u64().unwrap());
    assert!(list.contains(g["label"].as_str().unwrap()));
}

async fn a_list_says_what_it_lists_and_links_its_gap(app: TestApp) {
    let cookie = sign_in(&app, "officer1").await;
    let (status, html) = page(
        &app,
        &cookie,
        "/dashboard/projects?measure=accepted_or_decided&as_of=2023-06-30",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("截至2023年6月30日 已受理或已办结 153 个项目"),
        "{html}"
    );
    assert_eq!(total_of(&html), 153);
    assert_eq!(rows_of(&html), 50);
    assert!(html.contains("未受理 5 个"), "{html}");
    let (_, gap) = page(
        &app,
        &cookie,
        "/dashboard/projects?measure=not_accepted&as_of=2023-06-30",
    )
    .await;
    assert_eq!(total_of(&gap), 5);
    assert_eq!(rows_of(&gap), 5);
    // The last page holds the rest.
    let (_, last) = page(
        &app,
        &cookie,
        "/dashboard/projects?measure=accepted_or_decided&as_of=2023-06-30&page=4",
    )
    .await;
    assert_eq!(rows_of(&last), 3);
}

async fn the_new_measures_in_the_api_match_the_dashboard(app: TestApp) {
    let cookie = sign_in(&app, "leader").await;
    let token = app.login("leader").await;
    let (_, html) = page(&app, &cookie, "/dashboard?as_of=2023-06-30").await;
    let figs = figures(&html);
    let (status, clocks) = app
        .get("/api/v1/reports/clocks?as_of=2023-06-30", &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{clocks}");
    for m in [
        "overdue",
        "at_risk",
        "on_time",
        "late",
        "first_time_right",
        "corrected_once",
        "corrected_repeatedly",
    ] {
        let shown = figs
            .iter()
            .find(|(n, _, _)| n == m)
            .map(|(_, v, _)| v.parse::<u64>().unwrap())
            .unwrap_or_else(|| panic!("no {m}"));
        assert_eq!(clocks[m].as_u64(), Some(shown), "{m}");
        let (status, body): (StatusCode, Value) = app
            .get(
                &format!("/api/v1/reports/projects?measure={m}&as_of=2023-06-30&per_page=200"),
                &token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{m}: {body}");
        assert_eq!(body["total"].as_u64(), Some(shown), "{m}");
        assert_eq!(body["items"].as_array().unwrap().len() as u64, shown, "{m}");
    }
    let n = |m: &str| clocks[m].as_u64().unwrap();
    assert_eq!(
        n("corrected"),
        n("corrected_once") + n("corrected_repeatedly")
    );
    assert_eq!(n("accepted"), n("first_time_right") + n("corrected"));
    assert!(
        n("accepted") > 0 && n("on_time") + n("late") > 0,
        "{clocks}"
    );
    // A measure nobody knows is a 422 naming the new ones.
    let (status, body) = app
        .get("/api/v1/reports/projects?measure=colour", &token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("at_risk"), "{body}");
}

async fn a_bad_date_is_a_422_page_in_chinese(app: TestApp) {
    let cookie = sign_in(&app, "leader").await;
    for path in [
        "/dashboard?as_of=2023-13-45",
        "/dashboard?as_of=9999-01-01",
        "/dashboard/projects?measure=required&as_of=yesterday",
        "/dashboard/projects?measure=colour&as_of=2023-06-30",
        "/reports/monthly?month=2023-13",
    ] {
        let (status, html) = page(&app, &cookie, path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {html}");
        assert!(
            html.contains("应为") && html.contains("<html lang=\"zh-CN\">"),
            "{path}: {html}"
        );
    }
}

async fn owners_may_not_read_the_dashboard(app: TestApp) {
    let cookie = sign_in(&app, "owner1").await;
    for path in [
        "/dashboard",
        "/dashboard/projects?measure=projects",
        "/reports/monthly",
    ] {
        let (status, _) = page(&app, &cookie, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    // Signed out: to the sign-in page.
    let reply = app.send(Method::GET, "/dashboard", None, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

async fn the_monthly_report_states_the_month(app: TestApp) {
    let cookie = sign_in(&app, "leader").await;
    let token = app.login("leader").await;
    let (status, html) = page(&app, &cookie, "/reports/monthly?month=2023-06").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("2023年6月重点项目环评审批服务月度报告"),
        "{html}"
    );
    assert!(html.contains("数据截至2023年6月30日"));
    assert!(html.contains("data-print"));
    let (_, may) = app
        .get("/api/v1/reports/summary?as_of=2023-05-31", &token)
        .await;
    let change = 153 - may["accepted_or_decided"].as_i64().unwrap();
    let shown = if change > 0 {
        format!("+{change}")
    } else {
        change.to_string()
    };
    assert!(html.contains(&format!(">{shown}</td>")), "change {shown}");
    let (_, clocks) = app
        .get("/api/v1/reports/clocks?as_of=2023-06-30", &token)
        .await;
    let overdue = clocks["overdue"].as_u64().unwrap();
    assert!(
        html.contains(&format!("{overdue} 个</a>）")),
        "overdue {overdue}"
    );
}

crate::on_both_backends!(demo;
    the_dashboard_states_the_published_figures_and_each_opens_its_list,
    a_list_says_what_it_lists_and_links_its_gap,
    the_new_measures_in_the_api_match_the_dashboard,
    a_bad_date_is_a_422_page_in_chinese,
    owners_may_not_read_the_dashboard,
    the_monthly_report_states_the_month,
);
