//! Classification over HTTP: the catalogue, dry runs, stored decisions with history, hand-chosen
//! clauses, policy exemptions and re-evaluation after a list changes.
mod common;

use axum::http::{Method, StatusCode};
use common::build::Kind;
use common::{TestApp, api, decode, error, error_fields};
use serde_json::{Value, json};

const NATIONAL_LIST: &str = "环综合〔2020〕13号";

async fn classify(app: &TestApp, officer: &str, body: Value) -> (StatusCode, Value) {
    app.request(Method::POST, "/api/v1/classify", Some(officer), Some(body))
        .await
}

/// A dry run that must succeed.
async fn classified(app: &TestApp, officer: &str, body: Value) -> api::Classified {
    let (status, answer) = classify(app, officer, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}: {answer}");
    decode(&answer)
}

fn tier_rank(tier: &str) -> u8 {
    match tier {
        "exempt" => 0,
        "registration_form" => 1,
        "report_form" => 2,
        "report" => 3,
        other => panic!("unknown tier {other}"),
    }
}

/// An unclassified project of a new organisation, entered by `officer`.
async fn new_project(app: &TestApp, officer: &str) -> i64 {
    let org = app.new_organization().await.id;
    app.new_project(officer, org, Kind::Unclassified, json!({}))
        .await
}

async fn summary(app: &TestApp, token: &str) -> api::Figures {
    app.get_ok::<api::Summary>("/api/v1/reports/summary", token)
        .await
        .figures
}

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

async fn the_catalogue_is_browsable(app: TestApp) {
    let token = app.new_owner("owner1").await.token;
    let all: api::CatalogPage = app.get_ok("/api/v1/catalog", &token).await;
    assert_eq!(all.total, 173);
    assert_eq!(all.items.len(), 173);
    assert_eq!(
        all.title,
        "《建设项目环境影响评价分类管理名录（2021年版）》"
    );
    let roads: api::CatalogPage = app
        .get_ok("/api/v1/catalog?q=%E5%85%AC%E8%B7%AF", &token) // 公路
        .await;
    assert!(roads.items.iter().any(|r| r.row == 130));
    assert!(roads.items.iter().all(|r| r.category.contains("公路")
        || r.report.contains("公路")
        || r.report_form.contains("公路")
        || r.registration_form.contains("公路")
        || r.section_name.contains("公路")));
    let structured: api::CatalogPage = app.get_ok("/api/v1/catalog?structured=true", &token).await;
    assert_eq!(structured.total, 52, "the rows README lists");
    assert!(structured.items.iter().all(|r| r.structured));
    let row: api::CatalogRow = app.get_ok("/api/v1/catalog/130", &token).await;
    assert_eq!(
        row.category,
        "等级公路（不含维护；不含生命救援、应急保通工程以及国防交通保障项目；不含改扩建四级公路）"
    );
    assert!(row.structured);
    let schema = row.schema.expect("the facts the row takes");
    let facts: Vec<&str> = schema["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    for key in ["construction", "road_grade", "length_km", "sensitive_areas"] {
        assert!(facts.contains(&key), "{key} in {facts:?}");
    }
    for missing in [
        "/api/v1/catalog/0",
        "/api/v1/catalog/174",
        "/api/v1/catalog/abc",
    ] {
        let (status, body) = app.get(missing, &token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(error(&body).message, "名录中没有这一项（应为1–173）");
    }
}

// ---------------------------------------------------------------------------------------------
// Dry runs
// ---------------------------------------------------------------------------------------------

async fn a_dry_run_follows_the_catalogue_words(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    // classification.md's own example: 新建涉及环境敏感区的二级及以上等级公路 → 报告书.
    let c = classified(
        &app,
        &officer,
        json!({"rows": [130], "facts": {"construction": "new",
        "road_grade": "class2", "length_km": 25, "sensitive_areas": ["nature_reserve"]}}),
    )
    .await;
    assert_eq!(c.tier, "report");
    assert!(c.required);
    assert_eq!(c.rows.len(), 1);
    assert_eq!(c.rows[0].row, 130);
    assert_eq!(c.rows[0].clause, "新建涉及环境敏感区的二级及以上等级公路");
    assert_eq!(
        c.basis,
        "《建设项目环境影响评价分类管理名录（2021年版）》第130项“等级公路（不含维护；不含生命救援、应急保通工程以及国防交通保障项目；不含改扩建四级公路）”：报告书类别“新建涉及环境敏感区的二级及以上等级公路”。"
    );

    // 新建30公里（不含）以上: exactly 30 km outside sensitive areas is not 报告书.
    let c = classified(
        &app,
        &officer,
        json!({"rows": [130], "facts": {"construction": "new",
        "road_grade": "class2", "length_km": 30, "sensitive_areas": []}}),
    )
    .await;
    assert_eq!(c.tier, "report_form");

    // No row at all: Art. 5.
    let c = classified(&app, &officer, json!({"rows": [], "facts": {}})).await;
    assert_eq!(c.tier, "exempt");
    assert!(!c.required);
    assert!(c.rows.is_empty());
    assert_eq!(
        c.basis,
        "《建设项目环境影响评价分类管理名录（2021年版）》第五条：本名录未作规定的建设项目，不纳入建设项目环境影响评价管理。"
    );

    // Maintenance is excluded by the row's own words.
    let c = classified(
        &app,
        &officer,
        json!({"rows": [130], "facts": {"construction": "maintenance", "road_grade": "class2"}}),
    )
    .await;
    assert_eq!(c.tier, "exempt");

    // Several rows: the strictest wins (Art. 4).
    let c = classified(
        &app,
        &officer,
        json!({"rows": [130, 161], "facts": {"construction": "new",
        "road_grade": "class3", "length_km": 12, "sensitive_areas": [], "voltage_kv": 110}}),
    )
    .await;
    assert_eq!(c.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [130, 161]);
    let strictest = c.rows.iter().map(|r| tier_rank(&r.tier)).max().unwrap();
    assert_eq!(tier_rank(&c.tier), strictest);
    // A dry run stores nothing.
    assert_eq!(app.count(entity::classification::Entity).await, 0);
}

async fn bad_facts_are_named(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let cases = [
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "sensitive_areas": []}}),
            "facts.length_km",
        ),
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class9", "length_km": 1, "sensitive_areas": []}}),
            "facts.road_grade",
        ),
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": -1, "sensitive_areas": []}}),
            "facts.length_km",
        ),
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": "long", "sensitive_areas": []}}),
            "facts.length_km",
        ),
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": 1, "sensitive_areas": ["moon"]}}),
            "facts.sensitive_areas",
        ),
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": 1, "sensitive_areas": [], "colour": "red"}}),
            "facts.colour",
        ),
        (json!({"rows": [174], "facts": {}}), "rows[0]"),
    ];
    for (body, field) in cases {
        let (status, response) = classify(&app, &officer, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {response}"
        );
        let fields = error_fields(&response);
        assert_eq!(fields.len(), 1, "{body}: {fields:?}");
        assert!(
            fields[0].starts_with(field),
            "{body}: expected {field} in {fields:?}"
        );
    }
}

async fn leaders_and_owners_may_not_classify(app: TestApp) {
    let leader = app.new_user("leader", "leader", None).await;
    let owner = app.new_owner("owner1").await;
    for user in [leader, owner] {
        let (status, body) = classify(&app, &user.token, json!({"rows": []})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", user.username);
        assert_eq!(error(&body).code, "forbidden");
    }
}

// ---------------------------------------------------------------------------------------------
// Stored decisions
// ---------------------------------------------------------------------------------------------

async fn decisions_are_stored_with_their_history(app: TestApp) {
    let officer = app.new_user("officer2", "officer", None).await;
    let id = new_project(&app, &officer.token).await;
    let path = format!("/api/v1/projects/{id}/classification");
    let (status, body) = app.get(&path, &officer.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unclassified yet");
    assert_eq!(error(&body).code, "not_found");
    let before = summary(&app, &officer.token).await;
    assert_eq!((before.unclassified, before.required), (1, 0));

    let first: api::Classification = app
        .expect(
            StatusCode::OK,
            Method::PUT,
            &path,
            Some(&officer.token),
            Some(json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class3", "length_km": 8, "sensitive_areas": []}, "decided_on": "2023-05-10"})),
        )
        .await;
    assert_eq!(first.tier, "registration_form");
    let by = first.decided_by.as_ref().expect("who decided");
    assert_eq!((by.id, by.username.as_str()), (officer.id, "officer2"));
    assert_eq!(first.decided_on, common::d("2023-05-10"));
    assert!(!first.manual);
    assert!(first.current);
    assert_eq!(first.catalog_rows, [130]);

    // New facts: the road crosses a nature reserve.
    let second: api::Classification = app
        .expect(
            StatusCode::OK,
            Method::PUT,
            &path,
            Some(&officer.token),
            Some(json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class3", "length_km": 8, "sensitive_areas": ["nature_reserve"]}})),
        )
        .await;
    assert_eq!(second.tier, "report_form");
    assert_eq!(
        second.decided_on,
        common::today(),
        "decided today by default"
    );

    let history: Vec<api::Classification> =
        app.get_ok(&format!("{path}/history"), &officer.token).await;
    assert_eq!(
        history
            .iter()
            .map(|c| (c.id, c.current))
            .collect::<Vec<_>>(),
        [(second.id, true), (first.id, false)],
        "newest first, only it in force"
    );
    assert_eq!(history[1].tier, "registration_form");
    assert_eq!(history[1].facts["sensitive_areas"], json!([]));
    let current: api::Classification = app.get_ok(&path, &officer.token).await;
    assert_eq!(current.id, second.id);

    let project: api::Project = app
        .get_ok(&format!("/api/v1/projects/{id}"), &officer.token)
        .await;
    assert_eq!(project.tier.as_deref(), Some("report_form"));
    assert_eq!(
        project.classification.expect("in force").tier,
        "report_form"
    );
    let after = summary(&app, &officer.token).await;
    assert_eq!((after.unclassified, after.required), (0, 1));
}

async fn refused_decisions_store_nothing(app: TestApp) {
    let officer = app.new_user("officer2", "officer", None).await.token;
    let leader = app.new_user("leader", "leader", None).await.token;
    let id = new_project(&app, &officer).await;
    let path = format!("/api/v1/projects/{id}/classification");
    // Invalid facts.
    let (status, body) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [130], "facts": {"construction": "new"}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        error_fields(&body).iter().all(|f| f.starts_with("facts.")),
        "{body}"
    );
    // A future decision date.
    let (status, body) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [], "decided_on": "2999-01-01"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["decided_on"]);
    // Leaders may not decide.
    let (status, body) = app
        .request(Method::PUT, &path, Some(&leader), Some(json!({"rows": []})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let history: Vec<Value> = app.get_ok(&format!("{path}/history"), &officer).await;
    assert!(history.is_empty(), "{history:?}");
    let project: api::Project = app
        .get_ok(&format!("/api/v1/projects/{id}"), &officer)
        .await;
    assert_eq!(project.tier, None);
}

async fn rows_without_rules_take_the_officers_clause(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let row44: api::CatalogRow = app.get_ok("/api/v1/catalog/44", &officer).await;
    assert!(!row44.structured, "row 44 has no structured rule");
    let id = new_project(&app, &officer).await;
    let path = format!("/api/v1/projects/{id}/classification");
    let (status, body) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [44], "facts": {}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    error(&body);
    let decision: api::Classification = app
        .expect(
            StatusCode::OK,
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [44], "clause": "report_form"})),
        )
        .await;
    assert_eq!(decision.tier, "report_form");
    assert!(decision.manual);
    assert!(decision.rows[0].manual);
    // A clause the row marks "/" is refused.
    let (status, body) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [44], "clauses": {"44": "registration_form"}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    error(&body);
    let history: Vec<Value> = app.get_ok(&format!("{path}/history"), &officer).await;
    assert_eq!(history.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Policy exemptions
// ---------------------------------------------------------------------------------------------

fn urban_road() -> Value {
    json!({"rows": [131], "facts": {"construction": "new", "structure": "road", "urban_road_class": "secondary"}})
}

async fn the_national_list_frees_listed_registration_forms(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let list = app
        .get_ok::<api::Page<api::PolicyExemption>>("/api/v1/policy-exemptions", &officer)
        .await
        .items;
    let national = list
        .iter()
        .find(|d| d.document_no == NATIONAL_LIST)
        .expect("the national list is shipped");
    assert!(national.active);
    assert!(
        national
            .note
            .as_deref()
            .unwrap_or_default()
            .contains("待核对"),
        "clearly marked"
    );

    let plain = classified(&app, &officer, urban_road()).await;
    assert_eq!(plain.tier, "registration_form");
    assert_eq!(plain.policy_exemption, None);
    let mut with_policy = urban_road();
    with_policy["policy_exemption"] = json!(NATIONAL_LIST);
    let exempt = classified(&app, &officer, with_policy).await;
    assert_eq!(exempt.tier, "exempt");
    assert!(!exempt.required);
    assert_eq!(exempt.policy_exemption.as_deref(), Some(NATIONAL_LIST));
    assert_eq!(
        exempt.basis,
        "依据环综合〔2020〕13号（生态环境部关于统筹做好疫情防控和经济社会发展生态环保工作的指导意见（附：环评审批正面清单））“城市道路（不含新建快速路、主干路，不含城市桥梁、隧道）：豁免环评手续，不再填报环境影响登记表”，豁免环评手续（按名录：《建设项目环境影响评价分类管理名录（2021年版）》第131项“城市道路（不含维护；不含支路、人行天桥、人行地道）”：登记表类别“其他”。）"
    );

    // The list does not cover a report-form highway, nor is an unknown document any use.
    for (body, why) in [
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": 5, "sensitive_areas": []}, "policy_exemption": NATIONAL_LIST}),
            "not covered",
        ),
        (
            json!({"rows": [131], "facts": {"construction": "new", "structure": "road", "urban_road_class": "secondary"}, "policy_exemption": "陕环发〔2099〕1号"}),
            "unknown",
        ),
    ] {
        let (status, response) = classify(&app, &officer, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {response}"
        );
        assert_eq!(error_fields(&response), ["policy_exemption"], "{why}");
    }
}

async fn administrators_add_a_provinces_list(app: TestApp) {
    let officer = app.new_user("officer1", "officer", None).await.token;
    let admin = app.login("admin").await;
    let doc = json!({"document_no": "陕环环评函〔2020〕测试号", "title": "陕西省环评豁免试点清单（测试）", "issuer": "陕西省生态环境厅",
        "issued_on": "2020-06-01", "jurisdiction": "provincial", "covers": "试点豁免",
        "items": [{"code": "豁免-输变电", "rows": [161], "tiers": ["registration_form"], "effect": "exempt", "description": "110千伏以下输变电工程"}]});
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/policy-exemptions",
            Some(&officer),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error(&body).code, "forbidden");
    let created: api::PolicyExemption = app
        .expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/policy-exemptions",
            Some(&admin),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(created.document_no, "陕环环评函〔2020〕测试号");
    assert!(created.active);
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/policy-exemptions",
            Some(&admin),
            Some(doc),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error(&body).code, "duplicate");
    let (status, body) = app
        .request(Method::POST, "/api/v1/policy-exemptions", Some(&admin), Some(json!({"document_no": "x", "title": "t", "issuer": "i",
            "issued_on": "2020-01-01", "jurisdiction": "provincial", "covers": "c", "items": [{"code": "a", "rows": [999], "tiers": [], "effect": "exempt", "description": "d"}]})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["items[0].rows", "items[0].tiers"]);
    let list = app
        .get_ok::<api::Page<api::PolicyExemption>>("/api/v1/policy-exemptions", &officer)
        .await
        .items;
    assert_eq!(list.len(), 2, "the national list and the new one");
}

async fn withdrawing_a_list_reclassifies_after_a_preview(app: TestApp) {
    let admin = app.login("admin").await;
    let officer = app.new_user("officer1", "officer", None).await.token;
    let org = app.new_organization().await.id;
    // Two urban roads exempt by the national list, and a highway it has nothing to do with.
    let mut freed = Vec::new();
    for _ in 0..2 {
        let id = app
            .new_project(&officer, org, Kind::Unclassified, json!({}))
            .await;
        let mut body = urban_road();
        body["policy_exemption"] = json!(NATIONAL_LIST);
        let decision: api::Classification = app
            .expect(
                StatusCode::OK,
                Method::PUT,
                &format!("/api/v1/projects/{id}/classification"),
                Some(&officer),
                Some(body),
            )
            .await;
        assert_eq!(decision.tier, "exempt");
        freed.push(id);
    }
    app.new_project(&officer, org, Kind::ReportForm, json!({}))
        .await;
    let before = summary(&app, &admin).await;
    assert_eq!((before.exempt, before.required), (2, 1));
    let preview: api::Reevaluation = app
        .get_ok("/api/v1/classification/reevaluation", &admin)
        .await;
    assert!(preview.changes.is_empty(), "{preview:?}");
    assert!(preview.failed.is_empty());

    let list = app
        .get_ok::<api::Page<api::PolicyExemption>>("/api/v1/policy-exemptions", &admin)
        .await
        .items;
    let national = list
        .iter()
        .find(|d| d.document_no == NATIONAL_LIST)
        .unwrap();
    let withdrawn: api::PolicyExemption = app
        .expect(
            StatusCode::OK,
            Method::PATCH,
            &format!("/api/v1/policy-exemptions/{}", national.id),
            Some(&admin),
            Some(json!({"version": national.version, "active": false})),
        )
        .await;
    assert!(!withdrawn.active);

    let preview: api::Reevaluation = app
        .get_ok("/api/v1/classification/reevaluation", &admin)
        .await;
    let mut changed: Vec<i64> = preview.changes.iter().map(|c| c.project_id).collect();
    changed.sort();
    assert_eq!(changed, freed);
    assert!(
        preview
            .changes
            .iter()
            .all(|c| c.from_tier == "exempt" && c.to_tier == "registration_form"),
        "{preview:?}"
    );
    assert_eq!(preview.unchanged, 1);
    // Nothing is stored by a preview.
    assert_eq!(summary(&app, &admin).await, before);

    // Confirming other projects than the preview's is refused.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/classification/reevaluation",
            Some(&admin),
            Some(json!({"project_ids": &changed[1..]})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error(&body).code, "stale_preview");
    assert_eq!(error_fields(&body), ["project_ids"]);
    assert_eq!(summary(&app, &admin).await, before);
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/classification/reevaluation",
            Some(&admin),
            Some(json!({"project_ids": changed})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = summary(&app, &admin).await;
    assert_eq!((after.exempt, after.required), (0, 3));
    let history: Vec<api::Classification> = app
        .get_ok(
            &format!("/api/v1/projects/{}/classification/history", freed[0]),
            &admin,
        )
        .await;
    assert_eq!(
        history.iter().map(|c| c.tier.as_str()).collect::<Vec<_>>(),
        ["registration_form", "exempt"]
    );
    let preview: api::Reevaluation = app
        .get_ok("/api/v1/classification/reevaluation", &admin)
        .await;
    assert!(preview.changes.is_empty(), "{preview:?}");
}

// ---------------------------------------------------------------------------------------------
// The demo ledger
// ---------------------------------------------------------------------------------------------

async fn the_demo_ledger_is_classified_by_the_rules(app: TestApp) {
    use sea_orm::EntityTrait;
    let decisions = entity::classification::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(decisions.len(), 239);
    assert!(
        decisions
            .iter()
            .all(|d| !d.basis.is_empty() && !d.row_outcomes.is_empty() || d.catalog_rows.is_empty())
    );
    let exempt = decisions
        .iter()
        .filter(|d| d.tier == eiaflow::domain::ledger::Tier::Exempt)
        .count();
    assert_eq!(exempt, 81);
    let by_policy = decisions
        .iter()
        .filter(|d| d.policy_exemption.is_some())
        .count();
    let no_row = decisions
        .iter()
        .filter(|d| d.catalog_rows.is_empty())
        .count();
    assert!(
        by_policy > 0 && no_row > 0,
        "exempt through several kinds of basis"
    );
    // Re-evaluated under today's rules and lists, every decision stands.
    let admin = app.login("admin").await;
    let preview: api::Reevaluation = app
        .get_ok("/api/v1/classification/reevaluation", &admin)
        .await;
    assert!(
        preview.changes.is_empty(),
        "the demo ledger agrees with the rules: {preview:?}"
    );
    assert!(preview.failed.is_empty(), "{preview:?}");
}

on_both_backends!(empty;
    the_catalogue_is_browsable,
    a_dry_run_follows_the_catalogue_words,
    bad_facts_are_named,
    leaders_and_owners_may_not_classify,
    decisions_are_stored_with_their_history,
    refused_decisions_store_nothing,
    rows_without_rules_take_the_officers_clause,
    the_national_list_frees_listed_registration_forms,
    administrators_add_a_provinces_list,
    withdrawing_a_list_reclassifies_after_a_preview,
);
on_both_backends!(demo; the_demo_ledger_is_classified_by_the_rules);
