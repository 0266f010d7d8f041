//! Moving a filing: a new draft, an action (submit, accept, decide …) and a clock stop. Every
//! change is one transaction: a conditional update on the state and version read, its event,
//! any number it issues, and the notifications it causes. Who may do what is the domain's
//! `transition`; what an action carries and how a paper step is recorded, the domain's rules.
use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use serde::Deserialize;

use super::views::FilingView;
use super::{
    announce, assignment, correction_rounds, get, last_missing_items, live_events, numbering,
    procedure, visible,
};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::filing::{
    Action, ActionContent, CorrectionBasis, DisapprovalGround, EventDetail, FilingState, LocalGate,
    NumberKind, RecordedFor, RuleBreach, StepSource, Tier, TransitionError,
    UNSETTLED_PENALTY_REASON, acting_role, check_content, check_paper_number, check_source,
    effective_date, gate_applies, missing_materials_error, transition,
};
use crate::domain::publication::decision_block;
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::services::{Actor, audit, projects, today, update_versioned};
use entity::{Json, filing, filing_event, project};

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
    /// A correction request after a resubmission: for each item, `unresolved` (an item of the
    /// previous request the answer did not resolve) or `introduced` (a problem the resubmitted
    /// material brought). The first request lists everything at once and carries none.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub basis: Vec<CorrectionBasis>,
    /// An officer entering a submission that reached the bureau on paper may waive the
    /// uploaded materials, saying why (e.g. 纸质材料已存档).
    #[serde(default)]
    pub materials_waived: Option<String>,
    /// `national_system`: an officer enters a step taken in the national system
    /// (全国建设项目环评统一申报和审批系统), with its `effective_on`. The notice-period and
    /// required-materials gates of that system's own procedure do not apply to it.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub source: Option<StepSource>,
}

/// `POST /projects/{id}/filings`: a new draft for a project whose classification requires an
/// EIA; its tier is the project's.
#[tracing::instrument(name = "filings::create", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, project_id))]
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
    let tier = match project.current_tier {
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
        .find(|f| !f.state.is_terminal());
    if let Some(open) = open {
        return Err(Error::Conflict {
            code: ErrorCode::OpenFiling,
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
        tier: Set(tier),
        state: Set(FilingState::Draft),
        receipt_no: Set(None),
        decision_no: Set(None),
        officer_id: Set(actor.role.keeps_ledger().then_some(actor.id).flatten()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
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

/// Applies one action: checks role and state through the domain, the bureau's own rules here,
/// then a conditional update on state and version with its event, in one transaction.
#[tracing::instrument(name = "filings::act", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = id, action = %req.action))]
pub async fn act(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    req: ActionRequest,
) -> Result<FilingView> {
    let (f, project) = visible(db, actor, id).await?;
    let events = live_events(db, id).await?;
    let txn = db.begin().await?;
    let event = apply(&txn, settings, actor, &f, &project, &events, &req).await?;
    txn.commit().await?;
    tracing::info!(filing = id, action = %event.action, to = %event.to_state, "filing action applied");
    get(db, settings, actor, id).await
}

/// The action itself, inside the caller's transaction: the same path for a request, a
/// historic entry and the demo loader. Returns the event it wrote.
#[tracing::instrument(name = "filings::apply", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = f.id, project_id = f.project_id, action = %req.action))]
pub(crate) async fn apply<C: ConnectionTrait>(
    txn: &C,
    settings: &Settings,
    actor: &Actor,
    f: &filing::Model,
    project: &project::Model,
    events: &[filing_event::Model],
    req: &ActionRequest,
) -> Result<filing_event::Model> {
    let state = f.state;
    let tier = f.tier;
    let role = acting_role(actor.role, req.on_behalf_of_owner, req.action)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let to = transition(state, tier, req.action, role).map_err(|e| match e {
        TransitionError::Forbidden { action, role } => {
            Error::Forbidden(format!("{}不能执行“{}”", role.label(), action.label()))
        }
        TransitionError::NotForTier { action, tier } => Error::invalid(
            "action",
            format!("{}不适用于{}", action.label(), tier.label()),
        ),
        TransitionError::NotAllowed { action, state } => Error::Conflict {
            code: ErrorCode::InvalidState,
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
    let previous = events.last().map(|e| e.effective_on);
    let effective_on = effective_date(req.effective_on, actor.role, today(), previous)
        .map_err(|e| Error::Invalid(vec![e]))?;
    if let Some(number) = &req.number {
        check_paper_number(req.action, number, actor.role, req.effective_on.is_some())
            .map_err(|e| Error::Invalid(vec![e]))?;
    }
    check_source(req.source, actor.role, req.effective_on.is_some())
        .map_err(|e| Error::Invalid(vec![e]))?;
    let mut detail = check_action(req, project, events)?;
    if req.on_behalf_of_owner {
        detail.recorded_for = Some(RecordedFor::Owner);
    }
    detail.source = req.source;
    if matches!(req.action, Action::Approve | Action::Disapprove)
        && gate_applies(LocalGate::DecisionNotice, req.source)
    {
        check_decision_gate(txn, f, events, effective_on, req.effective_on.is_some()).await?;
    }
    if matches!(req.action, Action::Submit | Action::Resubmit) {
        if gate_applies(LocalGate::RequiredMaterials, req.source) {
            detail.materials_waived = check_materials(txn, settings, actor, f, req).await?;
        }
    } else if req.materials_waived.is_some() {
        return Err(Error::invalid(
            "materials_waived",
            "“materials_waived”只用于提交或补正后重新提交",
        ));
    }

    let mut update = update_versioned::<filing::Entity>(f.id, f.version)
        .col_expr(filing::Column::State, Expr::value(to))
        .filter(filing::Column::State.eq(state));
    if req.action == Action::Accept && f.officer_id.is_none() {
        update = update.col_expr(filing::Column::OfficerId, Expr::value(actor.id));
    }
    // A submission is assigned on arrival (sheet officer, else rule, else the shared queue).
    let assigned = assignment::on_arrival(txn, f, project, req.action).await?;
    if let Some(a) = &assigned {
        update = update.col_expr(filing::Column::OfficerId, Expr::value(a.officer_id));
    }
    // The row is locked from here on, so a concurrent action on the same filing waits and then
    // finds the version gone: it never draws a number.
    crate::services::exec_versioned(txn, update, "申报").await?;
    if let Some(a) = &assigned {
        a.record(txn, actor, f.id).await?;
    }
    let numbered = match req.action {
        Action::Approve | Action::Disapprove => Some((
            NumberKind::Decision,
            &settings.filings.decision_number_format,
            filing::Column::DecisionNo,
        )),
        Action::Register => Some((
            NumberKind::Registration,
            &settings.filings.registration_number_format,
            filing::Column::ReceiptNo,
        )),
        _ => None,
    };
    if let Some((kind, format, column)) = numbered {
        let number = match req.number.as_deref().map(str::trim) {
            Some(paper) => {
                numbering::keep_sequence_ahead(txn, kind, effective_on.year(), format, paper)
                    .await?;
                paper.to_owned()
            }
            None => numbering::next_number(txn, kind, effective_on.year(), format).await?,
        };
        filing::Entity::update_many()
            .col_expr(column, Expr::value(number.clone()))
            .filter(filing::Column::Id.eq(f.id))
            .exec(txn)
            .await?;
        match kind {
            NumberKind::Decision => detail.decision_no = Some(number),
            NumberKind::Registration => detail.receipt_no = Some(number),
        }
    }
    let event = filing_event::ActiveModel {
        filing_id: Set(f.id),
        action: Set(req.action),
        from_state: Set(Some(state)),
        to_state: Set(to),
        actor_id: Set(actor.id),
        actor_role: Set(actor.acting_role()),
        reason: Set(req.reason.clone().filter(|r| !r.trim().is_empty())),
        detail: Set(Json(detail.clone())),
        effective_on: Set(effective_on),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // Those concerned hear of what happens now; a step entered from the paper file afterwards
    // is history, not news.
    if effective_on == today() {
        let f = &assignment::with_officer(f, assigned.as_ref());
        announce::announce(txn, settings, f, project, events, &event).await?;
    }
    Ok(event)
}

/// The bureau's rules for what an action carries (`domain::filing::check_content`), in the
/// API's errors; returns what the event records.
fn check_action(
    req: &ActionRequest,
    project: &project::Model,
    events: &[filing_event::Model],
) -> Result<EventDetail> {
    let content = ActionContent {
        action: req.action,
        reason: req.reason.as_deref(),
        missing_items: &req.missing_items,
        answers: &req.answers,
        grounds: &req.grounds,
        decision_text: req.decision_text.as_deref(),
        evaluator: req.evaluator.as_deref(),
        basis: &req.basis,
    };
    let unsettled = project.built_before_approval && !project.penalty_settled;
    let open_items = last_missing_items(events).unwrap_or_default();
    let rounds = correction_rounds(events);
    check_content(&content, unsettled, &open_items, rounds).map_err(|breach| match breach {
        RuleBreach::PenaltyUnsettled => Error::Conflict {
            code: ErrorCode::PenaltyUnsettled,
            message: format!(
                "项目未批先建且处罚尚未履行完毕，不能受理。建议不予受理，理由：{UNSETTLED_PENALTY_REASON}"
            ),
            fields: vec![FieldError::new("action", "未批先建处罚未履行完毕")],
        },
        RuleBreach::Invalid(fields) => Error::Invalid(fields),
    })
}

/// A decision waits for the pre-decision notice to run out and for every hearing asked for to
/// be held or withdrawn — also when entered afterwards with an effective date.
async fn check_decision_gate<C: ConnectionTrait>(
    txn: &C,
    f: &filing::Model,
    events: &[filing_event::Model],
    on: NaiveDate,
    dated: bool,
) -> Result<()> {
    let posted = events
        .iter()
        .rev()
        .find(|e| e.action == Action::FinishEvaluation)
        .map(|e| e.effective_on);
    let open: Vec<NaiveDate> = procedure::hearings_of(txn, &[f.id])
        .await?
        .into_iter()
        .filter(|h| h.status == crate::domain::filing::HearingStatus::Requested)
        .map(|h| h.requested_on)
        .collect();
    let calendar = crate::services::calendar::load(txn).await?;
    match decision_block(posted, f.tier, &open, on, &calendar) {
        None => Ok(()),
        Some(block) => Err(Error::Conflict {
            code: ErrorCode::NoticePeriod,
            message: block.message(),
            fields: vec![FieldError::new(
                if dated { "effective_on" } else { "action" },
                block.message(),
            )],
        }),
    }
}

/// The materials a submission must carry (`filings.required_materials`): uploaded documents
/// marked with their material. An officer entering a paper submission may waive them with a
/// reason, which the event records.
async fn check_materials<C: ConnectionTrait>(
    txn: &C,
    settings: &Settings,
    actor: &Actor,
    f: &filing::Model,
    req: &ActionRequest,
) -> Result<Option<String>> {
    let waived = req
        .materials_waived
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    if let Some(waived) = waived {
        if !actor.role.keeps_ledger() {
            return Err(Error::invalid(
                "materials_waived",
                "只有审批人员录入纸质申报时可以说明免于上传材料",
            ));
        }
        return Ok(Some(waived.to_owned()));
    }
    let present = crate::services::documents::materials_of(txn, f.id).await?;
    let missing = settings
        .filings
        .required_materials
        .missing(f.tier, &present);
    if missing.is_empty() {
        Ok(None)
    } else {
        let mut errors = missing_materials_error(&missing);
        if actor.role.keeps_ledger() {
            errors.push(FieldError::new(
                "materials_waived",
                "纸质申报可填写免于上传的理由（如：纸质材料已存档）",
            ));
        }
        Err(Error::Invalid(errors))
    }
}
