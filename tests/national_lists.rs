//! The national system's lists (受理公示, 审批决定公告) reconciled into the ledger through
//! `POST /api/v1/filings/national-lists`, and single national-system steps entered through
//! `POST /filings/{id}/actions` with `source`.
mod common;

use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use common::build::{Cast, Kind};
use common::{TestApp, api, d, decode, error, error_fields, today};
use eiaflow::excel::write::{Book, Value as Cell, col};
use serde_json::{Value, json};

const ACCEPTANCE: &[&str] = &[
    "序号",
    "项目名称",
    "建设地点",
    "建设单位",
    "环境影响评价机构",
    "报告类别",
    "受理日期",
    "项目代码",
];
const DECISION: &[&str] = &["序号", "项目名称", "项目代码", "审批文号", "审批时间"];

/// A list as the national system publishes it: a title row over the header.
fn workbook(title: &str, headers: &[&'static str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut book = Book::new();
    let columns: Vec<_> = headers.iter().map(|h| col(h, 20.0)).collect();
    let mut sheet = book
        .sheet("Sheet1", &[title.to_owned()], &columns)
        .expect("sheet");
    for row in rows {
        sheet.row(row).expect("row");
    }
    drop(sheet);
    book.finish_bytes().expect("workbook")
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

/// One row of a 受理公示 list (the code may be left blank to match by name).
fn accepted(n: i64, name: &str, code: &str, on: NaiveDate) -> Vec<Cell> {
    vec![
        Cell::Int(n),
        t(name),
        t("商洛市山阳县"),
        t("测试建设单位"),
        t("陕西某环保科技有限公司"),
        t("报告表"),
        Cell::Date(on),
        if code.is_empty() {
            Cell::Blank
        } else {
            t(code)
        },
    ]
}

fn decided(n: i64, name: &str, code: &str, number: &str, on: NaiveDate) -> Vec<Cell> {
    vec![Cell::Int(n), t(name), t(code), t(number), Cell::Date(on)]
}

/// Posts a list; `matches` are `row=code` hand matches.
async fn post_list(
    app: &TestApp,
    token: &str,
    file: &[u8],
    dry_run: bool,
    matches: &[&str],
) -> (StatusCode, Value) {
    let boundary = "----eiaflow-national-boundary";
    let mut body = Vec::new();
    for m in matches {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"match\"\r\n\r\n{m}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.xlsx\"\r\nContent-Type: {}\r\n\r\n", eiaflow::excel::write::XLSX)
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let path = if dry_run {
        "/api/v1/filings/national-lists?dry_run=true"
    } else {
        "/api/v1/filings/national-lists"
    };
    let reply = app
        .send(
            Method::POST,
            path,
            Some(token),
            Some((&body, &format!("multipart/form-data; boundary={boundary}"))),
        )
        .await;
    (reply.status, reply.json_value())
}

async fn ok_list(
    app: &TestApp,
    token: &str,
    file: &[u8],
    dry_run: bool,
    matches: &[&str],
) -> Value {
    let (status, body) = post_list(app, token, file, dry_run, matches).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The (row, action) pairs of an outcome's steps.
fn steps(outcome: &Value) -> Vec<(u64, String)> {
    outcome["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["row"].as_u64().unwrap(),
                s["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn rows_of(outcome: &Value, list: &str) -> Vec<u64> {
    outcome[list]
        .as_array()
        .expect(list)
        .iter()
        .map(|r| r["row"].as_u64().unwrap())
        .collect()
}

async fn accepted_or_decided(app: &TestApp, token: &str, on: NaiveDate) -> u64 {
    let s: api::Summary = app
        .get_ok(&format!("/api/v1/reports/summary?as_of={on}"), token)
        .await;
    s.figures.accepted_or_decided
}

async fn event_count(app: &TestApp) -> u64 {
    app.count(entity::filing_event::Entity).await
}

async fn latest_filing(app: &TestApp, token: &str, project: i64) -> api::Filing {
    let p: api::Project = app
        .get_ok(&format!("/api/v1/projects/{project}"), token)
        .await;
    let id = p.current_filing.expect("a filing").id;
    app.filing(token, id).await
}

/// The live steps of a filing as (action, date, source).
async fn history(app: &TestApp, token: &str, id: i64) -> Vec<(String, NaiveDate, Option<String>)> {
    app.events(token, id)
        .await
        .into_iter()
        .filter(|e| e.kind == "step" && e.voided_at.is_none())
        .map(|e| {
            (
                e.action.clone(),
                e.effective_on,
                e.detail["source"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn lists_on_a_built_ledger(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let listed = json!({"listed_on": "2026-01-05"});
    let mut projects = Vec::new();
    for extra in [
        listed.clone(),
        listed.clone(),
        json!({"listed_on": "2026-01-05", "name": "同名公路工程"}),
        json!({"listed_on": "2026-01-05", "name": "同名公路工程"}),
    ] {
        // Listed and classified before the lists' dates, so the report counts them then.
        let id = app
            .new_project(officer, cast.owner.org(), Kind::Unclassified, extra)
            .await;
        app.classify(
            officer,
            id,
            Kind::ReportForm,
            json!({"decided_on": "2026-01-05"}),
        )
        .await;
        let p: api::Project = app.get_ok(&format!("/api/v1/projects/{id}"), officer).await;
        projects.push(p);
    }
    let (p1, p2, twin1, twin2) = (&projects[0], &projects[1], &projects[2], &projects[3]);
    let on = d("2026-03-02");
    let list = workbook(
        "商洛市生态环境局建设项目环境影响评价文件受理公示",
        ACCEPTANCE,
        &[
            accepted(1, &p1.name, &p1.project_code, on),
            // By name only, spelled with a full-width space inside.
            accepted(2, &format!("　{}", p2.name), "", on),
            accepted(3, "同名公路工程", "", on),
            accepted(4, "不在台账中的项目", "", on),
        ],
    );

    // The dry run: the steps it would enter, the rows it cannot match, and nothing written.
    let before = event_count(&app).await;
    let dry = ok_list(&app, officer, &list, true, &[]).await;
    assert_eq!(dry["kind"], "acceptance");
    assert_eq!(dry["rows"], 4);
    assert_eq!(
        steps(&dry),
        [
            (3, "create".into()),
            (3, "submit".into()),
            (3, "accept".into()),
            (4, "create".into()),
            (4, "submit".into()),
            (4, "accept".into()),
        ]
    );
    assert!(
        dry["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["effective_on"] == "2026-03-02")
    );
    assert_eq!(rows_of(&dry, "unmatched"), [5, 6]);
    let ambiguous = dry["unmatched"][0]["reason"].as_str().unwrap();
    assert!(ambiguous.contains("2个同名项目"), "{ambiguous}");
    assert!(ambiguous.contains(&twin1.project_code) && ambiguous.contains(&twin2.project_code));
    assert_eq!(dry["unmatched"][1]["reason"], "台账中没有同名项目");
    assert_eq!(dry["problems"], json!([]));
    assert_eq!(event_count(&app).await, before);
    assert_eq!(app.count(entity::filing::Entity).await, 0);

    // Applied, with the ambiguous row matched by hand to the first twin.
    let hand = format!("5={}", twin1.project_code);
    let applied = ok_list(&app, officer, &list, false, &[&hand]).await;
    assert_eq!(applied["dry_run"], false);
    assert_eq!(steps(&applied).len(), 9);
    assert_eq!(rows_of(&applied, "unmatched"), [6]);
    for p in [p1, p2, twin1] {
        let f = latest_filing(&app, officer, p.id).await;
        assert_eq!(f.state, "accepted");
        let national = Some("national_system".to_owned());
        assert_eq!(
            history(&app, officer, f.id).await,
            [
                ("submit".into(), on, national.clone()),
                ("accept".into(), on, national.clone()),
            ]
        );
        // The clocks count from the list's dates.
        let due = common::add_working_days(&app, officer, on, 5).await;
        assert_eq!(f.clock().acceptance_due, Some(due));
        assert_eq!(f.clock().clock.as_deref(), Some("decision"));
    }
    let other_twin: api::Project = app
        .get_ok(&format!("/api/v1/projects/{}", twin2.id), officer)
        .await;
    assert!(other_twin.current_filing.is_none());
    // The report sees the acceptances on the list's date, not before.
    assert_eq!(
        accepted_or_decided(&app, officer, on.pred_opt().unwrap()).await,
        0
    );
    assert_eq!(accepted_or_decided(&app, officer, on).await, 3);

    // The same list again changes nothing.
    let events = event_count(&app).await;
    let again = ok_list(&app, officer, &list, false, &[&hand]).await;
    assert_eq!(steps(&again), []);
    assert_eq!(rows_of(&again, "unchanged"), [3, 4, 5]);
    assert_eq!(event_count(&app).await, events);

    // A conflicting date is a problem, and nothing is written.
    let later = workbook(
        "受理公示",
        ACCEPTANCE,
        &[
            accepted(1, &twin2.name, &twin2.project_code, on),
            accepted(2, &p1.name, &p1.project_code, d("2026-03-03")),
        ],
    );
    let (status, body) = post_list(&app, officer, &later, false, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems = &body["error"]["problems"];
    assert_eq!(problems.as_array().unwrap().len(), 1, "{body}");
    assert_eq!(problems[0]["row"], 4);
    assert_eq!(problems[0]["column"], "受理日期");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("2026-03-02")
    );
    assert_eq!(event_count(&app).await, events);
    let still: api::Project = app
        .get_ok(&format!("/api/v1/projects/{}", twin2.id), officer)
        .await;
    assert!(still.current_filing.is_none(), "all or nothing");

    // The decision list enters the remaining steps and the approvals with the list's numbers.
    let decided_on = d("2026-04-01");
    let decisions = workbook(
        "审批决定公告",
        DECISION,
        &[
            decided(
                1,
                &p1.name,
                &p1.project_code,
                "商环审批〔2026〕11号",
                decided_on,
            ),
            decided(2, &p2.name, "", "商环审批〔2026〕12号", decided_on),
        ],
    );
    let dry = ok_list(&app, officer, &decisions, true, &[]).await;
    assert_eq!(dry["kind"], "decision");
    assert_eq!(
        steps(&dry),
        [
            (3, "start_evaluation".into()),
            (3, "finish_evaluation".into()),
            (3, "approve".into()),
            (4, "start_evaluation".into()),
            (4, "finish_evaluation".into()),
            (4, "approve".into()),
        ]
    );
    assert_eq!(dry["steps"][2]["number"], "商环审批〔2026〕11号");
    assert_eq!(event_count(&app).await, events);
    ok_list(&app, officer, &decisions, false, &[]).await;
    let f1 = latest_filing(&app, officer, p1.id).await;
    assert_eq!(f1.state, "approved");
    assert_eq!(f1.decision_no.as_deref(), Some("商环审批〔2026〕11号"));
    let actions: Vec<(String, NaiveDate)> = history(&app, officer, f1.id)
        .await
        .into_iter()
        .map(|(a, on, source)| {
            assert_eq!(source.as_deref(), Some("national_system"));
            (a, on)
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("submit".into(), on),
            ("accept".into(), on),
            ("start_evaluation".into(), decided_on),
            ("finish_evaluation".into(), decided_on),
            ("approve".into(), decided_on),
        ]
    );
    assert_eq!(f1.clock().status, "finished");
    assert_eq!(accepted_or_decided(&app, officer, decided_on).await, 3);
    let again = ok_list(&app, officer, &decisions, false, &[]).await;
    assert_eq!(
        (steps(&again), rows_of(&again, "unchanged")),
        (vec![], vec![3, 4])
    );

    // Another number, and a project not yet accepted: problems, in a dry run too.
    let wrong = workbook(
        "审批决定公告",
        DECISION,
        &[
            decided(
                1,
                &p1.name,
                &p1.project_code,
                "商环审批〔2026〕99号",
                decided_on,
            ),
            decided(
                2,
                &twin2.name,
                &twin2.project_code,
                "商环审批〔2026〕13号",
                decided_on,
            ),
        ],
    );
    let dry = ok_list(&app, officer, &wrong, true, &[]).await;
    let problems = dry["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{dry}");
    assert_eq!(
        (problems[0]["row"].clone(), problems[0]["column"].clone()),
        (json!(3), json!("审批文号"))
    );
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("商环审批〔2026〕11号")
    );
    assert_eq!(problems[1]["row"], 4);
    assert!(
        problems[1]["message"]
            .as_str()
            .unwrap()
            .contains("请先导入其受理公示")
    );
    let (status, _) = post_list(&app, officer, &wrong, false, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Blank and bad cells by row and column; a file that is neither list; owners may not.
    let bad = workbook(
        "受理公示",
        ACCEPTANCE,
        &[
            vec![
                Cell::Int(1),
                t(&p1.name),
                t("x"),
                t("x"),
                t("x"),
                t("报告表"),
                t("三月二日"),
                Cell::Blank,
            ],
            vec![
                Cell::Int(2),
                t(&p2.name),
                t("x"),
                t("x"),
                t("x"),
                t("报告表"),
                Cell::Blank,
                Cell::Blank,
            ],
        ],
    );
    let dry = ok_list(&app, officer, &bad, true, &[]).await;
    let problems: Vec<(u64, String)> = dry["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(problems, [(3, "受理日期".into()), (4, "受理日期".into())]);
    let neither = workbook(
        "名单",
        &["项目名称", "建设单位"],
        &[vec![t(&p1.name), t("x")]],
    );
    let (status, body) = post_list(&app, officer, &neither, true, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["file"]);
    let (status, _) = post_list(&app, &cast.owner.token, &list, true, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post_list(&app, officer, &list, true, &["第五行"]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["match"]);
}

async fn a_national_step_skips_the_notice_gate_a_local_one_does_not(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    // In the pre-decision notice since today: a local decision is refused.
    let f = cast
        .filing_in(&app, Kind::ReportForm, "pre_decision_notice")
        .await;
    let (status, body) = app
        .act(
            officer,
            f.id,
            json!({"action": "approve", "version": f.version}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "notice_period");
    // The same decision taken in the national system is entered.
    let (status, body) = app
        .act(
            officer,
            f.id,
            json!({"action": "approve", "version": f.version, "source": "national_system",
                "effective_on": today(), "number": "商环审批〔2026〕21号"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: api::Filing = decode(&body);
    assert_eq!(
        (view.state.as_str(), view.decision_no.as_deref()),
        ("approved", Some("商环审批〔2026〕21号"))
    );
    let last = app.events(officer, f.id).await.pop().unwrap();
    assert_eq!(last.detail["source"], "national_system");

    // A national submission needs no uploaded materials, but its date.
    let draft = cast.draft(&app, Kind::ReportForm).await;
    let (status, body) = app
        .act(
            officer,
            draft.id,
            json!({"action": "submit", "version": draft.version,
            "on_behalf_of_owner": true, "source": "national_system"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["effective_on"]);
    let (status, body) = app
        .act(
            officer,
            draft.id,
            json!({"action": "submit", "version": draft.version,
            "on_behalf_of_owner": true}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "local: the materials, {body}"
    );
    let (status, body) = app
        .act(
            officer,
            draft.id,
            json!({"action": "submit", "version": draft.version,
            "on_behalf_of_owner": true, "source": "national_system", "effective_on": today()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Owners do not enter national-system steps.
    let own = cast.draft(&app, Kind::ReportForm).await;
    let (status, body) = app
        .act(
            &cast.owner.token,
            own.id,
            json!({"action": "submit", "version": own.version,
            "source": "national_system"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["source"]);
    // Nor does the state machine bend: a national approval of a draft is still refused.
    let (status, _) = app
        .act(
            officer,
            own.id,
            json!({"action": "approve", "version": own.version,
            "source": "national_system", "effective_on": today()}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn lists_on_the_demo_ledger(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = cast.officer.token.clone();
    // The demo ledger's projects not accepted today are the three built before approval with
    // their penalty unsettled: a list naming one is refused for it.
    let open: api::Drilldown = app
        .get_ok(
            &format!(
                "/api/v1/reports/projects?measure=not_accepted&as_of={}&per_page=100",
                today()
            ),
            &officer,
        )
        .await;
    let unsettled = open
        .items
        .iter()
        .find(|p| p.project.built_before_approval && !p.project.penalty_settled)
        .expect("a project whose penalty is unsettled");
    // Two projects the bureau listed in October 2023, filed in the national system.
    let mut fresh = Vec::new();
    for _ in 0..2 {
        let id = app
            .new_project(
                &officer,
                cast.owner.org(),
                Kind::Unclassified,
                json!({"listed_on": "2023-10-09"}),
            )
            .await;
        app.classify(
            &officer,
            id,
            Kind::ReportForm,
            json!({"decided_on": "2023-10-09"}),
        )
        .await;
        let p: api::Project = app
            .get_ok(&format!("/api/v1/projects/{id}"), &officer)
            .await;
        fresh.push(p);
    }
    let on = d("2023-11-06");
    let mut rows: Vec<Vec<Cell>> = fresh
        .iter()
        .enumerate()
        .map(|(i, p)| accepted(i as i64 + 1, &p.name, &p.project_code, on))
        .collect();
    rows.push(accepted(3, &unsettled.project.name, "", on));
    let list = workbook("受理公示", ACCEPTANCE, &rows);
    let dry = ok_list(&app, &officer, &list, true, &[]).await;
    assert_eq!(dry["problems"].as_array().unwrap().len(), 1, "{dry}");
    assert_eq!(dry["problems"][0]["row"], 5);
    assert!(
        dry["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("处罚尚未履行完毕")
    );
    let (status, _) = post_list(&app, &officer, &list, false, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    rows.pop();
    let list = workbook("受理公示", ACCEPTANCE, &rows);
    let day_before = on.pred_opt().unwrap();
    let (before_day, before_on) = (
        accepted_or_decided(&app, &officer, day_before).await,
        accepted_or_decided(&app, &officer, on).await,
    );
    let applied = ok_list(&app, &officer, &list, false, &[]).await;
    assert_eq!(steps(&applied).len(), 6, "{applied}");
    assert_eq!(
        accepted_or_decided(&app, &officer, day_before).await,
        before_day
    );
    assert_eq!(accepted_or_decided(&app, &officer, on).await, before_on + 2);

    // A decision list: the two new ones, and a demo filing approved already with the same
    // number on the same day, which stays as it is.
    let done: api::Drilldown = app
        .get_ok(
            &format!(
                "/api/v1/reports/projects?measure=accepted_or_decided&as_of={}&per_page=100",
                today()
            ),
            &officer,
        )
        .await;
    let approved = done
        .items
        .iter()
        .find(|p| {
            p.filing_as_of
                .as_ref()
                .is_some_and(|f| f.state == "approved")
        })
        .expect("an approved demo filing");
    let approved_filing = app
        .filing(&officer, approved.filing_as_of.as_ref().unwrap().id)
        .await;
    let approved_on = history(&app, &officer, approved_filing.id)
        .await
        .into_iter()
        .rev()
        .find(|s| s.0 == "approve")
        .unwrap()
        .1;
    let decided_on = d("2023-12-01");
    let mut rows: Vec<Vec<Cell>> = fresh
        .iter()
        .enumerate()
        .map(|(i, p)| {
            decided(
                i as i64 + 1,
                &p.name,
                &p.project_code,
                &format!("商环审批〔2023〕{}号", 900 + i),
                decided_on,
            )
        })
        .collect();
    rows.push(decided(
        3,
        &approved.project.name,
        &approved.project.project_code,
        approved_filing.decision_no.as_deref().unwrap(),
        approved_on,
    ));
    let decisions = workbook("审批决定公告", DECISION, &rows);
    let applied = ok_list(&app, &officer, &decisions, false, &[]).await;
    assert_eq!(rows_of(&applied, "unchanged"), [5]);
    for (i, p) in fresh.iter().enumerate() {
        let f = latest_filing(&app, &officer, p.id).await;
        assert_eq!(f.state, "approved");
        assert_eq!(
            f.decision_no,
            Some(format!("商环审批〔2023〕{}号", 900 + i))
        );
        let national = Some("national_system".to_owned());
        assert_eq!(
            history(&app, &officer, f.id).await,
            [
                ("submit".into(), on, national.clone()),
                ("accept".into(), on, national.clone()),
                ("start_evaluation".into(), decided_on, national.clone()),
                ("finish_evaluation".into(), decided_on, national.clone()),
                ("approve".into(), decided_on, national.clone()),
            ]
        );
    }
    let again = ok_list(&app, &officer, &decisions, true, &[]).await;
    assert_eq!(rows_of(&again, "unchanged"), [3, 4, 5]);
    assert_eq!(steps(&again), []);
}

on_both_backends!(empty; lists_on_a_built_ledger, a_national_step_skips_the_notice_gate_a_local_one_does_not);
on_both_backends!(demo; lists_on_the_demo_ledger);

async fn the_page_checks_matches_by_hand_and_imports(app: TestApp) {
    let cast = Cast::sign_in(&app).await;
    let officer = cast.officer.token.clone();
    let mut fresh = Vec::new();
    for _ in 0..2 {
        let id = app
            .new_project(&officer, cast.owner.org(), Kind::ReportForm, json!({}))
            .await;
        let p: api::Project = app
            .get_ok(&format!("/api/v1/projects/{id}"), &officer)
            .await;
        fresh.push(p);
    }
    let on = today();
    let list = workbook(
        "受理公示",
        ACCEPTANCE,
        &[
            accepted(1, &fresh[0].name, &fresh[0].project_code, on),
            accepted(2, "全国系统里的另一个名称", "", on),
        ],
    );
    let session = app.web_login("officer1").await;
    let queue = app.page(Method::GET, "/filings", Some(&session)).await;
    assert!(queue.html().contains("href=\"/filings/national-lists\""));
    let blank = app
        .page(Method::GET, "/filings/national-lists", Some(&session))
        .await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.html().contains("检查（试导入）"));
    let owner = app.web_login("owner1").await;
    let refused = app
        .page(Method::GET, "/filings/national-lists", Some(&owner))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The check: the planned steps and the unmatched row with a field to match it.
    let checked = app
        .post_multipart(
            "/filings/national-lists",
            &session,
            &[("mode", "check")],
            &[("file", "受理公示.xlsx", &list)],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.html());
    let html = checked.html();
    assert!(
        html.contains("data-steps") && html.contains(&fresh[0].name),
        "{html}"
    );
    assert!(html.contains("受理") && html.contains(&on.to_string()));
    assert!(html.contains("name=\"match_4\""), "{html}");
    assert!(html.contains("台账中没有同名项目"));
    let kept = common::web::hidden_value(&html, "kept").expect("the file kept");
    let p1: api::Project = app
        .get_ok(&format!("/api/v1/projects/{}", fresh[0].id), &officer)
        .await;
    assert!(p1.current_filing.is_none(), "a check writes nothing");

    // Matched by hand and imported from the kept file, without choosing it again.
    let code = fresh[1].project_code.clone();
    let imported = app
        .post_multipart(
            "/filings/national-lists",
            &session,
            &[("mode", "apply"), ("kept", &kept), ("match_4", &code)],
            &[],
        )
        .await;
    assert_eq!(
        imported.status,
        StatusCode::SEE_OTHER,
        "{}",
        imported.html()
    );
    assert!(
        imported.flash().contains("已导入受理公示：录入4个办理环节"),
        "{}",
        imported.flash()
    );
    for p in &fresh {
        assert_eq!(latest_filing(&app, &officer, p.id).await.state, "accepted");
    }

    // Problems by row and column.
    let bad = workbook(
        "审批决定公告",
        DECISION,
        &[decided(1, &fresh[0].name, &fresh[0].project_code, "", on)],
    );
    let shown = app
        .post_multipart(
            "/filings/national-lists",
            &session,
            &[("mode", "apply")],
            &[("file", "公告.xlsx", &bad)],
        )
        .await;
    assert_eq!(shown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = shown.html();
    assert!(
        html.contains("data-problems") && html.contains("审批文号不能为空"),
        "{html}"
    );
}

on_both_backends!(demo; the_page_checks_matches_by_hand_and_imports);
