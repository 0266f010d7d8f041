//! Filings (环评申报) and their actions. Every action is one transaction: a conditional update of
//! the filing on its expected state and version, its event row, and any number it issues. The
//! rules of who may do what come from `domain::filing::transition`.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait, TryInsertResult,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};

use super::{Actor, calendar, now, projects, today};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::calendar::WorkCalendar;
use crate::domain::filing::{
    Action, ActionContent, ClockInput, ClockStop, DisapprovalGround, FilingClock, FilingState,
    RuleBreach, StopReason, Tier, TransitionError, UNSETTLED_PENALTY_REASON, allowed_actions,
    check_content, filing_clock, format_number, parse_number, transition,
};
use crate::domain::ledger::Tier as LedgerTier;
use crate::domain::notices::{self, Decision, Notice, NoticeFacts};
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::{clock_stop, county, filing, filing_event, number_sequence, organization, project};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingProject {
    pub id: i64,
    pub name: String,
    pub project_code: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub county_code: String,
    pub county_name: String,
}

/// A filing as its readers see it, with its clock and what the reader may do next.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingView {
    pub id: i64,
    pub project: FilingProject,
    #[schema(value_type = String)]
    pub tier: Tier,
    #[schema(value_type = String)]
    pub state: FilingState,
    pub state_label: &'static str,
    pub version: i32,
    /// 登记表备案号 of a filed registration form.
    pub receipt_no: Option<String>,
    /// 批复文号 of the decision.
    pub decision_no: Option<String>,
    pub officer_id: Option<i64>,
    /// Deadlines, stops, days used and left; null when the calendar does not reach the dates.
    #[schema(value_type = Object)]
    pub clock: Option<FilingClock>,
    /// Why the clock could not be computed, if it could not.
    pub clock_error: Option<String>,
    /// The actions the reader may take now.
    #[schema(value_type = Vec<String>)]
    pub allowed_actions: Vec<Action>,
    /// Items of the correction request the owner has still to answer.
    pub open_correction: Option<Vec<String>>,
    /// Offered to the officer when the project was built before approval and the penalty is unsettled.
    pub suggested_refusal_reason: Option<&'static str>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One step of a filing's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingEventView {
    pub id: i64,
    #[schema(value_type = String)]
    pub action: Action,
    pub action_label: &'static str,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub reason: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The date on the written receipt or decision.
    pub effective_on: NaiveDate,
    /// When it was entered into the system.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /filings/{id}/actions`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    #[schema(value_type = String)]
    pub action: Action,
    /// The filing's version as read; a stale one is a 409.
    pub version: i32,
    /// Officers may record the date an action took place on paper (not in the future, not
    /// before the previous action). Defaults to today.
    #[serde(default)]
    pub effective_on: Option<NaiveDate>,
    /// Refusal reason, disapproval explanation, withdrawal note.
    #[serde(default)]
    pub reason: Option<String>,
    /// A correction request lists every missing item at once (一次性告知).
    #[serde(default)]
    pub missing_items: Vec<String>,
    /// A resubmission answers each item of the correction request, in order.
    #[serde(default)]
    pub answers: Vec<String>,
    /// Grounds of a disapproval (条例 Art. 11).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub grounds: Vec<DisapprovalGround>,
    /// The decision's text (批复意见).
    #[serde(default)]
    pub decision_text: Option<String>,
    /// Who evaluates (技术评估机构) when evaluation starts.
    #[serde(default)]
    pub evaluator: Option<String>,
    /// An officer records an owner's action (submit, resubmit, register, withdraw) that reached
    /// the bureau on paper or at the service window.
    #[serde(default)]
    pub on_behalf_of_owner: bool,
    /// The number on a paper decision or registration receipt, when an officer records a past
    /// approve, disapprove or register step (with `effective_on`); otherwise the next number of
    /// the year is issued.
    #[serde(default)]
    pub number: Option<String>,
}

/// The work queue and filing list filters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FilingQuery {
    pub state: Option<String>,
    pub tier: Option<String>,
    /// County code (GB/T 2260).
    pub county: Option<String>,
    pub officer_id: Option<i64>,
    pub project_id: Option<i64>,
    /// `overdue`, or `soon` (due within `clocks.due_soon_working_days` working days).
    pub due: Option<String>,
}

fn parse_state(code: &str) -> Result<FilingState> {
    code.parse()
        .map_err(|_| anyhow::anyhow!("stored filing state {code} is unknown").into())
}

fn parse_tier(code: &str) -> Result<Tier> {
    code.parse()
        .map_err(|_| anyhow::anyhow!("stored filing tier {code} is unknown").into())
}

fn parse_action(code: &str) -> Result<Action> {
    code.parse()
        .map_err(|_| anyhow::anyhow!("stored filing action {code} is unknown").into())
}

/// `POST /projects/{id}/filings`: a new draft for a project whose classification requires an
/// EIA; its tier is the project's.
pub async fn create(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    project_id: i64,
) -> Result<FilingView> {
    let project = projects::visible(db, actor, project_id).await?;
    if !(actor.role == Role::Owner || actor.role.keeps_ledger()) {
        return Err(Error::Forbidden("局领导不能创建环评申报".into()));
    }
    let tier = match project.current_tier.as_deref().and_then(LedgerTier::parse) {
        None => {
            return Err(Error::invalid("project_id", "项目尚未分类，不能申报"));
        }
        Some(t) => Tier::try_from(t)
            .map_err(|_| Error::invalid("project_id", "项目按分类不纳入环评管理，无须申报"))?,
    };
    // The look for an open filing and the insert are one transaction with the project row locked
    // (FOR UPDATE on PostgreSQL; SQLite's single connection serialises it): checked outside it,
    // two requests at once both found none and both inserted.
    let txn = db.begin().await?;
    project::Entity::find_by_id(project_id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let open = filing::Entity::find()
        .filter(filing::Column::ProjectId.eq(project_id))
        .all(&txn)
        .await?
        .into_iter()
        .find(|f| {
            f.state
                .parse::<FilingState>()
                .is_ok_and(|s| !s.is_terminal())
        });
    if let Some(open) = open {
        return Err(Error::Conflict {
            code: "open_filing",
            message: format!("该项目已有进行中的申报（编号{}），不能重复创建", open.id),
            fields: vec![FieldError::new("project_id", "已有进行中的申报")],
        });
    }
    let row = insert_draft(&txn, actor, project_id, tier).await?;
    txn.commit().await?;
    get(db, settings, actor, row.id).await
}

/// A new draft filing and its audit event, inside the caller's transaction.
pub(crate) async fn insert_draft<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    project_id: i64,
    tier: Tier,
) -> Result<filing::Model> {
    let row = filing::ActiveModel {
        project_id: Set(project_id),
        tier: Set(tier.as_str().to_owned()),
        state: Set(FilingState::Draft.as_str().to_owned()),
        receipt_no: Set(None),
        decision_no: Set(None),
        officer_id: Set(actor.role.keeps_ledger().then_some(actor.id).flatten()),
        version: Set(1),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    super::audit::record(
        txn,
        actor,
        "filing",
        row.id,
        "create",
        serde_json::json!({"project_id": project_id, "tier": tier.as_str()}),
    )
    .await?;
    Ok(row)
}

/// Everything a view needs about a set of filings, loaded in a few queries.
struct Context {
    calendar: WorkCalendar,
    projects: HashMap<i64, project::Model>,
    names: projects::Names,
    events: HashMap<i64, Vec<filing_event::Model>>,
    stops: HashMap<i64, Vec<clock_stop::Model>>,
}

impl Context {
    async fn load<C: ConnectionTrait>(db: &C, filings: &[filing::Model]) -> Result<Context> {
        let filing_ids: Vec<i64> = filings.iter().map(|f| f.id).collect();
        let project_ids: Vec<i64> = filings.iter().map(|f| f.project_id).collect();
        let projects: HashMap<i64, project::Model> = project::Entity::find()
            .filter(project::Column::Id.is_in(project_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let org_ids: Vec<i64> = projects.values().map(|p| p.organization_id).collect();
        let names = projects::Names::load(db, &org_ids).await?;
        let mut events: HashMap<i64, Vec<filing_event::Model>> = HashMap::new();
        for chunk in filing_ids.chunks(500) {
            for e in filing_event::Entity::find()
                .filter(filing_event::Column::FilingId.is_in(chunk.iter().copied()))
                .order_by_asc(filing_event::Column::Id)
                .all(db)
                .await?
            {
                events.entry(e.filing_id).or_default().push(e);
            }
        }
        let mut stops: HashMap<i64, Vec<clock_stop::Model>> = HashMap::new();
        for chunk in filing_ids.chunks(500) {
            for s in clock_stop::Entity::find()
                .filter(clock_stop::Column::FilingId.is_in(chunk.iter().copied()))
                .order_by_asc(clock_stop::Column::Id)
                .all(db)
                .await?
            {
                stops.entry(s.filing_id).or_default().push(s);
            }
        }
        Ok(Context {
            calendar: calendar::load(db).await?,
            projects,
            names,
            events,
            stops,
        })
    }

    fn view(&self, settings: &Settings, actor: &Actor, f: &filing::Model) -> Result<FilingView> {
        let p = self
            .projects
            .get(&f.project_id)
            .ok_or_else(|| anyhow::anyhow!("filing {} has no project", f.id))?;
        let county = self.names.counties.get(&p.county_id);
        let state = parse_state(&f.state)?;
        let tier = parse_tier(&f.tier)?;
        let events = self
            .events
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let (clock, clock_error) = match self.clock(settings, f, state, tier, events) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e)),
        };
        let open_correction = (state == FilingState::CorrectionRequested)
            .then(|| last_missing_items(events))
            .flatten();
        let owner_of_project = actor.organization_id == Some(p.organization_id);
        let unsettled = p.built_before_approval && !p.penalty_settled;
        let mut allowed = if actor.role == Role::Owner && !owner_of_project {
            Vec::new()
        } else {
            allowed_actions(state, tier, actor.role)
        };
        // The bureau does not accept a project built before approval until its penalty is settled.
        if unsettled {
            allowed.retain(|a| *a != Action::Accept);
        }

        Ok(FilingView {
            id: f.id,
            project: FilingProject {
                id: p.id,
                name: p.name.clone(),
                project_code: p.project_code.clone(),
                organization_id: p.organization_id,
                organization_name: self.names.organization_name(p.organization_id),
                county_code: county.map(|c| c.code.clone()).unwrap_or_default(),
                county_name: self.names.county_name(p.county_id),
            },
            tier,
            state,
            state_label: state.label(),
            version: f.version,
            receipt_no: f.receipt_no.clone(),
            decision_no: f.decision_no.clone(),
            officer_id: f.officer_id,
            clock,
            clock_error,
            allowed_actions: allowed,
            open_correction,
            suggested_refusal_reason: (unsettled
                && matches!(state, FilingState::Submitted)
                && actor.role.keeps_ledger())
            .then_some(UNSETTLED_PENALTY_REASON),
            created_at: f.created_at,
            updated_at: f.updated_at,
        })
    }

    fn clock(
        &self,
        settings: &Settings,
        f: &filing::Model,
        state: FilingState,
        tier: Tier,
        events: &[filing_event::Model],
    ) -> std::result::Result<FilingClock, String> {
        self.clock_on(settings, f, state, tier, events, today())
    }

    /// The clock as it stands on `day`.
    fn clock_on(
        &self,
        settings: &Settings,
        f: &filing::Model,
        state: FilingState,
        tier: Tier,
        events: &[filing_event::Model],
        day: NaiveDate,
    ) -> std::result::Result<FilingClock, String> {
        let history: Vec<(Action, NaiveDate)> = events
            .iter()
            .map(|e| Ok((parse_action(&e.action)?, e.effective_on)))
            .collect::<Result<_>>()
            .map_err(|e| e.to_string())?;
        let extra: Vec<ClockStop> = self
            .stops
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| {
                Some(ClockStop {
                    reason: s.reason.parse().ok()?,
                    from: s.from_on,
                    to: s.to_on,
                })
            })
            .collect();
        filing_clock(
            &ClockInput {
                tier,
                state,
                history: &history,
                extra_stops: &extra,
            },
            day,
            &settings.clocks.effective(),
            &self.calendar,
        )
        .map_err(|e| e.to_string())
    }
}

/// The items of the latest correction request.
pub(crate) fn last_missing_items(events: &[filing_event::Model]) -> Option<Vec<String>> {
    events
        .iter()
        .rev()
        .find(|e| e.action == Action::RequestCorrection.as_str())
        .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
        .and_then(|d| serde_json::from_value(d["missing_items"].clone()).ok())
}

/// The filing if the actor may see it (owners only their organisation's).
async fn visible<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<(filing::Model, project::Model)> {
    let f = filing::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("申报"))?;
    let p = projects::visible(db, actor, f.project_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Error::not_found("申报"),
            other => other,
        })?;
    Ok((f, p))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    id: i64,
) -> Result<FilingView> {
    let (f, _) = visible(db, actor, id).await?;
    let ctx = Context::load(db, std::slice::from_ref(&f)).await?;
    ctx.view(settings, actor, &f)
}

pub async fn events<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<Vec<FilingEventView>> {
    visible(db, actor, id).await?;
    filing_event::Entity::find()
        .filter(filing_event::Column::FilingId.eq(id))
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| {
            let action = parse_action(&e.action)?;
            Ok(FilingEventView {
                id: e.id,
                action,
                action_label: action.label(),
                from_state: e.from_state,
                to_state: e.to_state,
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                reason: e.reason,
                detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
                effective_on: e.effective_on,
                recorded_at: e.recorded_at,
            })
        })
        .collect()
}

/// The work queue: filings the actor may see, filtered, most urgent first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    query: FilingQuery,
) -> Result<Vec<FilingView>> {
    let mut errors = Vec::new();
    let mut select = filing::Entity::find().order_by_asc(filing::Column::Id);
    if let Some(state) = query.state.as_deref() {
        match state.parse::<FilingState>() {
            Ok(s) => select = select.filter(filing::Column::State.eq(s.as_str())),
            Err(_) => errors.push(FieldError::new("state", "未知的申报状态")),
        }
    }
    if let Some(tier) = query.tier.as_deref() {
        match tier.parse::<Tier>() {
            Ok(t) => select = select.filter(filing::Column::Tier.eq(t.as_str())),
            Err(_) => errors.push(FieldError::new(
                "tier",
                "应为 report、report_form 或 registration_form",
            )),
        }
    }
    if let Some(officer) = query.officer_id {
        select = select.filter(filing::Column::OfficerId.eq(officer));
    }
    if let Some(project) = query.project_id {
        select = select.filter(filing::Column::ProjectId.eq(project));
    }
    let due = match query.due.as_deref() {
        None | Some("") => None,
        Some("overdue") => Some(true),
        Some("soon") => Some(false),
        Some(_) => {
            errors.push(FieldError::new("due", "应为 overdue 或 soon"));
            None
        }
    };
    let mut project_filter = project::Entity::find();
    if let Some(code) = query.county.as_deref() {
        match county::Entity::find()
            .filter(county::Column::Code.eq(code))
            .one(db)
            .await?
        {
            Some(c) => project_filter = project_filter.filter(project::Column::CountyId.eq(c.id)),
            None => errors.push(FieldError::new("county", "未知的行政区划代码")),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if !actor.role.sees_all_projects() {
        project_filter = project_filter
            .filter(project::Column::OrganizationId.eq(actor.organization_id.unwrap_or(-1)));
    }
    let allowed_projects: std::collections::HashSet<i64> = project_filter
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let filings: Vec<filing::Model> = select
        .all(db)
        .await?
        .into_iter()
        .filter(|f| allowed_projects.contains(&f.project_id))
        .collect();
    let ctx = Context::load(db, &filings).await?;
    let mut views = filings
        .iter()
        .map(|f| ctx.view(settings, actor, f))
        .collect::<Result<Vec<_>>>()?;
    if let Some(overdue) = due {
        let soon = i64::from(settings.clocks.due_soon_working_days);
        views.retain(|v| {
            v.clock.as_ref().is_some_and(|c| {
                let open = matches!(
                    c.status,
                    crate::domain::filing::ClockStatus::Running
                        | crate::domain::filing::ClockStatus::Stopped
                );
                if overdue {
                    open && c.overdue
                } else {
                    open && !c.overdue && c.days_left <= soon
                }
            })
        });
        views.sort_by_key(|v| v.clock.as_ref().map(|c| c.days_left).unwrap_or(i64::MAX));
    }
    Ok(views)
}

/// Applies one action: checks role and state through the domain, the bureau's own rules here,
/// then a conditional update on state and version with its event, in one transaction.
pub async fn act(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    req: ActionRequest,
) -> Result<FilingView> {
    let (f, project) = visible(db, actor, id).await?;
    let events = filing_event::Entity::find()
        .filter(filing_event::Column::FilingId.eq(id))
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?;
    let txn = db.begin().await?;
    let event = apply(&txn, settings, actor, &f, &project, &events, &req).await?;
    txn.commit().await?;
    tracing::info!(filing = id, action = %event.action, to = %event.to_state, "filing action applied");
    get(db, settings, actor, id).await
}

/// The role an action is checked against: the actor's, or the owner's when an officer records
/// an owner's action that reached the bureau on paper or at the service window.
fn acting_role(actor: &Actor, req: &ActionRequest) -> Result<Role> {
    if !req.on_behalf_of_owner {
        return Ok(actor.role);
    }
    if !actor.role.keeps_ledger() {
        return Err(Error::invalid(
            "on_behalf_of_owner",
            "只有审批人员可以代建设单位录入",
        ));
    }
    if !req.action.permits(Role::Owner) {
        return Err(Error::invalid(
            "on_behalf_of_owner",
            format!("“{}”不是建设单位的操作", req.action.label()),
        ));
    }
    Ok(Role::Owner)
}

/// The action itself, inside the caller's transaction: the same path for a request, a
/// historic entry and the demo loader. Returns the event it wrote.
pub(crate) async fn apply<C: ConnectionTrait>(
    txn: &C,
    settings: &Settings,
    actor: &Actor,
    f: &filing::Model,
    project: &project::Model,
    events: &[filing_event::Model],
    req: &ActionRequest,
) -> Result<filing_event::Model> {
    let state = parse_state(&f.state)?;
    let tier = parse_tier(&f.tier)?;
    let role = acting_role(actor, req)?;
    let to = transition(state, tier, req.action, role).map_err(|e| match e {
        TransitionError::Forbidden { action, role } => {
            Error::Forbidden(format!("{}不能执行“{}”", role.label(), action.label()))
        }
        TransitionError::NotForTier { action, tier } => Error::invalid(
            "action",
            format!("{}不适用于{}", action.label(), tier.label()),
        ),
        TransitionError::NotAllowed { action, state } => Error::Conflict {
            code: "invalid_state",
            message: format!(
                "申报当前状态为“{}”（{}），不能执行“{}”",
                state.label(),
                state.as_str(),
                action.label()
            ),
            fields: vec![FieldError::new(
                "action",
                format!("当前状态：{}", state.as_str()),
            )],
        },
    })?;
    if req.version != f.version {
        return Err(Error::stale("申报"));
    }
    let effective_on = effective_date(actor, req, events)?;
    if let Some(number) = &req.number {
        let numbered = matches!(
            req.action,
            Action::Approve | Action::Disapprove | Action::Register
        );
        let message = if !numbered {
            Some("只有批复、不予批准和登记表备案有文号")
        } else if req.effective_on.is_none() || !actor.role.keeps_ledger() {
            Some("只有审批人员补录以往的纸质决定或回执时填写文号，其余由系统编号")
        } else if number.trim().is_empty() || number.chars().count() > 60 {
            Some("文号不能为空且不超过60字")
        } else {
            None
        };
        if let Some(message) = message {
            return Err(Error::invalid("number", message));
        }
    }
    let mut detail = check_action(req, project, events)?;
    if req.on_behalf_of_owner {
        detail["recorded_for"] = serde_json::json!("owner");
    }

    let mut update = filing::Entity::update_many()
        .col_expr(filing::Column::State, Expr::value(to.as_str()))
        .col_expr(
            filing::Column::Version,
            Expr::col(filing::Column::Version).add(1),
        )
        .col_expr(filing::Column::UpdatedAt, Expr::value(now()))
        .filter(filing::Column::Id.eq(f.id))
        .filter(filing::Column::Version.eq(f.version))
        .filter(filing::Column::State.eq(state.as_str()));
    if req.action == Action::Accept && f.officer_id.is_none() {
        update = update.col_expr(filing::Column::OfficerId, Expr::value(actor.id));
    }
    // The row is locked from here on, so a concurrent action on the same filing waits and then
    // finds the version gone: it never draws a number.
    super::exec_versioned(txn, update, "申报").await?;
    let numbered = match req.action {
        Action::Approve | Action::Disapprove => Some((
            "decision",
            &settings.filings.decision_number_format,
            filing::Column::DecisionNo,
        )),
        Action::Register => Some((
            "registration",
            &settings.filings.registration_number_format,
            filing::Column::ReceiptNo,
        )),
        _ => None,
    };
    if let Some((kind, format, column)) = numbered {
        let number = match req.number.as_deref().map(str::trim) {
            Some(paper) => {
                keep_sequence_ahead(txn, kind, effective_on.year(), format, paper).await?;
                paper.to_owned()
            }
            None => next_number(txn, kind, effective_on.year(), format).await?,
        };
        filing::Entity::update_many()
            .col_expr(column, Expr::value(number.clone()))
            .filter(filing::Column::Id.eq(f.id))
            .exec(txn)
            .await?;
        detail[if kind == "decision" {
            "decision_no"
        } else {
            "receipt_no"
        }] = serde_json::json!(number);
    }
    let event = filing_event::ActiveModel {
        filing_id: Set(f.id),
        action: Set(req.action.as_str().to_owned()),
        from_state: Set(Some(state.as_str().to_owned())),
        to_state: Set(to.as_str().to_owned()),
        actor_id: Set(actor.id),
        actor_role: Set(actor.role_label().to_owned()),
        reason: Set(req.reason.clone().filter(|r| !r.trim().is_empty())),
        detail: Set(detail.to_string()),
        effective_on: Set(effective_on),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // Those concerned hear of what happens now; a step entered from the paper file afterwards
    // is history, not news.
    if effective_on == today() {
        notify_action(txn, settings, f, project, tier, &event, &detail).await?;
    }
    Ok(event)
}

/// Writes the notices an action gives rise to, in the action's transaction.
async fn notify_action<C: ConnectionTrait>(
    txn: &C,
    settings: &Settings,
    f: &filing::Model,
    project: &project::Model,
    tier: Tier,
    event: &filing_event::Model,
    detail: &serde_json::Value,
) -> Result<()> {
    use super::notifications::{self, NewNotification};
    let action = parse_action(&event.action)?;
    let on = event.effective_on;
    let org = organization::Entity::find_by_id(project.organization_id)
        .one(txn)
        .await?;
    let url = format!(
        "{}/api/v1/filings/{}",
        settings.server.public_url.trim_end_matches('/'),
        f.id
    );
    let mut vars: std::collections::BTreeMap<&str, String> = [
        ("project_name", project.name.clone()),
        ("project_code", project.project_code.clone()),
        ("owner_name", org.map(|o| o.name).unwrap_or_default()),
        ("tier_label", tier.label().to_owned()),
        ("on", on.to_string()),
        ("link", url.clone()),
        ("bureau", settings.bureau.name.clone()),
    ]
    .into_iter()
    .collect();
    let calendar = calendar::load(txn).await?;
    let clocks = settings.clocks.effective();
    let (template, recipients) = match action {
        Action::Submit | Action::Resubmit => {
            let due = calendar
                .add_working_days(on, clocks.acceptance_working_days)
                .map(|d| d.to_string())
                .unwrap_or_else(|_| {
                    format!("收到申请后{}个工作日内", clocks.acceptance_working_days)
                });
            vars.insert("due", due);
            let officers = match f.officer_id {
                Some(id) => notifications::user(txn, id).await?.into_iter().collect(),
                None => notifications::users_with_role(txn, Role::Officer).await?,
            };
            ("filing_submitted", officers)
        }
        Action::RequestCorrection => {
            let items: Vec<String> = detail["missing_items"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .enumerate()
                        .map(|(i, item)| {
                            format!("{}. {}", i + 1, item.as_str().unwrap_or_default())
                        })
                        .collect()
                })
                .unwrap_or_default();
            vars.insert("items", items.join("\n"));
            (
                "correction_requested",
                notifications::owners_of(txn, project.organization_id).await?,
            )
        }
        Action::Accept => {
            let days = clocks.decision_days(tier).unwrap_or_default();
            let due = if clocks.decision_days_are_working_days {
                calendar.add_working_days(on, days).ok()
            } else {
                Some(on + chrono::Duration::days(i64::from(days)))
            };
            vars.insert(
                "due",
                due.map(|d| d.to_string())
                    .unwrap_or_else(|| format!("受理后{days}日内")),
            );
            (
                "filing_accepted",
                notifications::owners_of(txn, project.organization_id).await?,
            )
        }
        Action::Refuse => {
            vars.insert("reason", event.reason.clone().unwrap_or_default());
            (
                "filing_refused",
                notifications::owners_of(txn, project.organization_id).await?,
            )
        }
        Action::Approve | Action::Disapprove => {
            let approved = action == Action::Approve;
            vars.insert(
                "outcome",
                if approved {
                    "予以批复"
                } else {
                    "不予批准"
                }
                .to_owned(),
            );
            vars.insert(
                "decision_no",
                detail["decision_no"].as_str().unwrap_or("—").to_owned(),
            );
            let explanation = if approved {
                detail["decision_text"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| {
                        "请严格落实环境影响评价文件和批复提出的各项生态环境保护措施。".into()
                    })
            } else {
                let citations: Vec<&str> = detail["citations"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
                    .unwrap_or_default();
                format!(
                    "依据{}：{}",
                    citations.join("、"),
                    event.reason.clone().unwrap_or_default()
                )
            };
            vars.insert("explanation", explanation);
            (
                "filing_decided",
                notifications::owners_of(txn, project.organization_id).await?,
            )
        }
        Action::StartEvaluation
        | Action::FinishEvaluation
        | Action::Withdraw
        | Action::Register => return Ok(()),
    };
    notifications::enqueue(
        txn,
        &NewNotification {
            key: format!("filing:{}:event:{}", f.id, event.id),
            template,
            vars,
            link: Some(url),
            entity: Some(("filing", f.id)),
        },
        &recipients,
    )
    .await?;
    Ok(())
}

/// The date the action takes effect: today, or for officers a date on paper that is neither in
/// the future nor before the previous action.
fn effective_date(
    actor: &Actor,
    req: &ActionRequest,
    events: &[filing_event::Model],
) -> Result<NaiveDate> {
    let previous = events.last().map(|e| e.effective_on);
    let date = match req.effective_on {
        None => today(),
        Some(_) if !actor.role.keeps_ledger() => {
            return Err(Error::invalid(
                "effective_on",
                "只有审批人员可以补录以往日期的办理环节",
            ));
        }
        Some(date) => {
            if date > today() {
                return Err(Error::invalid("effective_on", "日期不能晚于今天"));
            }
            date
        }
    };
    if let Some(previous) = previous
        && date < previous
    {
        return Err(Error::invalid(
            "effective_on",
            format!("日期不能早于上一环节（{previous}）"),
        ));
    }
    Ok(date)
}

/// The bureau's rules for what an action carries (`domain::filing::check_content`), in the
/// API's errors; returns what the event records.
fn check_action(
    req: &ActionRequest,
    project: &project::Model,
    events: &[filing_event::Model],
) -> Result<serde_json::Value> {
    let content = ActionContent {
        action: req.action,
        reason: req.reason.as_deref(),
        missing_items: &req.missing_items,
        answers: &req.answers,
        grounds: &req.grounds,
        decision_text: req.decision_text.as_deref(),
        evaluator: req.evaluator.as_deref(),
    };
    let unsettled = project.built_before_approval && !project.penalty_settled;
    let open_items = last_missing_items(events).unwrap_or_default();
    check_content(&content, unsettled, &open_items).map_err(|breach| match breach {
        RuleBreach::PenaltyUnsettled => Error::Conflict {
            code: "penalty_unsettled",
            message: format!(
                "项目未批先建且处罚尚未履行完毕，不能受理。建议不予受理，理由：{UNSETTLED_PENALTY_REASON}"
            ),
            fields: vec![FieldError::new("action", "未批先建处罚未履行完毕")],
        },
        RuleBreach::Invalid(fields) => Error::Invalid(fields),
    })
}

/// The next number of a per-year sequence, formatted. Runs inside the action's transaction, so a
/// failed action gives its number back.
async fn next_number<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    year: i32,
    format: &str,
) -> Result<String> {
    let bump = || {
        number_sequence::Entity::update_many()
            .col_expr(
                number_sequence::Column::Last,
                Expr::col(number_sequence::Column::Last).add(1),
            )
            .filter(number_sequence::Column::Kind.eq(kind))
            .filter(number_sequence::Column::Year.eq(year))
    };
    if bump().exec(db).await?.rows_affected == 0 {
        // The year's first number. Two actions at once may both get here; the second waits for
        // the first's row and then takes the next number, instead of failing the whole action on
        // the unique index (a 409 "duplicate" for a decision that did nothing wrong).
        let created = number_sequence::Entity::insert(number_sequence::ActiveModel {
            kind: Set(kind.to_owned()),
            year: Set(year),
            last: Set(1),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([number_sequence::Column::Kind, number_sequence::Column::Year])
        .exec_without_returning(db)
        .await?;
        if !matches!(created, TryInsertResult::Inserted(n) if n > 0) {
            bump().exec(db).await?;
        }
    }
    let row = number_sequence::Entity::find()
        .filter(number_sequence::Column::Kind.eq(kind))
        .filter(number_sequence::Column::Year.eq(year))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("number sequence {kind}/{year} vanished"))?;
    Ok(format_number(format, year, row.last))
}

/// A number recorded off paper: the year's sequence moves past it, so a number issued later
/// never repeats it.
async fn keep_sequence_ahead<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    year: i32,
    format: &str,
    number: &str,
) -> Result<()> {
    let Some(seq) = parse_number(format, year, number) else {
        return Ok(());
    };
    number_sequence::Entity::insert(number_sequence::ActiveModel {
        kind: Set(kind.to_owned()),
        year: Set(year),
        last: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([number_sequence::Column::Kind, number_sequence::Column::Year])
    .exec_without_returning(db)
    .await?;
    number_sequence::Entity::update_many()
        .col_expr(number_sequence::Column::Last, Expr::value(seq))
        .filter(number_sequence::Column::Kind.eq(kind))
        .filter(number_sequence::Column::Year.eq(year))
        .filter(number_sequence::Column::Last.lt(seq))
        .exec(db)
        .await?;
    Ok(())
}

/// `POST /filings/{id}/clock-stops`: an expert review or a hearing stops the decision clock.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClockStop {
    /// `expert_review` or `hearing` (technical evaluation and corrections stop the clock through
    /// their actions).
    #[schema(value_type = String)]
    pub reason: StopReason,
    pub from: NaiveDate,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn add_stop(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    stop: NewClockStop,
) -> Result<FilingView> {
    actor.require_keeper()?;
    let (f, _) = visible(db, actor, id).await?;
    let state = parse_state(&f.state)?;
    let mut errors = Vec::new();
    if !matches!(stop.reason, StopReason::ExpertReview | StopReason::Hearing) {
        errors.push(FieldError::new("reason", "应为 expert_review 或 hearing"));
    }
    if stop.from > today() {
        errors.push(FieldError::new("from", "日期不能晚于今天"));
    }
    if stop.to.is_some_and(|to| to < stop.from) {
        errors.push(FieldError::new("to", "结束日期不能早于开始日期"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if !matches!(
        state,
        FilingState::Accepted | FilingState::TechnicalEvaluation | FilingState::PreDecisionNotice
    ) {
        return Err(Error::Conflict {
            code: "invalid_state",
            message: format!(
                "申报当前状态为“{}”，审批时限尚未开始或已结束",
                state.label()
            ),
            fields: vec![FieldError::new(
                "reason",
                format!("当前状态：{}", state.as_str()),
            )],
        });
    }
    let txn = db.begin().await?;
    let row = clock_stop::ActiveModel {
        filing_id: Set(id),
        reason: Set(stop.reason.as_str().to_owned()),
        from_on: Set(stop.from),
        to_on: Set(stop.to),
        note: Set(stop.note),
        created_by: Set(actor.id),
        version: Set(1),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::audit::record(
        &txn,
        actor,
        "filing",
        id,
        "clock_stop",
        serde_json::json!({"stop_id": row.id, "reason": row.reason, "from": row.from_on, "to": row.to_on}),
    )
    .await?;
    txn.commit().await?;
    get(db, settings, actor, id).await
}

/// The notices a filing has given rise to.
pub async fn notices_of<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    id: i64,
) -> Result<Vec<Notice>> {
    let (f, _) = visible(db, actor, id).await?;
    let ctx = Context::load(db, std::slice::from_ref(&f)).await?;
    ctx.notices(settings, &f)
}

impl Context {
    fn notices(&self, settings: &Settings, f: &filing::Model) -> Result<Vec<Notice>> {
        let p = self
            .projects
            .get(&f.project_id)
            .ok_or_else(|| anyhow::anyhow!("filing {} has no project", f.id))?;
        let events = self
            .events
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let on = |action: Action| {
            events
                .iter()
                .rev()
                .find(|e| e.action == action.as_str())
                .map(|e| e.effective_on)
        };
        let decision = events
            .iter()
            .rev()
            .find(|e| {
                e.action == Action::Approve.as_str() || e.action == Action::Disapprove.as_str()
            })
            .map(|e| {
                let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
                Decision {
                    on: e.effective_on,
                    number: f.decision_no.clone(),
                    approved: e.action == Action::Approve.as_str(),
                    grounds: serde_json::from_value(detail["grounds"].clone()).unwrap_or_default(),
                }
            });
        let facts = NoticeFacts {
            bureau: settings.bureau.name.clone(),
            project_name: p.name.clone(),
            project_code: p.project_code.clone(),
            owner_name: self.names.organization_name(p.organization_id),
            county_name: self.names.county_name(p.county_id),
            tier: parse_tier(&f.tier)?,
            accepted_on: on(Action::Accept),
            pre_decision_on: on(Action::FinishEvaluation),
            decision,
        };
        notices::notices(&facts, &self.calendar).map_err(|e| Error::Internal(anyhow::anyhow!(e)))
    }
}

/// A notice on the public register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicNotice {
    pub filing_id: i64,
    pub project_name: String,
    pub county_name: String,
    #[serde(flatten)]
    pub notice: Notice,
}

/// Every notice up today, for the public register (no sign-in).
pub async fn public_register<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
) -> Result<Vec<PublicNotice>> {
    let filings = filing::Entity::find()
        .filter(filing::Column::State.is_in([
            FilingState::Accepted.as_str(),
            FilingState::TechnicalEvaluation.as_str(),
            FilingState::PreDecisionNotice.as_str(),
            FilingState::Approved.as_str(),
            FilingState::Disapproved.as_str(),
        ]))
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?;
    let ctx = Context::load(db, &filings).await?;
    let day = today();
    let mut out = Vec::new();
    for f in &filings {
        let Some(p) = ctx.projects.get(&f.project_id) else {
            continue;
        };
        // Notices whose window the calendar cannot reach yet are left out by the notices themselves.
        let notices = ctx.notices(settings, f)?;
        for notice in notices.into_iter().filter(|n| n.current(day)) {
            out.push(PublicNotice {
                filing_id: f.id,
                project_name: p.name.clone(),
                county_name: ctx.names.county_name(p.county_id),
                notice,
            });
        }
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.notice.posted_on));
    Ok(out)
}

/// An open filing with its clock, for the scheduler.
pub struct OpenFiling {
    pub filing: filing::Model,
    pub project: project::Model,
    pub tier_label: &'static str,
    pub state_label: &'static str,
    pub clock: FilingClock,
    pub calendar: std::sync::Arc<WorkCalendar>,
}

/// Every filing whose clocks still run, with its clock as of `day`. Filings whose clock cannot
/// be computed (dates beyond the calendar) are left out.
pub async fn open_clocks(
    db: &DatabaseConnection,
    settings: &Settings,
    day: NaiveDate,
) -> Result<Vec<OpenFiling>> {
    let open_states: Vec<&str> = FilingState::ALL
        .into_iter()
        .filter(|s| !s.is_terminal() && *s != FilingState::Draft)
        .map(FilingState::as_str)
        .collect();
    let filings = filing::Entity::find()
        .filter(filing::Column::State.is_in(open_states))
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?;
    let ctx = Context::load(db, &filings).await?;
    let calendar = std::sync::Arc::new(ctx.calendar.clone());
    let mut out = Vec::new();
    for f in filings {
        let state = parse_state(&f.state)?;
        let tier = parse_tier(&f.tier)?;
        let events = ctx.events.get(&f.id).map(Vec::as_slice).unwrap_or_default();
        let Ok(clock) = ctx.clock_on(settings, &f, state, tier, events, day) else {
            continue;
        };
        let Some(project) = ctx.projects.get(&f.project_id).cloned() else {
            continue;
        };
        out.push(OpenFiling {
            filing: f,
            project,
            tier_label: tier.label(),
            state_label: state.label(),
            clock,
            calendar: calendar.clone(),
        });
    }
    Ok(out)
}

/// How many filings were accepted, and how many decided, with effective dates in `[from, to]`.
pub async fn actions_between(
    db: &DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(u64, u64)> {
    use sea_orm::PaginatorTrait;
    let count = |actions: Vec<&'static str>| {
        filing_event::Entity::find()
            .filter(filing_event::Column::Action.is_in(actions))
            .filter(filing_event::Column::EffectiveOn.between(from, to))
            .count(db)
    };
    let accepted = count(vec![Action::Accept.as_str()]).await?;
    let decided = count(vec![Action::Approve.as_str(), Action::Disapprove.as_str()]).await?;
    Ok((accepted, decided))
}
