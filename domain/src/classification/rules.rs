//! Structured rules: for each encoded catalogue row, its tier clauses as conditions over facts,
//! each quoting the catalogue words it implements, and how they are evaluated.
//!
//! Evaluation is three-valued: a condition that needs an absent fact is "unknown" and names
//! the fact, so that exactly the facts the answer depends on are asked for.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::catalog::CatalogRow;
use super::engine::{RowOutcome, Tier};
use super::facts::{
    CONSTRUCTION_KEY, Choice, Construction, FactKind, FactSpec, FactValue, Facts,
    SENSITIVE_AREAS_KEY, SensitiveArea, Slot,
};

// ---------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------

/// A condition over facts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    /// 全部 / 其他: always holds (the stricter clauses were tried first).
    Always,
    /// `construction` is one of these (新建…, 新建、扩建…).
    Built(&'static [Construction]),
    /// An enum fact is one of these values.
    Is(&'static str, &'static [&'static str]),
    /// A boolean fact is true (absent = false).
    Flag(&'static str),
    /// q ≥ x (X及以上, 不小于).
    AtLeast(&'static str, f64),
    /// q > x (X（不含）以上, 大于, 超过).
    Above(&'static str, f64),
    /// q < x (X以下).
    Below(&'static str, f64),
    /// q ≤ x (X及以下).
    AtMost(&'static str, f64),
    /// A declared sensitive area counts for this row (涉及环境敏感区的).
    Sensitive,
    /// As `Sensitive`, leaving out these areas.
    SensitiveExcept(&'static [SensitiveArea]),
    Not(Box<Cond>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

/// Three-valued truth; `Unknown` carries the absent facts it hinges on (empty when it
/// hinges on a fact that was given but invalid, which is reported elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Truth {
    Yes,
    No,
    Unknown(BTreeSet<&'static str>),
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b { Truth::Yes } else { Truth::No }
    }

    fn missing(key: &'static str) -> Truth {
        Truth::Unknown(BTreeSet::from([key]))
    }

    fn negate(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            unknown @ Truth::Unknown(_) => unknown,
        }
    }
}

struct Ctx<'a> {
    facts: &'a Facts,
    rule: &'a RowRule,
}

impl Ctx<'_> {
    fn eval(&self, cond: &Cond) -> Truth {
        match cond {
            Cond::Always => Truth::Yes,
            Cond::Built(kinds) => match &self.facts.construction {
                Slot::Given(c) => Truth::from_bool(kinds.contains(c)),
                Slot::Absent => Truth::missing(CONSTRUCTION_KEY),
                Slot::Invalid => Truth::Unknown(BTreeSet::new()),
            },
            Cond::Is(key, values) => self.value(key, |v| match v {
                FactValue::Choice(c) => Some(values.contains(&c)),
                FactValue::Number(_) | FactValue::Bool(_) => None,
            }),
            Cond::Flag(key) => match self.facts.get(key) {
                // Booleans default to false (docs/classification.md).
                Slot::Absent => Truth::No,
                Slot::Invalid => Truth::Unknown(BTreeSet::new()),
                Slot::Given(FactValue::Bool(b)) => Truth::from_bool(b),
                Slot::Given(FactValue::Choice(_) | FactValue::Number(_)) => {
                    Truth::Unknown(BTreeSet::new())
                }
            },
            Cond::AtLeast(key, x) => self.number(key, |q| q >= *x),
            Cond::Above(key, x) => self.number(key, |q| q > *x),
            Cond::Below(key, x) => self.number(key, |q| q < *x),
            Cond::AtMost(key, x) => self.number(key, |q| q <= *x),
            Cond::Sensitive => self.sensitive(&[]),
            Cond::SensitiveExcept(left_out) => self.sensitive(left_out),
            Cond::Not(inner) => self.eval(inner).negate(),
            Cond::All(conds) => {
                let mut unknown: Option<BTreeSet<&'static str>> = None;
                for c in conds {
                    match self.eval(c) {
                        Truth::No => return Truth::No,
                        Truth::Yes => {}
                        Truth::Unknown(keys) => unknown.get_or_insert_default().extend(keys),
                    }
                }
                unknown.map_or(Truth::Yes, Truth::Unknown)
            }
            Cond::Any(conds) => {
                let mut unknown: Option<BTreeSet<&'static str>> = None;
                for c in conds {
                    match self.eval(c) {
                        Truth::Yes => return Truth::Yes,
                        Truth::No => {}
                        Truth::Unknown(keys) => unknown.get_or_insert_default().extend(keys),
                    }
                }
                unknown.map_or(Truth::No, Truth::Unknown)
            }
        }
    }

    fn value(&self, key: &'static str, test: impl Fn(FactValue) -> Option<bool>) -> Truth {
        match self.facts.get(key) {
            Slot::Absent => Truth::missing(key),
            Slot::Invalid => Truth::Unknown(BTreeSet::new()),
            Slot::Given(v) => test(v).map_or(Truth::Unknown(BTreeSet::new()), Truth::from_bool),
        }
    }

    fn number(&self, key: &'static str, test: impl Fn(f64) -> bool) -> Truth {
        self.value(key, |v| match v {
            FactValue::Number(q) => Some(test(q)),
            FactValue::Choice(_) | FactValue::Bool(_) => None,
        })
    }

    /// Whether a declared area counts for this row: it is in the row's scope, or in the
    /// rider's areas when the rider's condition holds (row 97's standard factories).
    fn sensitive(&self, left_out: &[SensitiveArea]) -> Truth {
        let rule = self.rule;
        if rule.scope.is_empty() && rule.scope_rider.is_none() {
            return Truth::No;
        }
        let declared = match &self.facts.sensitive_areas {
            Slot::Given(set) => set,
            Slot::Absent => return Truth::missing(SENSITIVE_AREAS_KEY),
            Slot::Invalid => return Truth::Unknown(BTreeSet::new()),
        };
        let counts = |a: &&SensitiveArea| !left_out.contains(a);
        if declared
            .iter()
            .filter(counts)
            .any(|a| rule.scope.contains(a))
        {
            return Truth::Yes;
        }
        match &rule.scope_rider {
            Some(rider)
                if declared
                    .iter()
                    .filter(counts)
                    .any(|a| rider.areas.contains(a)) =>
            {
                self.eval(&rider.when)
            }
            Some(_) | None => Truth::No,
        }
    }

    /// The declared areas this row counts (for the record).
    fn counted_areas(&self) -> Vec<SensitiveArea> {
        let rule = self.rule;
        let rider_applies = rule
            .scope_rider
            .as_ref()
            .is_some_and(|r| self.eval(&r.when) == Truth::Yes);
        self.facts
            .declared_areas()
            .into_iter()
            .filter(|a| {
                rule.scope.contains(a)
                    || (rider_applies
                        && rule
                            .scope_rider
                            .as_ref()
                            .is_some_and(|r| r.areas.contains(a)))
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------

/// How a row-level limit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitKind {
    /// 「不含…」「…除外」 in the category: the case is left out of the row.
    Excludes,
    /// The row covers only cases described so (e.g. 「建筑面积5000平方米及以上的」, note 4's
    /// "*"); `when` describes the case outside.
    CoversOnly,
}

/// A row-level limit: when `when` holds, the row yields exempt, quoting `text`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Limit {
    pub kind: LimitKind,
    pub when: Cond,
    pub text: &'static str,
}

/// A clause's own bracketed exclusion: when `when` holds, the clause does not apply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Except {
    pub when: Cond,
    pub text: &'static str,
}

/// One tier clause of a row: the catalogue words and the condition that implements them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    pub tier: Tier,
    pub text: &'static str,
    pub when: Cond,
    pub except: Vec<Except>,
}

/// Areas that count only when `when` holds (row 97: "针对标准厂房增加…").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScopeRider {
    pub when: Cond,
    pub areas: Vec<SensitiveArea>,
    pub text: &'static str,
}

/// The structured rule of one catalogue row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RowRule {
    pub row: u16,
    /// Row facts (the common `construction` and `sensitive_areas` are not listed).
    pub facts: Vec<FactSpec>,
    /// The sensitive areas the row's last column names.
    pub scope: Vec<SensitiveArea>,
    pub scope_rider: Option<ScopeRider>,
    pub limits: Vec<Limit>,
    /// Strictest tier first; within a tier, in catalogue order.
    pub clauses: Vec<Clause>,
}

/// The result of evaluating one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RowEval {
    Decided(RowOutcome),
    /// The answer depends on these absent facts.
    Missing(BTreeSet<&'static str>),
}

impl RowRule {
    fn new(row: u16) -> RowRule {
        RowRule {
            row,
            facts: Vec::new(),
            scope: Vec::new(),
            scope_rider: None,
            limits: Vec::new(),
            clauses: Vec::new(),
        }
    }

    fn facts(mut self, specs: &[FactSpec]) -> RowRule {
        self.facts.extend_from_slice(specs);
        self
    }

    fn scope(mut self, parts: &[&[SensitiveArea]]) -> RowRule {
        let set: BTreeSet<SensitiveArea> = parts.iter().flat_map(|p| p.iter().copied()).collect();
        self.scope = set.into_iter().collect();
        self
    }

    fn rider(mut self, text: &'static str, when: Cond, areas: &[SensitiveArea]) -> RowRule {
        self.scope_rider = Some(ScopeRider {
            when,
            areas: areas.to_vec(),
            text,
        });
        self
    }

    fn excludes(mut self, text: &'static str, when: Cond) -> RowRule {
        self.limits.push(Limit {
            kind: LimitKind::Excludes,
            when,
            text,
        });
        self
    }

    fn covers_only(mut self, text: &'static str, outside: Cond) -> RowRule {
        self.limits.push(Limit {
            kind: LimitKind::CoversOnly,
            when: outside,
            text,
        });
        self
    }

    fn clause(mut self, tier: Tier, text: &'static str, when: Cond) -> RowRule {
        self.clauses.push(Clause {
            tier,
            text,
            when,
            except: Vec::new(),
        });
        self
    }

    fn report(self, text: &'static str, when: Cond) -> RowRule {
        self.clause(Tier::Report, text, when)
    }

    fn report_form(self, text: &'static str, when: Cond) -> RowRule {
        self.clause(Tier::ReportForm, text, when)
    }

    fn registration(self, text: &'static str, when: Cond) -> RowRule {
        self.clause(Tier::RegistrationForm, text, when)
    }

    /// Adds a bracketed exclusion to the clause added last.
    fn except(mut self, text: &'static str, when: Cond) -> RowRule {
        if let Some(last) = self.clauses.last_mut() {
            last.except.push(Except { when, text });
        }
        self
    }

    /// Every condition of the rule, for analysis.
    pub fn conditions(&self) -> Vec<&Cond> {
        let mut out: Vec<&Cond> = self.limits.iter().map(|l| &l.when).collect();
        for clause in &self.clauses {
            out.push(&clause.when);
            out.extend(clause.except.iter().map(|e| &e.when));
        }
        if let Some(rider) = &self.scope_rider {
            out.push(&rider.when);
        }
        out
    }

    pub fn uses_construction(&self) -> bool {
        self.conditions()
            .into_iter()
            .any(|c| c.any_leaf(&|l| matches!(l, Cond::Built(_))))
    }

    pub fn uses_sensitive_areas(&self) -> bool {
        !self.scope.is_empty() || self.scope_rider.is_some()
    }

    /// Applies the rule: the row's own limits first (they take the case out of the row),
    /// then the clauses from the strictest tier down; the first tier with a holding clause
    /// wins. A clause that is undecided for want of a fact blocks every less strict answer.
    pub fn evaluate(&self, facts: &Facts, cat_row: &CatalogRow) -> RowEval {
        let ctx = Ctx { facts, rule: self };
        let mut missing = BTreeSet::new();
        let mut undecided = false;

        let mut limit_hit = None;
        for limit in &self.limits {
            match ctx.eval(&limit.when) {
                Truth::Yes => {
                    limit_hit = Some(limit);
                    break;
                }
                Truth::No => {}
                Truth::Unknown(keys) => {
                    undecided = true;
                    missing.extend(keys);
                }
            }
        }
        if let Some(limit) = limit_hit {
            let reason = match limit.kind {
                LimitKind::Excludes => format!("属本项排除情形“{}”，不纳入环评管理", limit.text),
                LimitKind::CoversOnly => {
                    format!("不属本项范围（本项限于“{}”），不纳入环评管理", limit.text)
                }
            };
            return RowEval::Decided(self.outcome(Tier::Exempt, limit.text, reason, &ctx));
        }

        let mut blocked: Vec<&'static str> = Vec::new();
        for tier in Tier::STRICTEST_FIRST {
            // A clause for a tier the row marks "/" would contradict the catalogue; the
            // tests forbid it, and the engine never lets it decide.
            if !cat_row.tier_applies(tier) || tier == Tier::Exempt {
                continue;
            }
            let mut tier_unknown = BTreeSet::new();
            let mut tier_undecided = false;
            for clause in self.clauses.iter().filter(|c| c.tier == tier) {
                match ctx.eval_clause(clause, &mut blocked) {
                    Truth::Yes if !undecided => {
                        let reason = format!("{}类别“{}”", tier.label(), clause.text);
                        return RowEval::Decided(self.outcome(tier, clause.text, reason, &ctx));
                    }
                    // A stricter clause is undecided: this tier may not be the answer, but
                    // nothing less strict needs asking about.
                    Truth::Yes => return RowEval::Missing(missing),
                    Truth::No => {}
                    Truth::Unknown(keys) => {
                        tier_undecided = true;
                        tier_unknown.extend(keys);
                    }
                }
            }
            undecided |= tier_undecided;
            missing.extend(tier_unknown);
        }
        if undecided {
            return RowEval::Missing(missing);
        }
        // No clause holds. If a clause's own exclusion took the case out, that exclusion is
        // the catalogue's word for the answer; otherwise the row's cells are quoted.
        blocked.dedup();
        let reason = if blocked.is_empty() {
            format!(
                "不符合本项所列类别条件（{}），不纳入环评管理",
                cells_summary(cat_row)
            )
        } else {
            let quoted: Vec<String> = blocked.iter().map(|t| format!("“{t}”")).collect();
            format!(
                "属本项{}情形，不符合本项其他类别条件，不纳入环评管理",
                quoted.join("、")
            )
        };
        RowEval::Decided(self.outcome(Tier::Exempt, &blocked.join("；"), reason, &ctx))
    }

    fn outcome(&self, tier: Tier, clause: &str, reason: String, ctx: &Ctx<'_>) -> RowOutcome {
        RowOutcome {
            row: self.row,
            tier,
            clause: clause.to_owned(),
            manual: false,
            reason,
            sensitive_areas_counted: ctx.counted_areas(),
        }
    }
}

impl Ctx<'_> {
    /// A clause holds when its condition holds and none of its exclusions does; an
    /// exclusion that takes out an otherwise holding clause is remembered for the reason.
    fn eval_clause(&self, clause: &Clause, blocked: &mut Vec<&'static str>) -> Truth {
        let base = self.eval(&clause.when);
        if base == Truth::No {
            return Truth::No;
        }
        let mut unknown = match base {
            Truth::Unknown(keys) => Some(keys),
            Truth::Yes | Truth::No => None,
        };
        for except in &clause.except {
            match self.eval(&except.when) {
                Truth::Yes => {
                    if unknown.is_none() {
                        blocked.push(except.text);
                    }
                    return Truth::No;
                }
                Truth::No => {}
                Truth::Unknown(keys) => unknown.get_or_insert_default().extend(keys),
            }
        }
        unknown.map_or(Truth::Yes, Truth::Unknown)
    }
}

fn cells_summary(cat_row: &CatalogRow) -> String {
    [Tier::Report, Tier::ReportForm, Tier::RegistrationForm]
        .into_iter()
        .map(|t| format!("{}：{}", t.label(), cat_row.cell(t).unwrap_or("/")))
        .collect::<Vec<_>>()
        .join("；")
}

impl Cond {
    /// Whether any leaf satisfies `pred`.
    pub fn any_leaf(&self, pred: &dyn Fn(&Cond) -> bool) -> bool {
        match self {
            Cond::Not(inner) => inner.any_leaf(pred),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().any(|c| c.any_leaf(pred)),
            leaf @ (Cond::Always
            | Cond::Built(_)
            | Cond::Is(..)
            | Cond::Flag(_)
            | Cond::AtLeast(..)
            | Cond::Above(..)
            | Cond::Below(..)
            | Cond::AtMost(..)
            | Cond::Sensitive
            | Cond::SensitiveExcept(_)) => pred(leaf),
        }
    }

    /// The fact keys this condition reads (the common facts included).
    #[cfg(test)]
    pub fn keys(&self, out: &mut BTreeSet<&'static str>) {
        match self {
            Cond::Not(inner) => inner.keys(out),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| c.keys(out)),
            Cond::Built(_) => {
                out.insert(CONSTRUCTION_KEY);
            }
            Cond::Sensitive | Cond::SensitiveExcept(_) => {
                out.insert(SENSITIVE_AREAS_KEY);
            }
            Cond::Is(key, _)
            | Cond::Flag(key)
            | Cond::AtLeast(key, _)
            | Cond::Above(key, _)
            | Cond::Below(key, _)
            | Cond::AtMost(key, _) => {
                out.insert(key);
            }
            Cond::Always => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Condition shorthands
// ---------------------------------------------------------------------------------------

const NEW: &[Construction] = &[Construction::New];
const NEW_OR_EXPANSION: &[Construction] = &[Construction::New, Construction::Expansion];

fn always() -> Cond {
    Cond::Always
}
fn built(kinds: &'static [Construction]) -> Cond {
    Cond::Built(kinds)
}
fn is(key: &'static str, values: &'static [&'static str]) -> Cond {
    Cond::Is(key, values)
}
fn flag(key: &'static str) -> Cond {
    Cond::Flag(key)
}
fn at_least(key: &'static str, x: f64) -> Cond {
    Cond::AtLeast(key, x)
}
fn above(key: &'static str, x: f64) -> Cond {
    Cond::Above(key, x)
}
fn below(key: &'static str, x: f64) -> Cond {
    Cond::Below(key, x)
}
fn at_most(key: &'static str, x: f64) -> Cond {
    Cond::AtMost(key, x)
}
fn sensitive() -> Cond {
    Cond::Sensitive
}
fn not(c: Cond) -> Cond {
    Cond::Not(Box::new(c))
}
fn all<const N: usize>(cs: [Cond; N]) -> Cond {
    Cond::All(cs.into())
}
fn any<const N: usize>(cs: [Cond; N]) -> Cond {
    Cond::Any(cs.into())
}

// ---------------------------------------------------------------------------------------
// Sensitive-area groups, as the scope column names them
// ---------------------------------------------------------------------------------------

use SensitiveArea as A;

/// 第三条（一）中的全部区域.
const G1: &[SensitiveArea] = &[
    A::NationalPark,
    A::NatureReserve,
    A::ScenicArea,
    A::WorldHeritage,
    A::MarineSpecialProtection,
    A::DrinkingWaterSource,
];
/// 第三条（二）中的全部区域.
const G2: &[SensitiveArea] = &[
    A::EcologicalRedLine,
    A::PermanentBasicFarmland,
    A::BasicGrassland,
    A::ForestPark,
    A::GeologicalPark,
    A::NaturePark,
    A::ImportantWetland,
    A::NaturalForest,
    A::KeyWildlifeHabitat,
    A::KeyPlantHabitat,
    A::AquaticHabitat,
    A::NaturalFishingGround,
    A::SoilErosionZone,
    A::DesertifiedClosure,
    A::EnclosedSea,
];
/// 第三条（三）中的全部区域.
const G3: &[SensitiveArea] = &[A::ResidentialArea, A::CulturalRelic];
/// 第三条（二）中的除（一）外的生态保护红线管控范围，永久基本农田、基本草原、森林公园、地质公园、
/// 重要湿地、天然林，重点保护野生动物栖息地，重点保护野生植物生长繁殖地 (rows 97, 110, 111, 113, 118).
const G2_LAND: &[SensitiveArea] = &[
    A::EcologicalRedLine,
    A::PermanentBasicFarmland,
    A::BasicGrassland,
    A::ForestPark,
    A::GeologicalPark,
    A::ImportantWetland,
    A::NaturalForest,
    A::KeyWildlifeHabitat,
    A::KeyPlantHabitat,
];
/// 第三条（二）中的除（一）外的生态保护红线管控范围，重要水生生物的自然产卵场、索饵场、越冬场和洄游通道
/// (rows 88, 124, 125, 126).
const G2_WATER: &[SensitiveArea] = &[A::EcologicalRedLine, A::AquaticHabitat];

// ---------------------------------------------------------------------------------------
// Row facts
// ---------------------------------------------------------------------------------------

macro_rules! choices {
    ($($value:literal => $label:literal),+ $(,)?) => {
        &[$(Choice { value: $value, label_zh: $label }),+]
    };
}

const fn fact(
    key: &'static str,
    kind: FactKind,
    required: bool,
    description_zh: &'static str,
) -> FactSpec {
    FactSpec {
        key,
        kind,
        required,
        description_zh,
    }
}

const fn number(unit: &'static str) -> FactKind {
    FactKind::Number { unit }
}

const fn count(unit: &'static str) -> FactKind {
    FactKind::Count { unit }
}

const NOTE4: &str = "名录中所标“*”号，指在工业建筑中生产的建设项目";

const OUTSIDE_INDUSTRIAL_BUILDING: FactSpec = fact(
    "outside_industrial_building",
    FactKind::Bool,
    false,
    "不在工业建筑中生产（名录注4：标“*”的类别指在工业建筑中生产的建设项目）",
);

const ACTIVITY_CHOICES: &[Choice] = choices![
    "mining" => "矿产采选（含新建或扩建的独立尾矿库）",
    "crushing_transport_only" => "单独的矿石破碎、集运",
    "mine_restoration" => "矿区修复治理工程",
];
const ACTIVITY: FactSpec = fact(
    "activity",
    FactKind::Enum(ACTIVITY_CHOICES),
    true,
    "采矿类项目的建设内容",
);

const FERMENTATION: FactSpec = fact("fermentation", FactKind::Bool, false, "含发酵工艺");
const ANNUAL_PROCESSING_T: FactSpec = fact(
    "annual_processing_t",
    number("吨/年"),
    false,
    "年加工量（吨，新增规模，名录注2）",
);
const INSTALLED_CAPACITY_KW: FactSpec = fact(
    "installed_capacity_kw",
    number("千瓦"),
    false,
    "总装机容量（千瓦，新增规模；1万千瓦 = 10000千瓦）",
);
const LENGTH_KM: FactSpec = fact(
    "length_km",
    number("公里"),
    false,
    "线路长度（公里，新增规模）",
);

const SLAUGHTER: &[&str] = &["slaughtering", "slaughtering_and_processing"];
const MEAT_PROCESSING: &[&str] = &["meat_processing", "slaughtering_and_processing"];

const HIGHWAY_CLASS2_UP: &[&str] = &["expressway", "class1", "class2"];
const HIGHWAY_CLASS3_4: &[&str] = &["class3", "class4"];

const SHORT_LINES: &[&str] = &["connecting", "dedicated"];

const STARCH_EXCEPT: &str = "以上均不含单纯分装的";
const STONE_EXCEPT: &str = "以上均不含利用石材板材切割、打磨、成型的";

// ---------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------

/// All structured rules by row.
pub(crate) fn registry() -> &'static BTreeMap<u16, RowRule> {
    static RULES: OnceLock<BTreeMap<u16, RowRule>> = OnceLock::new();
    RULES.get_or_init(|| all_rules().into_iter().map(|r| (r.row, r)).collect())
}

/// The structured rows that read `key` (for the message on an unknown key).
pub(crate) fn rows_using(key: &str) -> Vec<u16> {
    registry()
        .values()
        .filter(|r| r.facts.iter().any(|f| f.key == key))
        .map(|r| r.row)
        .collect()
}

fn mining(row: u16, report: &'static str) -> RowRule {
    RowRule::new(row)
        .facts(&[ACTIVITY])
        .report(report, is("activity", &["mining"]))
        .report_form(
            "单独的矿石破碎、集运",
            is("activity", &["crushing_transport_only"]),
        )
        .report_form("矿区修复治理工程", is("activity", &["mine_restoration"]))
}

fn all_rules() -> Vec<RowRule> {
    let mut rules = agriculture_and_mining();
    rules.extend(manufacturing());
    rules.extend(power());
    rules.extend(utilities_and_services());
    rules.extend(water_works());
    rules.extend(transport_and_networks());
    rules
}

/// Agriculture, husbandry and mining (sections 1–9).
fn agriculture_and_mining() -> Vec<RowRule> {
    vec![
        // 1 农产品基地项目（含药材基地）
        RowRule::new(1)
            .scope(&[
                G1,
                &[
                    A::EcologicalRedLine,
                    A::BasicGrassland,
                    A::ImportantWetland,
                    A::SoilErosionZone,
                ],
            ])
            .report_form("涉及环境敏感区的", sensitive())
            .registration("其他", always()),
        // 2 经济林基地项目
        RowRule::new(2)
            .facts(&[fact(
                "raw_material_forest",
                FactKind::Bool,
                false,
                "原料林基地（如造纸、人造板原料林）",
            )])
            .report_form("原料林基地", flag("raw_material_forest"))
            .registration("其他", always()),
        // 3 牲畜饲养；家禽饲养；其他畜牧业
        RowRule::new(3)
            .facts(&[
                fact(
                    "farm_scale",
                    FactKind::Enum(choices![
                        "large_scale" => "规模化（标准按《畜禽规模化养殖污染防治条例》执行）",
                        "below_large_scale" => "规模化以下",
                    ]),
                    true,
                    "养殖规模是否达到规模化标准",
                ),
                fact(
                    "no_output",
                    FactKind::Bool,
                    false,
                    "无出栏量（如种畜、奶牛场），按存栏量计",
                ),
                fact(
                    "annual_output_pig_eq_head",
                    count("头/年"),
                    false,
                    "年出栏量（头，其他畜禽种类折合生猪）",
                ),
                fact(
                    "inventory_pig_eq_head",
                    count("头"),
                    false,
                    "存栏量（头，其他畜禽种类折合生猪；无出栏量时填写）",
                ),
            ])
            .scope(&[G1, G3])
            .report(
                "年出栏生猪5000头（其他畜禽种类折合猪的养殖量）及以上的规模化畜禽养殖",
                all([
                    is("farm_scale", &["large_scale"]),
                    not(flag("no_output")),
                    at_least("annual_output_pig_eq_head", 5000.0),
                ]),
            )
            .report(
                "存栏生猪2500头（其他畜禽种类折合猪的养殖规模）及以上无出栏量的规模化畜禽养殖",
                all([
                    is("farm_scale", &["large_scale"]),
                    flag("no_output"),
                    at_least("inventory_pig_eq_head", 2500.0),
                ]),
            )
            .report(
                "涉及环境敏感区的规模化畜禽养殖",
                all([is("farm_scale", &["large_scale"]), sensitive()]),
            )
            .registration(
                "其他（规模化以下的除外）（具体规模化的标准按《畜禽规模化养殖污染防治条例》执行）",
                always(),
            )
            .except("规模化以下的除外", is("farm_scale", &["below_large_scale"])),
        // 9 铁矿、锰矿、铬矿及其他黑色金属矿采选
        mining(
            9,
            "全部（含新建或扩建的独立尾矿库；不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        // 10 有色金属矿采选
        mining(
            10,
            "全部（含新建或扩建的独立尾矿库；不含单独的矿石破碎、集运；不含矿区修复治理工程）",
        ),
        // 11 土砂石开采
        RowRule::new(11)
            .facts(&[
                ACTIVITY,
                fact(
                    "river_sand",
                    FactKind::Bool,
                    false,
                    "河道采砂项目（不属本项）",
                ),
            ])
            .scope(&[
                G1,
                &[
                    A::EcologicalRedLine,
                    A::BasicGrassland,
                    A::AquaticHabitat,
                    A::DesertifiedClosure,
                ],
            ])
            .excludes("不含河道采砂项目", flag("river_sand"))
            .report(
                "涉及环境敏感区的（不含单独的矿石破碎、集运；不含矿区修复治理工程）",
                all([is("activity", &["mining"]), sensitive()]),
            )
            .report_form("其他", always()),
        // 12 化学矿开采；石棉及其他非金属矿采选
        mining(12, "全部（不含单独的矿石破碎、集运；不含矿区修复治理工程）"),
    ]
}

/// Food, drink, pharmaceuticals and building materials (sections 10–27).
fn manufacturing() -> Vec<RowRule> {
    vec![
        // 15 谷物磨制；饲料加工
        RowRule::new(15)
            .facts(&[
                OUTSIDE_INDUSTRIAL_BUILDING,
                FERMENTATION,
                ANNUAL_PROCESSING_T,
            ])
            .covers_only(NOTE4, flag("outside_industrial_building"))
            .report_form("含发酵工艺的", flag("fermentation"))
            .report_form(
                "年加工1万吨及以上的",
                at_least("annual_processing_t", 10_000.0),
            ),
        // 18 屠宰及肉类加工
        RowRule::new(18)
            .facts(&[
                OUTSIDE_INDUSTRIAL_BUILDING,
                fact(
                    "meat_activity",
                    FactKind::Enum(choices![
                        "slaughtering" => "屠宰",
                        "meat_processing" => "肉类加工",
                        "slaughtering_and_processing" => "屠宰及肉类加工",
                    ]),
                    true,
                    "建设内容",
                ),
                fact(
                    "slaughter_pigs_head",
                    count("头/年"),
                    false,
                    "年屠宰生猪（头；不屠宰该畜种填0）",
                ),
                fact(
                    "slaughter_cattle_head",
                    count("头/年"),
                    false,
                    "年屠宰肉牛（头；不屠宰该畜种填0）",
                ),
                fact(
                    "slaughter_sheep_head",
                    count("只/年"),
                    false,
                    "年屠宰肉羊（只；不屠宰该畜种填0）",
                ),
                fact(
                    "slaughter_poultry_head",
                    count("只/年"),
                    false,
                    "年屠宰禽类（只；不屠宰该畜种填0）",
                ),
                ANNUAL_PROCESSING_T,
            ])
            .covers_only(NOTE4, flag("outside_industrial_building"))
            .report(
                "屠宰生猪10万头、肉牛1万头、肉羊15万只、禽类1000万只及以上的",
                all([
                    is("meat_activity", SLAUGHTER),
                    any([
                        at_least("slaughter_pigs_head", 100_000.0),
                        at_least("slaughter_cattle_head", 10_000.0),
                        at_least("slaughter_sheep_head", 150_000.0),
                        at_least("slaughter_poultry_head", 10_000_000.0),
                    ]),
                ]),
            )
            .report_form("其他屠宰", is("meat_activity", SLAUGHTER))
            .report_form(
                "年加工2万吨及以上的肉类加工",
                all([
                    is("meat_activity", MEAT_PROCESSING),
                    at_least("annual_processing_t", 20_000.0),
                ]),
            )
            .registration("其他肉类加工", is("meat_activity", MEAT_PROCESSING)),
        // 20 其他农副食品加工
        RowRule::new(20)
            .facts(&[
                OUTSIDE_INDUSTRIAL_BUILDING,
                fact(
                    "food_product",
                    FactKind::Enum(choices![
                        "starch_or_starch_sugar" => "淀粉、淀粉糖制造",
                        "starch_products" => "淀粉制品制造",
                        "soy_products" => "豆制品制造",
                        "other" => "其他农副食品加工",
                    ]),
                    true,
                    "产品",
                ),
                FERMENTATION,
                fact(
                    "packaging_only",
                    FactKind::Bool,
                    false,
                    "单纯分装（由大包装变为小包装，名录注3）",
                ),
            ])
            .covers_only(NOTE4, flag("outside_industrial_building"))
            .report(
                "含发酵工艺的淀粉、淀粉糖制造",
                all([
                    is("food_product", &["starch_or_starch_sugar"]),
                    flag("fermentation"),
                ]),
            )
            .report_form(
                "不含发酵工艺的淀粉、淀粉糖制造",
                all([
                    is("food_product", &["starch_or_starch_sugar"]),
                    not(flag("fermentation")),
                ]),
            )
            .except(STARCH_EXCEPT, flag("packaging_only"))
            .report_form("淀粉制品制造", is("food_product", &["starch_products"]))
            .except(STARCH_EXCEPT, flag("packaging_only"))
            .report_form("豆制品制造", is("food_product", &["soy_products"]))
            .except(STARCH_EXCEPT, flag("packaging_only")),
        // 25 酒的制造
        RowRule::new(25)
            .facts(&[
                OUTSIDE_INDUSTRIAL_BUILDING,
                FERMENTATION,
                fact(
                    "annual_capacity_kl",
                    number("千升/年"),
                    false,
                    "年生产能力（千升，新增规模）",
                ),
                fact("blending_only", FactKind::Bool, false, "单纯勾兑"),
            ])
            .covers_only(NOTE4, flag("outside_industrial_building"))
            .report(
                "有发酵工艺的（年生产能力1000千升以下的除外）",
                flag("fermentation"),
            )
            .except(
                "年生产能力1000千升以下的除外",
                below("annual_capacity_kl", 1000.0),
            )
            .report_form("其他（单纯勾兑的除外）", always())
            .except("单纯勾兑的除外", flag("blending_only")),
        // 47 化学药品原料药、制剂；兽用药品；生物药品制品
        RowRule::new(47)
            .facts(&[
                fact(
                    "pharma_activity",
                    FactKind::Enum(choices![
                        "manufacturing" => "原料药、兽用药品、生物药品制品制造（含研发中试）",
                        "formulation_only" => "仅化学药品制剂制造",
                        "compounding" => "单纯药品复配",
                        "packaging_only" => "单纯分装",
                    ]),
                    true,
                    "建设内容",
                ),
                fact(
                    "wastewater_or_vocs",
                    FactKind::Bool,
                    false,
                    "产生废水或挥发性有机物",
                ),
            ])
            .report(
                "全部（含研发中试；不含单纯药品复配、分装；不含化学药品制剂制造的）",
                is("pharma_activity", &["manufacturing"]),
            )
            .report_form(
                "单纯药品复配且产生废水或挥发性有机物的",
                all([
                    is("pharma_activity", &["compounding"]),
                    flag("wastewater_or_vocs"),
                ]),
            )
            .report_form(
                "仅化学药品制剂制造",
                is("pharma_activity", &["formulation_only"]),
            ),
        // 48 中药饮片加工；中成药生产
        RowRule::new(48)
            .facts(&[
                OUTSIDE_INDUSTRIAL_BUILDING,
                fact(
                    "extraction",
                    FactKind::Enum(choices![
                        "refining" => "有提炼工艺（醇提、水提以外）",
                        "alcohol_or_water_only" => "仅醇提、水提",
                        "none" => "无提炼工艺",
                    ]),
                    true,
                    "提炼工艺",
                ),
                fact(
                    "slicing_drying_packing_only",
                    FactKind::Bool,
                    false,
                    "单纯切片、制干、打包",
                ),
            ])
            .covers_only(NOTE4, flag("outside_industrial_building"))
            .report(
                "有提炼工艺的（仅醇提、水提的除外）",
                is("extraction", &["refining"]),
            )
            .report_form("其他（单纯切片、制干、打包的除外）", always())
            .except(
                "单纯切片、制干、打包的除外",
                flag("slicing_drying_packing_only"),
            ),
        // 54 水泥、石灰和石膏制造
        RowRule::new(54)
            .facts(&[fact(
                "product",
                FactKind::Enum(choices![
                    "cement" => "水泥制造",
                    "cement_grinding" => "水泥粉磨站",
                    "lime" => "石灰制造",
                    "gypsum" => "石膏制造",
                ]),
                true,
                "产品",
            )])
            .report("水泥制造（水泥粉磨站除外）", is("product", &["cement"]))
            .report_form("水泥粉磨站", is("product", &["cement_grinding"]))
            .report_form("石灰和石膏制造", is("product", &["lime", "gypsum"])),
        // 55 石膏、水泥制品及类似制品制造
        RowRule::new(55)
            .facts(&[fact(
                "concrete_product",
                FactKind::Enum(choices![
                    "ready_mixed_concrete" => "商品混凝土（搅拌站）",
                    "precast_component" => "砼结构构件制造",
                    "cement_product" => "水泥制品制造",
                    "other" => "其他（石膏制品等）",
                ]),
                true,
                "产品",
            )])
            .report_form(
                "商品混凝土",
                is("concrete_product", &["ready_mixed_concrete"]),
            )
            .report_form(
                "砼结构构件制造",
                is("concrete_product", &["precast_component"]),
            )
            .report_form("水泥制品制造", is("concrete_product", &["cement_product"])),
        // 56 砖瓦、石材等建筑材料制造
        RowRule::new(56)
            .facts(&[
                fact(
                    "building_material",
                    FactKind::Enum(choices![
                        "clay_brick_block" => "粘土砖瓦及建筑砌块制造",
                        "building_stone" => "建筑用石加工",
                        "waterproofing" => "防水建筑材料制造",
                        "insulation" => "隔热、隔音材料制造",
                        "other" => "其他建筑材料制造（含干粉砂浆搅拌站）",
                    ]),
                    true,
                    "产品",
                ),
                fact(
                    "stone_slab_processing_only",
                    FactKind::Bool,
                    false,
                    "仅利用石材板材切割、打磨、成型",
                ),
            ])
            .report_form(
                "粘土砖瓦及建筑砌块制造",
                is("building_material", &["clay_brick_block"]),
            )
            .except(STONE_EXCEPT, flag("stone_slab_processing_only"))
            .report_form("建筑用石加工", is("building_material", &["building_stone"]))
            .except(STONE_EXCEPT, flag("stone_slab_processing_only"))
            .report_form(
                "防水建筑材料制造",
                is("building_material", &["waterproofing"]),
            )
            .except(STONE_EXCEPT, flag("stone_slab_processing_only"))
            .report_form(
                "隔热、隔音材料制造",
                is("building_material", &["insulation"]),
            )
            .except(STONE_EXCEPT, flag("stone_slab_processing_only"))
            .report_form(
                "其他建筑材料制造（含干粉砂浆搅拌站）",
                is("building_material", &["other"]),
            )
            .except(STONE_EXCEPT, flag("stone_slab_processing_only")),
    ]
}

/// Power generation (section 41).
fn power() -> Vec<RowRule> {
    vec![
        // 87 火力发电；热电联产
        RowRule::new(87)
            .facts(&[
                fact(
                    "fuel",
                    FactKind::Enum(choices![
                        "coal" => "燃煤（含掺烧生活垃圾、污泥）",
                        "gas" => "燃气",
                        "waste_heat" => "单纯利用余热、余压",
                        "coal_mine_gas" => "单纯利用余气（含煤矿瓦斯）",
                        "other" => "其他燃料",
                    ]),
                    true,
                    "燃料或能源",
                ),
                fact("energy_saving_retrofit", FactKind::Bool, false, "发电机组节能改造"),
            ])
            .report(
                "火力发电和热电联产（发电机组节能改造的除外；燃气发电除外；单纯利用余热、余压、余气（含煤矿瓦斯）发电的除外）",
                always(),
            )
            .except("发电机组节能改造的除外", flag("energy_saving_retrofit"))
            .except("燃气发电除外", is("fuel", &["gas"]))
            .except(
                "单纯利用余热、余压、余气（含煤矿瓦斯）发电的除外",
                is("fuel", &["waste_heat", "coal_mine_gas"]),
            )
            .report_form("燃气发电", is("fuel", &["gas"]))
            .report_form("单纯利用余气（含煤矿瓦斯）发电", is("fuel", &["coal_mine_gas"])),
        // 88 水力发电
        RowRule::new(88)
            .facts(&[
                INSTALLED_CAPACITY_KW,
                fact("pumped_storage", FactKind::Bool, false, "抽水蓄能电站"),
                fact(
                    "equipment_replacement_only",
                    FactKind::Bool,
                    false,
                    "仅更换发电设备的增效扩容项目",
                ),
            ])
            .scope(&[G1, G2_WATER])
            .report(
                "总装机1000千瓦及以上的常规水电（仅更换发电设备的增效扩容项目除外）",
                all([not(flag("pumped_storage")), at_least("installed_capacity_kw", 1000.0)]),
            )
            .except("仅更换发电设备的增效扩容项目除外", flag("equipment_replacement_only"))
            .report("抽水蓄能电站", flag("pumped_storage"))
            .report("涉及环境敏感区的", sensitive())
            .report_form("其他", always()),
        // 89 生物质能发电
        RowRule::new(89)
            .facts(&[
                fact(
                    "biomass_fuel",
                    FactKind::Enum(choices![
                        "household_waste" => "生活垃圾",
                        "sludge" => "污泥",
                        "agri_forest_biomass" => "农林生物质",
                        "biogas" => "沼气",
                        "landfill_gas" => "垃圾填埋气",
                    ]),
                    true,
                    "发电燃料",
                ),
                fact(
                    "co_firing",
                    FactKind::Bool,
                    false,
                    "掺烧生活垃圾或污泥（掺烧发电属第87项）",
                ),
            ])
            .report("生活垃圾发电（掺烧生活垃圾发电的除外）", is("biomass_fuel", &["household_waste"]))
            .except("掺烧生活垃圾发电的除外", flag("co_firing"))
            .report("污泥发电（掺烧污泥发电的除外）", is("biomass_fuel", &["sludge"]))
            .except("掺烧污泥发电的除外", flag("co_firing"))
            .report_form(
                "利用农林生物质、沼气、垃圾填埋气发电的",
                is("biomass_fuel", &["agri_forest_biomass", "biogas", "landfill_gas"]),
            ),
        // 90 陆上风力发电；太阳能发电；其他电力生产
        RowRule::new(90)
            .facts(&[
                fact(
                    "generation",
                    FactKind::Enum(choices![
                        "onshore_wind" => "陆上风力发电",
                        "ground_pv" => "地面集中光伏电站",
                        "other_pv" => "其他光伏发电（分布式等）",
                        "household_pv" => "居民家用光伏发电",
                        "solar_thermal" => "太阳能热发电",
                        "geothermal" => "地热发电",
                    ]),
                    true,
                    "发电类型",
                ),
                INSTALLED_CAPACITY_KW,
                fact("grid_voltage_kv", number("千伏"), false, "接入电压等级（千伏）"),
            ])
            .scope(&[G1, G3])
            .excludes("不含居民家用光伏发电", is("generation", &["household_pv"]))
            .report(
                "涉及环境敏感区的总装机容量5万千瓦及以上的陆上风力发电",
                all([
                    is("generation", &["onshore_wind"]),
                    sensitive(),
                    at_least("installed_capacity_kw", 50_000.0),
                ]),
            )
            .report_form(
                "陆地利用地热、太阳能热等发电",
                is("generation", &["geothermal", "solar_thermal"]),
            )
            .report_form(
                "地面集中光伏电站（总容量大于6000千瓦，且接入电压等级不小于10千伏）",
                all([
                    is("generation", &["ground_pv"]),
                    above("installed_capacity_kw", 6000.0),
                    at_least("grid_voltage_kv", 10.0),
                ]),
            )
            .report_form("其他风力发电", is("generation", &["onshore_wind"]))
            .registration("其他光伏发电", is("generation", &["ground_pv", "other_pv"])),
    ]
}

/// Water supply, sewage, buildings, waste, health, schools, recreation and services (sections 43–50).
fn utilities_and_services() -> Vec<RowRule> {
    vec![
        // 94 自来水生产和供应
        RowRule::new(94)
            .facts(&[fact(
                "water_works",
                FactKind::Enum(choices![
                    "production" => "自来水生产（水厂）",
                    "supply_network" => "供应工程（输配水管网等）",
                    "village_supply" => "村庄供应工程",
                ]),
                true,
                "建设内容",
            )])
            .excludes("不含供应工程", is("water_works", &["supply_network"]))
            .excludes("不含村庄供应工程", is("water_works", &["village_supply"]))
            .report_form("全部", always()),
        // 95 污水处理及其再生利用
        RowRule::new(95)
            .facts(&[
                fact(
                    "wastewater",
                    FactKind::Enum(choices![
                        "municipal" => "城乡污水（为社会公众提供生活污水处理服务，名录注5）",
                        "industrial_central" => "工业废水集中处理",
                        "industrial_other" => "其他工业废水处理",
                    ]),
                    true,
                    "处理对象",
                ),
                fact("daily_capacity_t", number("吨/日"), false, "日处理能力（吨，新增规模）"),
                fact("upgrade_only", FactKind::Bool, false, "提标改造项目"),
                fact(
                    "self_use_domestic_only",
                    FactKind::Bool,
                    false,
                    "建设单位自建自用仅处理生活污水",
                ),
                fact(
                    "indirect_discharge_no_heavy_metals",
                    FactKind::Bool,
                    false,
                    "出水间接排入地表水体且不排放重金属",
                ),
                fact(
                    "septic_tank_reuse",
                    FactKind::Bool,
                    false,
                    "化粪池及化粪池处理后中水处理回用",
                ),
                fact("sedimentation_only", FactKind::Bool, false, "仅建设沉淀池处理"),
            ])
            .report(
                "新建、扩建日处理10万吨及以上城乡污水处理的",
                all([
                    built(NEW_OR_EXPANSION),
                    is("wastewater", &["municipal"]),
                    at_least("daily_capacity_t", 100_000.0),
                ]),
            )
            .report(
                "新建、扩建工业废水集中处理的",
                all([built(NEW_OR_EXPANSION), is("wastewater", &["industrial_central"])]),
            )
            .report_form(
                "新建、扩建日处理10万吨以下500吨及以上城乡污水处理的",
                all([
                    built(NEW_OR_EXPANSION),
                    is("wastewater", &["municipal"]),
                    below("daily_capacity_t", 100_000.0),
                    at_least("daily_capacity_t", 500.0),
                ]),
            )
            .report_form(
                "新建、扩建其他工业废水处理的（不含建设单位自建自用仅处理生活污水的；不含出水间接排入地表水体且不排放重金属的）",
                all([built(NEW_OR_EXPANSION), is("wastewater", &["industrial_other"])]),
            )
            .except("不含建设单位自建自用仅处理生活污水的", flag("self_use_domestic_only"))
            .except(
                "不含出水间接排入地表水体且不排放重金属的",
                flag("indirect_discharge_no_heavy_metals"),
            )
            .registration(
                "其他（不含提标改造项目；不含化粪池及化粪池处理后中水处理回用；不含仅建设沉淀池处理的）",
                always(),
            )
            .except("不含提标改造项目", flag("upgrade_only"))
            .except("不含化粪池及化粪池处理后中水处理回用", flag("septic_tank_reuse"))
            .except("不含仅建设沉淀池处理的", flag("sedimentation_only")),
        // 97 房地产开发、商业综合体、宾馆、酒店、办公用房、标准厂房等
        RowRule::new(97)
            .facts(&[fact(
                "building",
                FactKind::Enum(choices![
                    "standard_factory" => "标准厂房",
                    "other" => "房地产开发、商业综合体、宾馆、酒店、办公用房等",
                ]),
                true,
                "建筑类型",
            )])
            .scope(&[G1, G2_LAND, &[A::CulturalRelic]])
            .rider(
                "针对标准厂房增加第三条（三）中的以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
                is("building", &["standard_factory"]),
                &[A::ResidentialArea],
            )
            .report_form("涉及环境敏感区的", sensitive()),
        // 99 陆地矿产资源地质勘查；二氧化碳地质封存
        RowRule::new(99).report_form("全部", always()),
        // 102 医疗废物处置、病死及病害动物无害化处理
        RowRule::new(102)
            .facts(&[
                fact(
                    "disposal_type",
                    FactKind::Enum(choices![
                        "medical_waste_central" => "医疗废物集中处置",
                        "other" => "病死及病害动物无害化处理等其他",
                    ]),
                    true,
                    "处置对象",
                ),
                fact("collection_storage_only", FactKind::Bool, false, "单纯收集、贮存"),
            ])
            .report(
                "医疗废物集中处置（单纯收集、贮存的除外）",
                is("disposal_type", &["medical_waste_central"]),
            )
            .except("单纯收集、贮存的除外", flag("collection_storage_only"))
            .report_form("其他", always()),
        // 103 一般工业固体废物、建筑施工废弃物处置及综合利用
        RowRule::new(103)
            .facts(&[
                fact(
                    "solid_waste",
                    FactKind::Enum(choices![
                        "industrial_solid" => "一般工业固体废物（含污水处理污泥）",
                        "construction_waste" => "建筑施工废弃物",
                    ]),
                    true,
                    "废物类别",
                ),
                fact(
                    "disposal_method",
                    FactKind::Enum(choices![
                        "landfill" => "填埋",
                        "incineration" => "焚烧",
                        "other" => "其他处置或综合利用",
                    ]),
                    false,
                    "处置方式（一般工业固体废物时填写）",
                ),
                fact("cement_kiln_retrofit", FactKind::Bool, false, "水泥窑协同处置的改造项目"),
            ])
            .report(
                "一般工业固体废物（含污水处理污泥）采取填埋、焚烧（水泥窑协同处置的改造项目除外）方式的",
                all([
                    is("solid_waste", &["industrial_solid"]),
                    is("disposal_method", &["landfill", "incineration"]),
                ]),
            )
            .except(
                "水泥窑协同处置的改造项目除外",
                all([is("disposal_method", &["incineration"]), flag("cement_kiln_retrofit")]),
            )
            .report_form("其他", always()),
        // 104 泥石流等地质灾害治理工程
        RowRule::new(104)
            .facts(&[
                fact("emergency_works", FactKind::Bool, false, "应急治理、应急排危除险工程"),
                fact(
                    "hazard_type",
                    FactKind::Enum(choices![
                        "debris_flow" => "泥石流",
                        "landslide" => "滑坡",
                        "collapse" => "崩塌",
                        "ground_subsidence" => "地面塌陷",
                        "other" => "其他地质灾害",
                    ]),
                    true,
                    "地质灾害类型",
                ),
                fact(
                    "hazard_scale",
                    FactKind::Enum(choices![
                        "extra_large" => "特大型",
                        "large" => "大型",
                        "medium" => "中型",
                        "small" => "小型",
                    ]),
                    true,
                    "地质灾害治理工程规模等级",
                ),
            ])
            .scope(&[G1])
            .excludes("应急治理、应急排危除险工程除外", flag("emergency_works"))
            .report_form(
                "涉及环境敏感区的特大型泥石流治理工程",
                all([
                    is("hazard_type", &["debris_flow"]),
                    is("hazard_scale", &["extra_large"]),
                    sensitive(),
                ]),
            )
            .registration("其他（不涉及环境敏感区的小型地质灾害治理工程除外）", always())
            .except(
                "不涉及环境敏感区的小型地质灾害治理工程除外",
                all([not(sensitive()), is("hazard_scale", &["small"])]),
            ),
        // 105 生活垃圾（含餐厨废弃物）转运站
        RowRule::new(105)
            .facts(&[fact("daily_capacity_t", number("吨/日"), true, "日转运能力（吨，新增规模）")])
            .report_form("日转运能力150吨及以上的", at_least("daily_capacity_t", 150.0)),
        // 106 生活垃圾（含餐厨废弃物）集中处置
        RowRule::new(106)
            .facts(&[
                fact(
                    "method",
                    FactKind::Enum(choices![
                        "landfill" => "填埋",
                        "other" => "其他处置方式",
                    ]),
                    true,
                    "处置方式",
                ),
                fact("daily_capacity_t", number("吨/日"), false, "日处置能力（吨，新增规模）"),
                fact("waste_to_power", FactKind::Bool, false, "生活垃圾发电（属第89项）"),
            ])
            .excludes("生活垃圾发电除外", flag("waste_to_power"))
            .report("采取填埋方式的", is("method", &["landfill"]))
            .report(
                "其他处置方式日处置能力50吨及以上的",
                all([is("method", &["other"]), at_least("daily_capacity_t", 50.0)]),
            )
            .report_form(
                "其他处置方式日处置能力50吨以下10吨及以上的",
                all([
                    is("method", &["other"]),
                    below("daily_capacity_t", 50.0),
                    at_least("daily_capacity_t", 10.0),
                ]),
            )
            .registration(
                "其他处置方式日处置能力10吨以下1吨及以上的",
                all([
                    is("method", &["other"]),
                    below("daily_capacity_t", 10.0),
                    at_least("daily_capacity_t", 1.0),
                ]),
            ),
        // 108 医院；专科疾病防治院；妇幼保健院；急救中心；采供血机构；基层医疗卫生服务
        RowRule::new(108)
            .facts(&[fact("beds", count("张"), true, "住院床位（张，新增规模）")])
            .report(
                "新建、扩建住院床位500张及以上的",
                all([built(NEW_OR_EXPANSION), at_least("beds", 500.0)]),
            )
            .report_form("其他（住院床位20张以下的除外）", always())
            .except("住院床位20张以下的除外", below("beds", 20.0))
            .registration("住院床位20张以下的（不含20张住院床位的）", below("beds", 20.0)),
        // 110 学校、福利院、养老院（建筑面积5000平方米及以上的）
        RowRule::new(110)
            .facts(&[
                fact("floor_area_m2", number("平方米"), true, "建筑面积（平方米，新增规模）"),
                fact("has_chem_bio_lab", FactKind::Bool, false, "学校设有化学、生物实验室"),
            ])
            .scope(&[G1, G2_LAND])
            .covers_only("建筑面积5000平方米及以上的", below("floor_area_m2", 5000.0))
            .report_form("新建涉及环境敏感区的", all([built(NEW), sensitive()]))
            .report_form("有化学、生物实验室的学校", flag("has_chem_bio_lab")),
        // 112 高尔夫球场、滑雪场、狩猎场、赛车场、跑马场、射击场、水上运动中心等
        RowRule::new(112)
            .facts(&[fact(
                "venue",
                FactKind::Enum(choices![
                    "golf" => "高尔夫球场",
                    "ski" => "滑雪场",
                    "hunting" => "狩猎场",
                    "racing" => "赛车场",
                    "horse_racing" => "跑马场",
                    "shooting" => "射击场",
                    "water_sports" => "水上运动中心",
                    "other" => "其他同类场所",
                ]),
                true,
                "场所类型",
            )])
            .scope(&[G1, G2])
            .report("高尔夫球场", is("venue", &["golf"]))
            .report_form("涉及环境敏感区的", sensitive())
            .registration("其他", always()),
        // 113 展览馆、博物馆、…、体育场、体育馆等
        RowRule::new(113)
            .facts(&[fact("village_venue", FactKind::Bool, false, "村庄文化体育场所")])
            .scope(&[G1, G2_LAND])
            .excludes("不含村庄文化体育场所", flag("village_venue"))
            .report_form("涉及环境敏感区的", sensitive()),
        // 114 公园（含动物园、主题公园）；人工湖、人工湿地
        RowRule::new(114)
            .facts(&[
                fact(
                    "park_type",
                    FactKind::Enum(choices![
                        "theme_park" => "主题公园",
                        "zoo" => "动物园",
                        "other_park" => "其他公园",
                        "urban_park" => "城市公园",
                        "botanical_garden" => "植物园",
                        "village_park" => "村庄公园",
                        "artificial_lake_wetland" => "人工湖、人工湿地",
                    ]),
                    true,
                    "类型",
                ),
                fact(
                    "theme_park_scale",
                    FactKind::Enum(choices![
                        "extra_large" => "特大型",
                        "large" => "大型",
                        "medium" => "中型",
                        "small" => "小型",
                    ]),
                    false,
                    "主题公园规模（主题公园时填写）",
                ),
                fact("volume_m3", number("立方米"), false, "人工湖、人工湿地容积（立方米；1万立方米 = 10000）"),
                fact(
                    "refill_share_pct",
                    number("%"),
                    false,
                    "年补水量占引水河流引水断面天然年径流量的百分比（1/4 = 25%；不从河流引水填0）",
                ),
            ])
            .scope(&[G1])
            .excludes(
                "不含城市公园、植物园、村庄公园",
                is("park_type", &["urban_park", "botanical_garden", "village_park"]),
            )
            .report(
                "特大型、大型主题公园",
                all([
                    is("park_type", &["theme_park"]),
                    is("theme_park_scale", &["extra_large", "large"]),
                ]),
            )
            .report(
                "容积500万立方米及以上的人工湖、人工湿地",
                all([
                    is("park_type", &["artificial_lake_wetland"]),
                    at_least("volume_m3", 5_000_000.0),
                ]),
            )
            .report(
                "涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
                all([
                    is("park_type", &["artificial_lake_wetland"]),
                    sensitive(),
                    at_least("volume_m3", 50_000.0),
                    below("volume_m3", 5_000_000.0),
                ]),
            )
            .report(
                "年补水量占引水河流引水断面天然年径流量1/4及以上的人工湖、人工湿地",
                all([
                    is("park_type", &["artificial_lake_wetland"]),
                    at_least("refill_share_pct", 25.0),
                ]),
            )
            .report_form("其他公园", is("park_type", &["theme_park", "zoo", "other_park"]))
            .report_form(
                "不涉及环境敏感区的容积5万立方米及以上500万立方米以下的人工湖、人工湿地",
                all([
                    is("park_type", &["artificial_lake_wetland"]),
                    not(sensitive()),
                    at_least("volume_m3", 50_000.0),
                    below("volume_m3", 5_000_000.0),
                ]),
            )
            .report_form(
                "涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
                all([
                    is("park_type", &["artificial_lake_wetland"]),
                    sensitive(),
                    below("volume_m3", 50_000.0),
                ]),
            )
            .registration(
                "不涉及环境敏感区的容积5万立方米以下的人工湖、人工湿地",
                all([
                    is("park_type", &["artificial_lake_wetland"]),
                    not(sensitive()),
                    below("volume_m3", 50_000.0),
                ]),
            ),
        // 115 旅游开发
        RowRule::new(115)
            .facts(&[fact("cableway", FactKind::Bool, false, "缆车、索道建设")])
            .report_form("缆车、索道建设", flag("cableway"))
            .registration("其他", always()),
        // 118 驾驶员训练基地、公交枢纽、长途客运站、大型停车场、机动车检测场
        RowRule::new(118)
            .scope(&[G1, G2_LAND, &[A::CulturalRelic]])
            .report_form("涉及环境敏感区的", sensitive()),
        // 119 加油、加气站
        RowRule::new(119)
            .facts(&[
                fact(
                    "station_type",
                    FactKind::Enum(choices![
                        "fuel" => "加油站",
                        "gas" => "加气站",
                        "fuel_and_gas" => "加油加气合建站",
                    ]),
                    true,
                    "站点类型",
                ),
                fact("urban_built_up_area", FactKind::Bool, false, "位于城市建成区"),
            ])
            .scope(&[G1])
            .report_form(
                "城市建成区新建、扩建加油站",
                all([
                    is("station_type", &["fuel", "fuel_and_gas"]),
                    flag("urban_built_up_area"),
                    built(NEW_OR_EXPANSION),
                ]),
            )
            .report_form("涉及环境敏感区的", sensitive()),
        // 122 殡仪馆、陵园、公墓
        RowRule::new(122)
            .facts(&[fact(
                "funeral_facility",
                FactKind::Enum(choices![
                    "funeral_home" => "殡仪馆",
                    "cemetery" => "陵园、公墓",
                ]),
                true,
                "设施类型",
            )])
            .scope(&[G1, &[A::EcologicalRedLine, A::PermanentBasicFarmland]])
            .report_form("殡仪馆", is("funeral_facility", &["funeral_home"]))
            .report_form("涉及环境敏感区的", sensitive()),
    ]
}

/// Water conservancy (section 51).
fn water_works() -> Vec<RowRule> {
    vec![
        // 124 水库
        RowRule::new(124)
            .facts(&[fact(
                "storage_capacity_m3",
                number("立方米"),
                false,
                "库容（立方米；1000万立方米 = 10000000）",
            )])
            .scope(&[G1, G2_WATER])
            .report(
                "库容1000万立方米及以上",
                at_least("storage_capacity_m3", 10_000_000.0),
            )
            .report("涉及环境敏感区的", sensitive())
            .report_form("其他", always()),
        // 125 灌区工程（不含水源工程的）
        RowRule::new(125)
            .facts(&[
                fact(
                    "water_source_works",
                    FactKind::Bool,
                    false,
                    "含水源工程（水源工程按水库、引水工程等类别确定）",
                ),
                fact(
                    "water_saving_retrofit",
                    FactKind::Bool,
                    false,
                    "高标准农田、滴灌等节水改造工程",
                ),
            ])
            .scope(&[G1, G2_WATER])
            .excludes("不含水源工程的", flag("water_source_works"))
            .report("涉及环境敏感区的", sensitive())
            .report_form("其他（不含高标准农田、滴灌等节水改造工程）", always())
            .except(
                "不含高标准农田、滴灌等节水改造工程",
                flag("water_saving_retrofit"),
            ),
        // 126 引水工程
        RowRule::new(126)
            .facts(&[
                fact("inter_basin", FactKind::Bool, false, "跨流域调水"),
                fact(
                    "river_size",
                    FactKind::Enum(choices![
                        "large_medium" => "大中型河流",
                        "small" => "小型河流",
                    ]),
                    false,
                    "引水河流规模（跨流域调水以外时填写）",
                ),
                fact(
                    "diversion_share_pct",
                    number("%"),
                    false,
                    "年总引水量占引水断面天然年径流量的百分比（1/4 = 25%；小型河流时填写）",
                ),
                fact(
                    "reservoir_supporting",
                    FactKind::Bool,
                    false,
                    "水库配套引水工程",
                ),
            ])
            .scope(&[G1, G2_WATER])
            .report("跨流域调水", flag("inter_basin"))
            .report("大中型河流引水", is("river_size", &["large_medium"]))
            .report(
                "小型河流年总引水量占引水断面天然年径流量1/4及以上",
                all([
                    is("river_size", &["small"]),
                    at_least("diversion_share_pct", 25.0),
                ]),
            )
            .report(
                "涉及环境敏感区的（不含涉及饮用水水源保护区的水库配套引水工程）",
                // For a reservoir's supporting diversion the drinking-water source area does
                // not count; every other area of the scope still does.
                any([
                    all([sensitive(), not(flag("reservoir_supporting"))]),
                    Cond::SensitiveExcept(&[A::DrinkingWaterSource]),
                ]),
            )
            .report_form("其他", always()),
        // 127 防洪除涝工程
        RowRule::new(127)
            .facts(&[
                fact(
                    "scale",
                    FactKind::Enum(choices![
                        "large" => "大型",
                        "medium" => "中型",
                        "small" => "小型",
                    ]),
                    false,
                    "工程规模（新建时填写）",
                ),
                fact(
                    "works",
                    FactKind::Enum(choices![
                        "urban_drainage_sluice_or_pump" => "城镇排涝河流水闸、排涝泵站",
                        "small_channel_slope" => "小型沟渠的护坡",
                        "other" => "其他防洪除涝工程",
                    ]),
                    true,
                    "工程内容",
                ),
            ])
            .report(
                "新建大中型",
                all([built(NEW), is("scale", &["large", "medium"])]),
            )
            .report_form(
                "其他（小型沟渠的护坡除外；城镇排涝河流水闸、排涝泵站除外）",
                always(),
            )
            .except("小型沟渠的护坡除外", is("works", &["small_channel_slope"]))
            .except(
                "城镇排涝河流水闸、排涝泵站除外",
                is("works", &["urban_drainage_sluice_or_pump"]),
            )
            .registration(
                "城镇排涝河流水闸、排涝泵站",
                is("works", &["urban_drainage_sluice_or_pump"]),
            ),
        // 128 河湖整治（不含农村塘堰、水渠）
        RowRule::new(128)
            .facts(&[fact(
                "rural_pond_or_canal",
                FactKind::Bool,
                false,
                "农村塘堰、水渠",
            )])
            .scope(&[
                G1,
                &[
                    A::EcologicalRedLine,
                    A::ImportantWetland,
                    A::KeyWildlifeHabitat,
                    A::KeyPlantHabitat,
                    A::AquaticHabitat,
                ],
            ])
            .excludes("不含农村塘堰、水渠", flag("rural_pond_or_canal"))
            .report("涉及环境敏感区的", sensitive())
            .report_form("其他", always()),
        // 129 地下水开采（农村分散式家庭生活自用水井除外）
        RowRule::new(129)
            .facts(&[
                fact(
                    "daily_withdrawal_m3",
                    number("立方米/日"),
                    false,
                    "日取水量（立方米，新增规模）",
                ),
                fact(
                    "rural_household_well",
                    FactKind::Bool,
                    false,
                    "农村分散式家庭生活自用水井",
                ),
                fact(
                    "no_new_supply_or_users",
                    FactKind::Bool,
                    false,
                    "不新增供水规模、不改变供水对象",
                ),
            ])
            .scope(&[G1, &[A::EcologicalRedLine, A::ImportantWetland]])
            .excludes(
                "农村分散式家庭生活自用水井除外",
                flag("rural_household_well"),
            )
            .report(
                "日取水量1万立方米及以上的",
                at_least("daily_withdrawal_m3", 10_000.0),
            )
            .report(
                "涉及环境敏感区的（不新增供水规模、不改变供水对象的改建工程除外）",
                sensitive(),
            )
            .except(
                "不新增供水规模、不改变供水对象的改建工程除外",
                all([
                    built(&[Construction::Renovation]),
                    flag("no_new_supply_or_users"),
                ]),
            )
            .report_form("其他", always()),
    ]
}

/// Transport, pipelines, warehousing, power lines and telecoms (sections 52–55).
fn transport_and_networks() -> Vec<RowRule> {
    vec![
        // 130 等级公路
        RowRule::new(130)
            .facts(&[
                fact(
                    "road_grade",
                    FactKind::Enum(choices![
                        "expressway" => "高速公路",
                        "class1" => "一级公路",
                        "class2" => "二级公路",
                        "class3" => "三级公路",
                        "class4" => "四级公路",
                    ]),
                    true,
                    "公路技术等级",
                ),
                LENGTH_KM,
                fact(
                    "ancillary_only",
                    FactKind::Bool,
                    false,
                    "仅配套设施（服务区、收费站等）",
                ),
                fact(
                    "emergency_or_defense",
                    FactKind::Bool,
                    false,
                    "生命救援、应急保通工程或国防交通保障项目",
                ),
            ])
            .scope(&[G1, G2, G3])
            .excludes("不含维护", built(&[Construction::Maintenance]))
            .excludes(
                "不含生命救援、应急保通工程以及国防交通保障项目",
                flag("emergency_or_defense"),
            )
            .excludes(
                "不含改扩建四级公路",
                all([
                    is("road_grade", &["class4"]),
                    built(&[Construction::Expansion, Construction::Renovation]),
                ]),
            )
            // A project of ancillary facilities only is not itself a new road: the row puts
            // it in the registration form ("配套设施"), so the report clauses leave it out.
            .report(
                "新建30公里（不含）以上的二级及以上等级公路",
                all([
                    built(NEW),
                    not(flag("ancillary_only")),
                    is("road_grade", HIGHWAY_CLASS2_UP),
                    above("length_km", 30.0),
                ]),
            )
            .report(
                "新建涉及环境敏感区的二级及以上等级公路",
                all([
                    built(NEW),
                    not(flag("ancillary_only")),
                    is("road_grade", HIGHWAY_CLASS2_UP),
                    sensitive(),
                ]),
            )
            .report_form(
                "其他（配套设施除外；不涉及环境敏感区的三级、四级公路除外）",
                always(),
            )
            .except("配套设施除外", flag("ancillary_only"))
            .except(
                "不涉及环境敏感区的三级、四级公路除外",
                all([not(sensitive()), is("road_grade", HIGHWAY_CLASS3_4)]),
            )
            .registration("配套设施", flag("ancillary_only"))
            .registration(
                "不涉及环境敏感区的三级、四级公路",
                all([not(sensitive()), is("road_grade", HIGHWAY_CLASS3_4)]),
            ),
        // 131 城市道路（不含维护；不含支路、人行天桥、人行地道）
        RowRule::new(131)
            .facts(&[
                fact(
                    "urban_road_class",
                    FactKind::Enum(choices![
                        "expressway" => "快速路",
                        "arterial" => "主干路",
                        "secondary" => "次干路",
                        "branch" => "支路",
                    ]),
                    false,
                    "城市道路等级（道路工程时填写）",
                ),
                fact(
                    "structure",
                    FactKind::Enum(choices![
                        "road" => "道路",
                        "bridge" => "城市桥梁",
                        "tunnel" => "隧道",
                        "footbridge" => "人行天桥",
                        "underpass" => "人行地道",
                    ]),
                    true,
                    "工程类型",
                ),
            ])
            .excludes("不含维护", built(&[Construction::Maintenance]))
            // A bridge or tunnel is named on its own in the report-form cell, so "不含支路"
            // takes out branch-road works, not the bridges and tunnels on them.
            .excludes(
                "不含支路",
                all([
                    is("structure", &["road"]),
                    is("urban_road_class", &["branch"]),
                ]),
            )
            .excludes("人行天桥", is("structure", &["footbridge"]))
            .excludes("人行地道", is("structure", &["underpass"]))
            .report_form(
                "新建快速路、主干路",
                all([
                    built(NEW),
                    is("urban_road_class", &["expressway", "arterial"]),
                ]),
            )
            .report_form("城市桥梁、隧道", is("structure", &["bridge", "tunnel"]))
            .registration("其他", always()),
        // 132 新建、增建铁路
        RowRule::new(132)
            .facts(&[
                LENGTH_KM,
                fact(
                    "line",
                    FactKind::Enum(choices![
                        "main" => "铁路正线",
                        "connecting" => "铁路联络线",
                        "dedicated" => "铁路专用线",
                    ]),
                    true,
                    "线路类型",
                ),
            ])
            .scope(&[G1, G2, G3])
            // 增建 (adding a line to an existing railway) is read as `expansion`.
            .covers_only("新建、增建铁路", not(built(NEW_OR_EXPANSION)))
            .report(
                "新建、增建铁路（30公里及以下铁路联络线和30公里及以下铁路专用线除外）",
                always(),
            )
            .except(
                "30公里及以下铁路联络线和30公里及以下铁路专用线除外",
                all([is("line", SHORT_LINES), at_most("length_km", 30.0)]),
            )
            .report("涉及环境敏感区的", sensitive())
            .report_form(
                "30公里及以下铁路联络线和30公里及以下铁路专用线",
                all([is("line", SHORT_LINES), at_most("length_km", 30.0)]),
            ),
        // 136 机场
        RowRule::new(136)
            .facts(&[fact(
                "airside_expansion_adds_traffic",
                FactKind::Bool,
                false,
                "飞行区扩建增加航空业务量",
            )])
            .report("新建", built(NEW))
            .report("迁建", built(&[Construction::Relocation]))
            .report(
                "增加航空业务量的飞行区扩建",
                all([
                    built(&[Construction::Expansion]),
                    flag("airside_expansion_adds_traffic"),
                ]),
            )
            .report_form("其他", always()),
        // 146 城市（镇）管网及管廊建设
        RowRule::new(146)
            .facts(&[
                fact(
                    "pipe_network",
                    FactKind::Enum(choices![
                        "sewer" => "污水、雨水管网",
                        "water_supply" => "给水管道",
                        "optical_fiber" => "光纤",
                        "natural_gas" => "天然气管道",
                        "heating" => "供热管网",
                        "utility_tunnel" => "综合管廊",
                        "other" => "其他管网",
                    ]),
                    true,
                    "管网类型",
                ),
                fact(
                    "gas_pressure_mpa",
                    number("兆帕"),
                    false,
                    "天然气管道设计压力（兆帕）",
                ),
            ])
            .scope(&[
                G1,
                &[
                    A::EcologicalRedLine,
                    A::PermanentBasicFarmland,
                    A::GeologicalPark,
                    A::ImportantWetland,
                    A::NaturalForest,
                ],
            ])
            .excludes("不含给水管道", is("pipe_network", &["water_supply"]))
            .excludes("不含光纤", is("pipe_network", &["optical_fiber"]))
            .excludes(
                "不含1.6兆帕及以下的天然气管道",
                all([
                    is("pipe_network", &["natural_gas"]),
                    at_most("gas_pressure_mpa", 1.6),
                ]),
            )
            .report_form("新建涉及环境敏感区的", all([built(NEW), sensitive()]))
            .registration("其他", always()),
        // 149 危险品仓储
        RowRule::new(149)
            .facts(&[
                fact(
                    "storage_type",
                    FactKind::Enum(choices![
                        "oil_depot" => "油库（含油品码头后方配套油库）",
                        "underground_oil_depot" => "地下油库",
                        "underground_gas_storage" => "地下气库",
                        "other" => "其他危险品仓储（含液化天然气库）",
                    ]),
                    true,
                    "仓储类型",
                ),
                fact(
                    "total_capacity_m3",
                    number("立方米"),
                    false,
                    "油库总容量（立方米）",
                ),
                fact(
                    "station_depot",
                    FactKind::Bool,
                    false,
                    "加油站的油库或加气站的气库",
                ),
            ])
            .excludes("不含加油站的油库；不含加气站的气库", flag("station_depot"))
            .report(
                "总容量20万立方米及以上的油库（含油品码头后方配套油库）",
                all([
                    is("storage_type", &["oil_depot"]),
                    at_least("total_capacity_m3", 200_000.0),
                ]),
            )
            .report("地下油库", is("storage_type", &["underground_oil_depot"]))
            .report("地下气库", is("storage_type", &["underground_gas_storage"]))
            .report_form(
                "其他（含有毒、有害、危险品的仓储；含液化天然气库）",
                always(),
            ),
        // 161 输变电工程
        RowRule::new(161)
            .facts(&[fact("voltage_kv", number("千伏"), true, "电压等级（千伏）")])
            .scope(&[G1, &[A::ResidentialArea]])
            .report("500千伏及以上的", at_least("voltage_kv", 500.0))
            .report(
                "涉及环境敏感区的330千伏及以上的",
                all([sensitive(), at_least("voltage_kv", 330.0)]),
            )
            .report_form("其他（100千伏以下除外）", always())
            .except("100千伏以下除外", below("voltage_kv", 100.0)),
        // 166 无线通讯
        RowRule::new(166).registration("全部", always()),
    ]
}
