//! The national system's lists in the browser: an officer uploads a 受理公示 list, sees the
//! dry run's table of steps and the row it could not match, matches it by hand and imports.
use std::time::{Duration, Instant};

use eiaflow::excel::write::{Book, Value, col};

use crate::common::build::{Cast, Kind};
use crate::common::{TestApp, api, today};
use crate::harness::Browser;

async fn wait_text(b: &Browser, css: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if b.text(css).await.contains(needle) {
            return;
        }
        assert!(Instant::now() < deadline, "expected “{needle}” in {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn an_officer_checks_and_imports_an_acceptance_list(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let mut projects: Vec<api::Project> = Vec::new();
    for _ in 0..2 {
        let id = cast.project(&app, Kind::ReportForm).await;
        projects.push(app.get_ok(&format!("/api/v1/projects/{id}"), officer).await);
    }
    let mut book = Book::new();
    let headers = [
        "项目名称",
        "建设地点",
        "建设单位",
        "环境影响评价机构",
        "报告类别",
        "受理日期",
        "项目代码",
    ];
    let columns: Vec<_> = headers.iter().map(|h| col(h, 20.0)).collect();
    let mut sheet = book
        .sheet(
            "Sheet1",
            &["建设项目环境影响评价文件受理公示".to_owned()],
            &columns,
        )
        .unwrap();
    let row = |name: &str, code: &str| {
        vec![
            Value::Text(name.to_owned()),
            Value::Text("商洛市山阳县".into()),
            Value::Text("测试建设单位".into()),
            Value::Text("陕西某环保科技有限公司".into()),
            Value::Text("报告表".into()),
            Value::Date(today()),
            Value::Text(code.to_owned()),
        ]
    };
    sheet
        .row(&row(&projects[0].name, &projects[0].project_code))
        .unwrap();
    sheet.row(&row("全国系统中的项目简称", "")).unwrap();
    drop(sheet);
    let dir = app.dir.path().join("uploads");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("受理公示.xlsx");
    std::fs::write(&path, book.finish_bytes().unwrap()).unwrap();

    let Some(b) = Browser::open(&app).await else {
        return;
    };
    b.sign_in("officer1").await;
    b.goto("/filings").await;
    b.click("a[data-national-lists]").await;
    b.wait_path("/filings/national-lists").await;
    b.find("#file")
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the list");
    b.click("button[value='check']").await;
    wait_text(&b, "[data-checked]", "将录入的环节").await;
    assert!(b.text("[data-steps]").await.contains(&projects[0].name));
    assert!(
        b.text("[data-unmatched]")
            .await
            .contains("台账中没有同名项目")
    );
    b.check_page("national-lists-check").await;

    // The unmatched row matched by hand; the kept file is imported without choosing it again.
    b.fill("#match_4", &projects[1].project_code).await;
    b.click("button[value='apply']").await;
    wait_text(&b, ".flash", "已导入受理公示").await;
    for p in &projects {
        let now: api::Project = app
            .get_ok(&format!("/api/v1/projects/{}", p.id), officer)
            .await;
        let filing = now.current_filing.expect("a filing");
        assert_eq!(app.filing(officer, filing.id).await.state, "accepted");
    }
    b.close().await;
}

crate::on_both_backends!(demo; an_officer_checks_and_imports_an_acceptance_list);
