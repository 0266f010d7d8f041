//! Classification over HTTP: the catalogue, dry runs, stored decisions with history, hand-chosen
//! clauses, policy exemptions and re-evaluation after a list changes.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, error_fields, error_of};
use serde_json::{Value, json};

async fn the_catalogue_is_browsable(app: TestApp) {
    let token = app.login("owner1").await;
    let (status, all) = app.get("/api/v1/catalog", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["total"], 173);
    assert!(all["title"].as_str().unwrap().contains("2021年版"));
    let (_, roads) = app
        .get("/api/v1/catalog?q=%E5%85%AC%E8%B7%AF", &token)
        .await; // 公路
    assert!(
        roads["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["row"] == 130)
    );
    let (_, structured) = app.get("/api/v1/catalog?structured=true", &token).await;
    assert!(
        structured["total"].as_u64().unwrap() >= 44,
        "{}",
        structured["total"]
    );
    let (status, row) = app.get("/api/v1/catalog/130", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        row["category"],
        "等级公路（不含维护；不含生命救援、应急保通工程以及国防交通保障项目；不含改扩建四级公路）"
    );
    assert_eq!(row["structured"], true);
    let facts: Vec<&str> = row["schema"]["facts"]
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
        error_of(&body);
    }
}

async fn dry_run_follows_the_catalogue_words(app: TestApp) {
    let officer = app.login("officer1").await;
    let classify = |body: Value| {
        let app = &app;
        let officer = officer.clone();
        async move {
            app.request(Method::POST, "/api/v1/classify", Some(&officer), Some(body))
                .await
        }
    };
    // classification.md's own example: 新建涉及环境敏感区的二级及以上等级公路 → 报告书.
    let (status, body) = classify(json!({"rows": [130], "facts": {"construction": "new",
        "road_grade": "class2", "length_km": 25, "sensitive_areas": ["nature_reserve"]}}))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["tier"], "report");
    assert_eq!(body["required"], true);
    assert_eq!(body["rows"][0]["row"], 130);
    assert_eq!(
        body["rows"][0]["clause"],
        "新建涉及环境敏感区的二级及以上等级公路"
    );
    assert!(body["basis"].as_str().unwrap().contains("第130项"));

    // 新建30公里（不含）以上: exactly 30 km outside sensitive areas is not 报告书.
    let (_, body) = classify(json!({"rows": [130], "facts": {"construction": "new",
        "road_grade": "class2", "length_km": 30, "sensitive_areas": []}}))
    .await;
    assert_eq!(body["tier"], "report_form");

    // No row at all: Art. 5.
    let (_, body) = classify(json!({"rows": [], "facts": {}})).await;
    assert_eq!(body["tier"], "exempt");
    assert_eq!(body["required"], false);
    assert!(
        body["basis"].as_str().unwrap().contains("未作规定"),
        "{body}"
    );

    // Maintenance is excluded by the row's own words.
    let (_, body) = classify(
        json!({"rows": [130], "facts": {"construction": "maintenance", "road_grade": "class2"}}),
    )
    .await;
    assert_eq!(body["tier"], "exempt", "{body}");

    // Several rows: the strictest wins (Art. 4).
    let (_, body) = classify(json!({"rows": [130, 161], "facts": {"construction": "new",
        "road_grade": "class3", "length_km": 12, "sensitive_areas": [], "voltage_kv": 110}}))
    .await;
    assert_eq!(body["rows"].as_array().unwrap().len(), 2, "{body}");
    let strictest = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| tier_rank(&r["tier"]))
        .max()
        .unwrap();
    assert_eq!(tier_rank(&body["tier"]), strictest);

    // Bad facts: 422 naming each.
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
        let (status, response) = classify(body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {response}"
        );
        let fields = error_fields(&response);
        assert!(
            fields.iter().any(|f| f.starts_with(field)),
            "{body}: expected {field} in {fields:?}"
        );
    }

    // Leaders and owners may not classify.
    for user in ["leader", "owner1"] {
        let token = app.login(user).await;
        let (status, _) = app
            .request(
                Method::POST,
                "/api/v1/classify",
                Some(&token),
                Some(json!({"rows": []})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}");
    }
}

fn tier_rank(tier: &Value) -> u8 {
    match tier.as_str().unwrap() {
        "exempt" => 0,
        "registration_form" => 1,
        "report_form" => 2,
        "report" => 3,
        other => panic!("unknown tier {other}"),
    }
}

async fn new_project(app: &TestApp, officer: &str, code: &str) -> i64 {
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/projects",
            Some(officer),
            Some(json!({"name": format!("测试项目{code}"), "project_code": code, "organization_id": 1,
                        "county": "611024", "industry": "transport", "total_investment_wan": "50000.00"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn decisions_are_stored_with_their_history(app: TestApp) {
    let officer = app.login("officer2").await;
    let id = new_project(&app, &officer, "2306-611024-04-01-700001").await;
    let (status, _) = app
        .get(&format!("/api/v1/projects/{id}/classification"), &officer)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unclassified yet");
    let (_, before) = app.get("/api/v1/reports/summary", &officer).await;
    assert_eq!(before["unclassified"], 1);

    let path = format!("/api/v1/projects/{id}/classification");
    let (status, first) = app
        .request(Method::PUT, &path, Some(&officer), Some(json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class3", "length_km": 8, "sensitive_areas": []}, "decided_on": "2023-05-10"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["tier"], "registration_form");
    assert_eq!(first["decided_by"]["username"], "officer2");
    assert_eq!(first["decided_on"], "2023-05-10");
    assert_eq!(first["manual"], false);

    // New facts: the road crosses a nature reserve.
    let (status, second) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [130], "facts": {"construction": "new",
            "road_grade": "class3", "length_km": 8, "sensitive_areas": ["nature_reserve"]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["tier"], "report_form");

    let (_, history) = app.get(&format!("{path}/history"), &officer).await;
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["id"], second["id"]);
    assert_eq!(history[0]["current"], true);
    assert_eq!(history[1]["current"], false);
    assert_eq!(history[1]["tier"], "registration_form");
    assert_eq!(history[1]["facts"]["sensitive_areas"], json!([]));

    let (_, project) = app.get(&format!("/api/v1/projects/{id}"), &officer).await;
    assert_eq!(project["tier"], "report_form");
    assert_eq!(project["classification"]["tier"], "report_form");
    let (_, after) = app.get("/api/v1/reports/summary", &officer).await;
    assert_eq!(after["unclassified"], 0);
    assert_eq!(after["required"], before["required"].as_u64().unwrap() + 1);

    // Invalid facts store nothing.
    let (status, _) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [130], "facts": {"construction": "new"}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, history) = app.get(&format!("{path}/history"), &officer).await;
    assert_eq!(history.as_array().unwrap().len(), 2);

    // A future decision date is refused; leaders may not decide.
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
    let leader = app.login("leader").await;
    let (status, _) = app
        .request(Method::PUT, &path, Some(&leader), Some(json!({"rows": []})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn rows_without_rules_take_the_officers_clause(app: TestApp) {
    let officer = app.login("officer1").await;
    let (_, row44) = app.get("/api/v1/catalog/44", &officer).await;
    assert_eq!(row44["structured"], false, "row 44 has no structured rule");
    let id = new_project(&app, &officer, "2306-611024-04-01-700002").await;
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
    let (status, body) = app
        .request(
            Method::PUT,
            &path,
            Some(&officer),
            Some(json!({"rows": [44], "clause": "report_form"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["tier"], "report_form");
    assert_eq!(body["manual"], true);
    assert_eq!(body["rows"][0]["manual"], true);
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
}

async fn policy_exemptions_free_listed_registration_forms(app: TestApp) {
    let officer = app.login("officer1").await;
    let (_, list) = app.get("/api/v1/policy-exemptions", &officer).await;
    let national = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document_no"] == "环综合〔2020〕13号")
        .expect("the national list is shipped")
        .clone();
    assert!(
        national["note"].as_str().unwrap().contains("待核对"),
        "clearly marked"
    );

    let road = json!({"rows": [131], "facts": {"construction": "new", "structure": "road", "urban_road_class": "secondary"}});
    let (_, plain) = app
        .request(
            Method::POST,
            "/api/v1/classify",
            Some(&officer),
            Some(road.clone()),
        )
        .await;
    assert_eq!(plain["tier"], "registration_form", "{plain}");
    let mut with_policy = road.clone();
    with_policy["policy_exemption"] = json!("环综合〔2020〕13号");
    let (status, exempt) = app
        .request(
            Method::POST,
            "/api/v1/classify",
            Some(&officer),
            Some(with_policy),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{exempt}");
    assert_eq!(exempt["tier"], "exempt");
    assert!(
        exempt["basis"]
            .as_str()
            .unwrap()
            .contains("环综合〔2020〕13号")
    );

    // The list does not cover a report-form highway, nor an unknown document.
    for (body, why) in [
        (
            json!({"rows": [130], "facts": {"construction": "new", "road_grade": "class2", "length_km": 5, "sensitive_areas": []}, "policy_exemption": "环综合〔2020〕13号"}),
            "not covered",
        ),
        (
            json!({"rows": [131], "facts": {"construction": "new", "structure": "road", "urban_road_class": "secondary"}, "policy_exemption": "陕环发〔2099〕1号"}),
            "unknown",
        ),
    ] {
        let (status, response) = app
            .request(Method::POST, "/api/v1/classify", Some(&officer), Some(body))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {response}"
        );
        assert_eq!(error_fields(&response), ["policy_exemption"], "{why}");
    }

    // A province adds its list; only administrators may.
    let doc = json!({"document_no": "陕环环评函〔2020〕测试号", "title": "陕西省环评豁免试点清单（测试）", "issuer": "陕西省生态环境厅",
        "issued_on": "2020-06-01", "jurisdiction": "provincial", "covers": "试点豁免",
        "items": [{"code": "豁免-输变电", "rows": [161], "tiers": ["registration_form"], "effect": "exempt", "description": "110千伏以下输变电工程"}]});
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/policy-exemptions",
            Some(&officer),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let (status, created) = app
        .request(
            Method::POST,
            "/api/v1/policy-exemptions",
            Some(&admin),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/policy-exemptions",
            Some(&admin),
            Some(doc),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = app
        .request(Method::POST, "/api/v1/policy-exemptions", Some(&admin), Some(json!({"document_no": "x", "title": "t", "issuer": "i",
            "issued_on": "2020-01-01", "jurisdiction": "provincial", "covers": "c", "items": [{"code": "a", "rows": [999], "tiers": [], "effect": "exempt", "description": "d"}]})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["items[0].rows", "items[0].tiers"]);
}

async fn withdrawing_a_list_reclassifies_after_a_preview(app: TestApp) {
    let admin = app.login("admin").await;
    let (_, before) = app.get("/api/v1/reports/summary", &admin).await;
    let (_, preview) = app.get("/api/v1/classification/reevaluation", &admin).await;
    assert_eq!(
        preview["changes"],
        json!([]),
        "the demo ledger agrees with the rules"
    );
    assert_eq!(preview["failed"], json!([]));

    let (_, list) = app.get("/api/v1/policy-exemptions", &admin).await;
    let national = list[0].clone();
    let (status, _) = app
        .request(
            Method::PATCH,
            &format!("/api/v1/policy-exemptions/{}", national["id"]),
            Some(&admin),
            Some(json!({"version": national["version"], "active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (_, preview) = app.get("/api/v1/classification/reevaluation", &admin).await;
    let changes = preview["changes"].as_array().unwrap();
    assert!(!changes.is_empty(), "{preview}");
    assert!(
        changes
            .iter()
            .all(|c| c["from_tier"] == "exempt" && c["to_tier"] == "registration_form")
    );
    // Nothing is stored by a preview.
    let (_, same) = app.get("/api/v1/reports/summary", &admin).await;
    assert_eq!(same["exempt"], before["exempt"]);

    let ids: Vec<i64> = changes
        .iter()
        .map(|c| c["project_id"].as_i64().unwrap())
        .collect();
    let (status, body) = app
        .request(
            Method::POST,
            "/api/v1/classification/reevaluation",
            Some(&admin),
            Some(json!({"project_ids": &ids[1..]})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = app
        .request(
            Method::POST,
            "/api/v1/classification/reevaluation",
            Some(&admin),
            Some(json!({"project_ids": ids})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = app.get("/api/v1/reports/summary", &admin).await;
    let moved = changes.len() as u64;
    assert_eq!(
        after["exempt"].as_u64().unwrap(),
        before["exempt"].as_u64().unwrap() - moved
    );
    assert_eq!(
        after["required"].as_u64().unwrap(),
        before["required"].as_u64().unwrap() + moved
    );
    let (_, history) = app
        .get(
            &format!(
                "/api/v1/projects/{}/classification/history",
                changes[0]["project_id"]
            ),
            &admin,
        )
        .await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    let (_, preview) = app.get("/api/v1/classification/reevaluation", &admin).await;
    assert_eq!(preview["changes"], json!([]));
}

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
}

on_both_backends!(
    the_catalogue_is_browsable,
    dry_run_follows_the_catalogue_words,
    decisions_are_stored_with_their_history,
    rows_without_rules_take_the_officers_clause,
    policy_exemptions_free_listed_registration_forms,
    withdrawing_a_list_reclassifies_after_a_preview,
    the_demo_ledger_is_classified_by_the_rules,
);
