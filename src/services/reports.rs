//! The report's one definition of each measure, in SQL: the summary counts and sums projects
//! with it, the drill-down lists them with it, and the ledger filters by it. Nothing here loads
//! the ledger or its events into memory; the database computes, for each project listed on the
//! report date and not removed, the classification in force and whether a filing of it was
//! accepted or decided by then, and groups and counts.
//!
//! On a report date `as_of`:
//! - the classification in force is the project's latest with `decided_on <= as_of` (ties by
//!   id);
//! - a filing's state is the `to_state` of its latest event with `effective_on <= as_of`
//!   (ordered by effective date, then id); voided events are ignored;
//! - a project is in the report when `listed_on <= as_of` and it is not removed.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, Order, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::projects::{self, Names, ProjectView};
use super::{Actor, today};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::filing::FilingState;
use crate::domain::ledger::{KeyLevel, Tier};
use crate::domain::money::Wan;
use crate::domain::report::{Group, GroupBy, Measure, Summary, Totals};
use crate::error::{Error, Result};
use entity::{classification, county, filing, filing_event, project};

/// The derived table of the report's rows, one per project in the report.
const ROWS: &str = "report_row";
const P: &str = "p";
const C: &str = "c";
const F: &str = "f";
const E: &str = "e";

/// Columns of [`ROWS`].
mod col {
    pub const ID: &str = "id";
    pub const COUNTY_ID: &str = "county_id";
    pub const INDUSTRY: &str = "industry";
    pub const INVESTMENT: &str = "total_investment";
    pub const POINT_TO_POINT: &str = "point_to_point";
    pub const LEVEL: &str = "level";
    /// The tier in force on the report date; null when not classified by then.
    pub const TIER: &str = "tier";
    /// 1 when a filing of the project was accepted or decided by the report date, else 0.
    pub const ACCEPTED: &str = "accepted";
}

fn row(column: &'static str) -> Expr {
    Expr::col((ROWS, column))
}

fn constant(v: i64) -> Expr {
    Expr::Constant(v.into())
}

/// A scalar subquery: the state filing `filing_id` was in at the end of `as_of`.
pub(crate) fn filing_state_as_of(filing_id: Expr, as_of: NaiveDate) -> Expr {
    use filing_event::Column as Ev;
    Query::select()
        .column((E, Ev::ToState))
        .from_as(filing_event::Entity, E)
        .and_where(Expr::col((E, Ev::FilingId)).eq(filing_id))
        .and_where(Expr::col((E, Ev::VoidedAt)).is_null())
        .and_where(Expr::col((E, Ev::EffectiveOn)).lte(as_of))
        .order_by((E, Ev::EffectiveOn), Order::Desc)
        .order_by((E, Ev::Id), Order::Desc)
        .limit(1)
        .take()
        .into()
}

/// A scalar subquery: the tier of project `project_id`'s classification in force on `as_of`.
fn tier_as_of(project_id: Expr, as_of: NaiveDate) -> Expr {
    use classification::Column as Cl;
    Query::select()
        .column((C, Cl::Tier))
        .from_as(classification::Entity, C)
        .and_where(Expr::col((C, Cl::ProjectId)).eq(project_id))
        .and_where(Expr::col((C, Cl::DecidedOn)).lte(as_of))
        .order_by((C, Cl::DecidedOn), Order::Desc)
        .order_by((C, Cl::Id), Order::Desc)
        .limit(1)
        .take()
        .into()
}

/// The state codes that count as accepted or decided (受理或已办结).
fn accepted_states() -> Vec<&'static str> {
    FilingState::ALL
        .into_iter()
        .filter(|s| s.counts_as_accepted_or_decided())
        .map(FilingState::as_str)
        .collect()
}

/// Whether a filing of project `project_id` was accepted or decided by the end of `as_of`.
fn accepted_by(project_id: Expr, as_of: NaiveDate) -> Expr {
    Expr::exists(
        Query::select()
            .expr(constant(1))
            .from_as(filing::Entity, F)
            .and_where(Expr::col((F, filing::Column::ProjectId)).eq(project_id))
            .and_where(
                filing_state_as_of(Expr::col((F, filing::Column::Id)), as_of)
                    .is_in(accepted_states()),
            )
            .take(),
    )
}

/// The report's rows on `as_of`: every project listed by then and not removed, with the facts
/// each measure is defined on (see [`col`]).
fn rows(as_of: NaiveDate) -> SelectStatement {
    use project::Column as Pr;
    let id = || Expr::col((P, Pr::Id));
    Query::select()
        .expr_as(id(), col::ID)
        .expr_as(Expr::col((P, Pr::CountyId)), col::COUNTY_ID)
        .expr_as(Expr::col((P, Pr::Industry)), col::INDUSTRY)
        .expr_as(Expr::col((P, Pr::TotalInvestment)), col::INVESTMENT)
        .expr_as(Expr::col((P, Pr::PointToPoint)), col::POINT_TO_POINT)
        .expr_as(
            Expr::case(
                Expr::col((P, Pr::Provincial)).eq(true),
                KeyLevel::Provincial.as_str(),
            )
            .case(
                Expr::col((P, Pr::Municipal)).eq(true),
                KeyLevel::Municipal.as_str(),
            )
            .finally(KeyLevel::Other.as_str()),
            col::LEVEL,
        )
        .expr_as(tier_as_of(id(), as_of), col::TIER)
        .expr_as(
            Expr::case(accepted_by(id(), as_of), constant(1)).finally(constant(0)),
            col::ACCEPTED,
        )
        .from_as(project::Entity, P)
        .and_where(Expr::col((P, Pr::ListedOn)).lte(as_of))
        .and_where(Expr::col((P, Pr::RemovedAt)).is_null())
        .take()
}

/// The one definition of each measure, over a row of [`rows`]; `None` for every row.
fn condition(measure: Measure) -> Option<Expr> {
    let exempt = || row(col::TIER).eq(Tier::Exempt.as_str());
    let required = || {
        row(col::TIER)
            .is_not_null()
            .and(row(col::TIER).ne(Tier::Exempt.as_str()))
    };
    Some(match measure {
        Measure::Projects => return None,
        Measure::Exempt => exempt(),
        Measure::Required => required(),
        Measure::Unclassified => row(col::TIER).is_null(),
        Measure::PointToPoint => row(col::POINT_TO_POINT).eq(true),
        Measure::AcceptedOrDecided => required().and(row(col::ACCEPTED).eq(constant(1))),
        Measure::NotAccepted => required().and(row(col::ACCEPTED).eq(constant(0))),
    })
}

/// The ids of the projects a measure counts on `as_of`, for a filter elsewhere (the ledger's
/// `accepted=`).
pub(crate) fn ids_of(measure: Measure, as_of: NaiveDate) -> SelectStatement {
    let mut q = Query::select();
    q.expr(row(col::ID)).from_subquery(rows(as_of), ROWS);
    if let Some(c) = condition(measure) {
        q.and_where(c);
    }
    q
}

/// The column a grouping groups the rows by.
fn group_column(group_by: GroupBy) -> &'static str {
    match group_by {
        GroupBy::County => col::COUNTY_ID,
        GroupBy::Level => col::LEVEL,
        GroupBy::Tier => col::TIER,
        GroupBy::Industry => col::INDUSTRY,
    }
}

/// An integer aggregate as BIGINT on both backends, 0 over no rows.
fn integer(aggregate: Expr) -> Expr {
    aggregate.if_null(constant(0)).cast_as(Alias::new("BIGINT"))
}

/// How many rows a measure counts, as an aggregate.
fn count_of(measure: Measure) -> Expr {
    integer(match condition(measure) {
        None => Func::count(Expr::col(Asterisk)).into(),
        Some(c) => Expr::case(c, constant(1)).finally(constant(0)).sum(),
    })
}

/// The investment of the rows a measure counts, as an aggregate.
fn investment_of(measure: Measure) -> Expr {
    integer(match condition(measure) {
        None => row(col::INVESTMENT).sum(),
        Some(c) => Expr::case(c, row(col::INVESTMENT))
            .finally(constant(0))
            .sum(),
    })
}

const GROUP_KEY: &str = "group_key";
const COUNTED: [(Measure, &str); 6] = [
    (Measure::Projects, "projects"),
    (Measure::Exempt, "exempt"),
    (Measure::Required, "required"),
    (Measure::Unclassified, "unclassified"),
    (Measure::PointToPoint, "point_to_point"),
    (Measure::AcceptedOrDecided, "accepted_or_decided"),
];
const SUMMED: [(Measure, &str); 3] = [
    (Measure::Projects, "total_investment"),
    (Measure::Required, "required_investment"),
    (Measure::AcceptedOrDecided, "accepted_investment"),
];

fn figures_query(as_of: NaiveDate, group_by: Option<GroupBy>) -> SelectStatement {
    let mut q = Query::select();
    for (measure, name) in COUNTED {
        q.expr_as(count_of(measure), name);
    }
    for (measure, name) in SUMMED {
        q.expr_as(investment_of(measure), name);
    }
    q.from_subquery(rows(as_of), ROWS);
    if let Some(g) = group_by {
        q.expr_as(row(group_column(g)), GROUP_KEY)
            .add_group_by([row(group_column(g))]);
    }
    q
}

fn totals_of(r: &sea_orm::QueryResult) -> Result<Totals> {
    let count = |name: &str| -> Result<u64> {
        let n: i64 = r.try_get("", name)?;
        Ok(u64::try_from(n).unwrap_or_default())
    };
    let money = |name: &str| -> Result<Wan> { Ok(Wan::from_hundredths(r.try_get("", name)?)) };
    Ok(Totals {
        projects: count("projects")?,
        exempt: count("exempt")?,
        required: count("required")?,
        unclassified: count("unclassified")?,
        point_to_point: count("point_to_point")?,
        accepted_or_decided: count("accepted_or_decided")?,
        total_investment: money("total_investment")?,
        required_investment: money("required_investment")?,
        accepted_investment: money("accepted_investment")?,
    })
}

/// The ledger's totals on `as_of`.
#[tracing::instrument(name = "reports::totals", skip_all, fields(%as_of))]
pub async fn totals<C: ConnectionTrait>(db: &C, as_of: NaiveDate) -> Result<Totals> {
    let r = db
        .query_one(&figures_query(as_of, None))
        .await?
        .ok_or_else(|| anyhow::anyhow!("an aggregate answered no row"))?;
    totals_of(&r)
}

async fn counties_by_id<C: ConnectionTrait>(db: &C) -> Result<HashMap<i64, county::Model>> {
    Ok(county::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

fn check_reader(actor: &Actor) -> Result<()> {
    if actor.role.reads_reports() {
        Ok(())
    } else {
        Err(Error::Forbidden("建设单位无权查看统计报表".into()))
    }
}

/// A report date after today (Asia/Shanghai) is a 422 naming `as_of`.
pub fn check_as_of(field: &str, as_of: NaiveDate) -> Result<()> {
    let today = today();
    if as_of > today {
        return Err(Error::invalid(
            field,
            format!("统计日期不能晚于今天（{today}），应为 YYYY-MM-DD 格式的今天或以前的日期"),
        ));
    }
    Ok(())
}

#[tracing::instrument(
    name = "reports::summary",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, %as_of, group_by = ?group_by)
)]
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    as_of: NaiveDate,
    group_by: Option<GroupBy>,
) -> Result<Summary> {
    check_reader(actor)?;
    check_as_of("as_of", as_of)?;
    let totals = totals(db, as_of).await?;
    let Some(g) = group_by else {
        return Ok(Summary {
            totals,
            groups: Vec::new(),
        });
    };
    let counties = match g {
        GroupBy::County => counties_by_id(db).await?,
        _ => HashMap::new(),
    };
    // Sorted by key here, not by the database's collation, so both backends agree.
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for r in db.query_all(&figures_query(as_of, Some(g))).await? {
        let (key, label) = match g {
            GroupBy::County => {
                let id: i64 = r.try_get("", GROUP_KEY)?;
                let c = counties
                    .get(&id)
                    .ok_or_else(|| anyhow::anyhow!("county {id} of a project is not there"))?;
                (c.code.clone(), c.name.clone())
            }
            _ => {
                let key: Option<String> = r.try_get("", GROUP_KEY)?;
                let key = key.unwrap_or_else(|| GroupBy::UNCLASSIFIED.to_owned());
                let label = g.label_of(&key).unwrap_or("其他").to_owned();
                (key, label)
            }
        };
        groups.insert(
            key.clone(),
            Group {
                key,
                label,
                totals: totals_of(&r)?,
            },
        );
    }
    Ok(Summary {
        totals,
        groups: groups.into_values().collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// The drill-down
// ---------------------------------------------------------------------------------------------

/// One group of the summary, as the drill-down names it.
#[derive(Debug, Clone)]
pub struct GroupKey {
    pub group_by: GroupBy,
    pub key: String,
}

#[derive(Debug, Clone)]
pub struct DrilldownQuery {
    pub measure: Measure,
    pub as_of: NaiveDate,
    pub group: Option<GroupKey>,
    pub page: u64,
    pub per_page: u64,
}

/// A filing as it stood at the end of the report date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingAsOf {
    pub id: i64,
    #[schema(value_type = String)]
    pub state: FilingState,
    pub state_label: &'static str,
}

/// A project behind a figure: the ledger's view of it, and what it counted as on the date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrilldownProject {
    #[serde(flatten)]
    pub project: ProjectView,
    /// The classification in force on the report date; null when not classified by then.
    pub tier_as_of: Option<Tier>,
    /// Whether a filing of it had been accepted (受理) or decided by the report date.
    pub accepted_or_decided_as_of: bool,
    /// Its filing as it stood on the report date: the one accepted or decided, if any, else
    /// the latest with a step by then; null when it had none.
    pub filing_as_of: Option<FilingAsOf>,
}

#[derive(Debug, Clone)]
pub struct Drilldown {
    pub items: Vec<DrilldownProject>,
    pub total: u64,
}

/// The condition of one group of the summary, or a 422 listing the keys it may have.
async fn group_condition<C: ConnectionTrait>(db: &C, group: &GroupKey) -> Result<Expr> {
    let column = row(group_column(group.group_by));
    let key = group.key.trim();
    match group.group_by {
        GroupBy::County => {
            let mut codes: Vec<county::Model> = counties_by_id(db).await?.into_values().collect();
            codes.sort_by(|a, b| a.code.cmp(&b.code));
            match codes.iter().find(|c| c.code == key) {
                Some(c) => Ok(column.eq(c.id)),
                None => {
                    let codes: Vec<&str> = codes.iter().map(|c| c.code.as_str()).collect();
                    Err(Error::invalid(
                        "group",
                        format!("未知的县区代码，应为：{}", codes.join("、")),
                    ))
                }
            }
        }
        g => {
            let keys = g.fixed_keys().unwrap_or_default();
            if !keys.contains(&key) {
                return Err(Error::invalid(
                    "group",
                    format!("未知的{}分组，应为：{}", g.label(), keys.join("、")),
                ));
            }
            Ok(if g == GroupBy::Tier && key == GroupBy::UNCLASSIFIED {
                column.is_null()
            } else {
                column.eq(key)
            })
        }
    }
}

/// The projects behind one figure of the summary: the same rows, under the same condition, so
/// that `total` is the figure.
#[tracing::instrument(
    name = "reports::projects",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, as_of = %query.as_of,
           measure = query.measure.as_str())
)]
pub async fn projects<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    query: DrilldownQuery,
) -> Result<Drilldown> {
    check_reader(actor)?;
    let group = validate(
        db,
        query.as_of,
        query.page,
        query.per_page,
        query.group.as_ref(),
    )
    .await?;
    let mut wanted: Vec<Expr> = condition(query.measure).into_iter().collect();
    wanted.extend(group);
    list_where(
        db,
        settings,
        query.as_of,
        &wanted,
        query.page,
        query.per_page,
    )
    .await
}

/// The checks every drill-down makes: the date, the page, the group; the group's condition.
async fn validate<C: ConnectionTrait>(
    db: &C,
    as_of: NaiveDate,
    page: u64,
    per_page: u64,
    group: Option<&GroupKey>,
) -> Result<Option<Expr>> {
    let mut errors = Vec::new();
    if let Err(Error::Invalid(e)) = check_as_of("as_of", as_of) {
        errors.extend(e);
    }
    if page == 0 {
        errors.push(FieldError::new("page", "页码从1开始"));
    }
    if !(1..=200).contains(&per_page) {
        errors.push(FieldError::new("per_page", "每页条数须在1–200之间"));
    }
    let group = match group {
        Some(g) => match group_condition(db, g).await {
            Ok(c) => Some(c),
            Err(Error::Invalid(e)) => {
                errors.extend(e);
                None
            }
            Err(other) => return Err(other),
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(group)
}

/// One page of the report's rows on `as_of` that meet every condition, and how many do.
async fn list_where<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    as_of: NaiveDate,
    wanted: &[Expr],
    page_no: u64,
    per_page: u64,
) -> Result<Drilldown> {
    let filtered = |select: &mut SelectStatement| {
        for c in wanted {
            select.and_where(c.clone());
        }
    };
    let mut count = Query::select();
    count
        .expr_as(integer(Func::count(Expr::col(Asterisk)).into()), "total")
        .from_subquery(rows(as_of), ROWS);
    filtered(&mut count);
    let total: i64 = db
        .query_one(&count)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a count answered no row"))?
        .try_get("", "total")?;

    let mut page = Query::select();
    page.expr_as(row(col::ID), col::ID)
        .expr_as(row(col::TIER), col::TIER)
        .expr_as(integer(row(col::ACCEPTED)), col::ACCEPTED)
        .from_subquery(rows(as_of), ROWS)
        .order_by_expr(row(col::ID), Order::Asc)
        .limit(per_page)
        .offset((page_no - 1) * per_page);
    filtered(&mut page);
    let mut facts: Vec<(i64, Option<Tier>, bool)> = Vec::new();
    for r in db.query_all(&page).await? {
        let tier: Option<String> = r.try_get("", col::TIER)?;
        let tier = tier
            .map(|t| Tier::parse(&t).ok_or_else(|| anyhow::anyhow!("unknown tier {t}")))
            .transpose()?;
        let accepted: i64 = r.try_get("", col::ACCEPTED)?;
        facts.push((r.try_get("", col::ID)?, tier, accepted == 1));
    }

    let ids: Vec<i64> = facts.iter().map(|(id, _, _)| *id).collect();
    let mut models: HashMap<i64, project::Model> = project::Entity::find()
        .filter(project::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let org_ids: Vec<i64> = models.values().map(|p| p.organization_id).collect();
    let names = Names::load(db, &org_ids).await?;
    let mut views = Vec::with_capacity(ids.len());
    for id in &ids {
        let p = models
            .remove(id)
            .ok_or_else(|| anyhow::anyhow!("project {id} went away"))?;
        views.push(names.view(p)?);
    }
    projects::with_current_filings(db, settings, &mut views).await?;
    let mut as_of_filings = filings_as_of(db, &ids, as_of).await?;
    let items = views
        .into_iter()
        .zip(facts)
        .map(|(project, (id, tier_as_of, accepted))| DrilldownProject {
            project,
            tier_as_of,
            accepted_or_decided_as_of: accepted,
            filing_as_of: as_of_filings.remove(&id),
        })
        .collect();
    Ok(Drilldown {
        items,
        total: u64::try_from(total).unwrap_or_default(),
    })
}

/// For each of these projects, its filing as it stood at the end of `as_of`: the latest one
/// accepted or decided by then, else the latest with a step by then.
async fn filings_as_of<C: ConnectionTrait>(
    db: &C,
    project_ids: &[i64],
    as_of: NaiveDate,
) -> Result<HashMap<i64, FilingAsOf>> {
    if project_ids.is_empty() {
        return Ok(HashMap::new());
    }
    const STATE: &str = "state_as_of";
    let state = || filing_state_as_of(Expr::col((F, filing::Column::Id)), as_of);
    let q = Query::select()
        .expr_as(Expr::col((F, filing::Column::Id)), "id")
        .expr_as(Expr::col((F, filing::Column::ProjectId)), "project_id")
        .expr_as(state(), STATE)
        .from_as(filing::Entity, F)
        .and_where(Expr::col((F, filing::Column::ProjectId)).is_in(project_ids.iter().copied()))
        .and_where(state().is_not_null())
        .order_by((F, filing::Column::Id), Order::Asc)
        .take();
    let mut out: HashMap<i64, FilingAsOf> = HashMap::new();
    for r in db.query_all(&q).await? {
        let state: FilingState = r.try_get("", STATE)?;
        let project_id: i64 = r.try_get("", "project_id")?;
        let found = FilingAsOf {
            id: r.try_get("", "id")?,
            state,
            state_label: state.label(),
        };
        // Later filings replace earlier ones, except that an accepted or decided one stays.
        let keep = out
            .get(&project_id)
            .is_some_and(|f| f.state.counts_as_accepted_or_decided())
            && !state.counts_as_accepted_or_decided();
        if !keep {
            out.insert(project_id, found);
        }
    }
    Ok(out)
}

/// For the ledger's filters: a query filter on `project` for the projects a measure counts.
pub(crate) fn measure_filter(measure: Measure, as_of: NaiveDate) -> SimpleExpr {
    project::Column::Id.in_subquery(ids_of(measure, as_of))
}

// ---------------------------------------------------------------------------------------------
// Clocks and corrections on a report date
// ---------------------------------------------------------------------------------------------

/// A figure about the filings' clocks and correction rounds on a report date, counted in
/// projects of the report (listed by then, not removed), like every other measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockMeasure {
    /// A filing's acceptance or decision clock (the limits in force: a local promise where
    /// shorter) had passed its due date, the filing still open.
    Overdue,
    /// A filing's clock running, not overdue, with `clocks.due_soon_working_days` or fewer
    /// days left.
    AtRisk,
    /// A filing decided (approved or disapproved) by then within its decision limit.
    OnTime,
    /// A filing decided by then after its decision limit.
    Late,
    /// A filing accepted by then with no correction round before its acceptance.
    FirstTimeRight,
    /// A filing accepted by then after one or more correction rounds.
    Corrected,
    /// … after exactly one.
    CorrectedOnce,
    /// … after two or more.
    CorrectedRepeatedly,
}

impl ClockMeasure {
    pub const ALL: [ClockMeasure; 8] = [
        ClockMeasure::Overdue,
        ClockMeasure::AtRisk,
        ClockMeasure::OnTime,
        ClockMeasure::Late,
        ClockMeasure::FirstTimeRight,
        ClockMeasure::Corrected,
        ClockMeasure::CorrectedOnce,
        ClockMeasure::CorrectedRepeatedly,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ClockMeasure::Overdue => "overdue",
            ClockMeasure::AtRisk => "at_risk",
            ClockMeasure::OnTime => "on_time",
            ClockMeasure::Late => "late",
            ClockMeasure::FirstTimeRight => "first_time_right",
            ClockMeasure::Corrected => "corrected",
            ClockMeasure::CorrectedOnce => "corrected_once",
            ClockMeasure::CorrectedRepeatedly => "corrected_repeatedly",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            ClockMeasure::Overdue => "超期未办结项目",
            ClockMeasure::AtRisk => "临近时限项目",
            ClockMeasure::OnTime => "按时办结项目",
            ClockMeasure::Late => "超时办结项目",
            ClockMeasure::FirstTimeRight => "一次性受理项目",
            ClockMeasure::Corrected => "经补正后受理项目",
            ClockMeasure::CorrectedOnce => "补正1次后受理项目",
            ClockMeasure::CorrectedRepeatedly => "补正2次及以上后受理项目",
        }
    }

    pub fn parse(s: &str) -> Option<ClockMeasure> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether a project counts under this measure.
    fn counts(self, p: &ProjectClock) -> bool {
        match self {
            ClockMeasure::Overdue => p.overdue,
            ClockMeasure::AtRisk => p.at_risk,
            ClockMeasure::OnTime => p.on_time,
            ClockMeasure::Late => p.late,
            ClockMeasure::FirstTimeRight => p.rounds == Some(0),
            ClockMeasure::Corrected => p.rounds.is_some_and(|r| r >= 1),
            ClockMeasure::CorrectedOnce => p.rounds == Some(1),
            ClockMeasure::CorrectedRepeatedly => p.rounds.is_some_and(|r| r >= 2),
        }
    }
}

/// Any measure the drill-down lists: one of the summary's, or one of the clocks'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnyMeasure {
    Summary(Measure),
    Clock(ClockMeasure),
}

impl AnyMeasure {
    pub fn parse(s: &str) -> Option<AnyMeasure> {
        Measure::parse(s)
            .map(AnyMeasure::Summary)
            .or_else(|| ClockMeasure::parse(s).map(AnyMeasure::Clock))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AnyMeasure::Summary(m) => m.as_str(),
            AnyMeasure::Clock(m) => m.as_str(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnyMeasure::Summary(m) => m.label(),
            AnyMeasure::Clock(m) => m.label(),
        }
    }

    /// Every measure's code, the summary's first.
    pub fn codes() -> Vec<&'static str> {
        Measure::ALL
            .iter()
            .map(|m| m.as_str())
            .chain(ClockMeasure::ALL.iter().map(|m| m.as_str()))
            .collect()
    }
}

/// What a project's filings said on the report date.
#[derive(Debug, Clone, Default)]
struct ProjectClock {
    overdue: bool,
    at_risk: bool,
    on_time: bool,
    late: bool,
    /// Correction rounds before acceptance (the most of its accepted filings); `None` when
    /// none of its filings was accepted by then.
    rounds: Option<u32>,
}

/// Each project of the report on `as_of` that has a filing with a step by then, with what its
/// filings said.
async fn project_clocks<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    as_of: NaiveDate,
) -> Result<BTreeMap<i64, ProjectClock>> {
    use crate::domain::filing::{ClockKind, ClockStatus};
    let mut in_report: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for r in db.query_all(&ids_of(Measure::Projects, as_of)).await? {
        in_report.insert(r.try_get_by_index(0)?);
    }
    let soon = i64::from(settings.clocks.due_soon_working_days);
    let mut out: BTreeMap<i64, ProjectClock> = BTreeMap::new();
    for f in super::filings::filings_on(db, settings, as_of).await? {
        if !in_report.contains(&f.project_id) {
            continue;
        }
        let p = out.entry(f.project_id).or_default();
        if let Some(c) = &f.clock {
            let open = f.state.clock_runs()
                && matches!(c.status, ClockStatus::Running | ClockStatus::Stopped);
            if open && c.overdue {
                p.overdue = true;
            } else if open && c.status == ClockStatus::Running && c.days_left <= soon {
                p.at_risk = true;
            }
            let decided = matches!(f.state, FilingState::Approved | FilingState::Disapproved);
            if decided && c.clock == Some(ClockKind::Decision) {
                if c.overdue {
                    p.late = true;
                } else {
                    p.on_time = true;
                }
            }
        }
        if f.accepted {
            p.rounds = Some(Ord::max(p.rounds.unwrap_or(0), f.rounds_before_acceptance));
        }
    }
    // A project both overdue on one filing and at risk on another counts as overdue only.
    for p in out.values_mut() {
        if p.overdue {
            p.at_risk = false;
        }
    }
    Ok(out)
}

/// The dashboard's clock and correction figures on a date, in projects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClockFigures {
    pub overdue: u64,
    pub at_risk: u64,
    pub on_time: u64,
    pub late: u64,
    /// Projects with a filing accepted by the date: the base of the correction figures.
    pub accepted: u64,
    pub first_time_right: u64,
    pub corrected: u64,
    pub corrected_once: u64,
    pub corrected_repeatedly: u64,
}

impl ClockFigures {
    /// The figure of a measure.
    pub fn figure(&self, m: ClockMeasure) -> u64 {
        match m {
            ClockMeasure::Overdue => self.overdue,
            ClockMeasure::AtRisk => self.at_risk,
            ClockMeasure::OnTime => self.on_time,
            ClockMeasure::Late => self.late,
            ClockMeasure::FirstTimeRight => self.first_time_right,
            ClockMeasure::Corrected => self.corrected,
            ClockMeasure::CorrectedOnce => self.corrected_once,
            ClockMeasure::CorrectedRepeatedly => self.corrected_repeatedly,
        }
    }

    /// on_time / (on_time + late), rounded half up to four decimals.
    pub fn on_time_rate(&self) -> Option<rust_decimal::Decimal> {
        crate::domain::report::rate(
            i128::from(self.on_time),
            i128::from(self.on_time + self.late),
        )
    }

    /// first_time_right / accepted, rounded half up to four decimals.
    pub fn first_time_right_rate(&self) -> Option<rust_decimal::Decimal> {
        crate::domain::report::rate(i128::from(self.first_time_right), i128::from(self.accepted))
    }
}

/// The clock and correction figures on `as_of` (leaders, officers and administrators).
#[tracing::instrument(name = "reports::clock_figures", skip_all, fields(%as_of))]
pub async fn clock_figures<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    as_of: NaiveDate,
) -> Result<ClockFigures> {
    check_reader(actor)?;
    check_as_of("as_of", as_of)?;
    let clocks = project_clocks(db, settings, as_of).await?;
    let count = |m: ClockMeasure| clocks.values().filter(|p| m.counts(p)).count() as u64;
    Ok(ClockFigures {
        overdue: count(ClockMeasure::Overdue),
        at_risk: count(ClockMeasure::AtRisk),
        on_time: count(ClockMeasure::OnTime),
        late: count(ClockMeasure::Late),
        accepted: clocks.values().filter(|p| p.rounds.is_some()).count() as u64,
        first_time_right: count(ClockMeasure::FirstTimeRight),
        corrected: count(ClockMeasure::Corrected),
        corrected_once: count(ClockMeasure::CorrectedOnce),
        corrected_repeatedly: count(ClockMeasure::CorrectedRepeatedly),
    })
}

/// A drill-down over any measure.
#[derive(Debug, Clone)]
pub struct MeasureQuery {
    pub measure: AnyMeasure,
    pub as_of: NaiveDate,
    pub group: Option<GroupKey>,
    pub page: u64,
    pub per_page: u64,
}

/// The projects behind any figure of the dashboard: the summary's (see [`projects`]) or the
/// clocks' (the same projects [`clock_figures`] counts, so `total` is its figure).
#[tracing::instrument(
    name = "reports::projects_of",
    skip_all,
    fields(actor_id = actor.id, as_of = %query.as_of, measure = query.measure.as_str())
)]
pub async fn projects_of<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    query: MeasureQuery,
) -> Result<Drilldown> {
    let m = match query.measure {
        AnyMeasure::Summary(measure) => {
            return projects(
                db,
                settings,
                actor,
                DrilldownQuery {
                    measure,
                    as_of: query.as_of,
                    group: query.group,
                    page: query.page,
                    per_page: query.per_page,
                },
            )
            .await;
        }
        AnyMeasure::Clock(m) => m,
    };
    check_reader(actor)?;
    let group = validate(
        db,
        query.as_of,
        query.page,
        query.per_page,
        query.group.as_ref(),
    )
    .await?;
    let ids: Vec<i64> = project_clocks(db, settings, query.as_of)
        .await?
        .into_iter()
        .filter(|(_, p)| m.counts(p))
        .map(|(id, _)| id)
        .collect();
    let mut wanted = vec![row(col::ID).is_in(ids)];
    wanted.extend(group);
    list_where(
        db,
        settings,
        query.as_of,
        &wanted,
        query.page,
        query.per_page,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    #[test]
    fn the_summary_is_one_statement_on_both_backends() {
        let q = figures_query("2023-06-30".parse().unwrap(), Some(GroupBy::Tier));
        for sql in [
            q.to_string(SqliteQueryBuilder),
            q.to_string(PostgresQueryBuilder),
        ] {
            assert!(sql.contains("GROUP BY"), "{sql}");
            assert!(sql.contains("\"voided_at\" IS NULL"), "{sql}");
            assert!(sql.contains("\"removed_at\" IS NULL"), "{sql}");
            assert!(sql.contains("LIMIT 1"), "{sql}");
        }
    }

    #[test]
    fn every_measure_has_one_code() {
        let codes = AnyMeasure::codes();
        for c in &codes {
            assert_eq!(AnyMeasure::parse(c).map(AnyMeasure::as_str), Some(*c));
        }
        let unique: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn every_measure_but_projects_has_a_condition() {
        for m in Measure::ALL {
            assert_eq!(condition(m).is_none(), m == Measure::Projects, "{m}");
        }
    }
}
