//! Tests: the catalogue data, the rules' fidelity to the catalogue words, table-driven cases
//! for every structured row (each citing the words it checks), and properties of the engine.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::FactErrorKind as K;
use super::Tier::{Exempt as EX, RegistrationForm as RG, Report as R, ReportForm as RF};
use super::rules::{Cond, registry};
use super::*;

// ---------------------------------------------------------------------------------------
// Case tables
// ---------------------------------------------------------------------------------------

enum Expect {
    /// One row: the overall tier and the row's clause.
    One(Tier, &'static str),
    /// Several rows: the overall tier and each row's tier.
    Many(Tier, Vec<(u16, Tier)>),
    /// The exact set of (field, kind) errors.
    Errors(Vec<(&'static str, K)>),
}

struct Case {
    /// The catalogue (or article, or note) words the case checks.
    cites: &'static str,
    rows: Vec<i64>,
    facts: Value,
    manual: Vec<(u16, Tier)>,
    expect: Expect,
}

impl Case {
    fn manual(mut self, row: u16, tier: Tier) -> Case {
        self.manual.push((row, tier));
        self
    }
}

fn ok(cites: &'static str, row: i64, facts: Value, tier: Tier, clause: &'static str) -> Case {
    Case {
        cites,
        rows: vec![row],
        facts,
        manual: Vec::new(),
        expect: Expect::One(tier, clause),
    }
}

fn many(cites: &'static str, rows: &[i64], facts: Value, tier: Tier, each: &[(u16, Tier)]) -> Case {
    Case {
        cites,
        rows: rows.to_vec(),
        facts,
        manual: Vec::new(),
        expect: Expect::Many(tier, each.to_vec()),
    }
}

fn err(cites: &'static str, rows: &[i64], facts: Value, errors: &[(&'static str, K)]) -> Case {
    Case {
        cites,
        rows: rows.to_vec(),
        facts,
        manual: Vec::new(),
        expect: Expect::Errors(errors.to_vec()),
    }
}

fn input_of(case: &Case) -> ClassifyInput {
    let facts = match &case.facts {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    ClassifyInput {
        rows: case.rows.clone(),
        facts,
        manual_clauses: case.manual.iter().copied().collect(),
    }
}

/// Whether `cites` is catalogue text: a row named by the case, an article or a note.
fn cited_in_catalogue(case: &Case) -> bool {
    let catalog = Catalog::embedded();
    let in_rows = case.rows.iter().any(|&r| {
        u16::try_from(r)
            .ok()
            .and_then(|r| catalog.row(r))
            .is_some_and(|row| row.all_text().iter().any(|t| t.contains(case.cites)))
    });
    in_rows
        || catalog.articles.iter().any(|a| a.text.contains(case.cites))
        || catalog.notes.iter().any(|n| n.contains(case.cites))
}

fn run(cases: Vec<Case>) {
    let catalog = Catalog::embedded();
    let mut failures = Vec::new();
    for case in &cases {
        let label = format!(
            "rows {:?} facts {} (cites “{}”)",
            case.rows, case.facts, case.cites
        );
        if case.cites.is_empty() || !cited_in_catalogue(case) {
            failures.push(format!("{label}: the citation is not catalogue text"));
        }
        let result = classify(&input_of(case), catalog);
        match (&case.expect, result) {
            (Expect::One(tier, clause), Ok(outcome)) => {
                let row = outcome.rows.first();
                let got = (
                    outcome.tier,
                    row.map(|r| r.clause.as_str()),
                    outcome.rows.len(),
                );
                if got != (*tier, Some(*clause), 1) || row.map(|r| r.tier) != Some(*tier) {
                    failures.push(format!(
                        "{label}: expected {tier} “{clause}”, got {outcome:#?}"
                    ));
                }
                if outcome.required != (*tier != EX) {
                    failures.push(format!("{label}: required flag wrong"));
                }
            }
            (Expect::Many(tier, each), Ok(outcome)) => {
                let got: Vec<(u16, Tier)> = outcome.rows.iter().map(|r| (r.row, r.tier)).collect();
                if outcome.tier != *tier || got != *each {
                    failures.push(format!(
                        "{label}: expected {tier} {each:?}, got {outcome:#?}"
                    ));
                }
            }
            (Expect::Errors(expected), Err(errors)) => {
                let got: BTreeSet<(String, K)> =
                    errors.iter().map(|e| (e.field.clone(), e.kind)).collect();
                let want: BTreeSet<(String, K)> = expected
                    .iter()
                    .map(|(f, k)| ((*f).to_owned(), *k))
                    .collect();
                if got != want {
                    failures.push(format!(
                        "{label}: expected errors {want:?}, got {errors:#?}"
                    ));
                }
            }
            (Expect::Errors(expected), Ok(outcome)) => {
                failures.push(format!(
                    "{label}: expected errors {expected:?}, got {outcome:#?}"
                ));
            }
            (Expect::One(..) | Expect::Many(..), Err(errors)) => {
                failures.push(format!("{label}: unexpected errors {errors:#?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------

#[test]
fn catalogue_has_173_rows_in_55_sections() {
    let catalog = Catalog::embedded();
    assert_eq!(catalog.rows().len(), 173);
    assert_eq!(catalog.sections.len(), 55);
    for n in 1..=173u16 {
        let row = catalog.row(n).unwrap_or_else(|| panic!("row {n} missing"));
        assert_eq!(row.row, n);
        assert!(!row.category.is_empty());
    }
    assert!(catalog.row(0).is_none());
    assert!(catalog.row(174).is_none());
    let listed: usize = catalog.sections.iter().map(|s| s.rows.len()).sum();
    assert_eq!(listed, 173);
    assert_eq!(catalog.article(4).map(|a| a.no), Some(4));
    assert_eq!(catalog.notes.len(), 6);
}

#[test]
fn catalogue_rejects_misnumbered_rows() {
    let json = r#"{"title":"t","issued_by":"i","order":"o","effective":"e","source":"s",
        "articles":[],"notes":[],"sections":[{"no":1,"name":"n","rows":[
        {"row":2,"category":"c","report":"/","report_form":"/","registration_form":"/",
         "sensitive_scope":""}]}]}"#;
    assert!(matches!(
        Catalog::from_json(json),
        Err(CatalogError::Invalid(_))
    ));
    assert!(matches!(
        Catalog::from_json("{"),
        Err(CatalogError::Json(_))
    ));
}

#[test]
fn every_scope_column_parses() {
    let catalog = Catalog::embedded();
    for row in catalog.rows() {
        let areas = row
            .sensitive_areas()
            .unwrap_or_else(|e| panic!("row {}: {e}", row.row));
        assert_eq!(
            areas.is_empty(),
            row.sensitive_scope.is_empty(),
            "row {}",
            row.row
        );
    }
    let g1: Vec<SensitiveArea> = SensitiveArea::in_group(Art3Group::One).collect();
    assert_eq!(parse_sensitive_scope("第三条（一）中的全部区域"), Ok(g1));
    assert!(parse_sensitive_scope("第三条（一）中的火星").is_err());
}

#[test]
fn search_finds_rows_by_words_and_industry_codes() {
    let catalog = Catalog::embedded();
    let first = |q: &str| catalog.search(q).first().map(|r| r.row);
    assert_eq!(first("4411"), Some(87), "4411 火力发电");
    assert!(catalog.search("公路").iter().any(|r| r.row == 130));
    assert_eq!(first("3011"), Some(54), "3011 falls under class 301");
    let agri: Vec<u16> = catalog.search("农业01").iter().map(|r| r.row).collect();
    assert_eq!(agri, vec![1, 2]);
    assert!(
        catalog.search("44").iter().any(|r| r.row == 89),
        "division 44 reaches 4417"
    );
    assert_eq!(first("水库"), Some(124));
    assert_eq!(first("城市 道路"), Some(131));
    assert!(catalog.search("").is_empty());
    assert!(catalog.search("火星基地").is_empty());
    // Quantities are not codes.
    assert!(!catalog.search("5000").iter().any(|r| r.row == 110));
    assert_eq!(
        catalog.row(87).map(|r| r.industry_codes()),
        Some(vec!["4411", "4412", "4411", "4412"])
    );
}

#[test]
fn articles_cited_by_the_engine_are_verbatim() {
    let catalog = Catalog::embedded();
    assert!(
        catalog
            .article(4)
            .is_some_and(|a| a.text.contains(ART4_STRICTEST))
    );
    assert!(
        catalog
            .article(5)
            .is_some_and(|a| a.text.contains(ART5_OUTSIDE))
    );
}

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

#[test]
fn sensitive_area_codes_and_groups() {
    assert_eq!(SensitiveArea::ALL.len(), 23);
    let count = |g| SensitiveArea::in_group(g).count();
    assert_eq!(
        (
            count(Art3Group::One),
            count(Art3Group::Two),
            count(Art3Group::Three)
        ),
        (6, 15, 2)
    );
    for area in SensitiveArea::ALL {
        assert_eq!(SensitiveArea::from_code(area.code()), Some(area));
        assert_eq!(serde_json::to_value(area).ok(), Some(json!(area.code())));
        assert!(!area.name_zh().is_empty());
    }
    assert_eq!(SensitiveArea::CulturalRelic.group().numeral(), "三");
    assert_eq!(SensitiveArea::from_code("moon"), None);
}

#[test]
fn tiers_order_serialize_and_label() {
    assert!(EX < RG && RG < RF && RF < R);
    for (tier, code, label) in [
        (EX, "exempt", "豁免（不纳入环评管理）"),
        (RG, "registration_form", "登记表"),
        (RF, "report_form", "报告表"),
        (R, "report", "报告书"),
    ] {
        assert_eq!(serde_json::to_value(tier).ok(), Some(json!(code)));
        assert_eq!(code.parse::<Tier>(), Ok(tier));
        assert_eq!(tier.label(), label);
        assert_eq!(tier.required(), tier != EX);
    }
    assert!("报告书".parse::<Tier>().is_err());
    for c in Construction::ALL {
        assert_eq!(Construction::from_code(c.code()), Some(c));
    }
}

// ---------------------------------------------------------------------------------------
// Fidelity of the rules to the catalogue
// ---------------------------------------------------------------------------------------

#[test]
fn structured_rows_cover_the_required_rows_and_more() {
    let rows = structured_rows();
    for required in [
        9, 11, 54, 87, 88, 90, 95, 97, 105, 106, 108, 110, 124, 127, 128, 130, 131, 132, 161,
    ] {
        assert!(
            rows.contains(&required),
            "row {required} lacks structured rules"
        );
    }
    assert!(rows.len() >= 19 + 25, "only {} structured rows", rows.len());
}

#[test]
fn rule_words_are_the_catalogue_words() {
    let catalog = Catalog::embedded();
    for rule in registry().values() {
        let row = catalog
            .row(rule.row)
            .unwrap_or_else(|| panic!("row {}", rule.row));
        let mut last = R;
        for clause in &rule.clauses {
            let cell = row.cell(clause.tier);
            assert!(
                cell.is_some(),
                "row {}: clause for a “/” tier {}",
                rule.row,
                clause.tier
            );
            let cell = cell.unwrap_or_default();
            assert!(
                cell.contains(clause.text),
                "row {}: “{}” not in “{cell}”",
                rule.row,
                clause.text
            );
            for except in &clause.except {
                assert!(
                    cell.contains(except.text),
                    "row {}: “{}” not in “{cell}”",
                    rule.row,
                    except.text
                );
            }
            assert!(
                clause.tier <= last,
                "row {}: clauses out of order",
                rule.row
            );
            last = clause.tier;
        }
        for limit in &rule.limits {
            let found = row.all_text().iter().any(|t| t.contains(limit.text))
                || catalog.notes.iter().any(|n| n.contains(limit.text));
            assert!(
                found,
                "row {}: limit “{}” is not catalogue text",
                rule.row, limit.text
            );
        }
        // The hand-encoded scope is exactly what the row's last column says.
        let mut scope: BTreeSet<SensitiveArea> = rule.scope.iter().copied().collect();
        if let Some(rider) = &rule.scope_rider {
            assert!(row.sensitive_scope.contains(rider.text), "row {}", rule.row);
            scope.extend(rider.areas.iter().copied());
        }
        let parsed: BTreeSet<SensitiveArea> = row
            .sensitive_areas()
            .unwrap_or_default()
            .into_iter()
            .collect();
        assert_eq!(
            scope, parsed,
            "row {}: scope differs from “{}”",
            rule.row, row.sensitive_scope
        );
        // Every tier the row does not mark "/" is reachable by some clause.
        for tier in [R, RF, RG] {
            if row.cell(tier).is_some() {
                assert!(
                    rule.clauses.iter().any(|c| c.tier == tier),
                    "row {}: no clause for {tier}",
                    rule.row
                );
            }
        }
    }
}

#[test]
fn rule_facts_are_consistent() {
    let mut kinds: BTreeMap<&str, FactKind> = BTreeMap::new();
    for rule in registry().values() {
        let specs: BTreeMap<&str, &FactSpec> = rule.facts.iter().map(|s| (s.key, s)).collect();
        assert_eq!(
            specs.len(),
            rule.facts.len(),
            "row {}: duplicate fact",
            rule.row
        );
        let mut read = BTreeSet::new();
        for cond in rule.conditions() {
            cond.keys(&mut read);
            // Enum values named by a condition are values of the fact.
            cond.any_leaf(&|leaf| {
                if let Cond::Is(key, values) = leaf {
                    let Some(FactKind::Enum(choices)) = specs.get(key).map(|s| s.kind) else {
                        panic!("row {}: {key} is not an enum fact", rule.row);
                    };
                    for v in *values {
                        assert!(
                            choices.iter().any(|c| c.value == *v),
                            "row {}: {key}={v}",
                            rule.row
                        );
                    }
                }
                if let Cond::Flag(key) = leaf {
                    assert_eq!(
                        specs.get(key).map(|s| s.kind),
                        Some(FactKind::Bool),
                        "row {}",
                        rule.row
                    );
                }
                false
            });
        }
        read.remove(CONSTRUCTION_KEY);
        read.remove(SENSITIVE_AREAS_KEY);
        let declared: BTreeSet<&str> = specs.keys().copied().collect();
        assert_eq!(read, declared, "row {}: facts read vs declared", rule.row);
        for spec in &rule.facts {
            assert!(spec.key != CONSTRUCTION_KEY && spec.key != SENSITIVE_AREAS_KEY);
            assert!(
                !(spec.required && spec.kind == FactKind::Bool),
                "row {}: required bool",
                rule.row
            );
            let kind = kinds.entry(spec.key).or_insert(spec.kind);
            assert_eq!(*kind, spec.kind, "fact {} has two kinds", spec.key);
        }
    }
}

#[test]
fn fact_specs_and_row_schema_are_published() {
    let catalog = Catalog::embedded();
    let keys = |row| fact_specs(row).map(|s| s.iter().map(|f| f.key).collect::<Vec<_>>());
    assert_eq!(
        keys(130),
        Some(vec![
            "construction",
            "sensitive_areas",
            "road_grade",
            "length_km",
            "ancillary_only",
            "emergency_or_defense"
        ])
    );
    assert_eq!(keys(9), Some(vec!["activity"]));
    assert_eq!(keys(135), None);
    let schema = row_schema(97, catalog).expect("row 97");
    assert!(schema.structured);
    assert_eq!(
        schema.conditional_scope,
        vec![SensitiveArea::ResidentialArea]
    );
    assert!(
        !schema
            .sensitive_scope
            .contains(&SensitiveArea::ResidentialArea)
    );
    let manual = row_schema(135, catalog).expect("row 135");
    assert!(!manual.structured && manual.facts.is_empty());
    let scoped = row_schema(147, catalog).expect("row 147");
    assert!(
        scoped
            .sensitive_scope
            .contains(&SensitiveArea::ResidentialArea)
    );
    assert!(row_schema(174, catalog).is_none());
    let json = serde_json::to_value(fact_specs(88)).expect("serializes");
    assert_eq!(
        json[0]["kind"],
        json!({"type": "enum_list", "values": json[0]["kind"]["values"]})
    );
    assert_eq!(json[1]["kind"], json!({"type": "number", "unit": "千瓦"}));
    assert_eq!(json[2]["kind"], json!({"type": "bool"}));
}

// ---------------------------------------------------------------------------------------
// Rows, edge by edge
// ---------------------------------------------------------------------------------------

#[test]
fn agriculture_and_husbandry() {
    run(agriculture_and_husbandry_cases());
}

fn agriculture_and_husbandry_cases() -> Vec<Case> {
    vec![
        ok(
            "涉及环境敏感区的",
            1,
            json!({"sensitive_areas": ["nature_reserve"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "水土流失重点预防区和重点治理区",
            1,
            json!({"sensitive_areas": ["soil_erosion_zone"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围，基本草原、重要湿地",
            1,
            json!({"sensitive_areas": ["permanent_basic_farmland"]}),
            RG,
            "其他",
        ),
        ok("其他", 1, json!({"sensitive_areas": []}), RG, "其他"),
        err(
            "涉及环境敏感区的",
            &[1],
            json!({}),
            &[("facts.sensitive_areas", K::Missing)],
        ),
        ok(
            "原料林基地",
            2,
            json!({"raw_material_forest": true}),
            RF,
            "原料林基地",
        ),
        ok("其他", 2, json!({}), RG, "其他"),
        ok(
            "年出栏生猪5000头（其他畜禽种类折合猪的养殖量）及以上的规模化畜禽养殖",
            3,
            json!({"farm_scale": "large_scale", "annual_output_pig_eq_head": 5000, "sensitive_areas": []}),
            R,
            "年出栏生猪5000头（其他畜禽种类折合猪的养殖量）及以上的规模化畜禽养殖",
        ),
        ok(
            "其他（规模化以下的除外）",
            3,
            json!({"farm_scale": "large_scale", "annual_output_pig_eq_head": 4999, "sensitive_areas": []}),
            RG,
            "其他（规模化以下的除外）（具体规模化的标准按《畜禽规模化养殖污染防治条例》执行）",
        ),
        ok(
            "存栏生猪2500头（其他畜禽种类折合猪的养殖规模）及以上无出栏量的规模化畜禽养殖",
            3,
            json!({"farm_scale": "large_scale", "no_output": true, "inventory_pig_eq_head": 2500, "sensitive_areas": []}),
            R,
            "存栏生猪2500头（其他畜禽种类折合猪的养殖规模）及以上无出栏量的规模化畜禽养殖",
        ),
        ok(
            "存栏生猪2500头",
            3,
            json!({"farm_scale": "large_scale", "no_output": true, "inventory_pig_eq_head": 2499, "sensitive_areas": []}),
            RG,
            "其他（规模化以下的除外）（具体规模化的标准按《畜禽规模化养殖污染防治条例》执行）",
        ),
        ok(
            "涉及环境敏感区的规模化畜禽养殖",
            3,
            json!({"farm_scale": "large_scale", "annual_output_pig_eq_head": 100, "sensitive_areas": ["residential_area"]}),
            R,
            "涉及环境敏感区的规模化畜禽养殖",
        ),
        ok(
            "第三条（一）中的全部区域；第三条（三）中的全部区域",
            3,
            json!({"farm_scale": "large_scale", "annual_output_pig_eq_head": 100, "sensitive_areas": ["natural_forest"]}),
            RG,
            "其他（规模化以下的除外）（具体规模化的标准按《畜禽规模化养殖污染防治条例》执行）",
        ),
        ok(
            "规模化以下的除外",
            3,
            json!({"farm_scale": "below_large_scale"}),
            EX,
            "规模化以下的除外",
        ),
        err(
            "规模化畜禽养殖",
            &[3],
            json!({}),
            &[
                ("facts.farm_scale", K::Missing),
                ("facts.annual_output_pig_eq_head", K::Missing),
                ("facts.sensitive_areas", K::Missing),
            ],
        ),
        err(
            "规模化畜禽养殖",
            &[3],
            json!({"sensitive_areas": [], "no_output": true}),
            &[
                ("facts.farm_scale", K::Missing),
                ("facts.inventory_pig_eq_head", K::Missing),
            ],
        ),
        err(
            "年出栏生猪5000头",
            &[3],
            json!({"farm_scale": "large_scale", "sensitive_areas": []}),
            &[("facts.annual_output_pig_eq_head", K::Missing)],
        ),
        err(
            "年出栏生猪5000头",
            &[3],
            json!({"farm_scale": "large_scale", "annual_output_pig_eq_head": 5000.5, "sensitive_areas": []}),
            &[("facts.annual_output_pig_eq_head", K::WrongType)],
        ),
        ok(
            "存栏生猪2500头（其他畜禽种类折合猪的养殖规模）及以上无出栏量的规模化畜禽养殖",
            3,
            json!({"farm_scale": "large_scale", "no_output": true, "inventory_pig_eq_head": 2501, "sensitive_areas": []}),
            R,
            "存栏生猪2500头（其他畜禽种类折合猪的养殖规模）及以上无出栏量的规模化畜禽养殖",
        ),
    ]
}

#[test]
fn mining_and_quarrying() {
    run(mining_and_quarrying_cases());
}

fn mining_and_quarrying_cases() -> Vec<Case> {
    vec![
        ok(
            "全部（含新建或扩建的独立尾矿库；不含单独的矿石破碎、集运；不含矿区修复治理工程）",
            9,
            json!({"activity": "mining"}),
            R,
            "全部（含新建或扩建的独立尾矿库；不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        ok(
            "单独的矿石破碎、集运",
            9,
            json!({"activity": "crushing_transport_only", "sensitive_areas": ["nature_reserve"]}),
            RF,
            "单独的矿石破碎、集运",
        ),
        ok(
            "矿区修复治理工程",
            9,
            json!({"activity": "mine_restoration"}),
            RF,
            "矿区修复治理工程",
        ),
        err(
            "铁矿采选081",
            &[9],
            json!({"activity": "quarry"}),
            &[("facts.activity", K::UnknownValue)],
        ),
        err(
            "铁矿采选081",
            &[9],
            json!({}),
            &[("facts.activity", K::Missing)],
        ),
        ok(
            "常用有色金属矿采选091",
            10,
            json!({"activity": "mining"}),
            R,
            "全部（含新建或扩建的独立尾矿库；不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        ok(
            "单独的矿石破碎、集运",
            10,
            json!({"activity": "crushing_transport_only"}),
            RF,
            "单独的矿石破碎、集运",
        ),
        ok(
            "涉及环境敏感区的（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
            11,
            json!({"activity": "mining", "sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        ok(
            "基本草原",
            11,
            json!({"activity": "mining", "sensitive_areas": ["basic_grassland"]}),
            R,
            "涉及环境敏感区的（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        ok(
            "重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
            11,
            json!({"activity": "mining", "sensitive_areas": ["aquatic_habitat"]}),
            R,
            "涉及环境敏感区的（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        ok(
            "其他",
            11,
            json!({"activity": "mining", "sensitive_areas": ["forest_park"]}),
            RF,
            "其他",
        ),
        ok(
            "其他",
            11,
            json!({"activity": "mining", "sensitive_areas": []}),
            RF,
            "其他",
        ),
        ok(
            "不含单独的矿石破碎、集运",
            11,
            json!({"activity": "crushing_transport_only", "sensitive_areas": ["nature_reserve"]}),
            RF,
            "其他",
        ),
        ok(
            "不含河道采砂项目",
            11,
            json!({"activity": "mining", "river_sand": true}),
            EX,
            "不含河道采砂项目",
        ),
        err(
            "涉及环境敏感区的",
            &[11],
            json!({"activity": "mining"}),
            &[("facts.sensitive_areas", K::Missing)],
        ),
        ok(
            "全部（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
            12,
            json!({"activity": "mining"}),
            R,
            "全部（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        ok(
            "矿区修复治理工程",
            12,
            json!({"activity": "mine_restoration"}),
            RF,
            "矿区修复治理工程",
        ),
        ok(
            "矿区修复治理工程",
            10,
            json!({"activity": "mine_restoration"}),
            RF,
            "矿区修复治理工程",
        ),
        ok(
            "单独的矿石破碎、集运",
            12,
            json!({"activity": "crushing_transport_only"}),
            RF,
            "单独的矿石破碎、集运",
        ),
    ]
}

#[test]
fn food_and_drink() {
    run(food_and_drink_cases());
}

fn food_and_drink_cases() -> Vec<Case> {
    let note4 = "名录中所标“*”号，指在工业建筑中生产的建设项目";
    vec![
        ok(
            "含发酵工艺的",
            15,
            json!({"fermentation": true}),
            RF,
            "含发酵工艺的",
        ),
        ok(
            "年加工1万吨及以上的",
            15,
            json!({"annual_processing_t": 10000}),
            RF,
            "年加工1万吨及以上的",
        ),
        ok(
            "年加工1万吨及以上的",
            15,
            json!({"annual_processing_t": 9999.9}),
            EX,
            "",
        ),
        ok(
            note4,
            15,
            json!({"outside_industrial_building": true, "fermentation": true}),
            EX,
            note4,
        ),
        err(
            "年加工1万吨及以上的",
            &[15],
            json!({}),
            &[("facts.annual_processing_t", K::Missing)],
        ),
        ok(
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 100000}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "其他屠宰",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 99999, "slaughter_cattle_head": 0,
                   "slaughter_sheep_head": 0, "slaughter_poultry_head": 0}),
            RF,
            "其他屠宰",
        ),
        ok(
            "肉牛1万头",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_cattle_head": 10000}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "肉羊15万只",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_sheep_head": 150000}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "肉羊15万只",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 0, "slaughter_cattle_head": 0,
                   "slaughter_sheep_head": 149999, "slaughter_poultry_head": 0}),
            RF,
            "其他屠宰",
        ),
        ok(
            "禽类1000万只",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_poultry_head": 10000000}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        err(
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
            &[18],
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 50000}),
            &[
                ("facts.slaughter_cattle_head", K::Missing),
                ("facts.slaughter_sheep_head", K::Missing),
                ("facts.slaughter_poultry_head", K::Missing),
            ],
        ),
        ok(
            "年加工2万吨及以上的肉类加工",
            18,
            json!({"meat_activity": "meat_processing", "annual_processing_t": 20000}),
            RF,
            "年加工2万吨及以上的肉类加工",
        ),
        ok(
            "其他肉类加工",
            18,
            json!({"meat_activity": "meat_processing", "annual_processing_t": 19999}),
            RG,
            "其他肉类加工",
        ),
        ok(
            "其他屠宰",
            18,
            json!({"meat_activity": "slaughtering_and_processing", "slaughter_pigs_head": 10, "slaughter_cattle_head": 0,
                   "slaughter_sheep_head": 0, "slaughter_poultry_head": 0}),
            RF,
            "其他屠宰",
        ),
        ok(
            "含发酵工艺的淀粉、淀粉糖制造",
            20,
            json!({"food_product": "starch_or_starch_sugar", "fermentation": true}),
            R,
            "含发酵工艺的淀粉、淀粉糖制造",
        ),
        ok(
            "不含发酵工艺的淀粉、淀粉糖制造",
            20,
            json!({"food_product": "starch_or_starch_sugar"}),
            RF,
            "不含发酵工艺的淀粉、淀粉糖制造",
        ),
        ok(
            "以上均不含单纯分装的",
            20,
            json!({"food_product": "starch_or_starch_sugar", "packaging_only": true}),
            EX,
            "以上均不含单纯分装的",
        ),
        ok(
            "淀粉制品制造",
            20,
            json!({"food_product": "starch_products"}),
            RF,
            "淀粉制品制造",
        ),
        ok(
            "豆制品制造",
            20,
            json!({"food_product": "soy_products"}),
            RF,
            "豆制品制造",
        ),
        ok(
            "以上均不含单纯分装的",
            20,
            json!({"food_product": "soy_products", "packaging_only": true}),
            EX,
            "以上均不含单纯分装的",
        ),
        ok(
            "其他农副食品加工139*",
            20,
            json!({"food_product": "other"}),
            EX,
            "",
        ),
        ok(
            "有发酵工艺的（年生产能力1000千升以下的除外）",
            25,
            json!({"fermentation": true, "annual_capacity_kl": 1000}),
            R,
            "有发酵工艺的（年生产能力1000千升以下的除外）",
        ),
        ok(
            "年生产能力1000千升以下的除外",
            25,
            json!({"fermentation": true, "annual_capacity_kl": 999}),
            RF,
            "其他（单纯勾兑的除外）",
        ),
        ok(
            "其他（单纯勾兑的除外）",
            25,
            json!({}),
            RF,
            "其他（单纯勾兑的除外）",
        ),
        ok(
            "单纯勾兑的除外",
            25,
            json!({"blending_only": true}),
            EX,
            "单纯勾兑的除外",
        ),
        err(
            "年生产能力1000千升以下的除外",
            &[25],
            json!({"fermentation": true}),
            &[("facts.annual_capacity_kl", K::Missing)],
        ),
        ok(
            "年加工1万吨及以上的",
            15,
            json!({"annual_processing_t": 10001}),
            RF,
            "年加工1万吨及以上的",
        ),
        ok(
            note4,
            18,
            json!({"outside_industrial_building": true, "meat_activity": "slaughtering"}),
            EX,
            note4,
        ),
        ok(
            "屠宰生猪10万头",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 100001}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "肉牛1万头",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 0, "slaughter_cattle_head": 9999,
                   "slaughter_sheep_head": 0, "slaughter_poultry_head": 0}),
            RF,
            "其他屠宰",
        ),
        ok(
            "肉牛1万头",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_cattle_head": 10001}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "肉羊15万只",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_sheep_head": 150001}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "禽类1000万只",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_pigs_head": 0, "slaughter_cattle_head": 0,
                   "slaughter_sheep_head": 0, "slaughter_poultry_head": 9999999}),
            RF,
            "其他屠宰",
        ),
        ok(
            "禽类1000万只",
            18,
            json!({"meat_activity": "slaughtering", "slaughter_poultry_head": 10000001}),
            R,
            "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
        ),
        ok(
            "年加工2万吨及以上的肉类加工",
            18,
            json!({"meat_activity": "slaughtering_and_processing", "slaughter_pigs_head": 0, "slaughter_cattle_head": 0,
                   "slaughter_sheep_head": 0, "slaughter_poultry_head": 0, "annual_processing_t": 20001}),
            RF,
            "其他屠宰",
        ),
        ok(
            "年加工2万吨及以上的肉类加工",
            18,
            json!({"meat_activity": "meat_processing", "annual_processing_t": 20001}),
            RF,
            "年加工2万吨及以上的肉类加工",
        ),
        ok(
            note4,
            20,
            json!({"outside_industrial_building": true, "food_product": "soy_products"}),
            EX,
            note4,
        ),
        ok(
            "有发酵工艺的（年生产能力1000千升以下的除外）",
            25,
            json!({"fermentation": true, "annual_capacity_kl": 1001}),
            R,
            "有发酵工艺的（年生产能力1000千升以下的除外）",
        ),
        ok(
            note4,
            25,
            json!({"outside_industrial_building": true, "fermentation": true}),
            EX,
            note4,
        ),
        ok(
            note4,
            48,
            json!({"outside_industrial_building": true, "extraction": "refining"}),
            EX,
            note4,
        ),
    ]
}

#[test]
fn pharmaceuticals_and_building_materials() {
    run(pharmaceuticals_and_building_materials_cases());
}

fn pharmaceuticals_and_building_materials_cases() -> Vec<Case> {
    vec![
        ok(
            "全部（含研发中试；不含单纯药品复配、分装；不含化学药品制剂制造的）",
            47,
            json!({"pharma_activity": "manufacturing"}),
            R,
            "全部（含研发中试；不含单纯药品复配、分装；不含化学药品制剂制造的）",
        ),
        ok(
            "单纯药品复配且产生废水或挥发性有机物的",
            47,
            json!({"pharma_activity": "compounding", "wastewater_or_vocs": true}),
            RF,
            "单纯药品复配且产生废水或挥发性有机物的",
        ),
        ok(
            "单纯药品复配且产生废水或挥发性有机物的",
            47,
            json!({"pharma_activity": "compounding"}),
            EX,
            "",
        ),
        ok(
            "仅化学药品制剂制造",
            47,
            json!({"pharma_activity": "formulation_only"}),
            RF,
            "仅化学药品制剂制造",
        ),
        ok(
            "不含单纯药品复配、分装",
            47,
            json!({"pharma_activity": "packaging_only"}),
            EX,
            "",
        ),
        ok(
            "有提炼工艺的（仅醇提、水提的除外）",
            48,
            json!({"extraction": "refining"}),
            R,
            "有提炼工艺的（仅醇提、水提的除外）",
        ),
        ok(
            "仅醇提、水提的除外",
            48,
            json!({"extraction": "alcohol_or_water_only"}),
            RF,
            "其他（单纯切片、制干、打包的除外）",
        ),
        ok(
            "单纯切片、制干、打包的除外",
            48,
            json!({"extraction": "none", "slicing_drying_packing_only": true}),
            EX,
            "单纯切片、制干、打包的除外",
        ),
        ok(
            "其他（单纯切片、制干、打包的除外）",
            48,
            json!({"extraction": "none"}),
            RF,
            "其他（单纯切片、制干、打包的除外）",
        ),
        ok(
            "水泥制造（水泥粉磨站除外）",
            54,
            json!({"product": "cement"}),
            R,
            "水泥制造（水泥粉磨站除外）",
        ),
        ok(
            "水泥粉磨站",
            54,
            json!({"product": "cement_grinding"}),
            RF,
            "水泥粉磨站",
        ),
        ok(
            "石灰和石膏制造",
            54,
            json!({"product": "lime"}),
            RF,
            "石灰和石膏制造",
        ),
        ok(
            "石灰和石膏制造",
            54,
            json!({"product": "gypsum"}),
            RF,
            "石灰和石膏制造",
        ),
        err(
            "水泥、石灰和石膏制造301",
            &[54],
            json!({"product": "brick"}),
            &[("facts.product", K::UnknownValue)],
        ),
        ok(
            "商品混凝土",
            55,
            json!({"concrete_product": "ready_mixed_concrete"}),
            RF,
            "商品混凝土",
        ),
        ok(
            "砼结构构件制造",
            55,
            json!({"concrete_product": "precast_component"}),
            RF,
            "砼结构构件制造",
        ),
        ok(
            "水泥制品制造",
            55,
            json!({"concrete_product": "cement_product"}),
            RF,
            "水泥制品制造",
        ),
        ok(
            "石膏、水泥制品及类似制品制造302",
            55,
            json!({"concrete_product": "other"}),
            EX,
            "",
        ),
        ok(
            "粘土砖瓦及建筑砌块制造",
            56,
            json!({"building_material": "clay_brick_block"}),
            RF,
            "粘土砖瓦及建筑砌块制造",
        ),
        ok(
            "建筑用石加工",
            56,
            json!({"building_material": "building_stone"}),
            RF,
            "建筑用石加工",
        ),
        ok(
            "其他建筑材料制造（含干粉砂浆搅拌站）",
            56,
            json!({"building_material": "other"}),
            RF,
            "其他建筑材料制造（含干粉砂浆搅拌站）",
        ),
        ok(
            "以上均不含利用石材板材切割、打磨、成型的",
            56,
            json!({"building_material": "building_stone", "stone_slab_processing_only": true}),
            EX,
            "以上均不含利用石材板材切割、打磨、成型的",
        ),
        ok(
            "防水建筑材料制造",
            56,
            json!({"building_material": "waterproofing"}),
            RF,
            "防水建筑材料制造",
        ),
        ok(
            "隔热、隔音材料制造",
            56,
            json!({"building_material": "insulation"}),
            RF,
            "隔热、隔音材料制造",
        ),
    ]
}

#[test]
fn power_generation() {
    run(power_generation_cases());
}

fn power_generation_cases() -> Vec<Case> {
    let r87 = "火力发电和热电联产（发电机组节能改造的除外；燃气发电除外；单纯利用余热、余压、余气（含煤矿瓦斯）发电的除外）";
    let r88 = "总装机1000千瓦及以上的常规水电（仅更换发电设备的增效扩容项目除外）";
    let wind = "涉及环境敏感区的总装机容量5万千瓦及以上的陆上风力发电";
    let pv = "地面集中光伏电站（总容量大于6000千瓦，且接入电压等级不小于10千伏）";
    vec![
        ok(r87, 87, json!({"fuel": "coal"}), R, r87),
        ok("火力发电4411", 87, json!({"fuel": "other"}), R, r87),
        ok(
            "发电机组节能改造的除外",
            87,
            json!({"fuel": "coal", "energy_saving_retrofit": true}),
            EX,
            "发电机组节能改造的除外",
        ),
        ok("燃气发电", 87, json!({"fuel": "gas"}), RF, "燃气发电"),
        ok(
            "单纯利用余气（含煤矿瓦斯）发电",
            87,
            json!({"fuel": "coal_mine_gas"}),
            RF,
            "单纯利用余气（含煤矿瓦斯）发电",
        ),
        ok(
            "单纯利用余热、余压、余气（含煤矿瓦斯）发电的除外",
            87,
            json!({"fuel": "waste_heat"}),
            EX,
            "单纯利用余热、余压、余气（含煤矿瓦斯）发电的除外",
        ),
        ok(
            r88,
            88,
            json!({"installed_capacity_kw": 1000, "sensitive_areas": []}),
            R,
            r88,
        ),
        ok(
            "其他",
            88,
            json!({"installed_capacity_kw": 999, "sensitive_areas": []}),
            RF,
            "其他",
        ),
        ok(
            "涉及环境敏感区的",
            88,
            json!({"installed_capacity_kw": 999, "sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
            88,
            json!({"installed_capacity_kw": 999, "sensitive_areas": ["aquatic_habitat"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围",
            88,
            json!({"installed_capacity_kw": 999, "sensitive_areas": ["forest_park"]}),
            RF,
            "其他",
        ),
        ok(
            "抽水蓄能电站",
            88,
            json!({"pumped_storage": true, "sensitive_areas": []}),
            R,
            "抽水蓄能电站",
        ),
        ok(
            "仅更换发电设备的增效扩容项目除外",
            88,
            json!({"installed_capacity_kw": 5000, "equipment_replacement_only": true, "sensitive_areas": []}),
            RF,
            "其他",
        ),
        ok(
            "仅更换发电设备的增效扩容项目除外",
            88,
            json!({"installed_capacity_kw": 5000, "equipment_replacement_only": true, "sensitive_areas": ["ecological_red_line"]}),
            R,
            "涉及环境敏感区的",
        ),
        err(
            r88,
            &[88],
            json!({"sensitive_areas": []}),
            &[("facts.installed_capacity_kw", K::Missing)],
        ),
        err(
            "涉及环境敏感区的",
            &[88],
            json!({"installed_capacity_kw": 500}),
            &[("facts.sensitive_areas", K::Missing)],
        ),
        ok(
            "生活垃圾发电（掺烧生活垃圾发电的除外）",
            89,
            json!({"biomass_fuel": "household_waste"}),
            R,
            "生活垃圾发电（掺烧生活垃圾发电的除外）",
        ),
        ok(
            "掺烧生活垃圾发电的除外",
            89,
            json!({"biomass_fuel": "household_waste", "co_firing": true}),
            EX,
            "掺烧生活垃圾发电的除外",
        ),
        ok(
            "污泥发电（掺烧污泥发电的除外）",
            89,
            json!({"biomass_fuel": "sludge"}),
            R,
            "污泥发电（掺烧污泥发电的除外）",
        ),
        ok(
            "利用农林生物质、沼气、垃圾填埋气发电的",
            89,
            json!({"biomass_fuel": "biogas"}),
            RF,
            "利用农林生物质、沼气、垃圾填埋气发电的",
        ),
        ok(
            "不含居民家用光伏发电",
            90,
            json!({"generation": "household_pv"}),
            EX,
            "不含居民家用光伏发电",
        ),
        ok(
            wind,
            90,
            json!({"generation": "onshore_wind", "installed_capacity_kw": 50000, "sensitive_areas": ["nature_reserve"]}),
            R,
            wind,
        ),
        ok(
            "5万千瓦及以上",
            90,
            json!({"generation": "onshore_wind", "installed_capacity_kw": 49999, "sensitive_areas": ["nature_reserve"]}),
            RF,
            "其他风力发电",
        ),
        ok(
            "第三条（三）中的全部区域",
            90,
            json!({"generation": "onshore_wind", "installed_capacity_kw": 50000, "sensitive_areas": ["residential_area"]}),
            R,
            wind,
        ),
        ok(
            "第三条（一）中的全部区域；第三条（三）中的全部区域",
            90,
            json!({"generation": "onshore_wind", "installed_capacity_kw": 50000, "sensitive_areas": ["forest_park"]}),
            RF,
            "其他风力发电",
        ),
        ok(
            "其他风力发电",
            90,
            json!({"generation": "onshore_wind", "installed_capacity_kw": 80000, "sensitive_areas": []}),
            RF,
            "其他风力发电",
        ),
        ok(
            "总容量大于6000千瓦",
            90,
            json!({"generation": "ground_pv", "installed_capacity_kw": 6000, "grid_voltage_kv": 10}),
            RG,
            "其他光伏发电",
        ),
        ok(
            pv,
            90,
            json!({"generation": "ground_pv", "installed_capacity_kw": 6000.5, "grid_voltage_kv": 10}),
            RF,
            pv,
        ),
        ok(
            "接入电压等级不小于10千伏",
            90,
            json!({"generation": "ground_pv", "installed_capacity_kw": 7000, "grid_voltage_kv": 9.9}),
            RG,
            "其他光伏发电",
        ),
        ok(
            "其他光伏发电",
            90,
            json!({"generation": "ground_pv", "installed_capacity_kw": 5000}),
            RG,
            "其他光伏发电",
        ),
        err(
            "接入电压等级不小于10千伏",
            &[90],
            json!({"generation": "ground_pv", "installed_capacity_kw": 7000}),
            &[("facts.grid_voltage_kv", K::Missing)],
        ),
        ok(
            "其他光伏发电",
            90,
            json!({"generation": "other_pv"}),
            RG,
            "其他光伏发电",
        ),
        ok(
            "陆地利用地热、太阳能热等发电",
            90,
            json!({"generation": "geothermal"}),
            RF,
            "陆地利用地热、太阳能热等发电",
        ),
        ok(
            "陆地利用地热、太阳能热等发电",
            90,
            json!({"generation": "solar_thermal"}),
            RF,
            "陆地利用地热、太阳能热等发电",
        ),
        ok(
            pv,
            90,
            json!({"generation": "ground_pv", "installed_capacity_kw": 7000, "grid_voltage_kv": 10.5}),
            RF,
            pv,
        ),
    ]
}

#[test]
fn water_and_sewage() {
    run(water_and_sewage_cases());
}

fn water_and_sewage_cases() -> Vec<Case> {
    let r95 = "新建、扩建日处理10万吨及以上城乡污水处理的";
    let rf95 = "新建、扩建日处理10万吨以下500吨及以上城乡污水处理的";
    let other95 =
        "其他（不含提标改造项目；不含化粪池及化粪池处理后中水处理回用；不含仅建设沉淀池处理的）";
    let ind95 = "新建、扩建其他工业废水处理的（不含建设单位自建自用仅处理生活污水的；不含出水间接排入地表水体且不排放重金属的）";
    vec![
        ok("全部", 94, json!({"water_works": "production"}), RF, "全部"),
        ok(
            "不含供应工程",
            94,
            json!({"water_works": "supply_network"}),
            EX,
            "不含供应工程",
        ),
        ok(
            "不含村庄供应工程",
            94,
            json!({"water_works": "village_supply"}),
            EX,
            "不含村庄供应工程",
        ),
        ok(
            r95,
            95,
            json!({"construction": "new", "wastewater": "municipal", "daily_capacity_t": 100000}),
            R,
            r95,
        ),
        ok(
            rf95,
            95,
            json!({"construction": "new", "wastewater": "municipal", "daily_capacity_t": 99999}),
            RF,
            rf95,
        ),
        ok(
            rf95,
            95,
            json!({"construction": "expansion", "wastewater": "municipal", "daily_capacity_t": 500}),
            RF,
            rf95,
        ),
        ok(
            other95,
            95,
            json!({"construction": "new", "wastewater": "municipal", "daily_capacity_t": 499}),
            RG,
            other95,
        ),
        ok(
            r95,
            95,
            json!({"construction": "expansion", "wastewater": "municipal", "daily_capacity_t": 100000}),
            R,
            r95,
        ),
        ok(
            "其他",
            95,
            json!({"construction": "renovation", "wastewater": "municipal", "daily_capacity_t": 200000}),
            RG,
            other95,
        ),
        ok(
            "新建、扩建工业废水集中处理的",
            95,
            json!({"construction": "new", "wastewater": "industrial_central"}),
            R,
            "新建、扩建工业废水集中处理的",
        ),
        ok(
            "其他",
            95,
            json!({"construction": "renovation", "wastewater": "industrial_central"}),
            RG,
            other95,
        ),
        ok(
            ind95,
            95,
            json!({"construction": "new", "wastewater": "industrial_other"}),
            RF,
            ind95,
        ),
        ok(
            "不含建设单位自建自用仅处理生活污水的",
            95,
            json!({"construction": "new", "wastewater": "industrial_other", "self_use_domestic_only": true}),
            RG,
            other95,
        ),
        ok(
            "不含出水间接排入地表水体且不排放重金属的",
            95,
            json!({"construction": "new", "wastewater": "industrial_other", "indirect_discharge_no_heavy_metals": true}),
            RG,
            other95,
        ),
        ok(
            "不含提标改造项目",
            95,
            json!({"construction": "renovation", "wastewater": "municipal", "upgrade_only": true}),
            EX,
            "不含提标改造项目",
        ),
        ok(
            "不含化粪池及化粪池处理后中水处理回用",
            95,
            json!({"construction": "renovation", "wastewater": "industrial_other", "septic_tank_reuse": true}),
            EX,
            "不含化粪池及化粪池处理后中水处理回用",
        ),
        ok(
            "不含仅建设沉淀池处理的",
            95,
            json!({"construction": "renovation", "wastewater": "industrial_other", "sedimentation_only": true}),
            EX,
            "不含仅建设沉淀池处理的",
        ),
        err(
            r95,
            &[95],
            json!({"construction": "new", "wastewater": "municipal"}),
            &[("facts.daily_capacity_t", K::Missing)],
        ),
        err(
            r95,
            &[95],
            json!({"wastewater": "municipal", "daily_capacity_t": 1000}),
            &[("facts.construction", K::Missing)],
        ),
        // Below 500 t/d only the registration form is left, whatever the construction.
        ok(
            other95,
            95,
            json!({"wastewater": "municipal", "daily_capacity_t": 100}),
            RG,
            other95,
        ),
        ok(
            "库容1000万立方米及以上",
            124,
            json!({"storage_capacity_m3": 10000000, "sensitive_areas": []}),
            R,
            "库容1000万立方米及以上",
        ),
        ok(
            "其他",
            124,
            json!({"storage_capacity_m3": 9999999, "sensitive_areas": []}),
            RF,
            "其他",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围",
            124,
            json!({"storage_capacity_m3": 9999999, "sensitive_areas": ["ecological_red_line"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
            124,
            json!({"storage_capacity_m3": 100, "sensitive_areas": ["important_wetland"]}),
            RF,
            "其他",
        ),
        ok(
            "不含水源工程的",
            125,
            json!({"water_source_works": true}),
            EX,
            "不含水源工程的",
        ),
        ok(
            "涉及环境敏感区的",
            125,
            json!({"sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "其他（不含高标准农田、滴灌等节水改造工程）",
            125,
            json!({"sensitive_areas": []}),
            RF,
            "其他（不含高标准农田、滴灌等节水改造工程）",
        ),
        ok(
            "不含高标准农田、滴灌等节水改造工程",
            125,
            json!({"sensitive_areas": [], "water_saving_retrofit": true}),
            EX,
            "不含高标准农田、滴灌等节水改造工程",
        ),
        ok(
            "涉及环境敏感区的",
            125,
            json!({"sensitive_areas": ["drinking_water_source"], "water_saving_retrofit": true}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "跨流域调水",
            126,
            json!({"inter_basin": true}),
            R,
            "跨流域调水",
        ),
        ok(
            "大中型河流引水",
            126,
            json!({"river_size": "large_medium"}),
            R,
            "大中型河流引水",
        ),
        ok(
            "小型河流年总引水量占引水断面天然年径流量1/4及以上",
            126,
            json!({"river_size": "small", "diversion_share_pct": 25, "sensitive_areas": []}),
            R,
            "小型河流年总引水量占引水断面天然年径流量1/4及以上",
        ),
        ok(
            "1/4及以上",
            126,
            json!({"river_size": "small", "diversion_share_pct": 24.9, "sensitive_areas": []}),
            RF,
            "其他",
        ),
        ok(
            "涉及环境敏感区的（不含涉及饮用水水源保护区的水库配套引水工程）",
            126,
            json!({"river_size": "small", "diversion_share_pct": 10, "sensitive_areas": ["drinking_water_source"]}),
            R,
            "涉及环境敏感区的（不含涉及饮用水水源保护区的水库配套引水工程）",
        ),
        ok(
            "不含涉及饮用水水源保护区的水库配套引水工程",
            126,
            json!({"river_size": "small", "diversion_share_pct": 10, "reservoir_supporting": true,
                   "sensitive_areas": ["drinking_water_source"]}),
            RF,
            "其他",
        ),
        ok(
            "不含涉及饮用水水源保护区的水库配套引水工程",
            126,
            json!({"river_size": "small", "diversion_share_pct": 10, "reservoir_supporting": true,
                   "sensitive_areas": ["drinking_water_source", "nature_reserve"]}),
            R,
            "涉及环境敏感区的（不含涉及饮用水水源保护区的水库配套引水工程）",
        ),
        err(
            "小型河流年总引水量占引水断面天然年径流量1/4及以上",
            &[126],
            json!({"river_size": "small", "sensitive_areas": []}),
            &[("facts.diversion_share_pct", K::Missing)],
        ),
        ok(
            "新建大中型",
            127,
            json!({"construction": "new", "scale": "large", "works": "other"}),
            R,
            "新建大中型",
        ),
        ok(
            "新建大中型",
            127,
            json!({"construction": "new", "scale": "medium", "works": "other"}),
            R,
            "新建大中型",
        ),
        ok(
            "其他（小型沟渠的护坡除外；城镇排涝河流水闸、排涝泵站除外）",
            127,
            json!({"construction": "new", "scale": "small", "works": "other"}),
            RF,
            "其他（小型沟渠的护坡除外；城镇排涝河流水闸、排涝泵站除外）",
        ),
        ok(
            "新建大中型",
            127,
            json!({"construction": "expansion", "works": "other"}),
            RF,
            "其他（小型沟渠的护坡除外；城镇排涝河流水闸、排涝泵站除外）",
        ),
        ok(
            "小型沟渠的护坡除外",
            127,
            json!({"construction": "new", "scale": "small", "works": "small_channel_slope"}),
            EX,
            "小型沟渠的护坡除外",
        ),
        ok(
            "城镇排涝河流水闸、排涝泵站",
            127,
            json!({"construction": "renovation", "works": "urban_drainage_sluice_or_pump"}),
            RG,
            "城镇排涝河流水闸、排涝泵站",
        ),
        ok(
            "新建大中型",
            127,
            json!({"construction": "new", "scale": "large", "works": "urban_drainage_sluice_or_pump"}),
            R,
            "新建大中型",
        ),
        err(
            "新建大中型",
            &[127],
            json!({"construction": "new", "works": "other"}),
            &[("facts.scale", K::Missing)],
        ),
        ok(
            "涉及环境敏感区的",
            128,
            json!({"sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "重点保护野生植物生长繁殖地",
            128,
            json!({"sensitive_areas": ["key_plant_habitat"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok("其他", 128, json!({"sensitive_areas": []}), RF, "其他"),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围，重要湿地",
            128,
            json!({"sensitive_areas": ["basic_grassland"]}),
            RF,
            "其他",
        ),
        ok(
            "不含农村塘堰、水渠",
            128,
            json!({"rural_pond_or_canal": true}),
            EX,
            "不含农村塘堰、水渠",
        ),
        ok(
            "日取水量1万立方米及以上的",
            129,
            json!({"daily_withdrawal_m3": 10000}),
            R,
            "日取水量1万立方米及以上的",
        ),
        ok(
            "其他",
            129,
            json!({"daily_withdrawal_m3": 9999, "sensitive_areas": []}),
            RF,
            "其他",
        ),
        ok(
            "涉及环境敏感区的（不新增供水规模、不改变供水对象的改建工程除外）",
            129,
            json!({"daily_withdrawal_m3": 9999, "sensitive_areas": ["important_wetland"]}),
            R,
            "涉及环境敏感区的（不新增供水规模、不改变供水对象的改建工程除外）",
        ),
        ok(
            "不新增供水规模、不改变供水对象的改建工程除外",
            129,
            json!({"construction": "renovation", "no_new_supply_or_users": true, "daily_withdrawal_m3": 9999,
                   "sensitive_areas": ["important_wetland"]}),
            RF,
            "其他",
        ),
        ok(
            "不新增供水规模、不改变供水对象的改建工程除外",
            129,
            json!({"construction": "new", "no_new_supply_or_users": true, "daily_withdrawal_m3": 9999,
                   "sensitive_areas": ["important_wetland"]}),
            R,
            "涉及环境敏感区的（不新增供水规模、不改变供水对象的改建工程除外）",
        ),
        ok(
            "农村分散式家庭生活自用水井除外",
            129,
            json!({"rural_household_well": true}),
            EX,
            "农村分散式家庭生活自用水井除外",
        ),
        ok(
            "库容1000万立方米及以上",
            124,
            json!({"storage_capacity_m3": 10000001}),
            R,
            "库容1000万立方米及以上",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围，重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
            125,
            json!({"sensitive_areas": ["forest_park"]}),
            RF,
            "其他（不含高标准农田、滴灌等节水改造工程）",
        ),
        ok(
            "小型河流年总引水量占引水断面天然年径流量1/4及以上",
            126,
            json!({"river_size": "small", "diversion_share_pct": 25.1}),
            R,
            "小型河流年总引水量占引水断面天然年径流量1/4及以上",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围，重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
            126,
            json!({"river_size": "small", "diversion_share_pct": 10, "sensitive_areas": ["natural_forest"]}),
            RF,
            "其他",
        ),
        ok(
            "日取水量1万立方米及以上的",
            129,
            json!({"daily_withdrawal_m3": 10001}),
            R,
            "日取水量1万立方米及以上的",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围，重要湿地",
            129,
            json!({"daily_withdrawal_m3": 9999, "sensitive_areas": ["forest_park"]}),
            RF,
            "其他",
        ),
    ]
}

#[test]
fn buildings_services_and_waste() {
    run(buildings_services_and_waste_cases());
}

fn buildings_services_and_waste_cases() -> Vec<Case> {
    let note = "新建、扩建住院床位500张及以上的";
    vec![
        ok(
            "涉及环境敏感区的",
            97,
            json!({"building": "other", "sensitive_areas": ["nature_reserve"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "针对标准厂房增加第三条（三）中的以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
            97,
            json!({"building": "other", "sensitive_areas": ["residential_area"]}),
            EX,
            "",
        ),
        ok(
            "针对标准厂房增加第三条（三）中的以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
            97,
            json!({"building": "standard_factory", "sensitive_areas": ["residential_area"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（三）中的文物保护单位",
            97,
            json!({"building": "other", "sensitive_areas": ["cultural_relic"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "基本草原",
            97,
            json!({"building": "other", "sensitive_areas": ["basic_grassland"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "森林公园、地质公园",
            97,
            json!({"building": "other", "sensitive_areas": ["nature_park"]}),
            EX,
            "",
        ),
        ok(
            "涉及环境敏感区的",
            97,
            json!({"building": "other", "sensitive_areas": []}),
            EX,
            "",
        ),
        err(
            "针对标准厂房增加",
            &[97],
            json!({"sensitive_areas": ["residential_area"]}),
            &[("facts.building", K::Missing)],
        ),
        // Without sensitive areas nothing in the row applies, whatever the building.
        ok(
            "涉及环境敏感区的",
            97,
            json!({"sensitive_areas": []}),
            EX,
            "",
        ),
        ok("全部", 99, json!({}), RF, "全部"),
        ok(
            "医疗废物集中处置（单纯收集、贮存的除外）",
            102,
            json!({"disposal_type": "medical_waste_central"}),
            R,
            "医疗废物集中处置（单纯收集、贮存的除外）",
        ),
        ok(
            "单纯收集、贮存的除外",
            102,
            json!({"disposal_type": "medical_waste_central", "collection_storage_only": true}),
            RF,
            "其他",
        ),
        ok("其他", 102, json!({"disposal_type": "other"}), RF, "其他"),
        ok(
            "一般工业固体废物（含污水处理污泥）采取填埋、焚烧（水泥窑协同处置的改造项目除外）方式的",
            103,
            json!({"solid_waste": "industrial_solid", "disposal_method": "landfill"}),
            R,
            "一般工业固体废物（含污水处理污泥）采取填埋、焚烧（水泥窑协同处置的改造项目除外）方式的",
        ),
        ok(
            "采取填埋、焚烧",
            103,
            json!({"solid_waste": "industrial_solid", "disposal_method": "incineration"}),
            R,
            "一般工业固体废物（含污水处理污泥）采取填埋、焚烧（水泥窑协同处置的改造项目除外）方式的",
        ),
        ok(
            "水泥窑协同处置的改造项目除外",
            103,
            json!({"solid_waste": "industrial_solid", "disposal_method": "incineration", "cement_kiln_retrofit": true}),
            RF,
            "其他",
        ),
        ok(
            "其他",
            103,
            json!({"solid_waste": "construction_waste"}),
            RF,
            "其他",
        ),
        err(
            "采取填埋、焚烧",
            &[103],
            json!({"solid_waste": "industrial_solid"}),
            &[("facts.disposal_method", K::Missing)],
        ),
        ok(
            "应急治理、应急排危除险工程除外",
            104,
            json!({"emergency_works": true}),
            EX,
            "应急治理、应急排危除险工程除外",
        ),
        ok(
            "涉及环境敏感区的特大型泥石流治理工程",
            104,
            json!({"hazard_type": "debris_flow", "hazard_scale": "extra_large", "sensitive_areas": ["nature_reserve"]}),
            RF,
            "涉及环境敏感区的特大型泥石流治理工程",
        ),
        ok(
            "特大型泥石流治理工程",
            104,
            json!({"hazard_type": "debris_flow", "hazard_scale": "large", "sensitive_areas": ["nature_reserve"]}),
            RG,
            "其他（不涉及环境敏感区的小型地质灾害治理工程除外）",
        ),
        ok(
            "泥石流治理工程",
            104,
            json!({"hazard_type": "landslide", "hazard_scale": "extra_large", "sensitive_areas": ["nature_reserve"]}),
            RG,
            "其他（不涉及环境敏感区的小型地质灾害治理工程除外）",
        ),
        ok(
            "涉及环境敏感区的特大型泥石流治理工程",
            104,
            json!({"hazard_type": "debris_flow", "hazard_scale": "extra_large", "sensitive_areas": []}),
            RG,
            "其他（不涉及环境敏感区的小型地质灾害治理工程除外）",
        ),
        ok(
            "不涉及环境敏感区的小型地质灾害治理工程除外",
            104,
            json!({"hazard_type": "landslide", "hazard_scale": "small", "sensitive_areas": []}),
            EX,
            "不涉及环境敏感区的小型地质灾害治理工程除外",
        ),
        ok(
            "不涉及环境敏感区的小型地质灾害治理工程除外",
            104,
            json!({"hazard_type": "landslide", "hazard_scale": "small", "sensitive_areas": ["scenic_area"]}),
            RG,
            "其他（不涉及环境敏感区的小型地质灾害治理工程除外）",
        ),
        ok(
            "第三条（一）中的全部区域",
            104,
            json!({"hazard_type": "landslide", "hazard_scale": "small", "sensitive_areas": ["forest_park"]}),
            EX,
            "不涉及环境敏感区的小型地质灾害治理工程除外",
        ),
        err(
            "不涉及环境敏感区的小型地质灾害治理工程除外",
            &[104],
            json!({"hazard_type": "landslide", "hazard_scale": "small"}),
            &[("facts.sensitive_areas", K::Missing)],
        ),
        ok(
            "日转运能力150吨及以上的",
            105,
            json!({"daily_capacity_t": 150}),
            RF,
            "日转运能力150吨及以上的",
        ),
        ok(
            "日转运能力150吨及以上的",
            105,
            json!({"daily_capacity_t": 149.9}),
            EX,
            "",
        ),
        err(
            "日转运能力150吨及以上的",
            &[105],
            json!({}),
            &[("facts.daily_capacity_t", K::Missing)],
        ),
        err(
            "日转运能力150吨及以上的",
            &[105],
            json!({"daily_capacity_t": -1}),
            &[("facts.daily_capacity_t", K::Negative)],
        ),
        err(
            "日转运能力150吨及以上的",
            &[105],
            json!({"daily_capacity_t": "150"}),
            &[("facts.daily_capacity_t", K::WrongType)],
        ),
        ok(
            "采取填埋方式的",
            106,
            json!({"method": "landfill"}),
            R,
            "采取填埋方式的",
        ),
        ok(
            "其他处置方式日处置能力50吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 50}),
            R,
            "其他处置方式日处置能力50吨及以上的",
        ),
        ok(
            "其他处置方式日处置能力50吨以下10吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 49.99}),
            RF,
            "其他处置方式日处置能力50吨以下10吨及以上的",
        ),
        ok(
            "其他处置方式日处置能力50吨以下10吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 10}),
            RF,
            "其他处置方式日处置能力50吨以下10吨及以上的",
        ),
        ok(
            "其他处置方式日处置能力10吨以下1吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 9.99}),
            RG,
            "其他处置方式日处置能力10吨以下1吨及以上的",
        ),
        ok(
            "其他处置方式日处置能力10吨以下1吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 1}),
            RG,
            "其他处置方式日处置能力10吨以下1吨及以上的",
        ),
        ok(
            "其他处置方式日处置能力10吨以下1吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 0.99}),
            EX,
            "",
        ),
        ok(
            "生活垃圾发电除外",
            106,
            json!({"method": "other", "waste_to_power": true}),
            EX,
            "生活垃圾发电除外",
        ),
        err(
            "其他处置方式日处置能力50吨及以上的",
            &[106],
            json!({"method": "other"}),
            &[("facts.daily_capacity_t", K::Missing)],
        ),
        ok(
            note,
            108,
            json!({"construction": "new", "beds": 500}),
            R,
            note,
        ),
        ok(
            "其他（住院床位20张以下的除外）",
            108,
            json!({"construction": "new", "beds": 499}),
            RF,
            "其他（住院床位20张以下的除外）",
        ),
        ok(
            note,
            108,
            json!({"construction": "expansion", "beds": 500}),
            R,
            note,
        ),
        ok(
            note,
            108,
            json!({"construction": "renovation", "beds": 600}),
            RF,
            "其他（住院床位20张以下的除外）",
        ),
        ok(
            "住院床位20张以下的（不含20张住院床位的）",
            108,
            json!({"construction": "new", "beds": 20}),
            RF,
            "其他（住院床位20张以下的除外）",
        ),
        ok(
            "住院床位20张以下的（不含20张住院床位的）",
            108,
            json!({"construction": "new", "beds": 19}),
            RG,
            "住院床位20张以下的（不含20张住院床位的）",
        ),
        ok(
            "住院床位20张以下的（不含20张住院床位的）",
            108,
            json!({"construction": "new", "beds": 0}),
            RG,
            "住院床位20张以下的（不含20张住院床位的）",
        ),
        err(
            note,
            &[108],
            json!({"construction": "new"}),
            &[("facts.beds", K::Missing)],
        ),
        err(
            note,
            &[108],
            json!({"construction": "new", "beds": 20.5}),
            &[("facts.beds", K::WrongType)],
        ),
        ok(
            "新建涉及环境敏感区的",
            110,
            json!({"construction": "new", "floor_area_m2": 5000, "sensitive_areas": ["nature_reserve"]}),
            RF,
            "新建涉及环境敏感区的",
        ),
        ok(
            "建筑面积5000平方米及以上的",
            110,
            json!({"construction": "new", "floor_area_m2": 4999, "sensitive_areas": ["nature_reserve"]}),
            EX,
            "建筑面积5000平方米及以上的",
        ),
        ok(
            "基本草原",
            110,
            json!({"construction": "new", "floor_area_m2": 8000, "sensitive_areas": ["basic_grassland"]}),
            RF,
            "新建涉及环境敏感区的",
        ),
        ok(
            "重点保护野生植物生长繁殖地",
            110,
            json!({"construction": "new", "floor_area_m2": 8000, "sensitive_areas": ["residential_area"]}),
            EX,
            "",
        ),
        ok(
            "新建涉及环境敏感区的",
            110,
            json!({"construction": "expansion", "floor_area_m2": 8000, "sensitive_areas": ["nature_reserve"]}),
            EX,
            "",
        ),
        ok(
            "有化学、生物实验室的学校",
            110,
            json!({"floor_area_m2": 8000, "has_chem_bio_lab": true}),
            RF,
            "有化学、生物实验室的学校",
        ),
        err(
            "建筑面积5000平方米及以上的",
            &[110],
            json!({"construction": "new", "sensitive_areas": []}),
            &[("facts.floor_area_m2", K::Missing)],
        ),
        ok(
            "日转运能力150吨及以上的",
            105,
            json!({"daily_capacity_t": 150.1}),
            RF,
            "日转运能力150吨及以上的",
        ),
        ok(
            "其他处置方式日处置能力50吨及以上的",
            106,
            json!({"method": "other", "daily_capacity_t": 50.01}),
            R,
            "其他处置方式日处置能力50吨及以上的",
        ),
    ]
}

#[test]
fn recreation_transport_services() {
    run(recreation_transport_services_cases());
}

fn recreation_transport_services_cases() -> Vec<Case> {
    vec![
        ok("高尔夫球场", 112, json!({"venue": "golf"}), R, "高尔夫球场"),
        ok(
            "第三条（二）中的全部区域",
            112,
            json!({"venue": "ski", "sensitive_areas": ["natural_forest"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "其他",
            112,
            json!({"venue": "ski", "sensitive_areas": []}),
            RG,
            "其他",
        ),
        ok(
            "第三条（一）中的全部区域；第三条（二）中的全部区域",
            112,
            json!({"venue": "shooting", "sensitive_areas": ["residential_area"]}),
            RG,
            "其他",
        ),
        ok(
            "涉及环境敏感区的",
            113,
            json!({"sensitive_areas": []}),
            EX,
            "",
        ),
        ok(
            "涉及环境敏感区的",
            113,
            json!({"sensitive_areas": ["nature_reserve"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "天然林",
            113,
            json!({"sensitive_areas": ["natural_forest"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "不含村庄文化体育场所",
            113,
            json!({"village_venue": true, "sensitive_areas": ["nature_reserve"]}),
            EX,
            "不含村庄文化体育场所",
        ),
        ok(
            "森林公园、地质公园",
            113,
            json!({"sensitive_areas": ["nature_park"]}),
            EX,
            "",
        ),
        ok(
            "不含城市公园、植物园、村庄公园",
            114,
            json!({"park_type": "urban_park"}),
            EX,
            "不含城市公园、植物园、村庄公园",
        ),
        ok(
            "特大型、大型主题公园",
            114,
            json!({"park_type": "theme_park", "theme_park_scale": "large"}),
            R,
            "特大型、大型主题公园",
        ),
        ok(
            "其他公园",
            114,
            json!({"park_type": "theme_park", "theme_park_scale": "medium"}),
            RF,
            "其他公园",
        ),
        err(
            "特大型、大型主题公园",
            &[114],
            json!({"park_type": "theme_park"}),
            &[("facts.theme_park_scale", K::Missing)],
        ),
        ok("其他公园", 114, json!({"park_type": "zoo"}), RF, "其他公园"),
        ok(
            "容积500万立方米及以上的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 5000000}),
            R,
            "容积500万立方米及以上的人工湖、人工湿地",
        ),
        ok(
            "涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 4999999, "sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
        ),
        ok(
            "不涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 4999999, "sensitive_areas": [], "refill_share_pct": 0}),
            RF,
            "不涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
        ),
        ok(
            "不涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 50000, "sensitive_areas": [], "refill_share_pct": 0}),
            RF,
            "不涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
        ),
        ok(
            "不涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 49999, "sensitive_areas": [], "refill_share_pct": 0}),
            RG,
            "不涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
        ),
        ok(
            "涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 49999, "sensitive_areas": ["scenic_area"], "refill_share_pct": 0}),
            RF,
            "涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
        ),
        ok(
            "年补水量占引水河流引水断面天然年径流量1/4及以上的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 30000, "sensitive_areas": [], "refill_share_pct": 25}),
            R,
            "年补水量占引水河流引水断面天然年径流量1/4及以上的人工湖、人工湿地",
        ),
        ok(
            "1/4及以上",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 30000, "sensitive_areas": [], "refill_share_pct": 24.9}),
            RG,
            "不涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
        ),
        ok(
            "第三条（一）中的全部区域",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 49999, "sensitive_areas": ["forest_park"], "refill_share_pct": 0}),
            RG,
            "不涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
        ),
        err(
            "年补水量占引水河流引水断面天然年径流量1/4及以上的人工湖、人工湿地",
            &[114],
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 30000, "sensitive_areas": []}),
            &[("facts.refill_share_pct", K::Missing)],
        ),
        ok(
            "缆车、索道建设",
            115,
            json!({"cableway": true}),
            RF,
            "缆车、索道建设",
        ),
        ok("其他", 115, json!({}), RG, "其他"),
        ok(
            "涉及环境敏感区的",
            118,
            json!({"sensitive_areas": ["nature_reserve"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（三）中的文物保护单位",
            118,
            json!({"sensitive_areas": ["cultural_relic"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（三）中的文物保护单位",
            118,
            json!({"sensitive_areas": ["residential_area"]}),
            EX,
            "",
        ),
        ok(
            "城市建成区新建、扩建加油站",
            119,
            json!({"station_type": "fuel", "urban_built_up_area": true, "construction": "new"}),
            RF,
            "城市建成区新建、扩建加油站",
        ),
        ok(
            "城市建成区新建、扩建加油站",
            119,
            json!({"station_type": "fuel_and_gas", "urban_built_up_area": true, "construction": "expansion"}),
            RF,
            "城市建成区新建、扩建加油站",
        ),
        ok(
            "城市建成区新建、扩建加油站",
            119,
            json!({"station_type": "fuel", "urban_built_up_area": true, "construction": "renovation", "sensitive_areas": []}),
            EX,
            "",
        ),
        ok(
            "城市建成区新建、扩建加油站",
            119,
            json!({"station_type": "fuel", "construction": "new", "sensitive_areas": []}),
            EX,
            "",
        ),
        ok(
            "城市建成区新建、扩建加油站",
            119,
            json!({"station_type": "gas", "urban_built_up_area": true, "construction": "new", "sensitive_areas": []}),
            EX,
            "",
        ),
        ok(
            "涉及环境敏感区的",
            119,
            json!({"station_type": "gas", "sensitive_areas": ["drinking_water_source"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（一）中的全部区域",
            119,
            json!({"station_type": "gas", "construction": "new", "sensitive_areas": ["ecological_red_line"]}),
            EX,
            "",
        ),
        ok(
            "殡仪馆",
            122,
            json!({"funeral_facility": "funeral_home"}),
            RF,
            "殡仪馆",
        ),
        ok(
            "基本农田保护区",
            122,
            json!({"funeral_facility": "cemetery", "sensitive_areas": ["permanent_basic_farmland"]}),
            RF,
            "涉及环境敏感区的",
        ),
        ok(
            "涉及环境敏感区的",
            122,
            json!({"funeral_facility": "cemetery", "sensitive_areas": []}),
            EX,
            "",
        ),
        ok(
            "第三条（二）中的除（一）外的生态保护红线管控范围，基本农田保护区",
            122,
            json!({"funeral_facility": "cemetery", "sensitive_areas": ["natural_forest"]}),
            EX,
            "",
        ),
        ok("新建", 136, json!({"construction": "new"}), R, "新建"),
        ok(
            "迁建",
            136,
            json!({"construction": "relocation"}),
            R,
            "迁建",
        ),
        ok(
            "增加航空业务量的飞行区扩建",
            136,
            json!({"construction": "expansion", "airside_expansion_adds_traffic": true}),
            R,
            "增加航空业务量的飞行区扩建",
        ),
        ok(
            "其他",
            136,
            json!({"construction": "expansion"}),
            RF,
            "其他",
        ),
        ok(
            "其他",
            136,
            json!({"construction": "renovation"}),
            RF,
            "其他",
        ),
        ok(
            "新建涉及环境敏感区的",
            146,
            json!({"pipe_network": "sewer", "construction": "new", "sensitive_areas": ["nature_reserve"]}),
            RF,
            "新建涉及环境敏感区的",
        ),
        ok(
            "其他",
            146,
            json!({"pipe_network": "sewer", "construction": "new", "sensitive_areas": []}),
            RG,
            "其他",
        ),
        ok(
            "新建涉及环境敏感区的",
            146,
            json!({"pipe_network": "sewer", "construction": "expansion", "sensitive_areas": ["nature_reserve"]}),
            RG,
            "其他",
        ),
        ok(
            "永久基本农田",
            146,
            json!({"pipe_network": "heating", "construction": "new", "sensitive_areas": ["permanent_basic_farmland"]}),
            RF,
            "新建涉及环境敏感区的",
        ),
        ok(
            "永久基本农田、地质公园、重要湿地、天然林",
            146,
            json!({"pipe_network": "utility_tunnel", "construction": "new", "sensitive_areas": ["basic_grassland"]}),
            RG,
            "其他",
        ),
        ok(
            "不含给水管道",
            146,
            json!({"pipe_network": "water_supply"}),
            EX,
            "不含给水管道",
        ),
        ok(
            "不含光纤",
            146,
            json!({"pipe_network": "optical_fiber"}),
            EX,
            "不含光纤",
        ),
        ok(
            "不含1.6兆帕及以下的天然气管道",
            146,
            json!({"pipe_network": "natural_gas", "gas_pressure_mpa": 1.6}),
            EX,
            "不含1.6兆帕及以下的天然气管道",
        ),
        ok(
            "不含1.6兆帕及以下的天然气管道",
            146,
            json!({"pipe_network": "natural_gas", "gas_pressure_mpa": 1.61, "construction": "new", "sensitive_areas": []}),
            RG,
            "其他",
        ),
        err(
            "不含1.6兆帕及以下的天然气管道",
            &[146],
            json!({"pipe_network": "natural_gas"}),
            &[
                ("facts.gas_pressure_mpa", K::Missing),
                ("facts.construction", K::Missing),
                ("facts.sensitive_areas", K::Missing),
            ],
        ),
        err(
            "不含1.6兆帕及以下的天然气管道",
            &[146],
            json!({"pipe_network": "natural_gas", "construction": "new", "sensitive_areas": []}),
            &[("facts.gas_pressure_mpa", K::Missing)],
        ),
        ok(
            "总容量20万立方米及以上的油库（含油品码头后方配套油库）",
            149,
            json!({"storage_type": "oil_depot", "total_capacity_m3": 200000}),
            R,
            "总容量20万立方米及以上的油库（含油品码头后方配套油库）",
        ),
        ok(
            "其他（含有毒、有害、危险品的仓储；含液化天然气库）",
            149,
            json!({"storage_type": "oil_depot", "total_capacity_m3": 199999}),
            RF,
            "其他（含有毒、有害、危险品的仓储；含液化天然气库）",
        ),
        ok(
            "地下油库",
            149,
            json!({"storage_type": "underground_oil_depot"}),
            R,
            "地下油库",
        ),
        ok(
            "地下气库",
            149,
            json!({"storage_type": "underground_gas_storage"}),
            R,
            "地下气库",
        ),
        ok(
            "含液化天然气库",
            149,
            json!({"storage_type": "other"}),
            RF,
            "其他（含有毒、有害、危险品的仓储；含液化天然气库）",
        ),
        ok(
            "不含加油站的油库；不含加气站的气库",
            149,
            json!({"storage_type": "oil_depot", "station_depot": true}),
            EX,
            "不含加油站的油库；不含加气站的气库",
        ),
        ok("全部", 166, json!({}), RG, "全部"),
        ok(
            "容积500万立方米及以上的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 5000001}),
            R,
            "容积500万立方米及以上的人工湖、人工湿地",
        ),
        ok(
            "年补水量占引水河流引水断面天然年径流量1/4及以上的人工湖、人工湿地",
            114,
            json!({"park_type": "artificial_lake_wetland", "volume_m3": 100, "sensitive_areas": [], "refill_share_pct": 25.1}),
            R,
            "年补水量占引水河流引水断面天然年径流量1/4及以上的人工湖、人工湿地",
        ),
        ok(
            "不含1.6兆帕及以下的天然气管道",
            146,
            json!({"pipe_network": "natural_gas", "gas_pressure_mpa": 1.5}),
            EX,
            "不含1.6兆帕及以下的天然气管道",
        ),
        ok(
            "总容量20万立方米及以上的油库（含油品码头后方配套油库）",
            149,
            json!({"storage_type": "oil_depot", "total_capacity_m3": 200001}),
            R,
            "总容量20万立方米及以上的油库（含油品码头后方配套油库）",
        ),
    ]
}

#[test]
fn highways_roads_railways_power_lines() {
    run(highways_roads_railways_power_lines_cases());
}

fn highways_roads_railways_power_lines_cases() -> Vec<Case> {
    let r1 = "新建30公里（不含）以上的二级及以上等级公路";
    let r2 = "新建涉及环境敏感区的二级及以上等级公路";
    let other130 = "其他（配套设施除外；不涉及环境敏感区的三级、四级公路除外）";
    let rg130 = "不涉及环境敏感区的三级、四级公路";
    let r132 = "新建、增建铁路（30公里及以下铁路联络线和30公里及以下铁路专用线除外）";
    let rf132 = "30公里及以下铁路联络线和30公里及以下铁路专用线";
    vec![
        ok(
            r2,
            130,
            json!({"construction": "new", "road_grade": "class2", "length_km": 25, "sensitive_areas": ["nature_reserve"]}),
            R,
            r2,
        ),
        ok(
            r1,
            130,
            json!({"construction": "new", "road_grade": "class2", "length_km": 30.001, "sensitive_areas": []}),
            R,
            r1,
        ),
        ok(
            "30公里（不含）以上",
            130,
            json!({"construction": "new", "road_grade": "class2", "length_km": 30, "sensitive_areas": []}),
            RF,
            other130,
        ),
        ok(
            r2,
            130,
            json!({"construction": "new", "road_grade": "class1", "length_km": 5, "sensitive_areas": ["residential_area"]}),
            R,
            r2,
        ),
        ok(
            "第三条（二）中的全部区域",
            130,
            json!({"construction": "new", "road_grade": "expressway", "length_km": 5, "sensitive_areas": ["permanent_basic_farmland"]}),
            R,
            r2,
        ),
        ok(
            other130,
            130,
            json!({"construction": "new", "road_grade": "class3", "length_km": 50, "sensitive_areas": ["nature_reserve"]}),
            RF,
            other130,
        ),
        ok(
            rg130,
            130,
            json!({"construction": "new", "road_grade": "class3", "length_km": 50, "sensitive_areas": []}),
            RG,
            rg130,
        ),
        ok(
            rg130,
            130,
            json!({"construction": "new", "road_grade": "class4", "sensitive_areas": []}),
            RG,
            rg130,
        ),
        ok(
            "配套设施",
            130,
            json!({"construction": "new", "road_grade": "class2", "ancillary_only": true, "sensitive_areas": ["nature_reserve"]}),
            RG,
            "配套设施",
        ),
        ok(
            "不含维护",
            130,
            json!({"construction": "maintenance", "road_grade": "expressway"}),
            EX,
            "不含维护",
        ),
        ok(
            "不含生命救援、应急保通工程以及国防交通保障项目",
            130,
            json!({"construction": "new", "road_grade": "class2", "emergency_or_defense": true}),
            EX,
            "不含生命救援、应急保通工程以及国防交通保障项目",
        ),
        ok(
            "不含改扩建四级公路",
            130,
            json!({"construction": "expansion", "road_grade": "class4"}),
            EX,
            "不含改扩建四级公路",
        ),
        ok(
            "不含改扩建四级公路",
            130,
            json!({"construction": "renovation", "road_grade": "class4"}),
            EX,
            "不含改扩建四级公路",
        ),
        ok(
            r1,
            130,
            json!({"construction": "expansion", "road_grade": "class2", "length_km": 50, "sensitive_areas": ["nature_reserve"]}),
            RF,
            other130,
        ),
        ok(
            other130,
            130,
            json!({"construction": "relocation", "road_grade": "class1", "length_km": 40, "sensitive_areas": []}),
            RF,
            other130,
        ),
        err(
            r1,
            &[130],
            json!({"construction": "new", "road_grade": "class2", "sensitive_areas": []}),
            &[("facts.length_km", K::Missing)],
        ),
        err(
            r2,
            &[130],
            json!({"construction": "new", "road_grade": "expressway"}),
            &[
                ("facts.length_km", K::Missing),
                ("facts.sensitive_areas", K::Missing),
            ],
        ),
        // An invalid grade could have been class 2, so the length is asked for as well.
        err(
            "等级公路",
            &[130],
            json!({"construction": "new", "road_grade": "class5", "sensitive_areas": []}),
            &[
                ("facts.road_grade", K::UnknownValue),
                ("facts.length_km", K::Missing),
            ],
        ),
        err(
            "等级公路",
            &[130],
            json!({"construction": "new", "road_grade": "class5", "length_km": 3, "sensitive_areas": []}),
            &[("facts.road_grade", K::UnknownValue)],
        ),
        err(
            r1,
            &[130],
            json!({"construction": "new", "road_grade": "class2", "length_km": -5, "sensitive_areas": []}),
            &[("facts.length_km", K::Negative)],
        ),
        err(
            r1,
            &[130],
            json!({"construction": "new", "road_grade": "class2", "length_km": "25", "sensitive_areas": []}),
            &[("facts.length_km", K::WrongType)],
        ),
        err(
            "等级公路",
            &[130],
            json!({"construction": "new", "sensitive_areas": []}),
            &[
                ("facts.road_grade", K::Missing),
                ("facts.length_km", K::Missing),
            ],
        ),
        ok(
            "配套设施",
            130,
            json!({"construction": "new", "ancillary_only": true}),
            RG,
            "配套设施",
        ),
        ok(
            "新建快速路、主干路",
            131,
            json!({"construction": "new", "structure": "road", "urban_road_class": "expressway"}),
            RF,
            "新建快速路、主干路",
        ),
        ok(
            "新建快速路、主干路",
            131,
            json!({"construction": "new", "structure": "road", "urban_road_class": "arterial"}),
            RF,
            "新建快速路、主干路",
        ),
        ok(
            "其他",
            131,
            json!({"construction": "new", "structure": "road", "urban_road_class": "secondary"}),
            RG,
            "其他",
        ),
        ok(
            "新建快速路、主干路",
            131,
            json!({"construction": "expansion", "structure": "road", "urban_road_class": "arterial"}),
            RG,
            "其他",
        ),
        ok(
            "城市桥梁、隧道",
            131,
            json!({"construction": "expansion", "structure": "bridge"}),
            RF,
            "城市桥梁、隧道",
        ),
        ok(
            "城市桥梁、隧道",
            131,
            json!({"construction": "new", "structure": "tunnel", "urban_road_class": "branch"}),
            RF,
            "城市桥梁、隧道",
        ),
        ok(
            "不含支路",
            131,
            json!({"construction": "new", "structure": "road", "urban_road_class": "branch"}),
            EX,
            "不含支路",
        ),
        ok(
            "人行天桥",
            131,
            json!({"construction": "new", "structure": "footbridge"}),
            EX,
            "人行天桥",
        ),
        ok(
            "人行地道",
            131,
            json!({"construction": "new", "structure": "underpass"}),
            EX,
            "人行地道",
        ),
        ok(
            "不含维护",
            131,
            json!({"construction": "maintenance", "structure": "road"}),
            EX,
            "不含维护",
        ),
        err(
            "新建快速路、主干路",
            &[131],
            json!({"construction": "new", "structure": "road"}),
            &[("facts.urban_road_class", K::Missing)],
        ),
        ok(
            r132,
            132,
            json!({"construction": "new", "line": "main", "sensitive_areas": []}),
            R,
            r132,
        ),
        ok(
            rf132,
            132,
            json!({"construction": "new", "line": "connecting", "length_km": 30, "sensitive_areas": []}),
            RF,
            rf132,
        ),
        ok(
            rf132,
            132,
            json!({"construction": "new", "line": "connecting", "length_km": 30.1, "sensitive_areas": []}),
            R,
            r132,
        ),
        ok(
            "涉及环境敏感区的",
            132,
            json!({"construction": "new", "line": "dedicated", "length_km": 30, "sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            "第三条（三）中的全部区域",
            132,
            json!({"construction": "new", "line": "dedicated", "length_km": 10, "sensitive_areas": ["cultural_relic"]}),
            R,
            "涉及环境敏感区的",
        ),
        ok(
            rf132,
            132,
            json!({"construction": "expansion", "line": "dedicated", "length_km": 5, "sensitive_areas": []}),
            RF,
            rf132,
        ),
        ok(
            "新建、增建铁路",
            132,
            json!({"construction": "renovation", "line": "main"}),
            EX,
            "新建、增建铁路",
        ),
        err(
            rf132,
            &[132],
            json!({"construction": "new", "line": "connecting", "sensitive_areas": []}),
            &[("facts.length_km", K::Missing)],
        ),
        ok(
            "500千伏及以上的",
            161,
            json!({"voltage_kv": 500}),
            R,
            "500千伏及以上的",
        ),
        ok(
            "其他（100千伏以下除外）",
            161,
            json!({"voltage_kv": 499.9, "sensitive_areas": []}),
            RF,
            "其他（100千伏以下除外）",
        ),
        ok(
            "涉及环境敏感区的330千伏及以上的",
            161,
            json!({"voltage_kv": 330, "sensitive_areas": ["nature_reserve"]}),
            R,
            "涉及环境敏感区的330千伏及以上的",
        ),
        ok(
            "第三条（三）中的以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
            161,
            json!({"voltage_kv": 330, "sensitive_areas": ["residential_area"]}),
            R,
            "涉及环境敏感区的330千伏及以上的",
        ),
        ok(
            "涉及环境敏感区的330千伏及以上的",
            161,
            json!({"voltage_kv": 329, "sensitive_areas": ["nature_reserve"]}),
            RF,
            "其他（100千伏以下除外）",
        ),
        ok(
            "第三条（三）中的以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
            161,
            json!({"voltage_kv": 330, "sensitive_areas": ["cultural_relic"]}),
            RF,
            "其他（100千伏以下除外）",
        ),
        ok(
            "100千伏以下除外",
            161,
            json!({"voltage_kv": 100, "sensitive_areas": []}),
            RF,
            "其他（100千伏以下除外）",
        ),
        ok(
            "100千伏以下除外",
            161,
            json!({"voltage_kv": 99.9, "sensitive_areas": []}),
            EX,
            "100千伏以下除外",
        ),
        ok(
            "100千伏以下除外",
            161,
            json!({"voltage_kv": 35, "sensitive_areas": []}),
            EX,
            "100千伏以下除外",
        ),
        err(
            "涉及环境敏感区的330千伏及以上的",
            &[161],
            json!({"voltage_kv": 330}),
            &[("facts.sensitive_areas", K::Missing)],
        ),
        ok(
            "500千伏及以上的",
            161,
            json!({"voltage_kv": 750}),
            R,
            "500千伏及以上的",
        ),
    ]
}

/// Every row table, for the coverage check below.
fn row_cases() -> Vec<Case> {
    [
        agriculture_and_husbandry_cases(),
        mining_and_quarrying_cases(),
        food_and_drink_cases(),
        pharmaceuticals_and_building_materials_cases(),
        power_generation_cases(),
        water_and_sewage_cases(),
        buildings_services_and_waste_cases(),
        recreation_transport_services_cases(),
        highways_roads_railways_power_lines_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Every comparison (fact, threshold) a condition makes.
fn comparisons(cond: &Cond, out: &mut Vec<(&'static str, f64)>) {
    match cond {
        Cond::AtLeast(k, x) | Cond::Above(k, x) | Cond::Below(k, x) | Cond::AtMost(k, x) => {
            out.push((k, *x));
        }
        Cond::Not(inner) => comparisons(inner, out),
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| comparisons(c, out)),
        Cond::Always
        | Cond::Built(_)
        | Cond::Is(..)
        | Cond::Flag(_)
        | Cond::Sensitive
        | Cond::SensitiveExcept(_) => {}
    }
}

/// The tables reach every clause and every exclusion of every structured row, sit on and on
/// both sides of every threshold, and try sensitive areas inside and outside each scope.
#[test]
fn row_tables_exercise_every_clause_exclusion_and_threshold() {
    let cases = row_cases();
    let mut gaps = Vec::new();
    for rule in registry().values() {
        let mine: Vec<&Case> = cases
            .iter()
            .filter(|c| c.rows == [i64::from(rule.row)])
            .collect();
        let matched: BTreeSet<&str> = mine
            .iter()
            .filter_map(|c| match c.expect {
                Expect::One(_, clause) => Some(clause),
                Expect::Many(..) | Expect::Errors(_) => None,
            })
            .collect();
        let cited: BTreeSet<&str> = mine.iter().map(|c| c.cites).collect();
        for clause in &rule.clauses {
            if !matched.contains(clause.text) {
                gaps.push(format!(
                    "row {}: clause “{}” never matched",
                    rule.row, clause.text
                ));
            }
            for except in &clause.except {
                if !matched.contains(except.text)
                    && !cited
                        .iter()
                        .any(|c| except.text.contains(c) || c.contains(except.text))
                {
                    gaps.push(format!(
                        "row {}: exclusion “{}” never tried",
                        rule.row, except.text
                    ));
                }
            }
        }
        for limit in &rule.limits {
            if !matched.contains(limit.text) {
                gaps.push(format!(
                    "row {}: limit “{}” never applied",
                    rule.row, limit.text
                ));
            }
        }
        let mut pairs = Vec::new();
        for cond in rule.conditions() {
            comparisons(cond, &mut pairs);
        }
        for (key, x) in pairs {
            let values: Vec<f64> = mine
                .iter()
                .filter_map(|c| c.facts.get(key).and_then(Value::as_f64))
                .collect();
            let at = values.contains(&x);
            let under = values.iter().any(|v| *v < x);
            let over = values.iter().any(|v| *v > x);
            if !(at && under && over) {
                gaps.push(format!(
                    "row {}: {key} {x}: at {at}, below {under}, above {over}",
                    rule.row
                ));
            }
        }
        let areas_of = |c: &&Case| -> Vec<SensitiveArea> {
            c.facts
                .get(SENSITIVE_AREAS_KEY)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().and_then(SensitiveArea::from_code))
                        .collect()
                })
                .unwrap_or_default()
        };
        if !rule.scope.is_empty() {
            let inside = mine
                .iter()
                .any(|c| areas_of(c).iter().any(|a| rule.scope.contains(a)));
            let outside_possible = rule.scope.len() < SensitiveArea::ALL.len();
            let outside = mine.iter().any(|c| {
                let areas = areas_of(c);
                !areas.is_empty() && areas.iter().all(|a| !rule.scope.contains(a))
            });
            if !inside || (outside_possible && !outside) {
                gaps.push(format!(
                    "row {}: sensitive areas inside {inside}, outside {outside}",
                    rule.row
                ));
            }
        }
        if mine.is_empty() {
            gaps.push(format!("row {}: no cases", rule.row));
        }
    }
    assert!(
        gaps.is_empty(),
        "{} gap(s):\n{}",
        gaps.len(),
        gaps.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Several rows, no rows, invalid requests, hand-chosen clauses
// ---------------------------------------------------------------------------------------

#[test]
fn several_rows_take_the_strictest_tier() {
    run(vec![
        many(
            "其环境影响评价类别按照其中单项等级最高的确定",
            &[130, 161],
            json!({"construction": "new", "road_grade": "class3", "voltage_kv": 110, "sensitive_areas": []}),
            RF,
            &[(130, RG), (161, RF)],
        ),
        many(
            "其环境影响评价类别按照其中单项等级最高的确定",
            &[54, 9],
            json!({"product": "cement_grinding", "activity": "mining"}),
            R,
            &[(54, RF), (9, R)],
        ),
        many(
            "不含供应工程",
            &[94, 105],
            json!({"water_works": "supply_network", "daily_capacity_t": 149}),
            EX,
            &[(94, EX), (105, EX)],
        ),
        many(
            "等级公路",
            &[130, 130],
            json!({"construction": "new", "road_grade": "class4", "sensitive_areas": []}),
            RG,
            &[(130, RG)],
        ),
        // Rows 95 and 105 share `daily_capacity_t`, with each row's own threshold.
        many(
            "日转运能力150吨及以上的",
            &[95, 105],
            json!({"construction": "new", "wastewater": "municipal", "daily_capacity_t": 200}),
            RF,
            &[(95, RG), (105, RF)],
        ),
        err(
            "其环境影响评价类别按照其中单项等级最高的确定",
            &[130, 161],
            json!({"construction": "new"}),
            &[
                ("facts.road_grade", K::Missing),
                ("facts.length_km", K::Missing),
                ("facts.sensitive_areas", K::Missing),
                ("facts.voltage_kv", K::Missing),
            ],
        ),
    ]);
    let outcome = classify(
        &ClassifyInput {
            rows: vec![130, 161],
            facts: facts(json!({"construction": "new", "road_grade": "class3", "voltage_kv": 110, "sensitive_areas": []})),
            ..ClassifyInput::default()
        },
        Catalog::embedded(),
    )
    .expect("classifies");
    assert!(outcome.basis.contains("第四条"), "{}", outcome.basis);
    assert!(outcome.basis.contains(ART4_STRICTEST));
    assert!(
        outcome.basis.contains("按第161项确定为报告表"),
        "{}",
        outcome.basis
    );
}

fn facts(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[test]
fn no_rows_is_exempt_under_article_5() {
    run(vec![
        many(
            "本名录未作规定的建设项目，不纳入建设项目环境影响评价管理",
            &[],
            json!({}),
            EX,
            &[],
        ),
        many(
            "本名录未作规定的建设项目",
            &[],
            json!({"construction": "new", "sensitive_areas": ["nature_reserve"]}),
            EX,
            &[],
        ),
        err(
            "本名录未作规定的建设项目",
            &[],
            json!({"length_km": 5}),
            &[("facts.length_km", K::UnknownKey)],
        ),
    ]);
    let outcome = classify(&ClassifyInput::default(), Catalog::embedded()).expect("classifies");
    assert!(!outcome.required);
    assert!(
        outcome.basis.contains("第五条") && outcome.basis.contains(ART5_OUTSIDE),
        "{}",
        outcome.basis
    );
}

#[test]
fn invalid_requests_name_every_field() {
    run(vec![
        err(
            "本名录未作规定的建设项目",
            &[0],
            json!({}),
            &[("rows[0]", K::RowOutOfRange)],
        ),
        err(
            "本名录未作规定的建设项目",
            &[174],
            json!({}),
            &[("rows[0]", K::RowOutOfRange)],
        ),
        err(
            "本名录未作规定的建设项目",
            &[-3, 200],
            json!({}),
            &[("rows[0]", K::RowOutOfRange), ("rows[1]", K::RowOutOfRange)],
        ),
        err(
            "等级公路",
            &[130, 174],
            json!({"construction": "new", "sensitive_areas": []}),
            &[
                ("rows[1]", K::RowOutOfRange),
                ("facts.road_grade", K::Missing),
                ("facts.length_km", K::Missing),
            ],
        ),
        err(
            "全部（含新建或扩建的独立尾矿库",
            &[9],
            json!({"activity": "mining", "length_km": 3}),
            &[("facts.length_km", K::UnknownKey)],
        ),
        err(
            "等级公路",
            &[130],
            json!({"road_grade": "class9", "length_km": -1, "sensitive_areas": ["moon", "nature_reserve", 7], "foo": 1}),
            &[
                ("facts.road_grade", K::UnknownValue),
                ("facts.length_km", K::Negative),
                ("facts.sensitive_areas[0]", K::UnknownValue),
                ("facts.sensitive_areas[2]", K::WrongType),
                ("facts.foo", K::UnknownKey),
                ("facts.construction", K::Missing),
            ],
        ),
        err(
            "等级公路",
            &[130],
            json!({"construction": "rebuild", "road_grade": "class4", "sensitive_areas": "nature_reserve"}),
            &[
                ("facts.construction", K::UnknownValue),
                ("facts.sensitive_areas", K::WrongType),
            ],
        ),
        err(
            "抽水蓄能电站",
            &[88],
            json!({"pumped_storage": "yes", "installed_capacity_kw": 10, "sensitive_areas": []}),
            &[("facts.pumped_storage", K::WrongType)],
        ),
        err(
            "等级公路",
            &[130],
            json!({"construction": 1, "road_grade": "class2", "length_km": 3, "sensitive_areas": []}),
            &[("facts.construction", K::WrongType)],
        ),
        // A blank form field (null) counts as not given.
        err(
            "新建30公里（不含）以上的二级及以上等级公路",
            &[130],
            json!({"construction": "new", "road_grade": "class2", "length_km": null, "sensitive_areas": []}),
            &[("facts.length_km", K::Missing)],
        ),
    ]);
    let errors = classify(
        &ClassifyInput {
            rows: vec![130],
            ..ClassifyInput::default()
        },
        Catalog::embedded(),
    )
    .expect_err("facts missing");
    let road = errors
        .iter()
        .find(|e| e.field == "facts.road_grade")
        .expect("road_grade named");
    assert!(road.message.contains("第130项"), "{}", road.message);
}

#[test]
fn hand_chosen_clauses() {
    run(vec![
        ok("全部", 135, json!({}), R, "全部").manual(135, R),
        err(
            "城市轨道交通",
            &[135],
            json!({}),
            &[("rows[0]", K::ManualClauseRequired)],
        ),
        err(
            "城市轨道交通",
            &[135],
            json!({}),
            &[("manual_clauses.135", K::ManualClauseNotApplicable)],
        )
        .manual(135, RF),
        ok("城市轨道交通", 135, json!({}), EX, "").manual(135, EX),
        err(
            "等级公路",
            &[130],
            json!({"construction": "new", "road_grade": "class4", "sensitive_areas": []}),
            &[("manual_clauses.130", K::ManualClauseUnexpected)],
        )
        .manual(130, R),
        err(
            "全部",
            &[166],
            json!({}),
            &[("manual_clauses.135", K::ManualClauseUnexpected)],
        )
        .manual(135, R),
        many(
            "其环境影响评价类别按照其中单项等级最高的确定",
            &[135, 130],
            json!({"construction": "new", "road_grade": "class4", "sensitive_areas": []}),
            R,
            &[(135, R), (130, RG)],
        )
        .manual(135, R),
        many(
            "全部",
            &[117, 161],
            json!({"voltage_kv": 110, "sensitive_areas": []}),
            RF,
            &[(117, RF), (161, RF)],
        )
        .manual(117, RF),
        ok("全部", 100, json!({}), RG, "全部").manual(100, RG),
        err(
            "城市轨道交通",
            &[135],
            json!({"length_km": 3}),
            &[("facts.length_km", K::UnknownKey)],
        )
        .manual(135, R),
    ]);
    let outcome = classify(
        &ClassifyInput {
            rows: vec![135],
            manual_clauses: BTreeMap::from([(135, R)]),
            ..ClassifyInput::default()
        },
        Catalog::embedded(),
    )
    .expect("classifies");
    assert!(outcome.rows[0].manual);
    assert!(outcome.basis.contains("审批人员选定"), "{}", outcome.basis);
}

#[test]
fn outcome_serializes_as_documented_and_can_be_overridden() {
    let input: ClassifyInput = serde_json::from_value(json!({
        "rows": [130],
        "facts": {"construction": "new", "road_grade": "class2", "length_km": 25, "sensitive_areas": ["nature_reserve"]}
    }))
    .expect("the documented request parses");
    let outcome = classify(&input, Catalog::embedded()).expect("classifies");
    let json = serde_json::to_value(&outcome).expect("serializes");
    assert_eq!(json["tier"], "report");
    assert_eq!(json["required"], true);
    assert_eq!(json["rows"][0]["row"], 130);
    assert_eq!(
        json["rows"][0]["clause"],
        "新建涉及环境敏感区的二级及以上等级公路"
    );
    assert_eq!(
        json["rows"][0]["sensitive_areas_counted"],
        json!(["nature_reserve"])
    );
    assert_eq!(
        json["sensitive_areas_considered"],
        json!(["nature_reserve"])
    );
    assert!(
        outcome
            .basis
            .starts_with("《建设项目环境影响评价分类管理名录（2021年版）》第130项"),
        "{}",
        outcome.basis
    );
    let manual: ClassifyInput =
        serde_json::from_value(json!({"rows": [135], "manual_clauses": {"135": "report"}}))
            .expect("manual clauses parse");
    assert_eq!(manual.manual_clauses.get(&135), Some(&R));

    let exempt = outcome.override_exempt("陕西省环评豁免清单（示例文号）");
    assert_eq!((exempt.tier, exempt.required), (EX, false));
    assert!(exempt.basis.starts_with("陕西省环评豁免清单") && exempt.basis.contains("第130项"));
    assert_eq!(exempt.rows[0].tier, R, "the catalogue analysis is kept");
}

#[test]
fn excluded_rows_quote_the_exclusion_in_the_basis() {
    let outcome = classify(
        &ClassifyInput {
            rows: vec![90],
            facts: facts(json!({"generation": "household_pv"})),
            ..ClassifyInput::default()
        },
        Catalog::embedded(),
    )
    .expect("classifies");
    assert_eq!(outcome.tier, EX);
    assert!(
        outcome.basis.contains("不含居民家用光伏发电"),
        "{}",
        outcome.basis
    );
    let none = classify(
        &ClassifyInput {
            rows: vec![105],
            facts: facts(json!({"daily_capacity_t": 20})),
            ..ClassifyInput::default()
        },
        Catalog::embedded(),
    )
    .expect("classifies");
    assert!(
        none.basis.contains("日转运能力150吨及以上的"),
        "{}",
        none.basis
    );
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// Thresholds a rule compares `key` against.
fn thresholds(key: &str, row: u16) -> Vec<f64> {
    let mut out = Vec::new();
    if let Some(rule) = registry().get(&row) {
        for cond in rule.conditions() {
            collect_thresholds(cond, key, &mut out);
        }
    }
    out
}

fn collect_thresholds(cond: &Cond, key: &str, out: &mut Vec<f64>) {
    match cond {
        Cond::AtLeast(k, x) | Cond::Above(k, x) | Cond::Below(k, x) | Cond::AtMost(k, x) => {
            if *k == key {
                out.push(*x);
            }
        }
        Cond::Not(inner) => collect_thresholds(inner, key, out),
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| collect_thresholds(c, key, out)),
        Cond::Always
        | Cond::Built(_)
        | Cond::Is(..)
        | Cond::Flag(_)
        | Cond::Sensitive
        | Cond::SensitiveExcept(_) => {}
    }
}

/// Valid values for one fact of `row`, dense around the row's thresholds.
fn value_strategy(spec: FactSpec, row: u16) -> BoxedStrategy<Value> {
    match spec.kind {
        FactKind::Enum(choices) | FactKind::EnumList(choices) => {
            proptest::sample::select(choices.iter().map(|c| c.value).collect::<Vec<_>>())
                .prop_map(|v| json!(v))
                .boxed()
        }
        FactKind::Bool => any::<bool>().prop_map(|b| json!(b)).boxed(),
        FactKind::Number { .. } | FactKind::Count { .. } => {
            let whole = matches!(spec.kind, FactKind::Count { .. });
            let mut points: Vec<f64> = thresholds(spec.key, row)
                .into_iter()
                .flat_map(|x| [x, x - 1.0, x + 1.0, x - 0.01, x + 0.01])
                .filter(|x| *x >= 0.0 && (!whole || x.fract() == 0.0))
                .collect();
            points.push(0.0);
            prop_oneof![
                4 => proptest::sample::select(points).prop_map(|x| json!(x)),
                1 => (0u32..20_000_000).prop_map(|x| json!(x)),
            ]
            .boxed()
        }
    }
}

/// A complete, valid set of facts for `row`.
fn facts_for(row: u16) -> BoxedStrategy<Map<String, Value>> {
    let specs = fact_specs(row).unwrap_or_default();
    let entries: Vec<BoxedStrategy<(String, Value)>> = specs
        .into_iter()
        .filter(|s| s.key != SENSITIVE_AREAS_KEY)
        .map(|s| {
            value_strategy(s, row)
                .prop_map(move |v| (s.key.to_owned(), v))
                .boxed()
        })
        .collect();
    let areas = proptest::sample::subsequence(SensitiveArea::ALL.to_vec(), 0..4);
    let construction = proptest::sample::select(Construction::ALL.to_vec());
    (entries, areas, construction)
        .prop_map(|(entries, areas, construction)| {
            let mut map: Map<String, Value> = entries.into_iter().collect();
            map.insert(CONSTRUCTION_KEY.to_owned(), json!(construction.code()));
            map.insert(
                SENSITIVE_AREAS_KEY.to_owned(),
                json!(areas.iter().map(|a| a.code()).collect::<Vec<_>>()),
            );
            map
        })
        .boxed()
}

/// Arbitrary JSON, biased towards the vocabulary so that some requests get far.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let words: Vec<&'static str> = registry()
        .values()
        .flat_map(|r| r.facts.iter())
        .flat_map(|s| match s.kind {
            FactKind::Enum(cs) | FactKind::EnumList(cs) => cs.iter().map(|c| c.value).collect(),
            FactKind::Number { .. } | FactKind::Count { .. } | FactKind::Bool => Vec::new(),
        })
        .chain(SensitiveArea::ALL.iter().map(|a| a.code()))
        .chain(Construction::ALL.iter().map(|c| c.code()))
        .collect();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|x| json!(x)),
        proptest::sample::select(words).prop_map(|w| json!(w)),
        "[a-z_]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arbitrary_key() -> impl Strategy<Value = String> {
    let mut keys: Vec<String> = registry()
        .values()
        .flat_map(|r| r.facts.iter().map(|s| s.key.to_owned()))
        .collect();
    keys.push(CONSTRUCTION_KEY.to_owned());
    keys.push(SENSITIVE_AREAS_KEY.to_owned());
    prop_oneof![proptest::sample::select(keys), "[a-z_]{1,10}"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any rows in -5..200 and any JSON facts: always an answer or a list of errors.
    #[test]
    fn engine_is_total(
        rows in proptest::collection::vec(-5i64..200, 0..4),
        facts in proptest::collection::btree_map(arbitrary_key(), arbitrary_json(), 0..8),
        manual in proptest::collection::btree_map(
            1u16..=173,
            proptest::sample::select(vec![EX, RG, RF, R]),
            0..2,
        ),
    ) {
        let catalog = Catalog::embedded();
        let input = ClassifyInput { rows, facts: facts.into_iter().collect(), manual_clauses: manual };
        match classify(&input, catalog) {
            Ok(outcome) => {
                prop_assert_eq!(outcome.required, outcome.tier != EX);
                let strictest = outcome.rows.iter().map(|r| r.tier).max().unwrap_or(EX);
                prop_assert_eq!(outcome.tier, strictest);
                for r in &outcome.rows {
                    let row = catalog.row(r.row).expect("row exists");
                    prop_assert!(row.tier_applies(r.tier), "row {} yields a “/” tier", r.row);
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }
}

/// Runs `check` on generated complete facts of every structured row in turn (each row gets
/// its own cases, so that no row is left to chance), with an extra sensitive area drawn
/// mostly from the row's own scope.
fn for_every_row(
    cases: u32,
    check: impl Fn(u16, Map<String, Value>, SensitiveArea) -> Result<(), TestCaseError>,
) {
    for row in structured_rows() {
        let scope = row_schema(row, Catalog::embedded())
            .map(|s| [s.sensitive_scope, s.conditional_scope].concat())
            .unwrap_or_default();
        let extra = if scope.is_empty() {
            proptest::sample::select(SensitiveArea::ALL.to_vec()).boxed()
        } else {
            prop_oneof![
                3 => proptest::sample::select(scope),
                1 => proptest::sample::select(SensitiveArea::ALL.to_vec()),
            ]
            .boxed()
        };
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases,
            ..ProptestConfig::default()
        });
        if let Err(e) = runner.run(&(facts_for(row), extra), |(facts, extra)| {
            check(row, facts, extra)
        }) {
            panic!("row {row}: {e}");
        }
    }
}

fn classify_one(row: u16, facts: Map<String, Value>) -> Result<Outcome, Vec<FactError>> {
    let input = ClassifyInput {
        rows: vec![i64::from(row)],
        facts,
        ..ClassifyInput::default()
    };
    classify(&input, Catalog::embedded())
}

/// Complete valid facts always classify.
#[test]
fn complete_facts_always_classify() {
    for_every_row(128, |row, facts, _| {
        let outcome = classify_one(row, facts.clone());
        prop_assert!(outcome.is_ok(), "facts {facts:?}: {outcome:?}");
        Ok(())
    });
}

/// Adding a sensitive area never lowers a row's tier (areas outside the row's scope change
/// nothing; those inside can only make it stricter).
#[test]
fn sensitive_areas_are_monotone() {
    for_every_row(128, |row, facts, extra| {
        let before = classify_one(row, facts.clone());
        let mut more = facts.clone();
        if let Some(Value::Array(areas)) = more.get_mut(SENSITIVE_AREAS_KEY) {
            areas.push(json!(extra.code()));
        }
        let after = classify_one(row, more);
        match (before, after) {
            (Ok(b), Ok(a)) => prop_assert!(
                a.tier >= b.tier,
                "{:?} → {:?} adding {extra:?} to {facts:?}",
                b.tier,
                a.tier
            ),
            (b, a) => prop_assert!(false, "{b:?} / {a:?}"),
        }
        Ok(())
    });
}

#[test]
fn catalogue_file_is_the_verified_transcription() {
    // The shipped catalogue is the row-by-row verified transcription of 生态环境部令第16号; an
    // accidental edit of its text changes this digest.
    use sha2::{Digest, Sha256};
    let text = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../resources/eia-catalog-2021.json"
    ));
    assert_eq!(
        hex::encode(Sha256::digest(text)),
        "4f4c3e64163a859eb09ab0a9eb9a3a9bf6ced5ed95b723e0a01ee242303c54d0"
    );
}
