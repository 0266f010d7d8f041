//! Importing the bureau's ledger from Excel, on both databases: a messy real-world file
//! (merged title, 填报单位/日期 line, two-row merged headers, 亿元 amounts, full-width digits,
//! stray spaces, synonyms, blank rows) imports right; a file with one bad row of each kind
//! writes nothing and names each problem by its Excel row and column; re-importing changes
//! nothing; an update changes only what changed, bumps the version and leaves a trail naming
//! the import; 10,000 new projects import with their total exact; the command line and the web
//! page do the same; owners and leaders may not import.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, api};
use eiaflow::domain::identifiers::CreditCode;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use sea_orm::EntityTrait;
use secrecy::ExposeSecret;
use serde_json::Value;

/// A valid credit code from a 17-character stem.
fn credit(stem: &str) -> String {
    assert_eq!(stem.len(), 17, "{stem}");
    let check = CreditCode::check_char(stem).expect("a valid stem");
    format!("{stem}{check}")
}

/// The same code with a wrong check character, and the right one.
fn bad_credit(stem: &str) -> (String, char) {
    let right = CreditCode::check_char(stem).expect("a valid stem");
    let wrong = if right == '0' { '1' } else { '0' };
    (format!("{stem}{wrong}"), right)
}

fn book(fill: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    fill(ws);
    wb.save_to_buffer().expect("xlsx")
}

/// A cell value for [`plain`]: text, a number, or nothing.
#[derive(Clone)]
enum V {
    T(String),
    N(f64),
    E,
}

fn t(s: &str) -> V {
    V::T(s.to_owned())
}

/// A sheet with one header row in row 1 and the rows below it.
fn plain(header: &[&str], rows: &[Vec<V>]) -> Vec<u8> {
    book(|ws| {
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    V::T(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    V::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    V::E => {}
                }
            }
        }
    })
}

const MESSY_ORG_STEM: &str = "91611002MA7TEXT01";
const MESSY_ORG2_STEM: &str = "91611024MA7TEXT02";

/// The bureau's ledger as people keep it. `amount` is the first row's 总投资 in 亿元 and
/// `p2p` its 点对点服务 (for the update case).
fn messy(amount: f64, p2p: &str) -> Vec<u8> {
    let org1 = credit(MESSY_ORG_STEM);
    let org2 = credit(MESSY_ORG2_STEM);
    book(|ws| {
        let f = Format::new();
        ws.merge_range(0, 0, 0, 13, "商洛市2024年重点项目环评服务台账", &f)
            .unwrap();
        ws.write_string(1, 0, "填报单位：商洛市生态环境局（盖章）")
            .unwrap();
        ws.write_string(1, 9, "填报日期：2024年6月30日").unwrap();
        // Two header rows: most names merged down over both, 重点项目级别 over 省级|市级 and
        // 总投资 over （亿元）.
        for (c, name) in [
            (0, "序号"),
            (1, "项目名称"),
            (2, "项目代码"),
            (3, "建设单位"),
            (4, "统一社会信用代码"),
            (5, "县区"),
            (8, "行业"),
            (10, "点对点服务"),
            (11, "未批先建"),
            (12, "环评类别"),
            (13, "联系人"),
        ] {
            ws.merge_range(2, c, 3, c, name, &f).unwrap();
        }
        ws.merge_range(2, 6, 2, 7, "重点项目级别", &f).unwrap();
        ws.write_string(3, 6, "省级").unwrap();
        ws.write_string(3, 7, "市级").unwrap();
        ws.write_string(2, 9, "总投资").unwrap();
        ws.write_string(3, 9, "（亿元）").unwrap();
        let rows: [[V; 14]; 3] = [
            [
                V::N(1.0),
                t("  商州区城市污水处理厂　扩建项目 "),
                t("２４１２－６１１００２－０４－０１－９００００１"),
                t("商洛市测试水务有限公司"),
                t(&org1.to_lowercase()),
                t("商州"),
                t("√"),
                V::E,
                t("生态环保与市政"),
                V::N(amount),
                t(p2p),
                t("否"),
                t("报告表"),
                t("张三"),
            ],
            [
                V::N(2.0),
                t("洛南县国道改线工程"),
                t("2412-611021-04-01-900002"),
                t(" 商洛市测试水务有限公司 "),
                t(&org1),
                t("洛南县"),
                t("否"),
                t("是"),
                t("transport"),
                t("０.０１２３"),
                V::E,
                V::E,
                V::E,
                V::E,
            ],
            [
                V::N(3.0),
                t("山阳县光伏发电项目"),
                t("2412-611000-04-01-900003"),
                t("山阳测试新能源有限公司"),
                t(&org2),
                t("611024"),
                t("是"),
                t("是"),
                t("能源"),
                V::N(10.1),
                t("是"),
                t("否"),
                V::E,
                V::E,
            ],
        ];
        // Data from row 5, with a blank row between the second and the third.
        for (i, row) in rows.iter().enumerate() {
            let r = 4 + i as u32 + u32::from(i == 2);
            for (c, v) in row.iter().enumerate() {
                match v {
                    V::T(s) => {
                        ws.write_string(r, c as u16, s).unwrap();
                    }
                    V::N(n) => {
                        ws.write_number(r, c as u16, *n).unwrap();
                    }
                    V::E => {}
                }
            }
        }
    })
}

/// Sends `bytes` as the multipart field `file` to the import endpoint.
async fn post_file(app: &TestApp, token: &str, query: &str, bytes: &[u8]) -> (StatusCode, Value) {
    let boundary = "----eiaflow-import-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ledger.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let reply = app
        .send(
            Method::POST,
            &format!("/api/v1/ledger/import{query}"),
            Some(token),
            Some((&body, &format!("multipart/form-data; boundary={boundary}"))),
        )
        .await;
    (reply.status, reply.json_value())
}

async fn import_ok(app: &TestApp, token: &str, query: &str, bytes: &[u8]) -> Value {
    let (status, body) = post_file(app, token, query, bytes).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn counts(outcome: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| {
        outcome[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {outcome}"))
    };
    (n("rows"), n("created"), n("updated"), n("unchanged"))
}

async fn project_by_code(app: &TestApp, token: &str, code: &str) -> api::Project {
    let page: api::ProjectPage = app
        .get_ok(&format!("/api/v1/projects?q={code}"), token)
        .await;
    assert_eq!(page.items.len(), 1, "{code}");
    page.items.into_iter().next().unwrap()
}

async fn a_messy_ledger_imports_right(app: TestApp) {
    let officer = app.login("officer1").await;
    let projects_before = app.count(entity::project::Entity).await;
    let file = messy(1.2345, "是");

    let dry = import_ok(&app, &officer, "?dry_run=true", &file).await;
    assert_eq!(dry["dry_run"], true);
    assert_eq!(counts(&dry), (3, 3, 0, 0), "{dry}");
    assert_eq!(dry["problems"], serde_json::json!([]));
    assert_eq!(
        app.count(entity::project::Entity).await,
        projects_before,
        "a dry run writes nothing"
    );
    let ignored: Vec<&str> = dry["ignored_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ignored, ["序号", "环评类别", "联系人"]);

    let done = import_ok(&app, &officer, "", &file).await;
    assert_eq!(done["dry_run"], false);
    assert_eq!(counts(&done), (3, 3, 0, 0), "{done}");
    assert_eq!(
        app.count(entity::project::Entity).await,
        projects_before + 3
    );
    let rows: Vec<u64> = done["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["row"].as_u64().unwrap())
        .collect();
    assert_eq!(
        rows,
        [5, 6, 8],
        "Excel's row numbers, the blank row skipped"
    );

    let first = project_by_code(&app, &officer, "2412-611002-04-01-900001").await;
    assert_eq!(first.name, "商州区城市污水处理厂 扩建项目");
    assert_eq!(first.county.name, "商州区");
    assert_eq!((first.provincial, first.municipal), (true, false));
    assert_eq!(first.industry, "environment");
    assert_eq!(first.total_investment_wan, "12345.00");
    assert!(first.point_to_point);
    assert!(!first.built_before_approval);
    assert_eq!(first.tier, None, "环评类别 is not the import's");
    assert_eq!(first.organization.name, "商洛市测试水务有限公司");
    assert_eq!(first.organization.credit_code, credit(MESSY_ORG_STEM));

    let second = project_by_code(&app, &officer, "2412-611021-04-01-900002").await;
    assert_eq!(second.county.name, "洛南县");
    assert_eq!((second.provincial, second.municipal), (false, true));
    assert_eq!(second.industry, "transport");
    assert_eq!(second.total_investment_wan, "123.00");
    assert!(!second.point_to_point);
    assert_eq!(
        second.organization.id, first.organization.id,
        "one organisation per credit code"
    );

    let third = project_by_code(&app, &officer, "2412-611000-04-01-900003").await;
    assert_eq!(third.county.name, "山阳县");
    assert_eq!((third.provincial, third.municipal), (true, true));
    assert_eq!(third.total_investment_wan, "101000.00");
    assert_eq!(third.organization.name, "山阳测试新能源有限公司");
    let org: api::Organization = app
        .get_ok(
            &format!("/api/v1/organizations/{}", third.organization.id),
            &officer,
        )
        .await;
    assert_eq!(org.credit_code, credit(MESSY_ORG2_STEM));
}

async fn reimporting_changes_nothing_and_an_update_changes_only_what_changed(app: TestApp) {
    let officer = app.login("officer1").await;
    let file = messy(1.2345, "是");
    import_ok(&app, &officer, "", &file).await;
    let before = project_by_code(&app, &officer, "2412-611002-04-01-900001").await;
    let audit_before = app.count(entity::audit_event::Entity).await;

    let again = import_ok(&app, &officer, "", &file).await;
    assert_eq!(counts(&again), (3, 0, 0, 3), "{again}");
    assert_eq!(again["changes"], serde_json::json!([]));
    assert_eq!(app.count(entity::audit_event::Entity).await, audit_before);
    let same = project_by_code(&app, &officer, "2412-611002-04-01-900001").await;
    assert_eq!(same.version, before.version);
    assert_eq!(same.updated_at, before.updated_at);

    // 1.2345 亿 → 1.5 亿 and 点对点 是 → 否 on the first row; nothing else.
    let changed = messy(1.5, "否");
    let dry = import_ok(&app, &officer, "?dry_run=true", &changed).await;
    assert_eq!(counts(&dry), (3, 0, 1, 2), "{dry}");
    let fields = &dry["changes"][0]["fields"];
    assert_eq!(dry["changes"][0]["row"], 5);
    assert_eq!(
        fields,
        &serde_json::json!([
            {"field": "total_investment_wan", "label": "总投资（万元）", "before": "12345.00", "after": "15000.00"},
            {"field": "point_to_point", "label": "点对点服务", "before": "是", "after": "否"},
        ])
    );
    let done = import_ok(&app, &officer, "", &changed).await;
    assert_eq!(counts(&done), (3, 0, 1, 2), "{done}");
    let after = project_by_code(&app, &officer, "2412-611002-04-01-900001").await;
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.total_investment_wan, "15000.00");
    assert!(!after.point_to_point);
    assert_eq!(after.name, before.name);
    assert_eq!((after.provincial, after.municipal), (true, false));
    let untouched = project_by_code(&app, &officer, "2412-611021-04-01-900002").await;
    assert_eq!(untouched.version, 1);

    let (status, trail) = app
        .get(&format!("/api/v1/projects/{}/audit", after.id), &officer)
        .await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let latest = &trail["items"][0];
    assert_eq!(latest["action"], "update", "{trail}");
    assert_eq!(latest["detail"]["source"], "import", "{latest}");
    assert_eq!(latest["detail"]["row"], 5);
    let changed_fields: Vec<&str> = latest["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(changed_fields, ["total_investment_wan", "point_to_point"]);
    let created = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["action"] == "create")
        .expect("the creation in the trail");
    assert_eq!(created["detail"]["source"], "import");
}

const BAD_HEADER: [&str; 13] = [
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
    "跨县区说明",
    "列入台账日期",
    "序号",
];

/// One row of the bad file: the defaults, then what is wrong in it.
fn bad_row(n: u32, change: &[(usize, V)]) -> Vec<V> {
    let mut row = vec![
        t(&format!("测试项目{n}")),
        t(&format!("2412-611002-04-01-8{n:05}")),
        t("商洛市坏文件测试有限公司"),
        t(&credit("91611002MA7BADF01")),
        t("商州区"),
        t("市级"),
        t("能源"),
        V::N(100.0),
        t("否"),
        t("否"),
        V::E,
        t("2024-01-15"),
        V::N(f64::from(n)),
    ];
    for (i, v) in change {
        row[*i] = v.clone();
    }
    row
}

async fn a_bad_file_writes_nothing_and_names_each_problem(app: TestApp) {
    let officer = app.login("officer1").await;
    let orgs: api::Page<api::Organization> = app
        .get_ok("/api/v1/organizations?per_page=1", &officer)
        .await;
    let existing = &orgs.items[0];
    let (wrong_credit, right_char) = bad_credit("91611002MA7BADF02");
    let rows = vec![
        bad_row(2, &[(3, t(&wrong_credit))]),
        bad_row(3, &[(1, t("2412-61100-04-01-1"))]),
        bad_row(4, &[(1, t("2412-611002-04-01-812345"))]),
        bad_row(5, &[(1, t("2412-611002-04-01-812345"))]),
        bad_row(6, &[(1, t("2412-610100-04-01-800006"))]),
        // The same cross-county code with a reason is fine.
        bad_row(
            7,
            &[
                (1, t("2412-610100-04-01-800007")),
                (10, t("西安市审批、在商州区建设")),
            ],
        ),
        bad_row(8, &[(4, t("西安"))]),
        bad_row(9, &[(7, V::N(-5.0))]),
        bad_row(10, &[(7, t("十万"))]),
        bad_row(11, &[(0, V::E)]),
        bad_row(12, &[(6, t("航天"))]),
        bad_row(13, &[(5, t("国家级"))]),
        bad_row(14, &[(8, t("也许"))]),
        bad_row(15, &[(11, t("六月"))]),
        bad_row(
            16,
            &[(2, t("另一个名字有限公司")), (3, t(&existing.credit_code))],
        ),
        bad_row(17, &[(7, V::N(12.345))]),
        bad_row(18, &[(7, V::E)]),
    ];
    let file = plain(&BAD_HEADER, &rows);
    let projects = app.count(entity::project::Entity).await;
    let organizations = app.count(entity::organization::Entity).await;

    let dry = import_ok(&app, &officer, "?dry_run=true", &file).await;
    let problems = dry["problems"].as_array().expect("problems").clone();
    let at: Vec<(u64, &str)> = problems
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        at,
        [
            (2, "统一社会信用代码"),
            (3, "投资项目统一代码"),
            (5, "投资项目统一代码"),
            (6, "投资项目统一代码"),
            (8, "县区"),
            (9, "总投资(万元)"),
            (10, "总投资(万元)"),
            (11, "项目名称"),
            (12, "行业"),
            (13, "重点项目级别"),
            (14, "点对点服务"),
            (15, "列入台账日期"),
            (16, "统一社会信用代码"),
            (17, "总投资(万元)"),
            (18, "总投资(万元)"),
        ],
        "{dry}"
    );
    let message = |row: u64| -> &str {
        problems
            .iter()
            .find(|p| p["row"] == row)
            .and_then(|p| p["message"].as_str())
            .unwrap()
    };
    assert!(
        message(2).contains(&format!("应为“{right_char}”")),
        "{}",
        message(2)
    );
    assert!(message(5).contains("第4行") && message(5).contains("第5行"));
    assert!(message(6).contains("不符"), "{}", message(6));
    assert!(message(8).contains("西安"));
    assert!(message(9).contains("负数"));
    assert!(message(10).contains("不是数字"));
    assert!(message(11).contains("不能为空"));
    assert!(message(16).contains(&existing.name), "{}", message(16));
    assert!(message(17).contains("0.01"), "{}", message(17));
    assert_eq!(app.count(entity::project::Entity).await, projects);

    let (status, body) = post_file(&app, &officer, "", &file).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["problems"], dry["problems"]);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("未导入任何内容")
    );
    assert_eq!(app.count(entity::project::Entity).await, projects);
    assert_eq!(app.count(entity::organization::Entity).await, organizations);

    // Not a workbook, and no file at all: 422 naming `file`.
    let (status, body) = post_file(&app, &officer, "", b"not a workbook").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "file");
    let reply = app
        .send(
            Method::POST,
            "/api/v1/ledger/import",
            Some(&officer),
            Some((
                b"--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n",
                "multipart/form-data; boundary=b",
            )),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json_value()["error"]["fields"][0]["field"], "file");
}

async fn owners_and_leaders_may_not_import(app: TestApp) {
    let file = messy(1.0, "是");
    for who in ["owner1", "leader"] {
        let token = app.login(who).await;
        let (status, body) = post_file(&app, &token, "?dry_run=true", &file).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
    }
    let owner = app.web_login("owner1").await;
    let reply = app.page(Method::GET, "/ledger/import", Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

// Headers are reported as the reader normalises them (full-width brackets half-width).

/// 10,000 new projects of 100 organisations, amounts of every cent: the total is exact.
fn big_file(rows: u32) -> (Vec<u8>, i64) {
    let mut total_hundredths = 0i64;
    let header = [
        "项目名称",
        "投资项目统一代码",
        "建设单位",
        "统一社会信用代码",
        "县区",
        "重点项目级别",
        "行业",
        "总投资（万元）",
        "点对点服务",
    ];
    let orgs: Vec<String> = (0..100)
        .map(|i| credit(&format!("91611002MA7B{i:05}")))
        .collect();
    let bytes = book(|ws| {
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for i in 0..rows {
            let r = i + 1;
            let hundredths = i64::from(i) * 137 % 1_000_000 + 1;
            total_hundredths += hundredths;
            let org = (i % 100) as usize;
            ws.write_string(r, 0, format!("批量项目{i}")).unwrap();
            ws.write_string(r, 1, format!("2412-611002-04-01-{:06}", 100_000 + i))
                .unwrap();
            ws.write_string(r, 2, format!("批量测试单位{org}")).unwrap();
            ws.write_string(r, 3, &orgs[org]).unwrap();
            ws.write_string(r, 4, "商州区").unwrap();
            ws.write_string(r, 5, "市级").unwrap();
            ws.write_string(r, 6, "能源").unwrap();
            ws.write_number(r, 7, hundredths as f64 / 100.0).unwrap();
            ws.write_string(r, 8, "否").unwrap();
        }
    });
    (bytes, total_hundredths)
}

async fn ten_thousand_new_projects_import(app: TestApp) {
    let admin = app.login("admin").await;
    let (file, total) = big_file(10_000);
    let trail_before = app.count(entity::audit_event::Entity).await;
    let started = std::time::Instant::now();
    let done = import_ok(&app, &admin, "", &file).await;
    eprintln!(
        "{}: 10,000 rows imported in {:?}",
        app.backend,
        started.elapsed()
    );
    assert_eq!(counts(&done), (10_000, 10_000, 0, 0));
    let stored = entity::project::Entity::find()
        .all(&app.db)
        .await
        .expect("projects");
    assert_eq!(stored.len(), 10_000);
    assert_eq!(
        stored.iter().map(|p| p.total_investment).sum::<i64>(),
        total
    );
    assert_eq!(app.count(entity::organization::Entity).await, 100);
    // One trail row per project and per organisation created.
    assert_eq!(
        app.count(entity::audit_event::Entity).await - trail_before,
        10_100
    );
    let page: api::ProjectPage = app
        .get_ok("/api/v1/projects?q=2412-611002-04-01-109999", &admin)
        .await;
    assert_eq!(page.items[0].name, "批量项目9999");
}

async fn the_command_line_imports_a_file(app: TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |file: &std::path::Path, dry_run: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_eiaflow"));
        cmd.arg("import").arg(file);
        if dry_run {
            cmd.arg("--dry-run");
        }
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env(
                "EIAFLOW__DATABASE__URL",
                app.settings.database.url.expose_secret(),
            )
            .env("EIAFLOW__DATA__DIR", dir.path())
            .env("EIAFLOW__LOG__LEVEL", "warn")
            .output()
            .expect("run eiaflow")
    };
    let bad = dir.path().join("bad.xlsx");
    let (wrong, _) = bad_credit("91611002MA7BADF02");
    std::fs::write(&bad, plain(&BAD_HEADER, &[bad_row(2, &[(3, t(&wrong))])])).unwrap();
    let out = run(&bad, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("第2行 列“统一社会信用代码”："), "{stdout}");

    let good = dir.path().join("good.xlsx");
    std::fs::write(&good, messy(1.2345, "是")).unwrap();
    let projects = app.count(entity::project::Entity).await;
    let out = run(&good, true);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("新建 3"), "{stdout}");
    assert_eq!(app.count(entity::project::Entity).await, projects);
    let out = run(&good, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("已导入：3 行，新建 3，更新 0，未变 0"),
        "{stdout}"
    );
    assert_eq!(app.count(entity::project::Entity).await, projects + 3);
}

async fn the_page_shows_the_problems_and_the_counts(app: TestApp) {
    let officer = app.web_login("officer1").await;
    let page = app
        .page(Method::GET, "/ledger/import", Some(&officer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert!(html.contains("检查（试导入）") && html.contains("/api/v1/ledger/template.xlsx"));
    let ledger = app.page(Method::GET, "/projects", Some(&officer)).await;
    assert!(ledger.html().contains("href=\"/ledger/import\""));

    let (wrong, right) = bad_credit("91611002MA7BADF02");
    let bad = plain(
        &BAD_HEADER,
        &[bad_row(2, &[(3, t(&wrong))]), bad_row(3, &[(4, t("西安"))])],
    );
    let checked = app
        .post_multipart(
            "/ledger/import",
            &officer,
            &[("mode", "check")],
            &[("file", "bad.xlsx", &bad)],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    let html = checked.html();
    assert!(html.contains("发现 2 处问题"), "{html}");
    assert!(html.contains("<tr data-row=\"2\">") && html.contains("<tr data-row=\"3\">"));
    assert!(html.contains(&format!("应为“{right}”")));
    let refused = app
        .post_multipart(
            "/ledger/import",
            &officer,
            &[("mode", "apply")],
            &[("file", "bad.xlsx", &bad)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html().contains("未导入任何内容"));

    let projects = app.count(entity::project::Entity).await;
    let done = app
        .post_multipart(
            "/ledger/import",
            &officer,
            &[("mode", "apply")],
            &[("file", "good.xlsx", &messy(1.2345, "是"))],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    let html = done.html();
    assert!(html.contains("导入完成"), "{html}");
    assert!(html.contains("data-created=\"3\""), "{html}");
    assert_eq!(app.count(entity::project::Entity).await, projects + 3);

    let none = app
        .post_multipart("/ledger/import", &officer, &[("mode", "check")], &[])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.html().contains("请选择要导入的台账文件"));
}

/// Export → import changes nothing: the demo ledger as `GET /api/v1/ledger/export.xlsx` writes
/// it comes back with every project unchanged and no trail written.
async fn an_exported_ledger_imports_unchanged(app: TestApp) {
    let officer = app.login("officer1").await;
    let export = app
        .send(
            Method::GET,
            "/api/v1/ledger/export.xlsx",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let trail = app.count(entity::audit_event::Entity).await;
    let dry = import_ok(&app, &officer, "?dry_run=true", &export.bytes).await;
    assert_eq!(
        counts(&dry),
        (239, 0, 0, 239),
        "{} {}",
        dry["problems"],
        dry["changes"]
    );
    let done = import_ok(&app, &officer, "", &export.bytes).await;
    assert_eq!(counts(&done), (239, 0, 0, 239));
    assert_eq!(done["changes"], serde_json::json!([]));
    assert_eq!(app.count(entity::audit_event::Entity).await, trail);
    let ignored: Vec<&str> = done["ignored_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(ignored.contains(&"环评类别"), "{ignored:?}");
}

crate::on_both_backends!(demo;
    an_exported_ledger_imports_unchanged,
    a_messy_ledger_imports_right,
    reimporting_changes_nothing_and_an_update_changes_only_what_changed,
    a_bad_file_writes_nothing_and_names_each_problem,
    owners_and_leaders_may_not_import,
    the_command_line_imports_a_file,
    the_page_shows_the_problems_and_the_counts,
);

crate::on_both_backends!(empty;
    ten_thousand_new_projects_import,
);
