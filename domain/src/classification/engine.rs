//! The classifier: checks a request (rows, facts, hand-chosen clauses), applies each row's
//! structured rule or the officer's choice, and combines rows by Art. 4 (or Art. 5 for none).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::catalog::{Catalog, CatalogRow};
use super::facts::{
    CONSTRUCTION_KEY, CONSTRUCTION_SPEC, FactSpec, Facts, SENSITIVE_AREAS_KEY,
    SENSITIVE_AREAS_SPEC, SensitiveArea, join_rows,
};
use super::rules::{self, RowEval, RowRule};

/// Art. 4, second paragraph: several rows take the strictest tier.
pub const ART4_STRICTEST: &str = "建设内容涉及本名录中两个及以上项目类别的建设项目，其环境影响评价类别按照其中单项等级最高的确定";
/// Art. 5: a project in no row is outside EIA management.
pub const ART5_OUTSIDE: &str = "本名录未作规定的建设项目，不纳入建设项目环境影响评价管理";

pub use crate::ledger::Tier;

/// A classification request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassifyInput {
    /// Catalogue rows (1–173) the project falls under; empty means none (Art. 5).
    pub rows: Vec<i64>,
    /// Facts by key, as in `docs/classification.md`.
    pub facts: Map<String, Value>,
    /// The officer's hand-chosen tier for rows that have no structured rule.
    pub manual_clauses: BTreeMap<u16, Tier>,
}

/// The answer for one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowOutcome {
    pub row: u16,
    pub tier: Tier,
    /// The catalogue words that matched (a cell or its fragment, or the exclusion that
    /// applies); empty when no clause of the row matched.
    pub clause: String,
    /// Chosen by hand by the officer (rows without structured rules).
    pub manual: bool,
    /// Why, in words for the decision record.
    pub reason: String,
    /// The declared sensitive areas that this row's last column counts.
    pub sensitive_areas_counted: Vec<SensitiveArea>,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub tier: Tier,
    /// False exactly when `tier` is `Exempt`.
    pub required: bool,
    pub rows: Vec<RowOutcome>,
    /// The legal basis, citing the catalogue.
    pub basis: String,
    /// The sensitive areas the request declared (those that counted are per row).
    pub sensitive_areas_considered: Vec<SensitiveArea>,
}

impl Outcome {
    /// Makes the project exempt on a policy basis (the caller's policy exemptions), keeping
    /// the catalogue analysis: the rows stay, and the catalogue basis follows the new one.
    #[must_use]
    pub fn override_exempt(self, policy_basis: &str) -> Outcome {
        Outcome {
            tier: Tier::Exempt,
            required: false,
            basis: format!("{policy_basis}（按名录：{}）", self.basis),
            ..self
        }
    }
}

/// What is wrong with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactErrorKind {
    /// A fact the rows need is not given.
    Missing,
    /// A fact key that neither the rows nor the common facts use.
    UnknownKey,
    /// An enum value or sensitive-area code not in the vocabulary.
    UnknownValue,
    WrongType,
    Negative,
    RowOutOfRange,
    /// A row without structured rules and no hand-chosen clause.
    ManualClauseRequired,
    /// A hand-chosen tier that the row marks "/".
    ManualClauseNotApplicable,
    /// A hand-chosen clause for a row not requested, or for a row with structured rules.
    ManualClauseUnexpected,
}

/// One problem with a request, naming the field (`facts.length_km`, `rows[0]`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactError {
    pub field: String,
    pub kind: FactErrorKind,
    pub message: String,
}

impl FactError {
    pub fn new(field: String, kind: FactErrorKind, message: String) -> FactError {
        FactError {
            field,
            kind,
            message,
        }
    }
}

impl fmt::Display for FactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FactError {}

/// Rows that have structured rules, ascending.
pub fn structured_rows() -> Vec<u16> {
    rules::registry().keys().copied().collect()
}

/// The facts a structured row reads (the common facts first, when the row uses them);
/// `None` for rows without structured rules.
pub fn fact_specs(row: u16) -> Option<Vec<FactSpec>> {
    rules::registry().get(&row).map(specs_of)
}

fn specs_of(rule: &RowRule) -> Vec<FactSpec> {
    let mut specs = Vec::with_capacity(rule.facts.len() + 2);
    if rule.uses_construction() {
        specs.push(CONSTRUCTION_SPEC);
    }
    if rule.uses_sensitive_areas() {
        specs.push(SENSITIVE_AREAS_SPEC);
    }
    specs.extend(rule.facts.iter().copied());
    specs
}

/// What `GET /api/v1/catalog/{row}` publishes beyond the row's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowSchema {
    pub row: u16,
    /// Whether the row has structured rules; if not, the officer chooses the clause.
    pub structured: bool,
    pub facts: Vec<FactSpec>,
    /// The sensitive areas the row counts (read from its last column).
    pub sensitive_scope: Vec<SensitiveArea>,
    /// Areas that count only in some cases, with the catalogue's words (row 97).
    pub conditional_scope: Vec<SensitiveArea>,
    pub conditional_scope_text: Option<&'static str>,
}

/// The schema of any catalogue row; `None` for a row number the catalogue lacks.
pub fn row_schema(row: u16, catalog: &Catalog) -> Option<RowSchema> {
    let cat_row = catalog.row(row)?;
    Some(match rules::registry().get(&row) {
        Some(rule) => RowSchema {
            row,
            structured: true,
            facts: specs_of(rule),
            sensitive_scope: rule.scope.clone(),
            conditional_scope: rule
                .scope_rider
                .as_ref()
                .map(|r| r.areas.clone())
                .unwrap_or_default(),
            conditional_scope_text: rule.scope_rider.as_ref().map(|r| r.text),
        },
        None => RowSchema {
            row,
            structured: false,
            facts: Vec::new(),
            // The parser is checked on all 173 rows by the tests; a failure would only hide
            // the scope from the form, never change a decision.
            sensitive_scope: cat_row.sensitive_areas().unwrap_or_default(),
            conditional_scope: Vec::new(),
            conditional_scope_text: None,
        },
    })
}

/// Classifies a project.
///
/// # Errors
///
/// Every problem with the request at once: rows outside the catalogue, rows without rules
/// or hand-chosen clause, misplaced hand-chosen clauses, unknown keys, bad values, and each
/// missing fact the answer depends on (naming the rows that need it).
pub fn classify(input: &ClassifyInput, catalog: &Catalog) -> Result<Outcome, Vec<FactError>> {
    let registry = rules::registry();
    let mut errors = Vec::new();

    // Rows: valid ones, each once, in request order (with the index for error fields).
    let mut rows: Vec<(usize, &CatalogRow)> = Vec::new();
    for (i, &raw) in input.rows.iter().enumerate() {
        let found = u16::try_from(raw).ok().and_then(|r| catalog.row(r));
        match found {
            Some(cat_row) => {
                if !rows.iter().any(|(_, r)| r.row == cat_row.row) {
                    rows.push((i, cat_row));
                }
            }
            None => errors.push(FactError::new(
                format!("rows[{i}]"),
                FactErrorKind::RowOutOfRange,
                format!(
                    "项目类别序号{raw}超出名录范围（1–{}）",
                    catalog.rows().len()
                ),
            )),
        }
    }

    check_manual_clauses(input, &rows, registry, &mut errors);
    for (i, cat_row) in &rows {
        if !registry.contains_key(&cat_row.row) && !input.manual_clauses.contains_key(&cat_row.row)
        {
            errors.push(FactError::new(
                format!("rows[{i}]"),
                FactErrorKind::ManualClauseRequired,
                format!(
                    "第{}项“{}”暂无结构化规则，须由审批人员选择类别（manual_clauses.{}）",
                    cat_row.row, cat_row.category, cat_row.row
                ),
            ));
        }
    }

    // Facts: the row facts of the structured rows requested, plus the common ones.
    let mut known: BTreeMap<&'static str, FactSpec> = BTreeMap::new();
    for (_, cat_row) in &rows {
        if let Some(rule) = registry.get(&cat_row.row) {
            for spec in &rule.facts {
                known.entry(spec.key).or_insert(*spec);
            }
        }
    }
    let facts = Facts::parse(&input.facts, &known, rules::rows_using, &mut errors);

    // Evaluate every row, collecting the facts still needed across rows.
    let mut missing: BTreeMap<&'static str, BTreeSet<u16>> = BTreeMap::new();
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut undecided = Vec::new();
    for (_, cat_row) in &rows {
        if let Some(rule) = registry.get(&cat_row.row) {
            match rule.evaluate(&facts, cat_row) {
                RowEval::Decided(outcome) => outcomes.push(outcome),
                RowEval::Missing(keys) => {
                    if keys.is_empty() {
                        undecided.push(cat_row.row);
                    }
                    for key in keys {
                        missing.entry(key).or_default().insert(cat_row.row);
                    }
                }
            }
        } else if let Some(&tier) = input.manual_clauses.get(&cat_row.row)
            && cat_row.tier_applies(tier)
        {
            // A tier the row marks "/" was reported by `check_manual_clauses`.
            outcomes.push(manual_outcome(cat_row, tier, &facts));
        }
    }
    for (key, rows_needing) in missing {
        let rows_needing: Vec<u16> = rows_needing.into_iter().collect();
        errors.push(FactError::new(
            format!("facts.{key}"),
            FactErrorKind::Missing,
            format!(
                "第{}项需要事实“{key}”：{}",
                join_rows(&rows_needing),
                describe(key, &known)
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Every undecidable evaluation comes from a missing or invalid fact, both reported
    // above; this guards the invariant instead of answering with a guess.
    if !undecided.is_empty() {
        return Err(vec![FactError::new(
            "rows".to_owned(),
            FactErrorKind::Missing,
            format!("第{}项无法确定类别", join_rows(&undecided)),
        )]);
    }

    let tier = outcomes
        .iter()
        .map(|o| o.tier)
        .max()
        .unwrap_or(Tier::Exempt);
    let basis = basis(catalog, &rows, &outcomes, tier);
    Ok(Outcome {
        tier,
        required: tier.required(),
        rows: outcomes,
        basis,
        sensitive_areas_considered: facts.declared_areas(),
    })
}

fn check_manual_clauses(
    input: &ClassifyInput,
    rows: &[(usize, &CatalogRow)],
    registry: &BTreeMap<u16, RowRule>,
    errors: &mut Vec<FactError>,
) {
    for (&row, &tier) in &input.manual_clauses {
        let field = format!("manual_clauses.{row}");
        let Some((_, cat_row)) = rows.iter().find(|(_, r)| r.row == row) else {
            errors.push(FactError::new(
                field,
                FactErrorKind::ManualClauseUnexpected,
                format!("第{row}项不在所选项目类别中"),
            ));
            continue;
        };
        if registry.contains_key(&row) {
            errors.push(FactError::new(
                field,
                FactErrorKind::ManualClauseUnexpected,
                format!("第{row}项有结构化规则，类别由事实确定，不能手工选择"),
            ));
        } else if !cat_row.tier_applies(tier) {
            errors.push(FactError::new(
                field,
                FactErrorKind::ManualClauseNotApplicable,
                format!("第{row}项{}栏为“/”，不能选择该类别", tier.label()),
            ));
        }
    }
}

fn manual_outcome(cat_row: &CatalogRow, tier: Tier, facts: &Facts) -> RowOutcome {
    let (clause, reason) = match cat_row.cell(tier) {
        Some(cell) => (
            cell.to_owned(),
            format!("{}类别“{cell}”（审批人员选定）", tier.label()),
        ),
        None => (
            String::new(),
            "审批人员认定不符合本项各类别条件，不纳入环评管理".to_owned(),
        ),
    };
    // Without a rule the engine cannot tell which areas the officer weighed; record those
    // the row's last column names, as the officer saw them.
    let scope = cat_row.sensitive_areas().unwrap_or_default();
    RowOutcome {
        row: cat_row.row,
        tier,
        clause,
        manual: true,
        reason,
        sensitive_areas_counted: facts
            .declared_areas()
            .into_iter()
            .filter(|a| scope.contains(a))
            .collect(),
    }
}

fn describe(key: &str, known: &BTreeMap<&'static str, FactSpec>) -> String {
    let spec = match key {
        CONSTRUCTION_KEY => Some(&CONSTRUCTION_SPEC),
        SENSITIVE_AREAS_KEY => Some(&SENSITIVE_AREAS_SPEC),
        _ => known.get(key),
    };
    spec.map_or_else(String::new, |s| s.description_zh.to_owned())
}

fn basis(
    catalog: &Catalog,
    rows: &[(usize, &CatalogRow)],
    outcomes: &[RowOutcome],
    tier: Tier,
) -> String {
    let title = catalog.cited_title();
    let row_text = |o: &RowOutcome| {
        let category = rows
            .iter()
            .find(|(_, r)| r.row == o.row)
            .map_or("", |(_, r)| r.category.as_str());
        format!("第{}项“{category}”：{}", o.row, o.reason)
    };
    match outcomes {
        [] => format!("{title}第五条：{ART5_OUTSIDE}。"),
        [only] => format!("{title}{}。", row_text(only)),
        several => {
            let listed: Vec<String> = several.iter().map(row_text).collect();
            let decisive = several.iter().find(|o| o.tier == tier).map_or(0, |o| o.row);
            format!(
                "{title}第四条：{ART4_STRICTEST}。{}。按第{decisive}项确定为{}。",
                listed.join("；"),
                tier.label()
            )
        }
    }
}
