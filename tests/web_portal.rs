//! The owners' portal, notifications, the public register and the documents the bureau issues,
//! through the router as a browser would use them: signing in on the page, a session cookie,
//! the form token read from a page.
mod common;

use axum::http::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;

use common::build::{Cast, Kind};
use common::web::{Session, hidden_value};
use common::{Reply, TestApp, api};

async fn sign_in(app: &TestApp, username: &str) -> Session {
    app.web_login(username).await
}

async fn request(
    app: &TestApp,
    session: Option<&Session>,
    method: Method,
    path: &str,
    form: Option<&str>,
) -> Reply {
    app.page_with(method, path, session, form.map(str::to_owned))
        .await
}

/// A page's status and HTML.
async fn page(app: &TestApp, session: Option<&Session>, path: &str) -> (StatusCode, String) {
    let reply = app.page(Method::GET, path, session).await;
    (reply.status, reply.html())
}

/// The form token a page carries.
fn csrf_of(html: &str) -> String {
    hidden_value(html, "_csrf").expect("a form token")
}

/// The `<tr>` of a project in a listing.
fn row_of(html: &str, project: i64) -> &str {
    let marker = format!("data-project-id=\"{project}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no row for project {project}"));
    let rest = &html[at..];
    &rest[..rest.find("</tr>").expect("end of row")]
}

/// Every `data-project-id` of a page, in order.
fn project_ids(html: &str) -> Vec<i64> {
    html.split("data-project-id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

fn data_total(html: &str) -> u64 {
    let at = html.find("data-total=\"").expect("data-total") + 12;
    html[at..]
        .split('"')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("a number")
}

/// The current step of a row's progress bar.
fn current_stage(row: &str) -> Option<&str> {
    let at = row.find("aria-current=\"step\">")? + 20;
    row[at..].split('<').next()
}

async fn owner_sees_its_own_projects_and_others_go_home(app: TestApp) {
    let owner = sign_in(&app, "owner1").await;
    let (status, html) = page(&app, Some(&owner), "/portal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>我的项目"), "{html}");

    let token = app.login("owner1").await;
    let api: api::ProjectPage = app.get_ok("/api/v1/projects?per_page=20", &token).await;
    assert_eq!(data_total(&html), api.total, "the same total as the API");
    assert_eq!(
        project_ids(&html),
        api.ids(),
        "the same first page as the API"
    );
    // Another owner's project is not reachable even by its id.
    let other = app.login("owner2").await;
    let theirs: api::ProjectPage = app.get_ok("/api/v1/projects?per_page=1", &other).await;
    let theirs = theirs.items[0].id;
    assert!(!project_ids(&html).contains(&theirs));
    let (status, _) = page(&app, Some(&owner), "/portal?page=2").await;
    assert_eq!(status, StatusCode::OK);

    // The stage bar shows on the demo's decided filings.
    assert!(html.contains("aria-current=\"step\">已办结"), "{html}");

    // Not an owner: to one's own start page; not signed in: to sign-in.
    let officer = sign_in(&app, "officer1").await;
    let reply = request(&app, Some(&officer), Method::GET, "/portal", None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/filings"));
    let reply = request(&app, None, Method::GET, "/portal", None).await;
    assert_eq!(reply.header("location"), Some("/login?next=%2Fportal"));
}

async fn stages_handlers_and_asks(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    // The officer who takes filings in has an office phone the owner sees.
    let officer = entity::app_user::Entity::find_by_id(cast.officer.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut officer = officer.into_active_model();
    officer.office_phone = Set(Some("0914-2318888".into()));
    officer.display_name = Set("王审批".into());
    officer.update(&app.db).await.unwrap();

    let draft = cast.filing_in(&app, Kind::ReportForm, "draft").await;
    let submitted = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let correction = cast
        .filing_in(&app, Kind::ReportForm, "correction_requested")
        .await;
    let accepted = cast.filing_in(&app, Kind::ReportForm, "accepted").await;
    let evaluating = cast
        .filing_in(&app, Kind::ReportForm, "technical_evaluation")
        .await;
    let approved = cast.filing_in(&app, Kind::ReportForm, "approved").await;
    let refused = cast.filing_in(&app, Kind::ReportForm, "refused").await;
    let unfiled = cast.project(&app, Kind::Report).await;
    let exempt = cast.project(&app, Kind::Exempt).await;
    // An expert review running on an accepted filing is a special procedure.
    let reviewed = cast.filing_in(&app, Kind::ReportForm, "accepted").await;
    let (status, body) = app
        .request(
            Method::POST,
            &format!("/api/v1/filings/{}/clock-stops", reviewed.id),
            Some(&cast.officer.token),
            Some(json!({"reason": "expert_review", "from": common::today().to_string()})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let owner = sign_in(&app, "owner1").await;
    let (status, html) = page(&app, Some(&owner), "/portal").await;
    assert_eq!(status, StatusCode::OK);
    let expect = [
        (draft.project.id, None, "草稿，尚未提交"),
        (submitted.project.id, Some("已收件"), "待受理"),
        (correction.project.id, Some("已收件"), "待补正"),
        (accepted.project.id, Some("已受理"), "已受理"),
        (evaluating.project.id, Some("审批中"), "技术评估中"),
        (reviewed.project.id, Some("特别程序"), "专家评审"),
        (approved.project.id, Some("已办结"), "已批复"),
        (refused.project.id, Some("已办结"), "不予受理"),
    ];
    for (project, stage, status) in expect {
        let row = row_of(&html, project);
        assert_eq!(current_stage(row), stage, "{row}");
        assert!(row.contains(status), "{status} in {row}");
    }
    let row = row_of(&html, accepted.project.id);
    assert!(
        row.contains("王审批") && row.contains("0914-2318888"),
        "{row}"
    );
    assert!(row.contains("审批期限"), "the due date: {row}");
    assert!(row.contains(&format!("/filings/{}/documents/acceptance", accepted.id)));
    let row = row_of(&html, approved.project.id);
    assert!(row.contains(&format!("/filings/{}/documents/decision", approved.id)));
    assert!(row_of(&html, unfiled).contains("尚未申报"));
    assert!(row_of(&html, exempt).contains("无须申报"));

    // What is asked of the owner now.
    let asks = &html[html.find("待我办理").unwrap()..html.find("data-total").unwrap()];
    assert!(asks.contains("建设项目环境影响报告表（盖章版）"), "{asks}");
    assert!(asks.contains(&format!("href=\"/filings/{}\"", correction.id)));
    assert!(asks.contains(&format!("href=\"/filings/{}\"", draft.id)));
    assert!(asks.contains(&format!("href=\"/projects/{unfiled}/filings/new\"")));
    assert!(asks.contains(&format!(
        "href=\"/projects/{}/filings/new\"",
        refused.project.id
    )));
    assert!(
        !asks.contains(&format!("/projects/{exempt}/")),
        "exempt needs nothing"
    );
    assert!(!asks.contains(&format!("/filings/{}\"", accepted.id)));

    // The other owner sees none of it.
    let other = sign_in(&app, "owner2").await;
    let (_, theirs) = page(&app, Some(&other), "/portal").await;
    assert_eq!(data_total(&theirs), 0);
    assert!(!theirs.contains("建设项目环境影响报告表（盖章版）"));
}

async fn marking_a_notification_read_stores_it(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    // Asking for corrections notifies the owner.
    cast.filing_in(&app, Kind::ReportForm, "correction_requested")
        .await;
    let owner = sign_in(&app, "owner1").await;
    let (status, html) = page(&app, Some(&owner), "/notifications").await;
    assert_eq!(status, StatusCode::OK);
    let unread: Vec<entity::notification::Model> = entity::notification::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.user_id == Some(cast.owner.id) && n.read_at.is_none())
        .collect();
    let n = unread.last().expect("the owner was notified");
    assert!(html.contains(&n.subject), "{html}");
    assert!(html.contains("未读"));
    let (_, portal) = page(&app, Some(&owner), "/portal").await;
    assert!(
        portal.contains(&format!("{} 条未读", unread.len())),
        "{portal}"
    );

    // Without the form token nothing changes.
    let path = format!("/notifications/{}/read", n.id);
    let reply = request(
        &app,
        Some(&owner),
        Method::POST,
        &path,
        Some("back=%2Fnotifications"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let form = format!("_csrf={}&back=%2Fnotifications%3Fpage%3D1", csrf_of(&html));
    let reply = request(&app, Some(&owner), Method::POST, &path, Some(&form)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/notifications?page=1"));
    let stored = entity::notification::Entity::find_by_id(n.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.read_at.is_some(), "read_at stored");
    let (_, unread_only) = page(&app, Some(&owner), "/notifications?unread=1").await;
    assert!(!unread_only.contains(&format!("data-notification-id=\"{}\"", n.id)));

    // Someone else's notice is not theirs to mark.
    let other = sign_in(&app, "owner2").await;
    let (_, theirs) = page(&app, Some(&other), "/notifications").await;
    let form = format!("_csrf={}", csrf_of(&theirs));
    let reply = request(&app, Some(&other), Method::POST, &path, Some(&form)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

async fn documents_exist_only_for_steps_taken(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let bureau = app.settings.bureau.name.clone();
    let owner = sign_in(&app, "owner1").await;
    let docs = |id: i64, kind: &str| format!("/filings/{id}/documents/{kind}");

    let accepted = cast.filing_in(&app, Kind::ReportForm, "accepted").await;
    let (status, html) = page(&app, Some(&owner), &docs(accepted.id, "acceptance")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("受理通知书") && html.contains(&bureau),
        "{html}"
    );
    assert!(html.contains(&accepted.project.name));
    assert!(html.contains("data-print"), "a print button");
    assert!(
        html.contains(&format!("〕{}-", accepted.id)),
        "a derived number: {html}"
    );
    for kind in ["decision", "refusal", "correction"] {
        let (status, html) = page(&app, Some(&owner), &docs(accepted.id, kind)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{kind}");
        assert!(html.contains("页面不存在"));
    }
    // Another owner's filing: the 404 page.
    let other = sign_in(&app, "owner2").await;
    let (status, _) = page(&app, Some(&other), &docs(accepted.id, "acceptance")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let correction = cast
        .filing_in(&app, Kind::ReportForm, "correction_requested")
        .await;
    let (status, html) = page(&app, Some(&owner), &docs(correction.id, "correction")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("一次性告知") && html.contains("建设项目环境影响报告表（盖章版）"));

    let refused = cast.filing_in(&app, Kind::ReportForm, "refused").await;
    let (status, html) = page(&app, Some(&owner), &docs(refused.id, "refusal")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("不予受理决定书") && html.contains("不符合受理条件"));
    assert!(html.contains("六十日") && html.contains("六个月"));

    let approved = cast.filing_in(&app, Kind::ReportForm, "approved").await;
    let number = approved.decision_no.clone().expect("a decision number");
    let (status, html) = page(&app, Some(&owner), &docs(approved.id, "decision")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("的批复") && html.contains(&number), "{html}");
    assert!(html.contains("行政复议") && html.contains("六个月"));
    let today = common::today();
    let cn = format!(
        "{}年{}月{}日",
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
        chrono::Datelike::day(&today)
    );
    assert!(html.contains(&cn), "dated the day of the decision");

    let disapproved = cast.filing_in(&app, Kind::ReportForm, "disapproved").await;
    let (status, html) = page(&app, Some(&owner), &docs(disapproved.id, "decision")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("不予批准决定书"));
    assert!(
        html.contains("基础资料数据明显不实"),
        "the ground's statute text: {html}"
    );
    assert!(html.contains("基础资料明显不实"), "the reason");
    // The officer reads it too.
    let officer = sign_in(&app, "officer1").await;
    let (status, _) = page(&app, Some(&officer), &docs(disapproved.id, "decision")).await;
    assert_eq!(status, StatusCode::OK);
}

async fn public_register_needs_no_sign_in(app: TestApp) {
    let (status, html) = page(&app, None, "/public/notices").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>公示公告</h1>"));
    assert!(html.contains("href=\"/login\""), "the visitor's frame");
    let current = app.public_register().await;
    let at = html.find("data-total-notices=\"").unwrap() + 20;
    let total: usize = html[at..].split('"').next().unwrap().parse().unwrap();
    assert!(total >= current.len(), "past notices stay on the register");
    assert!(total > 0, "the demo ledger has decided filings");
    assert!(html.contains("公示期") && html.contains("查看公告全文"));
    assert!(html.contains("已结束"));

    let (status, decisions) = page(&app, None, "/public/notices?kind=decision").await;
    assert_eq!(status, StatusCode::OK);
    assert!(decisions.contains("审批决定公告"));
    assert!(!decisions.contains("badge badge-info\">受理公示"));
    let (_, ended) = page(&app, None, "/public/notices?status=current&kind=decision").await;
    assert!(!ended.contains("<span class=\"badge\">已结束</span>"));

    // A search by a project's name finds its notices, and nothing else.
    let first = html.split("<dt>项目</dt><dd>").nth(1).unwrap();
    let name = first.split(['<', '（']).next().unwrap().to_owned();
    let q: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let (_, found) = page(&app, None, &format!("/public/notices?q={q}")).await;
    assert!(found.contains(&name));
    for project in found.split("<dt>项目</dt><dd>").skip(1) {
        assert!(project.starts_with(&name), "{project}");
    }
    let (_, none) = page(
        &app,
        None,
        "/public/notices?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA",
    )
    .await;
    assert!(none.contains("没有符合条件的公告"));
}

crate::on_both_backends!(demo; owner_sees_its_own_projects_and_others_go_home, public_register_needs_no_sign_in);

crate::on_both_backends!(empty; stages_handlers_and_asks, marking_a_notification_read_stores_it,
    documents_exist_only_for_steps_taken);
