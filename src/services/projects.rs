//! Key projects in the ledger (台账): listing with filters, reading, creating and updating
//! under a version so two officers cannot overwrite each other.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Select, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait, LikeExpr, Query},
};
use serde::{Deserialize, Serialize};

use super::{Actor, Code, audit, filings, reports, today};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::filing::{ClockKind, ClockStatus, FilingClock, FilingState, Tier as FilingTier};
use crate::domain::identifiers::ProjectCode;
use crate::domain::ledger::{INDUSTRIES, Tier, industry_label};
use crate::domain::money::Wan;
use crate::domain::report::Measure;
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::{classification, county, filing, organization, project};

/// `%q%` with LIKE's wildcards in `q` taken literally.
pub fn like_pattern(q: &str) -> LikeExpr {
    let escaped: String = q
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganizationRef {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CountyRef {
    pub code: String,
    pub name: String,
}

/// The classification in force (the full record and its history come from the classification
/// endpoints).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClassificationSummary {
    pub tier: Tier,
    pub required: bool,
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub decided_on: NaiveDate,
    pub decided_by: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    /// 投资项目统一代码
    pub project_code: String,
    pub organization: OrganizationRef,
    pub county: CountyRef,
    /// On the provincial key-project list (省级重点项目).
    pub provincial: bool,
    /// On the municipal key-project list (市级重点项目).
    pub municipal: bool,
    pub industry: String,
    pub industry_label: String,
    /// Total investment in 万元, exact, two decimals.
    pub total_investment_wan: Wan,
    /// Served point to point (点对点) with a service sheet.
    pub point_to_point: bool,
    /// Built before approval (未批先建).
    pub built_before_approval: bool,
    /// Whether the penalty for building before approval has been settled.
    pub penalty_settled: bool,
    /// Date the project entered the ledger.
    pub listed_on: NaiveDate,
    /// Date its status was last verified.
    pub status_verified_on: Option<NaiveDate>,
    pub description: Option<String>,
    /// `exempt`, `registration_form`, `report_form`, `report`, or null when unclassified.
    pub tier: Option<Tier>,
    /// The officer's reason for a project code of another county (see the area-code rule).
    pub cross_county_reason: Option<String>,
    /// Set on a project removed as entered by mistake (administrators alone still see it).
    pub removed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub removed_reason: Option<String>,
    /// Present on single-project reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<ClassificationSummary>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The project's current filing (its latest), with the due date of its open clock; null
    /// when it has none.
    pub current_filing: Option<CurrentFiling>,
}

/// A project's current filing as the ledger shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CurrentFiling {
    pub id: i64,
    #[schema(value_type = String)]
    pub tier: FilingTier,
    #[schema(value_type = String)]
    pub state: FilingState,
    pub state_label: &'static str,
    /// The last day of its open clock: acceptance while submitted, the decision after
    /// acceptance; null when no clock runs (a draft, a decided filing, a stop of unknown length)
    /// or the date lies beyond the calendar.
    pub due_on: Option<NaiveDate>,
    /// Which clock `due_on` belongs to: `acceptance` or `decision`.
    pub due_for: Option<&'static str>,
    /// Its open clock has passed its due date.
    pub overdue: bool,
    /// Days of the open clock left (negative once overrun), in the clock's unit; for pages.
    #[serde(skip)]
    pub days_left: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelFilter {
    Provincial,
    Municipal,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProjectQuery {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
    /// County code (GB/T 2260), e.g. 611024.
    pub county: Option<String>,
    /// `provincial` or `municipal`.
    pub level: Option<LevelFilter>,
    /// `exempt`, `required`, `unclassified`, or a tier: `registration_form`, `report_form`, `report`.
    pub classification: Option<String>,
    /// Part of the project name or project code.
    pub q: Option<String>,
    pub organization_id: Option<i64>,
    pub industry: Option<String>,
    pub point_to_point: Option<bool>,
    /// The state of the project's current filing (its latest), e.g. `submitted`, `accepted`.
    #[serde(default, deserialize_with = "super::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub filing_state: Option<Code<FilingState>>,
    /// `true`: EIA required and a filing accepted (受理) or decided by `accepted_as_of`;
    /// `false`: EIA required and none accepted or decided by then. The report's
    /// `accepted_or_decided` and `not_accepted` measures on that date (projects listed by then).
    pub accepted: Option<bool>,
    /// The date `accepted` is judged on (YYYY-MM-DD, not after today); today when omitted.
    pub accepted_as_of: Option<NaiveDate>,
    /// `true`: the current filing's open clock is past its due date; `false`: it is not (or
    /// the project has no open filing).
    pub overdue: Option<bool>,
    /// `true`: the removed projects instead (administrators only).
    pub removed: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProject {
    pub name: String,
    pub project_code: String,
    pub organization_id: i64,
    /// County code (GB/T 2260).
    pub county: String,
    #[serde(default)]
    pub provincial: bool,
    #[serde(default = "yes")]
    pub municipal: bool,
    pub industry: String,
    /// 万元, a decimal string with at most two decimals (a JSON number is accepted too).
    pub total_investment_wan: Wan,
    #[serde(default)]
    pub point_to_point: bool,
    #[serde(default)]
    pub built_before_approval: bool,
    #[serde(default)]
    pub penalty_settled: bool,
    /// Defaults to today (Asia/Shanghai).
    #[serde(default)]
    pub listed_on: Option<NaiveDate>,
    #[serde(default)]
    pub status_verified_on: Option<NaiveDate>,
    #[serde(default)]
    pub description: Option<String>,
    /// Confirms a project code whose division code is not the county's, its city's or its
    /// province's: why the project belongs to this county.
    #[serde(default)]
    pub cross_county_reason: Option<String>,
}

fn yes() -> bool {
    true
}

/// A partial update; `version` is the one the client read, and a stale one gets 409.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    pub version: i32,
    pub name: Option<String>,
    pub project_code: Option<String>,
    pub organization_id: Option<i64>,
    pub county: Option<String>,
    pub provincial: Option<bool>,
    pub municipal: Option<bool>,
    pub industry: Option<String>,
    pub total_investment_wan: Option<Wan>,
    pub point_to_point: Option<bool>,
    pub built_before_approval: Option<bool>,
    pub penalty_settled: Option<bool>,
    pub listed_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub status_verified_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub description: Option<Option<String>>,
    /// See [`NewProject::cross_county_reason`].
    #[serde(default)]
    pub cross_county_reason: Option<String>,
}

/// Lookup tables that turn ids into the names a view shows.
pub(crate) struct Names {
    pub(crate) organizations: HashMap<i64, organization::Model>,
    pub(crate) counties: HashMap<i64, county::Model>,
}

impl Names {
    /// The organisation's name, or empty when it is not among those loaded.
    pub(crate) fn organization_name(&self, id: i64) -> String {
        self.organizations
            .get(&id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }

    /// The county's name, or empty when unknown.
    pub(crate) fn county_name(&self, id: i64) -> String {
        self.counties
            .get(&id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    pub(crate) async fn load<C: ConnectionTrait>(db: &C, org_ids: &[i64]) -> Result<Names> {
        let organizations = organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let counties = county::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        Ok(Names {
            organizations,
            counties,
        })
    }

    pub(crate) fn view(&self, p: project::Model) -> Result<ProjectView> {
        let org = self
            .organizations
            .get(&p.organization_id)
            .ok_or_else(|| anyhow::anyhow!("project {} has no organisation", p.id))?;
        let county = self
            .counties
            .get(&p.county_id)
            .ok_or_else(|| anyhow::anyhow!("project {} has no county", p.id))?;
        Ok(ProjectView {
            id: p.id,
            name: p.name,
            project_code: p.project_code,
            organization: OrganizationRef {
                id: org.id,
                name: org.name.clone(),
                credit_code: org.credit_code.clone(),
            },
            county: CountyRef {
                code: county.code.clone(),
                name: county.name.clone(),
            },
            provincial: p.provincial,
            municipal: p.municipal,
            industry_label: industry_label(&p.industry).unwrap_or("其他").to_owned(),
            industry: p.industry,
            total_investment_wan: Wan::from_hundredths(p.total_investment),
            point_to_point: p.point_to_point,
            built_before_approval: p.built_before_approval,
            penalty_settled: p.penalty_settled,
            listed_on: p.listed_on,
            status_verified_on: p.status_verified_on,
            description: p.description,
            tier: p.current_tier,
            cross_county_reason: p.cross_county_reason,
            removed_at: p.removed_at,
            removed_reason: p.removed_reason,
            classification: None,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
            current_filing: None,
        })
    }
}

/// The orders the ledger page offers; the API lists by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSort {
    /// In the order entered (the API's order).
    #[default]
    Id,
    /// By name in pinyin order (安康 < 北京 < 重庆), from the stored sort key.
    Name,
    /// By total investment.
    Investment,
    /// By the date listed in the ledger.
    Listed,
    /// By the due date of the current filing's open clock; projects without one come last.
    Due,
}

#[tracing::instrument(
    name = "projects::list",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn list(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: ProjectQuery,
) -> Result<ProjectPage> {
    list_sorted(db, settings, actor, query, ProjectSort::Id, false).await
}

/// [`list`] in another order, ascending or `descending`; ties in id order.
pub async fn list_sorted(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: ProjectQuery,
    sort: ProjectSort,
    descending: bool,
) -> Result<ProjectPage> {
    let mut errors = Vec::new();
    let paging = super::paging::Paging::check(query.page, query.per_page, &mut errors);
    let select = ordered(
        filtered(db, settings, actor, &query, errors).await?,
        sort,
        descending,
    );

    if sort == ProjectSort::Due {
        // The due date is computed from each filing's history, not stored: every matching
        // project is read, ordered by it, then the page cut out.
        let rows = select.all(db).await?;
        let mut items = views_of(db, settings, rows).await?;
        let due = |v: &ProjectView| v.current_filing.as_ref().and_then(|f| f.due_on);
        items.sort_by(|a, b| by_due(due(a), due(b), descending));
        let super::paging::Page {
            items,
            total,
            page,
            per_page,
        } = paging.slice(items);
        return Ok(ProjectPage {
            items,
            total,
            page,
            per_page,
        });
    }
    let super::paging::Page {
        items: rows,
        total,
        page,
        per_page,
    } = paging.fetch(db, select).await?;
    let items = views_of(db, settings, rows).await?;
    Ok(ProjectPage {
        items,
        total,
        page,
        per_page,
    })
}

/// The order of [`ProjectSort::Due`]: by due date, ascending or `descending`, projects without
/// one last (a stable sort keeps ties in the order they came).
pub(crate) fn by_due(
    a: Option<NaiveDate>,
    b: Option<NaiveDate>,
    descending: bool,
) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// The ledger's projects that `query` selects (its filters only, not its paging), as the actor
/// may see them: the one filter code behind the API's list, the ledger page and the export.
/// `errors` holds the caller's own checks, answered together with the filters' as one 422.
pub(crate) async fn filtered(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: &ProjectQuery,
    mut errors: Vec<FieldError>,
) -> Result<Select<project::Entity>> {
    let mut select = project::Entity::find();
    // Removed projects are out of the ledger; an administrator may list them apart.
    if query.removed == Some(true) {
        if actor.role != Role::Admin {
            return Err(Error::Forbidden("只有管理员可以查看已移除的项目".into()));
        }
        select = select.filter(project::Column::RemovedAt.is_not_null());
    } else {
        select = select.filter(project::Column::RemovedAt.is_null());
    }
    if !actor.role.sees_all_projects() {
        // An owner sees its own organisation's projects and nothing else.
        select =
            select.filter(project::Column::OrganizationId.eq(actor.organization_id.unwrap_or(-1)));
    }
    if let Some(org) = query.organization_id {
        select = select.filter(project::Column::OrganizationId.eq(org));
    }
    if let Some(code) = query
        .county
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match county::Entity::find()
            .filter(county::Column::Code.eq(code))
            .one(db)
            .await?
        {
            Some(c) => select = select.filter(project::Column::CountyId.eq(c.id)),
            None => errors.push(FieldError::new("county", "未知的行政区划代码")),
        }
    }
    match query.level {
        Some(LevelFilter::Provincial) => {
            select = select.filter(project::Column::Provincial.eq(true))
        }
        Some(LevelFilter::Municipal) => select = select.filter(project::Column::Municipal.eq(true)),
        None => {}
    }
    if let Some(c) = query.classification.as_deref() {
        select = match c {
            "unclassified" => select.filter(project::Column::CurrentTier.is_null()),
            "required" => select.filter(
                project::Column::CurrentTier
                    .is_not_null()
                    .and(project::Column::CurrentTier.ne(Tier::Exempt.as_str())),
            ),
            other => match Tier::parse(other) {
                Some(t) => select.filter(project::Column::CurrentTier.eq(t.as_str())),
                None => {
                    errors.push(FieldError::new(
                        "classification",
                        "应为 exempt、required、unclassified、registration_form、report_form 或 report",
                    ));
                    select
                }
            },
        };
    }
    if let Some(industry) = query.industry.as_deref() {
        if industry_label(industry).is_none() {
            errors.push(FieldError::new("industry", industry_hint()));
        }
        select = select.filter(project::Column::Industry.eq(industry));
    }
    if let Some(p2p) = query.point_to_point {
        select = select.filter(project::Column::PointToPoint.eq(p2p));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        select = select.filter(
            Condition::any()
                .add(Expr::col(project::Column::Name).like(pattern.clone()))
                .add(Expr::col(project::Column::ProjectCode).like(pattern)),
        );
    }
    if let Some(state) = Code::check(
        query.filing_state,
        "filing_state",
        "未知的申报状态，应为 draft、submitted、correction_requested、accepted、refused、technical_evaluation、pre_decision_notice、approved、disapproved、withdrawn 或 registered",
        &mut errors,
    ) {
        select = select.filter(current_filing_is(
            Expr::col((CURRENT, filing::Column::State)).eq(state),
        ));
    }
    match (query.accepted, query.accepted_as_of) {
        (Some(accepted), as_of) => {
            let as_of = as_of.unwrap_or_else(today);
            match reports::check_as_of("accepted_as_of", as_of) {
                Ok(()) => {
                    let measure = if accepted {
                        Measure::AcceptedOrDecided
                    } else {
                        Measure::NotAccepted
                    };
                    select = select.filter(reports::measure_filter(measure, as_of));
                }
                Err(Error::Invalid(e)) => errors.extend(e),
                Err(other) => return Err(other),
            }
        }
        (None, Some(_)) => errors.push(FieldError::new(
            "accepted_as_of",
            "须与 accepted=true 或 accepted=false 一起使用",
        )),
        (None, None) => {}
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(overdue) = query.overdue {
        // Only open filings have a clock that can be overdue; the feed reads those alone.
        let ids: Vec<i64> = filings::open_clocks(db, settings, today())
            .await?
            .into_iter()
            .filter(|o| clock_open(&o.clock) && o.clock.overdue)
            .map(|o| o.filing.id)
            .collect();
        let is_overdue = current_filing_is(Expr::col((CURRENT, filing::Column::Id)).is_in(ids));
        select = select.filter(if overdue {
            is_overdue
        } else {
            is_overdue.not()
        });
    }

    Ok(select)
}

/// `select` in the ledger page's `sort` (ascending or `descending`), ties in id order.
/// [`ProjectSort::Due`] is computed, not stored: it leaves the id order for the caller to
/// re-sort.
pub(crate) fn ordered(
    select: Select<project::Entity>,
    sort: ProjectSort,
    descending: bool,
) -> Select<project::Entity> {
    let mut select = select;
    let order = if descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    select = match sort {
        ProjectSort::Id | ProjectSort::Due => select,
        ProjectSort::Name => select
            .order_by(project::Column::NameSortKey, order.clone())
            .order_by(project::Column::Name, order.clone()),
        ProjectSort::Investment => select.order_by(project::Column::TotalInvestment, order.clone()),
        ProjectSort::Listed => select.order_by(project::Column::ListedOn, order.clone()),
    };
    select = select.order_by(
        project::Column::Id,
        if sort == ProjectSort::Id {
            order.clone()
        } else {
            sea_orm::Order::Asc
        },
    );
    select
}

/// The views of these projects, with their current filings.
pub(crate) async fn views_of<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    rows: Vec<project::Model>,
) -> Result<Vec<ProjectView>> {
    let org_ids: Vec<i64> = rows.iter().map(|p| p.organization_id).collect();
    let names = Names::load(db, &org_ids).await?;
    let mut items = rows
        .into_iter()
        .map(|p| names.view(p))
        .collect::<Result<Vec<_>>>()?;
    with_current_filings(db, settings, &mut items).await?;
    Ok(items)
}

const CURRENT: &str = "current_filing";
const LATER: &str = "later_filing";

/// A filter on `project`: its current filing (its latest) satisfies `condition`, an expression
/// on the filing aliased [`CURRENT`].
fn current_filing_is(condition: Expr) -> Expr {
    use filing::Column as F;
    let later = Query::select()
        .expr(Expr::val(1))
        .from_as(filing::Entity, LATER)
        .and_where(Expr::col((LATER, F::ProjectId)).equals((CURRENT, F::ProjectId)))
        .and_where(Expr::col((LATER, F::Id)).gt(Expr::col((CURRENT, F::Id))))
        .take();
    project::Column::Id.in_subquery(
        Query::select()
            .column((CURRENT, F::ProjectId))
            .from_as(filing::Entity, CURRENT)
            .and_where(condition)
            .and_where(Expr::not_exists(later))
            .take(),
    )
}

/// A clock that still runs or is stopped, whose due date is the one to meet.
fn clock_open(clock: &FilingClock) -> bool {
    matches!(clock.status, ClockStatus::Running | ClockStatus::Stopped)
}

/// Fills in each view's current filing and the due date of its open clock; reads only these
/// projects' filings.
pub async fn with_current_filings<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    views: &mut [ProjectView],
) -> Result<()> {
    if views.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = views.iter().map(|v| v.id).collect();
    let mut latest: HashMap<i64, filing::Model> = HashMap::new();
    for f in filing::Entity::find()
        .filter(filing::Column::ProjectId.is_in(ids))
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?
    {
        latest.insert(f.project_id, f);
    }
    let open: Vec<filing::Model> = latest
        .values()
        .filter(|f| f.state.clock_runs())
        .cloned()
        .collect();
    let clocks = filings::clocks_on(db, settings, &open, today()).await?;
    for v in views.iter_mut() {
        v.current_filing = latest.get(&v.id).map(|f| {
            let clock = clocks.get(&f.id).filter(|c| clock_open(c));
            let (due_on, due_for) = match clock.and_then(|c| c.clock.map(|k| (c, k))) {
                Some((c, ClockKind::Acceptance)) => (c.acceptance_due, Some("acceptance")),
                Some((c, ClockKind::Decision)) => (c.decision_due, Some("decision")),
                None => (None, None),
            };
            CurrentFiling {
                id: f.id,
                tier: f.tier,
                state: f.state,
                state_label: f.state.label(),
                due_on,
                due_for: due_on.and(due_for),
                overdue: clock.is_some_and(|c| c.overdue),
                days_left: due_on.and(clock.map(|c| c.days_left)),
            }
        });
    }
    Ok(())
}

/// [`get`] with the project's current filing and its due date.
pub async fn get_with_filing<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    id: i64,
) -> Result<ProjectView> {
    let mut view = get(db, actor, id).await?;
    with_current_filings(db, settings, std::slice::from_mut(&mut view)).await?;
    Ok(view)
}

/// Reads one project; an owner asking for another organisation's project gets the same 404 as
/// for a project that does not exist.
#[tracing::instrument(
    name = "projects::get",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id = id)
)]
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> Result<ProjectView> {
    let p = visible(db, actor, id).await?;
    full_view(db, p).await
}

/// One project's view with its classification, whoever reads it.
async fn full_view<C: ConnectionTrait>(db: &C, p: project::Model) -> Result<ProjectView> {
    let current = match p.current_classification_id {
        Some(cid) => classification::Entity::find_by_id(cid).one(db).await?,
        None => None,
    };
    let names = Names::load(db, &[p.organization_id]).await?;
    let mut view = names.view(p)?;
    view.classification = current.map(|c| ClassificationSummary {
        tier: c.tier,
        required: c.required,
        basis: c.basis,
        policy_exemption: c.policy_exemption,
        decided_on: c.decided_on,
        decided_by: c.decided_by,
    });
    Ok(view)
}

/// The project if this actor may see it. A removed project is gone for everyone but an
/// administrator (who may restore it).
pub async fn visible<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> Result<project::Model> {
    project::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| {
            actor.role.sees_all_projects() || actor.organization_id == Some(p.organization_id)
        })
        .filter(|p| p.removed_at.is_none() || actor.role == Role::Admin)
        .ok_or_else(|| Error::not_found("项目"))
}

// The rules on single values, shared by the API's create and update and the ledger import
// (which checks thousands of rows at once and cannot afford a query per value).

/// What is wrong with a project name, if anything.
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    let len = name.trim().chars().count();
    if len == 0 || len > 200 {
        return Some("项目名称不能为空且不超过200字");
    }
    crate::domain::one_line_problem(name)
}

/// What is wrong with a ledger date (listed, verified), if anything.
pub(crate) fn date_problem(date: NaiveDate) -> Option<&'static str> {
    crate::domain::past_date_problem(date, today())
}

/// What is wrong with a project's description, if anything.
pub(crate) fn description_problem(description: &str) -> Option<&'static str> {
    (description.chars().count() > 4000).then_some("说明不超过4000字")
}

pub(crate) fn industry_hint() -> String {
    let keys: Vec<&str> = INDUSTRIES.iter().map(|(k, _)| *k).collect();
    format!("未知的行业，应为：{}", keys.join("、"))
}

/// Validated values of a create or an update, with ids resolved.
struct Checked {
    project_code: Option<ProjectCode>,
    county: Option<county::Model>,
}

#[allow(clippy::too_many_arguments)]
async fn check<C: ConnectionTrait>(
    db: &C,
    name: Option<&str>,
    project_code: Option<&str>,
    organization_id: Option<i64>,
    county: Option<&str>,
    industry: Option<&str>,
    dates: [(&str, Option<NaiveDate>); 2],
    description: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Checked> {
    if let Some(problem) = name.and_then(name_problem) {
        errors.push(FieldError::new("name", problem));
    }
    let project_code = match project_code.map(ProjectCode::parse) {
        Some(Ok(code)) => Some(code),
        Some(Err(e)) => {
            errors.push(FieldError::new("project_code", e.to_string()));
            None
        }
        None => None,
    };
    if let Some(org) = organization_id
        && organization::Entity::find_by_id(org)
            .one(db)
            .await?
            .is_none()
    {
        errors.push(FieldError::new("organization_id", "建设单位不存在"));
    }
    let mut found_county = None;
    if let Some(code) = county {
        match county::Entity::find()
            .filter(county::Column::Code.eq(code.trim()))
            .one(db)
            .await?
        {
            Some(c) => found_county = Some(c),
            None => errors.push(FieldError::new("county", "未知的行政区划代码")),
        }
    }
    if let Some(industry) = industry
        && industry_label(industry).is_none()
    {
        errors.push(FieldError::new("industry", industry_hint()));
    }
    for (field, date) in dates {
        if let Some(problem) = date.and_then(date_problem) {
            errors.push(FieldError::new(field, problem));
        }
    }
    if let Some(problem) = description.and_then(description_problem) {
        errors.push(FieldError::new("description", problem));
    }
    Ok(Checked {
        project_code,
        county: found_county,
    })
}

/// A division code as a reader knows it: `611021（洛南县）`, or the city's or the bare code.
fn division_name(counties: &[county::Model], code: &str) -> String {
    let name = counties
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name.clone())
        .or_else(|| {
            counties
                .iter()
                .find(|c| c.city_code == code)
                .map(|c| c.city_name.clone())
        });
    match name {
        Some(name) => format!("{code}（{name}）"),
        None => code.to_owned(),
    }
}

/// The area rule: the project code's division code must be the county's, its city's or its
/// province's (domain rule [`ProjectCode::fits_county`]); otherwise the officer confirms a
/// cross-county project with a reason. What is wrong, given every county, if anything; `field`
/// is what the reason is called where the reader gives it.
pub(crate) fn area_problem(
    counties: &[county::Model],
    code: &ProjectCode,
    county: &county::Model,
    cross_county_reason: Option<&str>,
    field: &str,
) -> Option<String> {
    if code.fits_county(&county.code) || cross_county_reason.is_some_and(|r| !r.trim().is_empty()) {
        return None;
    }
    Some(format!(
        "项目代码中的行政区划代码 {}与所选县区 {}（{}）不符；跨区县项目请确认（{field}）",
        division_name(counties, code.area_code()),
        county.code,
        county.name
    ))
}

/// [`area_problem`] as a field error on `project_code`.
async fn check_area<C: ConnectionTrait>(
    db: &C,
    code: &ProjectCode,
    county: &county::Model,
    cross_county_reason: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    if code.fits_county(&county.code) || cross_county_reason.is_some_and(|r| !r.trim().is_empty()) {
        return Ok(());
    }
    let counties = county::Entity::find().all(db).await?;
    if let Some(problem) = area_problem(
        &counties,
        code,
        county,
        cross_county_reason,
        "cross_county_reason",
    ) {
        errors.push(FieldError::new("project_code", problem));
    }
    Ok(())
}

/// A reason as stored: trimmed, none when blank.
fn reason_of(reason: Option<&str>) -> Option<String> {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

async fn ensure_unique_code<C: ConnectionTrait>(
    db: &C,
    code: &ProjectCode,
    except: Option<i64>,
) -> Result<()> {
    // Removed projects count: their codes stay taken so that restoring them works.
    let mut query = project::Entity::find().filter(project::Column::ProjectCode.eq(code.as_str()));
    if let Some(id) = except {
        query = query.filter(project::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(Error::duplicate(
            "project_code",
            format!("投资项目统一代码 {} 已被使用（已在台账中）", code.as_str()),
        ));
    }
    Ok(())
}

fn penalty_rule(built_before_approval: bool, penalty_settled: bool, errors: &mut Vec<FieldError>) {
    if let Some(problem) = penalty_problem(built_before_approval, penalty_settled) {
        errors.push(FieldError::new("penalty_settled", problem));
    }
}

/// A settled penalty belongs to a project built before approval.
pub(crate) fn penalty_problem(
    built_before_approval: bool,
    penalty_settled: bool,
) -> Option<&'static str> {
    (penalty_settled && !built_before_approval).then_some("只有未批先建项目才有处罚履行情况")
}

/// A cross-county reason as stored: none when the code fits the county, else the reason given.
pub(crate) fn stored_reason(
    code: &ProjectCode,
    county: &county::Model,
    reason: Option<&str>,
) -> Option<String> {
    if code.fits_county(&county.code) {
        None
    } else {
        reason_of(reason)
    }
}

#[tracing::instrument(
    name = "projects::create",
    skip_all,
    fields(
        actor_id = actor.id,
        actor_org = actor.organization_id,
        organization_id = input.organization_id
    )
)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewProject,
) -> Result<ProjectView> {
    let txn = db.begin().await?;
    let row = create_in(&txn, actor, input).await?;
    txn.commit().await?;
    get(db, actor, row.id).await
}

/// [`create`] inside the caller's transaction, so a loader can add many in one.
pub(crate) async fn create_in<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: NewProject,
) -> Result<project::Model> {
    actor.require_keeper()?;
    let mut errors = Vec::new();
    let checked = check(
        db,
        Some(&input.name),
        Some(&input.project_code),
        Some(input.organization_id),
        Some(&input.county),
        Some(&input.industry),
        [
            ("listed_on", input.listed_on),
            ("status_verified_on", input.status_verified_on),
        ],
        input.description.as_deref(),
        &mut errors,
    )
    .await?;
    penalty_rule(
        input.built_before_approval,
        input.penalty_settled,
        &mut errors,
    );
    let (Some(code), Some(county)) = (checked.project_code, checked.county) else {
        return Err(Error::Invalid(errors));
    };
    check_area(
        db,
        &code,
        &county,
        input.cross_county_reason.as_deref(),
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    ensure_unique_code(db, &code, None).await?;
    let cross_county_reason = stored_reason(&code, &county, input.cross_county_reason.as_deref());

    let row = project::ActiveModel {
        name: Set(input.name.trim().to_owned()),
        name_sort_key: Set(crate::domain::sort_key::pinyin_key(&input.name)),
        project_code: Set(code.to_string()),
        organization_id: Set(input.organization_id),
        county_id: Set(county.id),
        provincial: Set(input.provincial),
        municipal: Set(input.municipal),
        industry: Set(input.industry),
        total_investment: Set(input.total_investment_wan.hundredths()),
        point_to_point: Set(input.point_to_point),
        built_before_approval: Set(input.built_before_approval),
        penalty_settled: Set(input.penalty_settled),
        listed_on: Set(input.listed_on.unwrap_or_else(today)),
        status_verified_on: Set(input.status_verified_on),
        description: Set(input.description),
        current_tier: Set(None),
        current_classification_id: Set(None),
        cross_county_reason: Set(cross_county_reason),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let organization = organization::Entity::find_by_id(row.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let mut changes = audit::Changes::new();
    changes
        .set("name", &row.name)
        .set("project_code", &row.project_code)
        .set("organization", &organization)
        .set("county", &county.code)
        .set("provincial", &row.provincial)
        .set("municipal", &row.municipal)
        .set("industry", &row.industry)
        .set("total_investment_wan", &input.total_investment_wan)
        .set("point_to_point", &row.point_to_point)
        .set("built_before_approval", &row.built_before_approval)
        .set("penalty_settled", &row.penalty_settled)
        .set("listed_on", &row.listed_on)
        .set("status_verified_on", &row.status_verified_on)
        .set("description", &row.description);
    if row.cross_county_reason.is_some() {
        changes.set("cross_county_reason", &row.cross_county_reason);
    }
    audit::write(
        db,
        actor,
        "project",
        row.id,
        "create",
        changes,
        serde_json::json!({"name": row.name, "project_code": row.project_code,
                           "total_investment_wan": input.total_investment_wan}),
    )
    .await?;
    Ok(row)
}

#[tracing::instrument(
    name = "projects::update",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id = id)
)]
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: ProjectPatch,
) -> Result<ProjectView> {
    actor.require_keeper()?;
    let current = visible(db, actor, id).await?;
    let mut errors = Vec::new();
    let checked = check(
        db,
        patch.name.as_deref(),
        patch.project_code.as_deref(),
        patch.organization_id,
        patch.county.as_deref(),
        patch.industry.as_deref(),
        [
            ("listed_on", patch.listed_on),
            ("status_verified_on", patch.status_verified_on.flatten()),
        ],
        patch.description.as_ref().and_then(|d| d.as_deref()),
        &mut errors,
    )
    .await?;
    penalty_rule(
        patch
            .built_before_approval
            .unwrap_or(current.built_before_approval),
        patch.penalty_settled.unwrap_or(current.penalty_settled),
        &mut errors,
    );
    let current_county = county::Entity::find_by_id(current.county_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("project {id} has no county"))?;
    let current_code = ProjectCode::parse(&current.project_code).ok();
    // The area rule, on the code and county the project will have, whenever either changes.
    let mut cross_county_reason = current.cross_county_reason.clone();
    let new_county = checked.county.clone().unwrap_or(current_county.clone());
    if let Some(code) = checked.project_code.as_ref().or(current_code.as_ref())
        && (checked.project_code.is_some()
            || checked.county.is_some()
            || patch.cross_county_reason.is_some())
        && errors.is_empty()
    {
        if code.fits_county(&new_county.code) {
            cross_county_reason = None;
        } else {
            check_area(
                db,
                code,
                &new_county,
                patch.cross_county_reason.as_deref(),
                &mut errors,
            )
            .await?;
            cross_county_reason = reason_of(patch.cross_county_reason.as_deref());
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(code) = &checked.project_code {
        ensure_unique_code(db, code, Some(id)).await?;
    }
    if patch.version != current.version {
        return Err(Error::stale("项目"));
    }

    // Exactly the fields that change, with display values (money as the decimal string).
    let mut changes = audit::Changes::new();
    changes
        .patch(
            "name",
            &current.name,
            patch.name.as_ref().map(|n| n.trim().to_owned()).as_ref(),
        )
        .patch(
            "project_code",
            &current.project_code,
            checked
                .project_code
                .as_ref()
                .map(|c| c.to_string())
                .as_ref(),
        );
    if let Some(org) = patch.organization_id
        && org != current.organization_id
    {
        let names = Names::load(db, &[current.organization_id, org]).await?;
        changes.push(
            "organization",
            &names.organization_name(current.organization_id),
            &names.organization_name(org),
        );
    }
    changes
        .diff("county", &current_county.code, &new_county.code)
        .patch("provincial", &current.provincial, patch.provincial.as_ref())
        .patch("municipal", &current.municipal, patch.municipal.as_ref())
        .patch("industry", &current.industry, patch.industry.as_ref())
        .patch(
            "total_investment_wan",
            &Wan::from_hundredths(current.total_investment),
            patch.total_investment_wan.as_ref(),
        )
        .patch(
            "point_to_point",
            &current.point_to_point,
            patch.point_to_point.as_ref(),
        )
        .patch(
            "built_before_approval",
            &current.built_before_approval,
            patch.built_before_approval.as_ref(),
        )
        .patch(
            "penalty_settled",
            &current.penalty_settled,
            patch.penalty_settled.as_ref(),
        )
        .patch("listed_on", &current.listed_on, patch.listed_on.as_ref())
        .patch(
            "status_verified_on",
            &current.status_verified_on,
            patch.status_verified_on.as_ref(),
        )
        .patch(
            "description",
            &current.description,
            patch.description.as_ref(),
        )
        .diff(
            "cross_county_reason",
            &current.cross_county_reason,
            &cross_county_reason,
        );
    // A PATCH that changes nothing leaves the version and the trail as they were.
    if changes.is_empty() {
        return get(db, actor, id).await;
    }

    let txn = db.begin().await?;
    use project::Column as P;
    let mut update = super::update_versioned::<project::Entity>(id, patch.version);
    let columns: [(P, Option<sea_orm::Value>); 15] = [
        (P::Name, patch.name.as_ref().map(|n| n.trim().into())),
        (
            P::ProjectCode,
            checked.project_code.as_ref().map(|c| c.as_str().into()),
        ),
        (P::OrganizationId, patch.organization_id.map(Into::into)),
        (P::CountyId, checked.county.as_ref().map(|c| c.id.into())),
        (P::Provincial, patch.provincial.map(Into::into)),
        (P::Municipal, patch.municipal.map(Into::into)),
        (P::Industry, patch.industry.clone().map(Into::into)),
        (
            P::TotalInvestment,
            patch.total_investment_wan.map(|w| w.hundredths().into()),
        ),
        (P::PointToPoint, patch.point_to_point.map(Into::into)),
        (
            P::BuiltBeforeApproval,
            patch.built_before_approval.map(Into::into),
        ),
        (P::PenaltySettled, patch.penalty_settled.map(Into::into)),
        (P::ListedOn, patch.listed_on.map(Into::into)),
        (
            P::StatusVerifiedOn,
            patch.status_verified_on.map(Into::into),
        ),
        (P::Description, patch.description.clone().map(Into::into)),
        (
            P::CrossCountyReason,
            Some(cross_county_reason.clone().into()),
        ),
    ];
    for (column, value) in columns {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    if let Some(name) = &patch.name {
        update = update.col_expr(
            P::NameSortKey,
            Expr::value(crate::domain::sort_key::pinyin_key(name)),
        );
    }
    super::exec_versioned(&txn, update, "项目").await?;
    audit::write(
        &txn,
        actor,
        "project",
        id,
        "update",
        changes,
        serde_json::json!({"from_version": patch.version}),
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// `POST /projects/{id}/remove` and `/restore`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveProject {
    pub version: i32,
    /// Why the project is removed (entered by mistake, a duplicate…); required.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreProject {
    pub version: i32,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Removes a project entered by mistake: the row stays, marked removed, out of every list,
/// view and report, until an administrator restores it. Refused while the project has a
/// filing past draft or a service sheet: a project with a real procedure is not a typo.
#[tracing::instrument(
    name = "projects::remove",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id = id)
)]
pub async fn remove(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: RemoveProject,
) -> Result<ProjectView> {
    actor.require_keeper()?;
    let current = visible(db, actor, id).await?;
    let Some(reason) = reason_of(input.reason.as_deref()) else {
        return Err(Error::invalid("reason", "请填写移除原因"));
    };
    if reason.chars().count() > 1000 {
        return Err(Error::invalid("reason", "移除原因不超过1000字"));
    }
    if current.removed_at.is_some() {
        return Err(Error::Conflict {
            code: crate::error::ErrorCode::InvalidState,
            message: "该项目已移除".into(),
            fields: Vec::new(),
        });
    }
    let filings = entity::filing::Entity::find()
        .filter(entity::filing::Column::ProjectId.eq(id))
        .filter(entity::filing::Column::State.ne(crate::domain::filing::FilingState::Draft))
        .count(db)
        .await?;
    let sheets = entity::service_sheet::Entity::find()
        .filter(entity::service_sheet::Column::ProjectId.eq(id))
        .count(db)
        .await?;
    if filings > 0 || sheets > 0 {
        return Err(Error::Conflict {
            code: crate::error::ErrorCode::InvalidState,
            message: "项目已有提交的环评申请或点对点服务单，不能作为误录移除".into(),
            fields: Vec::new(),
        });
    }
    let txn = db.begin().await?;
    super::exec_versioned(
        &txn,
        super::update_versioned::<project::Entity>(id, input.version)
            .col_expr(project::Column::RemovedAt, Expr::value(super::now()))
            .col_expr(project::Column::RemovedBy, Expr::value(actor.id))
            .col_expr(project::Column::RemovedReason, Expr::value(reason.clone())),
        "项目",
    )
    .await?;
    let mut changes = audit::Changes::new();
    changes
        .push("removed", &false, &true)
        .set("removed_reason", &reason);
    audit::write(
        &txn,
        actor,
        "project",
        id,
        "remove",
        changes,
        serde_json::json!({"reason": reason}),
    )
    .await?;
    txn.commit().await?;
    // The remover sees what was removed, once; after that the project is gone but for admins.
    let row = project::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("项目"))?;
    full_view(db, row).await
}

/// An administrator puts a removed project back in the ledger.
#[tracing::instrument(
    name = "projects::restore",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id = id)
)]
pub async fn restore(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: RestoreProject,
) -> Result<ProjectView> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("只有管理员可以恢复已移除的项目".into()));
    }
    let current = visible(db, actor, id).await?;
    if current.removed_at.is_none() {
        return Err(Error::Conflict {
            code: crate::error::ErrorCode::InvalidState,
            message: "该项目未被移除".into(),
            fields: Vec::new(),
        });
    }
    let reason = reason_of(input.reason.as_deref());
    let txn = db.begin().await?;
    super::exec_versioned(
        &txn,
        super::update_versioned::<project::Entity>(id, input.version)
            .col_expr(
                project::Column::RemovedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(project::Column::RemovedBy, Expr::value(Option::<i64>::None))
            .col_expr(
                project::Column::RemovedReason,
                Expr::value(Option::<String>::None),
            ),
        "项目",
    )
    .await?;
    let mut changes = audit::Changes::new();
    changes.push("removed", &true, &false).push(
        "removed_reason",
        &current.removed_reason,
        &None::<String>,
    );
    audit::write(
        &txn,
        actor,
        "project",
        id,
        "restore",
        changes,
        serde_json::json!({"reason": reason}),
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}
