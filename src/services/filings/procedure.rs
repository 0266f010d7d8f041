//! What runs beside a filing's steps: clock stops an officer records (and closes or voids), the
//! hearings asked for during the pre-decision notice, and voiding a step entered by mistake.
//! Each change is one transaction with its audit record; the filing's version guards voiding.
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde::Deserialize;

use super::views::FilingView;
use super::{announce, get, live_events, visible};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::filing::{Action, FilingState, HearingParty, HearingStatus, StopReason};
use crate::domain::publication::hearing_window;
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::services::{Actor, audit, calendar, now, today, update_versioned};
use entity::{clock_stop, filing, filing_event, hearing_request};

/// The states whose decision clock runs: stops may be recorded.
const DECISION_CLOCK: [FilingState; 3] = [
    FilingState::Accepted,
    FilingState::TechnicalEvaluation,
    FilingState::PreDecisionNotice,
];

fn not_in_decision_clock(state: FilingState, field: &str) -> Error {
    Error::Conflict {
        code: ErrorCode::InvalidState,
        message: format!(
            "申报当前状态为“{}”，审批时限尚未开始或已结束",
            state.label()
        ),
        fields: vec![FieldError::new(
            field,
            format!("当前状态：{}", state.as_str()),
        )],
    }
}

/// Ends a change: its audit record, the commit, and the filing as the actor now sees it.
async fn commit_with_record(
    txn: sea_orm::DatabaseTransaction,
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    action: &str,
    detail: serde_json::Value,
) -> Result<FilingView> {
    audit::record(&txn, actor, "filing", id, action, detail).await?;
    txn.commit().await?;
    get(db, settings, actor, id).await
}

/// The effective date of the latest live step with this action.
fn last_on(events: &[filing_event::Model], action: Action) -> Option<NaiveDate> {
    events
        .iter()
        .rev()
        .find(|e| e.action == action)
        .map(|e| e.effective_on)
}

/// `POST /filings/{id}/clock-stops`: an expert review or a hearing stops the decision clock.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClockStop {
    /// `expert_review` or `hearing` (technical evaluation and corrections stop the clock through
    /// their actions).
    #[schema(value_type = String)]
    pub reason: StopReason,
    /// The first day the clock does not run (counted inclusively).
    pub from: NaiveDate,
    /// The last day the clock does not run; leave out while the stop runs and close it later.
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks a stop's dates against the filing's life: on or after acceptance, not in the future,
/// ending on or after its start.
fn check_stop_dates(
    from: NaiveDate,
    to: Option<NaiveDate>,
    accepted_on: Option<NaiveDate>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let day = today();
    if from > day {
        errors.push(FieldError::new("from", format!("不能晚于今天（{day}）")));
    }
    if let Some(accepted) = accepted_on
        && from < accepted
    {
        errors.push(FieldError::new(
            "from",
            format!("不能早于受理日期（{accepted}）：审批时限自受理起算"),
        ));
    }
    if let Some(to) = to {
        if to < from {
            errors.push(FieldError::new("to", format!("不能早于开始日期（{from}）")));
        }
        if to > day {
            errors.push(FieldError::new(
                "to",
                format!("不能晚于今天（{day}）；尚未结束的暂停请不填 to，结束时再办结"),
            ));
        }
    }
    errors
}

#[tracing::instrument(name = "filings::add_stop", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = id, reason = %stop.reason))]
pub async fn add_stop(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    stop: NewClockStop,
) -> Result<FilingView> {
    actor.require_keeper()?;
    let (f, _) = visible(db, actor, id).await?;
    let mut errors = Vec::new();
    if !stop.reason.dated_by_officer() {
        errors.push(FieldError::new(
            "reason",
            "应为 expert_review（专家评审）或 hearing（听证）；技术评估与补正随其办理步骤暂停计时",
        ));
    }
    let events = live_events(db, id).await?;
    errors.extend(check_stop_dates(
        stop.from,
        stop.to,
        last_on(&events, Action::Accept),
    ));
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if !DECISION_CLOCK.contains(&f.state) {
        return Err(not_in_decision_clock(f.state, "reason"));
    }
    let txn = db.begin().await?;
    let row = insert_stop(&txn, actor, id, stop.reason, stop.from, stop.to, stop.note).await?;
    let detail = serde_json::json!({"stop_id": row.id, "reason": row.reason, "from": row.from_on, "to": row.to_on});
    commit_with_record(txn, db, settings, actor, id, "clock_stop", detail).await
}

async fn insert_stop<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    filing_id: i64,
    reason: StopReason,
    from: NaiveDate,
    to: Option<NaiveDate>,
    note: Option<String>,
) -> Result<clock_stop::Model> {
    Ok(clock_stop::ActiveModel {
        filing_id: Set(filing_id),
        reason: Set(reason),
        from_on: Set(from),
        to_on: Set(to),
        note: Set(note.filter(|n| !n.trim().is_empty())),
        created_by: Set(actor.id),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// A change to one stop, applied only if it still has the version read.
fn guarded_stop(id: i64, version: i32) -> sea_orm::UpdateMany<clock_stop::Entity> {
    clock_stop::Entity::update_many()
        .col_expr(
            clock_stop::Column::Version,
            Expr::col(clock_stop::Column::Version).add(1),
        )
        .filter(clock_stop::Column::Id.eq(id))
        .filter(clock_stop::Column::Version.eq(version))
}

/// The stop if it belongs to the filing and is not void.
async fn live_stop<C: ConnectionTrait>(
    db: &C,
    filing_id: i64,
    stop_id: i64,
) -> Result<clock_stop::Model> {
    clock_stop::Entity::find_by_id(stop_id)
        .filter(clock_stop::Column::FilingId.eq(filing_id))
        .filter(clock_stop::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("暂停计时记录"))
}

/// `POST /filings/{id}/clock-stops/{stop_id}/close`: the last day of a stop opened without one.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseStop {
    /// The stop's version as read.
    pub version: i32,
    /// The last day the clock did not run (inclusive).
    pub to: NaiveDate,
}

#[tracing::instrument(name = "filings::close_stop", skip_all, fields(actor_id = actor.id, filing_id = id, stop_id))]
pub async fn close_stop(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    stop_id: i64,
    req: CloseStop,
) -> Result<FilingView> {
    actor.require_keeper()?;
    visible(db, actor, id).await?;
    let stop = live_stop(db, id, stop_id).await?;
    if let Some(to) = stop.to_on {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: format!("该暂停计时已于{to}结束"),
            fields: vec![FieldError::new("to", "已结束")],
        });
    }
    if stop.reason == StopReason::Hearing
        && hearing_request::Entity::find()
            .filter(hearing_request::Column::ClockStopId.eq(stop_id))
            .one(db)
            .await?
            .is_some()
    {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: "该暂停计时随听证申请办结，请办结听证申请".into(),
            fields: vec![FieldError::new("to", "随听证申请办结")],
        });
    }
    let errors: Vec<FieldError> = check_stop_dates(stop.from_on, Some(req.to), None)
        .into_iter()
        .filter(|e| e.field == "to")
        .collect();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let txn = db.begin().await?;
    end_stop(&txn, actor, &stop, req.version, req.to).await?;
    txn.commit().await?;
    get(db, settings, actor, id).await
}

async fn end_stop<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    stop: &clock_stop::Model,
    version: i32,
    to: NaiveDate,
) -> Result<()> {
    crate::services::exec_versioned(
        txn,
        guarded_stop(stop.id, version)
            .col_expr(clock_stop::Column::ToOn, Expr::value(to))
            .col_expr(clock_stop::Column::ClosedBy, Expr::value(actor.id))
            .col_expr(clock_stop::Column::ClosedAt, Expr::value(now()))
            .filter(clock_stop::Column::ToOn.is_null()),
        "暂停计时记录",
    )
    .await?;
    audit::record(
        txn,
        actor,
        "filing",
        stop.filing_id,
        "clock_stop_close",
        serde_json::json!({"stop_id": stop.id, "reason": stop.reason, "from": stop.from_on, "to": to}),
    )
    .await
}

/// `POST …/void`: a record entered by mistake; it stays, marked void, with the reason.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    /// The version as read (the stop's, or for a step the filing's).
    pub version: i32,
    pub reason: String,
}

fn void_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "作废须说明理由"));
    }
    Ok(reason.to_owned())
}

#[tracing::instrument(name = "filings::void_stop", skip_all, fields(actor_id = actor.id, filing_id = id, stop_id))]
pub async fn void_stop(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    stop_id: i64,
    req: VoidRequest,
) -> Result<FilingView> {
    actor.require_keeper()?;
    visible(db, actor, id).await?;
    let reason = void_reason(&req.reason)?;
    let stop = live_stop(db, id, stop_id).await?;
    let txn = db.begin().await?;
    crate::services::exec_versioned(
        &txn,
        guarded_stop(stop.id, req.version)
            .col_expr(clock_stop::Column::VoidedAt, Expr::value(now()))
            .col_expr(clock_stop::Column::VoidedBy, Expr::value(actor.id))
            .col_expr(clock_stop::Column::VoidReason, Expr::value(reason.clone())),
        "暂停计时记录",
    )
    .await?;
    commit_with_record(
        txn,
        db,
        settings,
        actor,
        id,
        "clock_stop_void",
        serde_json::json!({"stop_id": stop.id, "reason": reason}),
    )
    .await
}

/// `POST /filings/{id}/hearing-requests`: a hearing asked for during the pre-decision notice —
/// by the owner in the service, or by the public (利害关系人), recorded by an officer.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHearingRequest {
    /// `owner` or `public`; an owner's own request is always `owner`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub party: Option<HearingParty>,
    /// Who asked (a person's or organisation's name); an owner's defaults to the organisation.
    #[serde(default)]
    pub requester: Option<String>,
    /// The day the written request arrived; defaults to today (owners: always today).
    #[serde(default)]
    pub requested_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

#[tracing::instrument(name = "filings::request_hearing", skip_all, fields(actor_id = actor.id, filing_id = id))]
pub async fn request_hearing(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    req: NewHearingRequest,
) -> Result<FilingView> {
    let (f, project) = visible(db, actor, id).await?;
    let (party, requested_on) = match actor.role {
        Role::Owner => {
            if req.requested_on.is_some_and(|d| d != today()) {
                return Err(Error::invalid(
                    "requested_on",
                    "建设单位在线提出的听证申请以今天为申请日",
                ));
            }
            (HearingParty::Owner, today())
        }
        Role::Officer | Role::Admin => (
            req.party.unwrap_or(HearingParty::Public),
            req.requested_on.unwrap_or_else(today),
        ),
        Role::Leader => return Err(Error::Forbidden("局领导不能登记听证申请".into())),
    };
    let requester = match req.requester.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ if party == HearingParty::Owner => {
            crate::services::projects::Names::load(db, &[project.organization_id])
                .await?
                .organization_name(project.organization_id)
        }
        _ => {
            return Err(Error::invalid(
                "requester",
                "请填写听证申请人（姓名或单位）",
            ));
        }
    };
    if f.state != FilingState::PreDecisionNotice {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: format!(
                "听证申请应在拟审批公示期内提出；申报当前状态为“{}”",
                f.state.label()
            ),
            fields: vec![FieldError::new("requested_on", "不在拟审批公示期内")],
        });
    }
    let events = live_events(db, id).await?;
    let posted = last_on(&events, Action::FinishEvaluation)
        .ok_or_else(|| anyhow::anyhow!("filing {id} in pre-decision notice without its step"))?;
    let cal = calendar::load(db).await?;
    if requested_on > today() {
        return Err(Error::invalid("requested_on", "不能晚于今天"));
    }
    if let Err(ends) = hearing_window(posted, f.tier, requested_on, &cal) {
        return Err(Error::invalid(
            "requested_on",
            format!("听证申请应在拟审批公示期内（{posted}至{ends}）提出"),
        ));
    }
    let txn = db.begin().await?;
    let stop = insert_stop(
        &txn,
        actor,
        id,
        StopReason::Hearing,
        requested_on,
        None,
        Some(format!("{requester}申请听证")),
    )
    .await?;
    let row = hearing_request::ActiveModel {
        filing_id: Set(id),
        party: Set(party),
        requester: Set(requester),
        requested_on: Set(requested_on),
        note: Set(req.note.filter(|n| !n.trim().is_empty())),
        status: Set(HearingStatus::Requested),
        clock_stop_id: Set(Some(stop.id)),
        recorded_by: Set(actor.id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    announce::hearing_requested(&txn, settings, &f, &project, &row).await?;
    let detail = serde_json::json!({"hearing_id": row.id, "party": row.party, "requester": row.requester, "requested_on": row.requested_on});
    commit_with_record(txn, db, settings, actor, id, "hearing_request", detail).await
}

/// `POST /filings/{id}/hearing-requests/{hearing_id}/close`: the hearing was held, or the
/// request withdrawn; the hearing's clock stop ends that day.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseHearing {
    pub version: i32,
    /// `held` or `withdrawn`.
    #[schema(value_type = String)]
    pub status: HearingStatus,
    /// The day it was held or withdrawn.
    pub closed_on: NaiveDate,
    /// 听证结论 / 撤回说明.
    pub outcome: String,
}

#[tracing::instrument(name = "filings::close_hearing", skip_all, fields(actor_id = actor.id, filing_id = id, hearing_id))]
pub async fn close_hearing(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    hearing_id: i64,
    req: CloseHearing,
) -> Result<FilingView> {
    actor.require_keeper()?;
    visible(db, actor, id).await?;
    let hearing = hearing_request::Entity::find_by_id(hearing_id)
        .filter(hearing_request::Column::FilingId.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("听证申请"))?;
    let mut errors = Vec::new();
    if req.status == HearingStatus::Requested {
        errors.push(FieldError::new(
            "status",
            "应为 held（已举行）或 withdrawn（已撤回）",
        ));
    }
    if req.closed_on < hearing.requested_on {
        errors.push(FieldError::new(
            "closed_on",
            format!("不能早于申请日期（{}）", hearing.requested_on),
        ));
    }
    if req.closed_on > today() {
        errors.push(FieldError::new("closed_on", "不能晚于今天"));
    }
    if req.outcome.trim().is_empty() {
        errors.push(FieldError::new("outcome", "请填写听证结论或撤回说明"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if hearing.status != HearingStatus::Requested {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: format!("该听证申请已办结（{}）", hearing.status.label()),
            fields: vec![FieldError::new("status", hearing.status.as_str())],
        });
    }
    let txn = db.begin().await?;
    crate::services::exec_versioned(
        &txn,
        hearing_request::Entity::update_many()
            .col_expr(
                hearing_request::Column::Version,
                Expr::col(hearing_request::Column::Version).add(1),
            )
            .filter(hearing_request::Column::Id.eq(hearing.id))
            .filter(hearing_request::Column::Version.eq(req.version))
            .col_expr(hearing_request::Column::Status, Expr::value(req.status))
            .col_expr(
                hearing_request::Column::ClosedOn,
                Expr::value(req.closed_on),
            )
            .col_expr(
                hearing_request::Column::Outcome,
                Expr::value(req.outcome.trim().to_owned()),
            ),
        "听证申请",
    )
    .await?;
    if let Some(stop_id) = hearing.clock_stop_id
        && let Some(stop) = clock_stop::Entity::find_by_id(stop_id).one(&txn).await?
        && stop.to_on.is_none()
        && stop.voided_at.is_none()
    {
        end_stop(&txn, actor, &stop, stop.version, req.closed_on).await?;
    }
    let detail = serde_json::json!({"hearing_id": hearing.id, "status": req.status, "closed_on": req.closed_on, "outcome": req.outcome.trim()});
    commit_with_record(txn, db, settings, actor, id, "hearing_close", detail).await
}

/// `POST /filings/{id}/void-step`: the latest step was entered by mistake. The event stays,
/// marked void with the reason; the state before it returns; a number it drew stays issued
/// (the year's sequence does not go back); a notice it had posted gets a correction notice.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidStep {
    /// The filing's version as read.
    pub version: i32,
    /// The step to void: must be the latest one still in force.
    pub event_id: i64,
    pub reason: String,
}

#[tracing::instrument(name = "filings::void_step", skip_all, fields(actor_id = actor.id, filing_id = id, event_id = req.event_id))]
pub async fn void_step(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    req: VoidStep,
) -> Result<FilingView> {
    actor.require_keeper()?;
    let (f, _) = visible(db, actor, id).await?;
    let reason = void_reason(&req.reason)?;
    let events = live_events(db, id).await?;
    let Some(last) = events.last() else {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: "该申报尚无可作废的办理步骤".into(),
            fields: vec![FieldError::new("event_id", "无办理步骤")],
        });
    };
    if last.id != req.event_id {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: format!(
                "只能作废最近一个办理步骤（编号{}，“{}”），请先作废其后的步骤",
                last.id,
                last.action.label()
            ),
            fields: vec![FieldError::new("event_id", format!("应为 {}", last.id))],
        });
    }
    let Some(previous) = last.from_state else {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: "该步骤没有之前的状态，不能作废".into(),
            fields: vec![FieldError::new("event_id", "无之前状态")],
        });
    };
    if req.version != f.version {
        return Err(Error::stale("申报"));
    }
    let txn = db.begin().await?;
    let mut update = update_versioned::<filing::Entity>(f.id, f.version)
        .col_expr(filing::Column::State, Expr::value(previous))
        .filter(filing::Column::State.eq(last.to_state));
    match last.action {
        Action::Approve | Action::Disapprove => {
            update = update.col_expr(filing::Column::DecisionNo, Expr::value(None::<String>));
        }
        Action::Register => {
            update = update.col_expr(filing::Column::ReceiptNo, Expr::value(None::<String>));
        }
        _ => {}
    }
    crate::services::exec_versioned(&txn, update, "申报").await?;
    filing_event::Entity::update_many()
        .col_expr(filing_event::Column::VoidedAt, Expr::value(now()))
        .col_expr(filing_event::Column::VoidedBy, Expr::value(actor.id))
        .col_expr(
            filing_event::Column::VoidReason,
            Expr::value(reason.clone()),
        )
        .filter(filing_event::Column::Id.eq(last.id))
        .exec(&txn)
        .await?;
    tracing::info!(filing = id, event = last.id, "filing step voided");
    let detail = serde_json::json!({
        "event_id": last.id, "action": last.action, "from": last.to_state, "to": previous,
        "reason": reason, "decision_no": last.detail.decision_no, "receipt_no": last.detail.receipt_no,
    });
    commit_with_record(txn, db, settings, actor, id, "void_step", detail).await
}

/// The filing's hearing requests, oldest first.
pub(super) async fn hearings_of<C: ConnectionTrait>(
    db: &C,
    filing_ids: &[i64],
) -> Result<Vec<hearing_request::Model>> {
    let mut out = Vec::new();
    for chunk in filing_ids.chunks(500) {
        out.extend(
            hearing_request::Entity::find()
                .filter(hearing_request::Column::FilingId.is_in(chunk.iter().copied()))
                .order_by_asc(hearing_request::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}
