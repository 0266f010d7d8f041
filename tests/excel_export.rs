//! The `.xlsx` downloads read back as a person opening them would (with calamine): the ledger
//! export's headers, a known demo project's row, the row count against the API's list for the
//! same filters, the download's headers, and who may have it.
mod common;

use std::io::Cursor;

use axum::http::{Method, StatusCode};
use calamine::{Data, DataType, Reader, Xlsx};
use common::{Reply, TestApp, api, error};
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The ledger export's header, in order.
const LEDGER_HEADER: [&str; 21] = [
    "项目名称",
    "投资项目统一代码",
    "建设单位",
    "统一社会信用代码",
    "县区",
    "重点项目级别",
    "行业",
    "总投资（万元）",
    "点对点服务",
    "未批先建",
    "处罚已履行",
    "列入台账日期",
    "项目概况",
    "跨县区说明",
    "环评类别",
    "申报状态",
    "受理日期",
    "登记表备案号",
    "审批日期",
    "审批文号",
    "办结期限",
];

/// One worksheet as rows of cells.
struct Sheet {
    name: String,
    rows: Vec<Vec<Data>>,
}

/// Every worksheet of a workbook, in order.
fn sheets(bytes: &[u8]) -> Vec<Sheet> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("a sheet");
            Sheet {
                name,
                rows: range.rows().map(|r| r.to_vec()).collect(),
            }
        })
        .collect()
}

/// A cell as text: strings as they are, numbers in their shortest form, dates as YYYY-MM-DD.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::DateTime(_) => cell
            .as_date()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn texts(row: &[Data]) -> Vec<String> {
    row.iter().map(text).collect()
}

/// A download that must succeed: its headers checked, its sheets read.
fn workbook(reply: &Reply, what: &str) -> Vec<Sheet> {
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{what}: {}",
        String::from_utf8_lossy(&reply.bytes)
    );
    assert_eq!(reply.header("content-type"), Some(XLSX), "{what}");
    let disposition = reply.header("content-disposition").expect("a disposition");
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"),
        "{what}: {disposition}"
    );
    sheets(&reply.bytes)
}

async fn get(app: &TestApp, path: &str, token: &str) -> Reply {
    app.send(Method::GET, path, Some(token), None).await
}

/// The header row's index: the one row whose first cell is 项目名称 (a title line may stand
/// above it).
fn header_at(sheet: &Sheet, first: &str) -> usize {
    let at: Vec<usize> = sheet
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.first().map(text).as_deref() == Some(first))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "exactly one header row in {}", sheet.name);
    at[0]
}

/// The data rows under the header, as text.
fn ledger_rows(sheet: &Sheet) -> Vec<Vec<String>> {
    let h = header_at(sheet, "项目名称");
    assert_eq!(texts(&sheet.rows[h]), LEDGER_HEADER);
    sheet.rows[h + 1..].iter().map(|r| texts(r)).collect()
}

fn column(name: &str) -> usize {
    LEDGER_HEADER
        .iter()
        .position(|h| *h == name)
        .expect("a column")
}

async fn ledger_total(app: &TestApp, token: &str, query: &str) -> u64 {
    let page: api::ProjectPage = app
        .get_ok(&format!("/api/v1/projects?per_page=1&{query}"), token)
        .await;
    page.total
}

async fn the_ledger_export_has_the_apis_columns_and_a_known_projects_row(app: TestApp) {
    let token = app.login("officer1").await;
    let reply = get(&app, "/api/v1/ledger/export.xlsx", &token).await;
    let book = workbook(&reply, "ledger");
    let disposition = reply.header("content-disposition").unwrap();
    let name = format!("环评台账-{}.xlsx", common::today().format("%Y-%m-%d"));
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    assert!(disposition.contains(&encoded), "{disposition}");
    assert_eq!(book[0].name, "环评台账");
    let rows = ledger_rows(&book[0]);
    assert_eq!(rows.len() as u64, ledger_total(&app, &token, "").await);
    assert_eq!(rows.len(), 239);

    let code = "2208-611002-04-01-964862";
    let row = rows
        .iter()
        .find(|r| r[column("投资项目统一代码")] == code)
        .expect("the G312 project");
    let page: api::ProjectPage = app
        .get_ok(&format!("/api/v1/projects?q={code}"), &token)
        .await;
    let p = &page.items[0];
    let at = |c: &str| row[column(c)].as_str();
    assert_eq!(at("项目名称"), "G312线商州过境公路改线工程");
    assert_eq!(at("建设单位"), "商洛市交通建设投资集团有限公司");
    assert_eq!(at("统一社会信用代码"), "91611000MAD8DN0YX1");
    assert_eq!(at("县区"), "商州区");
    assert_eq!(at("重点项目级别"), "省级、市级");
    assert_eq!(at("行业"), "交通运输");
    assert_eq!(at("总投资（万元）"), "328561.52");
    assert_eq!(at("总投资（万元）"), p.total_investment_wan);
    assert_eq!((at("点对点服务"), at("未批先建")), ("是", "否"));
    assert_eq!(at("环评类别"), "报告书");
    assert_eq!(at("申报状态"), "已批复");
    assert_eq!(at("受理日期"), "2023-01-16");
    assert_eq!(at("审批日期"), "2023-02-24");
    assert_eq!(at("审批文号"), "商环批复〔2023〕64号");
    assert_eq!(at("列入台账日期"), "2022-12-15");
    assert_eq!((at("登记表备案号"), at("办结期限")), ("", ""));

    // The amount is a number in the cell, not text.
    let h = header_at(&book[0], "项目名称");
    let cell = book[0].rows[h + 1..]
        .iter()
        .find(|r| text(&r[1]) == code)
        .map(|r| r[column("总投资（万元）")].clone())
        .unwrap();
    assert_eq!(cell, Data::Float(328561.52));

    // A registration form's number is the one its filing has.
    let code = "2205-611002-04-01-696406";
    let row = rows
        .iter()
        .find(|r| r[column("投资项目统一代码")] == code)
        .expect("the hospital's project");
    let page: api::ProjectPage = app
        .get_ok(&format!("/api/v1/projects?q={code}"), &token)
        .await;
    let filing_id = page.items[0].current_filing.as_ref().unwrap().id;
    let (_, filing) = app
        .get(&format!("/api/v1/filings/{filing_id}"), &token)
        .await;
    let receipt = filing["receipt_no"].as_str().expect("a receipt number");
    assert!(!receipt.is_empty());
    assert_eq!(row[column("登记表备案号")], receipt);
    assert_eq!(row[column("环评类别")], "登记表");
    assert_eq!(
        row[column("申报状态")],
        page.items[0].current_filing.as_ref().unwrap().state_label
    );
}

async fn the_export_lists_what_the_api_lists_for_the_same_filters(app: TestApp) {
    let token = app.login("leader").await;
    for query in [
        "county=611024",
        "classification=exempt",
        "county=611002&classification=required",
        "county=611022&classification=report_form&level=municipal",
        "point_to_point=true&accepted=true&accepted_as_of=2023-06-30",
        "filing_state=approved",
        "q=%E7%9F%BF",
    ] {
        let reply = get(&app, &format!("/api/v1/ledger/export.xlsx?{query}"), &token).await;
        let rows = ledger_rows(&workbook(&reply, query)[0]);
        let total = ledger_total(&app, &token, query).await;
        assert!(total > 0, "{query} selects something");
        assert_eq!(rows.len() as u64, total, "{query}");
        // Every row is a project the list has.
        let page: api::ProjectPage = app
            .get_ok(&format!("/api/v1/projects?per_page=200&{query}"), &token)
            .await;
        let mut codes: Vec<String> = page.items.iter().map(|p| p.project_code.clone()).collect();
        let mut exported: Vec<String> = rows
            .iter()
            .map(|r| r[column("投资项目统一代码")].clone())
            .collect();
        codes.sort();
        exported.sort();
        assert_eq!(exported, codes, "{query}");
    }
    // In the ledger page's order: by investment, largest first.
    let reply = get(
        &app,
        "/api/v1/ledger/export.xlsx?county=611002&sort=investment&order=desc",
        &token,
    )
    .await;
    let rows = ledger_rows(&workbook(&reply, "sorted")[0]);
    let amounts: Vec<f64> = rows
        .iter()
        .map(|r| r[column("总投资（万元）")].parse().unwrap())
        .collect();
    assert!(amounts.len() > 2);
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
}

async fn owners_may_not_export_and_bad_filters_are_422s(app: TestApp) {
    let owner = app.login("owner1").await;
    let reply = get(&app, "/api/v1/ledger/export.xlsx", &owner).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(error(&reply.json_value()).code, "forbidden");
    let reply = app
        .send(Method::GET, "/api/v1/ledger/export.xlsx", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    let token = app.login("officer1").await;
    for (query, field) in [
        ("county=999999", "county"),
        ("classification=big", "classification"),
        ("industry=nope", "industry"),
        ("sort=colour", "sort"),
        ("order=sideways", "order"),
        ("accepted=true&accepted_as_of=2999-01-01", "accepted_as_of"),
    ] {
        let reply = get(&app, &format!("/api/v1/ledger/export.xlsx?{query}"), &token).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let body: Value = reply.json_value();
        let e = error(&body);
        assert!(
            e.fields
                .iter()
                .any(|f| f.field == field && !f.message.is_empty()),
            "{query}: {body}"
        );
    }
    let reply = get(&app, "/api/v1/ledger/export.xlsx?colour=red", &token).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

async fn the_ledger_pages_export_link_keeps_its_filters(app: TestApp) {
    let session = app.web_login("officer1").await;
    let page = app
        .page(
            Method::GET,
            "/projects?county=611024&tier=required&sort=name&page=2",
            Some(&session),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let href = "/projects/export.xlsx?county=611024&#38;tier=required&#38;sort=name\"";
    assert!(html.contains(href), "{html}");
    assert!(html.contains("导出Excel"));

    let reply = app
        .page(
            Method::GET,
            "/projects/export.xlsx?county=611024&tier=required&sort=name",
            Some(&session),
        )
        .await;
    let rows = ledger_rows(&workbook(&reply, "web export")[0]);
    let token = app.login("officer1").await;
    let total = ledger_total(&app, &token, "county=611024&classification=required").await;
    assert_eq!(rows.len() as u64, total);
    assert!(
        rows.iter().all(|r| r[column("县区")] == "山阳县"),
        "{rows:?}"
    );

    let owner = app.web_login("owner1").await;
    let reply = app
        .page(Method::GET, "/projects/export.xlsx", Some(&owner))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

crate::on_both_backends!(demo;
    the_ledger_export_has_the_apis_columns_and_a_known_projects_row,
    the_export_lists_what_the_api_lists_for_the_same_filters,
    owners_may_not_export_and_bad_filters_are_422s,
    the_ledger_pages_export_link_keeps_its_filters,
);
