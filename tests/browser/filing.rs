//! A filing's whole life in the browser, only through the forms: the owner creates it with
//! its materials and submits; the officer asks for two corrections at once; the owner answers
//! each with a file and resubmits; the officer accepts, sends it for and finishes technical
//! evaluation, dating those steps weeks back in 实际办理日期 so that the pre-decision notice has
//! run, and approves. Both see the timeline, the state and the decision number.
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::common::build::{Cast, Kind};
use crate::common::{TestApp, today};
use crate::harness::Browser;

/// Waits until the element matching `css` shows `needle`.
async fn wait_text(b: &Browser, css: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let text = b.text(css).await;
        if text.contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected “{needle}” in {css}, found: {text}\n{}",
            b.text("main").await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn attach(b: &Browser, css: &str, path: &std::path::Path) {
    b.find(css)
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("choose a file");
}

/// Opens the form `key` on the filing page (a closed <details>).
async fn open_form(b: &Browser, key: &str) {
    b.click(&format!("#form-{key} > summary")).await;
}

async fn a_filing_goes_through_its_whole_life_in_the_forms(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    // Setup through the API: a project of owner1's needing a 报告表, with no filing yet.
    let project = cast.project(&app, Kind::ReportForm).await;
    let dir = app.dir.path().join("uploads");
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str| {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, format!("%PDF-1.7\n{name}\n%%EOF\n")).unwrap();
        path
    };
    let Some(b) = Browser::open(&app).await else {
        return;
    };

    // The owner creates the filing with the three materials and submits.
    b.sign_in("owner1").await;
    b.goto(&format!("/projects/{project}/filings/new")).await;
    attach(&b, "#file-application_letter", &file("申请函")).await;
    attach(&b, "#file-full_text", &file("报告表全本")).await;
    attach(&b, "#file-public_copy", &file("报告表公开版")).await;
    b.click("button[name=intent][value=submit]").await;
    let path = b.wait_path("/filings/").await;
    let id: i64 = path
        .trim_start_matches("/filings/")
        .parse()
        .expect("a filing id");
    wait_text(&b, ".flash", "申报已提交").await;
    assert_eq!(b.text(".state-label").await, "已提交");
    b.sign_out().await;

    // The officer asks for two items at once.
    b.sign_in("officer1").await;
    b.goto(&format!("/filings/{id}")).await;
    open_form(&b, "act-request_correction").await;
    b.fill("#act-request_correction-item-0", "审批申请函").await;
    b.fill("#act-request_correction-note-0", "未加盖建设单位公章")
        .await;
    b.fill("#act-request_correction-item-1", "环评文件公开版")
        .await;
    b.fill("#act-request_correction-note-1", "未删除涉密内容")
        .await;
    b.click("#form-act-request_correction button[type=submit]")
        .await;
    wait_text(&b, ".flash", "待补正").await;
    b.sign_out().await;

    // The owner answers each item with a file and resubmits.
    b.sign_in("owner1").await;
    b.goto(&format!("/filings/{id}")).await;
    wait_text(&b, ".alert-warn", "未加盖建设单位公章").await;
    open_form(&b, "act-resubmit").await;
    b.fill("#act-resubmit-answer-0", "已补盖公章").await;
    b.select("#act-resubmit-material-0", "application_letter")
        .await;
    attach(&b, "#act-resubmit-file-0", &file("申请函盖章版")).await;
    b.fill("#act-resubmit-answer-1", "已重新编制公开版").await;
    b.select("#act-resubmit-material-1", "public_copy").await;
    attach(&b, "#act-resubmit-file-1", &file("公开版修订")).await;
    b.click("#form-act-resubmit button[type=submit]").await;
    wait_text(&b, ".flash", "补正材料已提交").await;
    b.sign_out().await;

    // What the owner did took place four weeks ago (the test's clock moves on).
    let weeks_ago = |days: i64| today() - chrono::Duration::days(days);
    entity::filing_event::Entity::update_many()
        .col_expr(
            entity::filing_event::Column::EffectiveOn,
            Expr::value(weeks_ago(28)),
        )
        .filter(entity::filing_event::Column::FilingId.eq(id))
        .exec(&app.db)
        .await
        .expect("date the owner's steps back");

    // The officer enters acceptance and evaluation with their dates, then approves.
    b.sign_in("officer1").await;
    b.goto(&format!("/filings/{id}")).await;
    for (action, days, flash) in [
        ("accept", 24, "已受理"),
        ("start_evaluation", 23, "已送技术评估"),
        ("finish_evaluation", 21, "已完成技术评估"),
    ] {
        let key = format!("act-{action}");
        open_form(&b, &key).await;
        if action == "start_evaluation" {
            b.fill("#act-start_evaluation-evaluator", "商洛市环境工程评估中心")
                .await;
        }
        b.set_value(
            &format!("#{key}-effective_on"),
            &weeks_ago(days).to_string(),
        )
        .await;
        b.click(&format!("#form-{key} button[type=submit]")).await;
        wait_text(&b, ".flash", flash).await;
    }
    open_form(&b, "act-approve").await;
    b.fill(
        "#act-approve-decision_text",
        "同意该项目按报告表所列内容建设。",
    )
    .await;
    let asked = b
        .click_confirming("#form-act-approve button[type=submit]")
        .await;
    assert!(asked.contains("确定批准"), "{asked}");
    wait_text(&b, ".flash", "已批复").await;
    assert_eq!(b.text(".state-label").await, "已批复");
    let number = b.text(".decision-no").await;
    assert!(number.starts_with("商环批复〔"), "{number}");
    let timeline = b.text("ol.timeline").await;
    for step in [
        "提交",
        "通知补正",
        "未加盖建设单位公章",
        "补正后重新提交",
        "已补盖公章",
        "受理",
        "商洛市环境工程评估中心",
        "完成技术评估",
        "批复",
        &number,
    ] {
        assert!(
            timeline.contains(step),
            "{step} in the timeline: {timeline}"
        );
    }
    assert!(b.text("main").await.contains("审批决定公告"));
    b.check_page("officer-filing").await;
    b.sign_out().await;

    // The owner sees the decision, its number and who handled it.
    b.sign_in("owner1").await;
    b.goto(&format!("/filings/{id}")).await;
    assert_eq!(b.text(".state-label").await, "已批复");
    assert_eq!(b.text(".decision-no").await, number);
    assert!(!b.text(".handler").await.is_empty());
    assert!(
        b.find_all("#form-act-accept").await.is_empty(),
        "no officer forms"
    );
    b.check_page("owner-filing").await;
    b.close().await;
}

crate::on_both_backends!(demo; a_filing_goes_through_its_whole_life_in_the_forms);
