//! The filing page and its forms, through the router: each form's step stored, a wrong field
//! sent back with 422 beside the field and the values kept, another owner's filing a 404 page,
//! no officer forms for an owner, a form without its token refused, and the notice period
//! named when a decision comes too early.
mod common;

use axum::http::{Method, StatusCode};
use serde_json::json;

use common::build::{Cast, Kind};
use common::web::Session;
use common::{Reply, TestApp, today};

/// A browser's session: the cookie from signing in through `/login`, and the form token read
/// from a page.
struct Page<'a> {
    app: &'a TestApp,
    session: Session,
}

impl<'a> Page<'a> {
    async fn sign_in(app: &'a TestApp, username: &str) -> Page<'a> {
        Page {
            app,
            session: app.web_login(username).await,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.app.page(Method::GET, path, Some(&self.session)).await
    }

    /// Posts a form (the token added unless `with_token` is false).
    async fn post(&self, path: &str, pairs: &[(&str, &str)], with_token: bool) -> Reply {
        if with_token {
            return self.app.post_form(path, &self.session, pairs).await;
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.app
            .page_with(Method::POST, path, Some(&self.session), Some(body))
            .await
    }

    /// Posts a multipart form: text fields, then files (field, file name, bytes).
    async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        self.app
            .post_multipart(path, &self.session, fields, files)
            .await
    }

    /// Follows a 303 with the flash it set; the page's HTML.
    async fn follow(&self, reply: &Reply) -> String {
        self.app.follow(reply, &self.session).await
    }
}

fn pdf(name: &str) -> Vec<u8> {
    format!("%PDF-1.7\n{name}\n%%EOF\n").into_bytes()
}

async fn actions_of(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    app.events(token, id)
        .await
        .into_iter()
        .filter(|e| e.kind == "step" && e.voided_at.is_none())
        .map(|e| e.action)
        .collect()
}

async fn the_forms_store_each_step(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let filing = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let id = filing.id;
    let officer = Page::sign_in(&app, "officer1").await;
    let path = format!("/filings/{id}");
    let page = officer.get(&path).await.html();
    assert!(page.contains("已提交"), "{page}");
    assert!(page.contains("通知补正（一次性告知）"));
    assert!(page.contains("法定时限") && page.contains("承诺时限"));

    // A correction request with two items of six rows; blank rows are left out.
    let version = filing.version.to_string();
    let reply = officer
        .post(
            &format!("{path}/actions"),
            &[
                ("_form", "act-request_correction"),
                ("action", "request_correction"),
                ("version", &version),
                ("item", "审批申请函"),
                ("note", "未加盖公章"),
                ("item", ""),
                ("note", ""),
                ("item", "环评文件公开版"),
                ("note", ""),
                ("item", ""),
                ("note", ""),
            ],
            true,
        )
        .await;
    let shown = officer.follow(&reply).await;
    assert!(shown.contains("待补正"), "{shown}");
    let events = app.events(&cast.officer.token, id).await;
    let asked = events
        .iter()
        .rev()
        .find(|e| e.action == "request_correction")
        .unwrap();
    assert_eq!(
        asked.detail["missing_items"],
        json!(["审批申请函：未加盖公章", "环评文件公开版"])
    );

    // The owner answers each item with a file, and resubmits.
    let owner = Page::sign_in(&app, "owner1").await;
    let page = owner.get(&path).await.html();
    assert!(page.contains("逐项答复补正通知"), "{page}");
    let version = app.filing(&cast.owner.token, id).await.version.to_string();
    let reply = owner
        .post_multipart(
            &format!("{path}/resubmit"),
            &[
                ("_form", "act-resubmit"),
                ("action", "resubmit"),
                ("version", &version),
                ("answer", "已补盖公章"),
                ("material_0", "application_letter"),
                ("answer", "已上传公开版"),
                ("material_1", "public_copy"),
            ],
            &[
                ("file_0", "申请函.pdf", &pdf("letter")),
                ("file_1", "公开版.pdf", &pdf("copy")),
            ],
        )
        .await;
    let shown = owner.follow(&reply).await;
    assert!(shown.contains("补正材料已提交"), "{shown}");
    assert!(shown.contains("申请函.pdf"));

    // Acceptance, evaluation, and a dated step.
    for (action, extra) in [
        ("accept", vec![]),
        (
            "start_evaluation",
            vec![("evaluator", "商洛市环境工程评估中心")],
        ),
    ] {
        let version = app
            .filing(&cast.officer.token, id)
            .await
            .version
            .to_string();
        let key = format!("act-{action}");
        let mut pairs = vec![
            ("_form", key.as_str()),
            ("action", action),
            ("version", &version),
        ];
        pairs.extend(extra);
        let reply = officer.post(&format!("{path}/actions"), &pairs, true).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            reply.html()
        );
    }
    assert_eq!(
        actions_of(&app, &cast.officer.token, id).await,
        [
            "submit",
            "request_correction",
            "resubmit",
            "accept",
            "start_evaluation"
        ]
    );
    let page = officer.get(&path).await.html();
    assert!(
        page.contains("商洛市环境工程评估中心"),
        "the evaluator in the timeline"
    );

    // An expert review stops the clock, then voiding the latest step.
    let reply = officer
        .post(
            &format!("{path}/stops"),
            &[
                ("_form", "stop-new"),
                ("reason", "expert_review"),
                ("from", &today().to_string()),
            ],
            true,
        )
        .await;
    assert!(officer.follow(&reply).await.contains("专家评审"));
    let view = app.filing(&cast.officer.token, id).await;
    assert_eq!(view.stops.len(), 1);
    let last = app
        .events(&cast.officer.token, id)
        .await
        .into_iter()
        .filter(|e| e.kind == "step")
        .max_by_key(|e| e.id)
        .unwrap();
    let (version, event) = (view.version.to_string(), last.id.to_string());
    let reply = officer
        .post(
            &format!("{path}/void-step"),
            &[
                ("_form", "void-step"),
                ("version", &version),
                ("event_id", &event),
                ("reason", "误录"),
            ],
            true,
        )
        .await;
    let shown = officer.follow(&reply).await;
    assert!(
        shown.contains("已作废") && shown.contains("误录"),
        "{shown}"
    );
    assert_eq!(app.filing(&cast.officer.token, id).await.state, "accepted");
}

async fn a_wrong_field_comes_back_beside_it(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let filing = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let id = filing.id;
    let officer = Page::sign_in(&app, "officer1").await;
    let version = filing.version.to_string();
    let day = today().to_string();
    let reply = officer
        .post(
            &format!("/filings/{id}/actions"),
            &[
                ("_form", "act-refuse"),
                ("action", "refuse"),
                ("version", &version),
                ("reason", "  "),
                ("effective_on", &day),
            ],
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.html();
    assert!(
        page.contains("<p class=\"field-error\">不予受理须说明理由</p>"),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{day}\"")),
        "the date typed is kept"
    );

    // A row with a note but no item: the note stays, the message beside the row.
    let reply = officer
        .post(
            &format!("/filings/{id}/actions"),
            &[
                ("_form", "act-request_correction"),
                ("action", "request_correction"),
                ("version", &version),
                ("item", ""),
                ("note", "缺少盖章页"),
            ],
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.html();
    assert!(page.contains("请填写需补正的材料或事项"), "{page}");
    assert!(page.contains("value=\"缺少盖章页\""));
    assert_eq!(actions_of(&app, &cast.officer.token, id).await, ["submit"]);

    // A stale version: the fresh page with the reason.
    let reply = officer
        .post(
            &format!("/filings/{id}/actions"),
            &[
                ("_form", "act-accept"),
                ("action", "accept"),
                ("version", "1"),
            ],
            true,
        )
        .await;
    let shown = officer.follow(&reply).await;
    assert!(shown.contains("已被他人办理或修改"), "{shown}");
}

async fn owners_see_their_own_and_no_officer_forms(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let filing = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let path = format!("/filings/{}", filing.id);
    let owner = Page::sign_in(&app, "owner1").await;
    let page = owner.get(&path).await.html();
    assert!(page.contains("已提交"));
    assert!(page.contains("撤回申报"), "the owner may withdraw");
    assert!(
        !page.contains("value=\"accept\"") && !page.contains("通知补正"),
        "{page}"
    );

    let stranger = Page::sign_in(&app, "owner2").await;
    let reply = stranger.get(&path).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.html().contains("页面不存在"));
    let reply = stranger
        .post(
            &format!("{path}/actions"),
            &[
                ("action", "withdraw"),
                ("version", &filing.version.to_string()),
            ],
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // An owner posting an officer's step is refused.
    let reply = owner
        .post(
            &format!("{path}/actions"),
            &[
                ("action", "accept"),
                ("version", &filing.version.to_string()),
            ],
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A form without its token.
    let reply = owner
        .post(
            &format!("{path}/actions"),
            &[
                ("action", "withdraw"),
                ("version", &filing.version.to_string()),
            ],
            false,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.html().contains("表单已过期"));
    assert_eq!(
        app.filing(&cast.owner.token, filing.id).await.state,
        "submitted"
    );
}

async fn a_new_filing_carries_its_materials(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let project = cast.project(&app, Kind::ReportForm).await;
    let owner = Page::sign_in(&app, "owner1").await;
    let path = format!("/projects/{project}/filings/new");
    let page = owner.get(&path).await.html();
    assert!(
        page.contains("审批申请函（必交）") && page.contains("环评文件公开版"),
        "{page}"
    );

    // Without the full text: 422 beside it, nothing created.
    let before = app.count(entity::filing::Entity).await;
    let reply = owner
        .post_multipart(
            &path,
            &[("intent", "submit")],
            &[("file_application_letter", "申请函.pdf", &pdf("a"))],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.html().contains("缺少环评文件全本"));
    assert_eq!(app.count(entity::filing::Entity).await, before);

    let reply = owner
        .post_multipart(
            &path,
            &[("intent", "submit")],
            &[
                ("file_application_letter", "申请函.pdf", &pdf("a")),
                ("file_full_text", "报告表全本.pdf", &pdf("b")),
                ("file_public_copy", "报告表公开版.pdf", &pdf("c")),
                ("file_other", "", b""),
            ],
        )
        .await;
    let shown = owner.follow(&reply).await;
    assert!(shown.contains("申报已提交"), "{shown}");
    let to = reply.header("location").unwrap();
    let id: i64 = to.trim_start_matches("/filings/").parse().unwrap();
    let view = app.filing(&cast.owner.token, id).await;
    assert_eq!(view.state, "submitted");
    let docs: Vec<serde_json::Value> = app
        .get_ok(
            &format!("/api/v1/filings/{id}/documents"),
            &cast.owner.token,
        )
        .await;
    assert_eq!(docs.len(), 3);
    // A document downloads from the page's link.
    let doc = docs[0]["id"].as_i64().unwrap();
    let file = owner.get(&format!("/filings/{id}/materials/{doc}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.bytes.starts_with(b"%PDF"));
    // Another filing's path to the same document is a 404.
    let other = cast.filing_in(&app, Kind::ReportForm, "draft").await;
    let wrong = owner
        .get(&format!("/filings/{}/materials/{doc}", other.id))
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
}

async fn a_decision_waits_for_the_notice_and_then_gets_its_number(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let early = cast
        .filing_in(&app, Kind::ReportForm, "pre_decision_notice")
        .await;
    let officer = Page::sign_in(&app, "officer1").await;
    let path = format!("/filings/{}", early.id);
    let reply = officer
        .post(
            &format!("{path}/actions"),
            &[
                ("_form", "act-approve"),
                ("action", "approve"),
                ("version", &early.version.to_string()),
            ],
            true,
        )
        .await;
    let shown = officer.follow(&reply).await;
    assert!(
        shown.contains("不能作出审批决定") && shown.contains("起方可审批"),
        "{shown}"
    );
    assert_eq!(
        app.filing(&cast.officer.token, early.id).await.state,
        "pre_decision_notice"
    );

    let ready = cast.ready_to_decide(&app).await;
    let view = app.filing(&cast.officer.token, ready).await;
    let reply = officer
        .post(
            &format!("/filings/{ready}/actions"),
            &[
                ("_form", "act-disapprove"),
                ("action", "disapprove"),
                ("version", &view.version.to_string()),
                ("reason", "选址位于饮用水水源保护区"),
                ("grounds", "nonconforming_with_law_or_plans"),
                ("grounds", "defective_document"),
            ],
            true,
        )
        .await;
    let shown = officer.follow(&reply).await;
    let decided = app.filing(&cast.officer.token, ready).await;
    assert_eq!(decided.state, "disapproved");
    let number = decided.decision_no.expect("a decision number");
    assert!(
        shown.contains(&number) && shown.contains("不予批准"),
        "{shown}"
    );
    assert!(shown.contains("第十一条第（一）项") && shown.contains("第十一条第（五）项"));
    assert!(
        shown.contains("/documents/decision"),
        "the printable decision is linked"
    );
}

crate::on_both_backends!(demo;
    the_forms_store_each_step,
    a_wrong_field_comes_back_beside_it,
    owners_see_their_own_and_no_officer_forms,
    a_new_filing_carries_its_materials,
    a_decision_waits_for_the_notice_and_then_gets_its_number,
);
