//! Browser case: an officer checks a ledger file with problems on /ledger/import and reads the
//! problem table, then imports a good file and reads the counts.
use std::path::Path;

use std::time::{Duration, Instant};

use crate::common::TestApp;
use crate::harness::Browser;
use eiaflow::domain::identifiers::CreditCode;

fn credit(stem: &str) -> String {
    format!(
        "{stem}{}",
        CreditCode::check_char(stem).expect("a valid stem")
    )
}

/// A ledger with one header row; `bad` spoils the second row's credit code and county.
fn ledger(path: &Path, bad: bool) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "项目名称",
        "投资项目统一代码",
        "建设单位",
        "统一社会信用代码",
        "县区",
        "重点项目级别",
        "行业",
        "总投资（万元）",
    ];
    let org = credit("91611002MA7BR0W01");
    let spoiled = format!("{}0", &org[..17]);
    let rows = [
        [
            "浏览器导入测试项目一",
            "2412-611002-04-01-700001",
            "浏览器测试单位",
            &org,
            "商州区",
            "市级",
            "能源",
            "1200.5",
        ],
        [
            "浏览器导入测试项目二",
            "2412-611002-04-01-700002",
            "浏览器测试单位",
            if bad && spoiled != org {
                &spoiled
            } else {
                &org
            },
            if bad { "西安" } else { "商州" },
            "省级",
            "交通运输",
            "88",
        ],
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// Waits for an element of the answer: the form posts to the page's own address, so the
/// address alone does not say the answer has arrived.
async fn wait_for(b: &Browser, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while b.find_all(css).await.is_empty() {
        assert!(Instant::now() < deadline, "{css} never appeared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn an_officer_checks_then_imports_a_ledger(app: TestApp) {
    let dir = app.dir.path().join("imports");
    std::fs::create_dir_all(&dir).unwrap();
    let (bad, good) = (dir.join("有问题的台账.xlsx"), dir.join("台账.xlsx"));
    ledger(&bad, true);
    ledger(&good, false);
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    b.sign_in("officer1").await;
    b.goto("/projects").await;
    b.click("a[data-link=ledger-import]").await;
    b.wait_path("/ledger/import").await;

    b.find("#file")
        .await
        .send_keys(&bad.display().to_string())
        .await
        .expect("choose a file");
    b.click("button[name=mode][value=check]").await;
    wait_for(&b, "table[data-problems]").await;
    let rows = b.find_all("table[data-problems] tbody tr").await;
    assert_eq!(rows.len(), 2, "{}", b.text("main").await);
    let table = b.text("table[data-problems]").await;
    assert!(table.contains("统一社会信用代码"), "{table}");
    assert!(table.contains("县区") && table.contains("西安"), "{table}");
    b.check_page("ledger-import-problems").await;

    b.find("#file")
        .await
        .send_keys(&good.display().to_string())
        .await
        .expect("choose a file");
    b.click("button[name=mode][value=apply]").await;
    wait_for(&b, "[data-outcome]").await;
    assert_eq!(
        b.attr("[data-outcome]", "data-created").await.as_deref(),
        Some("2"),
        "{}",
        b.text("main").await
    );
    assert!(b.text("main").await.contains("导入完成"));
    b.check_page("ledger-import-done").await;
}

crate::on_both_backends!(demo; an_officer_checks_then_imports_a_ledger);
