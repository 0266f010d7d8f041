//! How readers see filings: the view with its clock and the actions offered, and the history.
//! [`Context`] loads what a set of views needs in a few queries.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::assignment::Handler;
use super::{last_missing_items, visible};
use crate::config::Settings;
use crate::domain::calendar::WorkCalendar;
use crate::domain::filing::{
    Action, ClockInput, ClockStop, EventDetail, FilingClock, FilingState, HearingParty,
    HearingStatus, Reader, StopReason, Tier, filing_clock, offered_actions, suggested_refusal,
};
use crate::domain::role::ActorRole;
use crate::error::Result;
use crate::services::{Actor, calendar, projects, today};
use entity::{app_user, clock_stop, filing, filing_event, hearing_request, project};

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
    /// Who handles the filing (name and office phone), shown to its owner too; null while it
    /// waits in the shared queue.
    pub handler: Option<Handler>,
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
    /// How many correction requests (补正) the filing has had.
    pub correction_rounds: u32,
    /// The clock stops officers recorded (expert reviews, hearings), void ones left out.
    pub stops: Vec<StopView>,
    /// Hearings asked for during the pre-decision notice.
    pub hearings: Vec<HearingView>,
    /// Why a decision cannot be taken today (the pre-decision notice runs, a hearing is open).
    pub decision_blocked: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A clock stop an officer recorded, or a hearing's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StopView {
    pub id: i64,
    #[schema(value_type = String)]
    pub reason: StopReason,
    pub reason_label: &'static str,
    /// First and last day the clock does not run, both counted; `to` null while it runs.
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub note: Option<String>,
    pub version: i32,
}

impl From<&clock_stop::Model> for StopView {
    fn from(s: &clock_stop::Model) -> Self {
        StopView {
            id: s.id,
            reason: s.reason,
            reason_label: s.reason.label(),
            from: s.from_on,
            to: s.to_on,
            note: s.note.clone(),
            version: s.version,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HearingView {
    pub id: i64,
    #[schema(value_type = String)]
    pub party: HearingParty,
    pub party_label: &'static str,
    pub requester: String,
    pub requested_on: NaiveDate,
    #[schema(value_type = String)]
    pub status: HearingStatus,
    pub status_label: &'static str,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub note: Option<String>,
    pub version: i32,
}

impl From<&hearing_request::Model> for HearingView {
    fn from(h: &hearing_request::Model) -> Self {
        HearingView {
            id: h.id,
            party: h.party,
            party_label: h.party.label(),
            requester: h.requester.clone(),
            requested_on: h.requested_on,
            status: h.status,
            status_label: h.status.label(),
            closed_on: h.closed_on,
            outcome: h.outcome.clone(),
            note: h.note.clone(),
            version: h.version,
        }
    }
}

/// What a history entry is: a step of the state machine, or what runs beside the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 办理步骤 — an action; `voided_at` set when it was voided.
    Step,
    /// 暂停计时开始 / 结束 / 作废.
    StopOpened,
    StopClosed,
    StopVoided,
    /// 听证申请 / 听证办结.
    HearingRequested,
    HearingClosed,
}

/// One entry of a filing's history: its steps, and the stops and hearings beside them, in the
/// order they took effect.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingEventView {
    pub kind: EntryKind,
    /// The step's id (for `step`), else the stop's or the hearing's.
    pub id: i64,
    #[schema(value_type = Option<String>)]
    pub action: Option<Action>,
    /// What happened, in Chinese (the action's label, 专家评审暂停计时, …).
    pub action_label: String,
    #[schema(value_type = Option<String>)]
    pub from_state: Option<FilingState>,
    #[schema(value_type = Option<String>)]
    pub to_state: Option<FilingState>,
    pub actor_id: Option<i64>,
    #[schema(value_type = String)]
    pub actor_role: ActorRole,
    pub reason: Option<String>,
    pub detail: EventDetail,
    /// The date on the written receipt or decision.
    pub effective_on: NaiveDate,
    /// When it was entered into the system.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// Set on a voided step: it no longer counts, and the state before it returned.
    pub voided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub void_reason: Option<String>,
}

/// Everything a view needs about a set of filings, loaded in a few queries.
pub(super) struct Context {
    pub(super) calendar: WorkCalendar,
    pub(super) projects: HashMap<i64, project::Model>,
    pub(super) names: projects::Names,
    pub(super) events: HashMap<i64, Vec<filing_event::Model>>,
    pub(super) stops: HashMap<i64, Vec<clock_stop::Model>>,
    pub(super) hearings: HashMap<i64, Vec<hearing_request::Model>>,
    /// Voided steps, for the correction notices they call for.
    pub(super) voided: HashMap<i64, Vec<filing_event::Model>>,
    pub(super) officers: HashMap<i64, app_user::Model>,
}

impl Context {
    pub(super) async fn load<C: ConnectionTrait>(
        db: &C,
        filings: &[filing::Model],
    ) -> Result<Context> {
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
                .filter(filing_event::Column::VoidedAt.is_null())
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
                .filter(clock_stop::Column::VoidedAt.is_null())
                .order_by_asc(clock_stop::Column::Id)
                .all(db)
                .await?
            {
                stops.entry(s.filing_id).or_default().push(s);
            }
        }
        let mut voided: HashMap<i64, Vec<filing_event::Model>> = HashMap::new();
        for chunk in filing_ids.chunks(500) {
            for e in filing_event::Entity::find()
                .filter(filing_event::Column::FilingId.is_in(chunk.iter().copied()))
                .filter(filing_event::Column::VoidedAt.is_not_null())
                .order_by_asc(filing_event::Column::Id)
                .all(db)
                .await?
            {
                voided.entry(e.filing_id).or_default().push(e);
            }
        }
        let mut hearings: HashMap<i64, Vec<hearing_request::Model>> = HashMap::new();
        for h in super::procedure::hearings_of(db, &filing_ids).await? {
            hearings.entry(h.filing_id).or_default().push(h);
        }
        let officer_ids: std::collections::BTreeSet<i64> =
            filings.iter().filter_map(|f| f.officer_id).collect();
        let officers: HashMap<i64, app_user::Model> = app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(officer_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        Ok(Context {
            officers,
            calendar: calendar::load(db).await?,
            projects,
            names,
            events,
            stops,
            hearings,
            voided,
        })
    }

    pub(super) fn view(
        &self,
        settings: &Settings,
        actor: &Actor,
        f: &filing::Model,
    ) -> Result<FilingView> {
        let p = self
            .projects
            .get(&f.project_id)
            .ok_or_else(|| anyhow::anyhow!("filing {} has no project", f.id))?;
        let county = self.names.counties.get(&p.county_id);
        let (state, tier) = (f.state, f.tier);
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
        let unsettled = p.built_before_approval && !p.penalty_settled;
        let reader = Reader {
            role: actor.role,
            owns_project: actor.organization_id == Some(p.organization_id),
        };

        let stops: Vec<StopView> = self
            .stops
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(StopView::from)
            .collect();
        let hearings_rows = self
            .hearings
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let decision_blocked = (state == FilingState::PreDecisionNotice)
            .then(|| {
                let posted = events
                    .iter()
                    .rev()
                    .find(|e| e.action == Action::FinishEvaluation)
                    .map(|e| e.effective_on);
                let open: Vec<NaiveDate> = hearings_rows
                    .iter()
                    .filter(|h| h.status == HearingStatus::Requested)
                    .map(|h| h.requested_on)
                    .collect();
                crate::domain::publication::decision_block(
                    posted,
                    tier,
                    &open,
                    today(),
                    &self.calendar,
                )
                .map(|b| b.message())
            })
            .flatten();
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
            handler: f
                .officer_id
                .and_then(|id| self.officers.get(&id))
                .map(Handler::of),
            clock,
            clock_error,
            allowed_actions: offered_actions(state, tier, reader, unsettled),
            open_correction,
            suggested_refusal_reason: suggested_refusal(state, actor.role, unsettled),
            correction_rounds: super::correction_rounds(events),
            stops,
            hearings: hearings_rows.iter().map(HearingView::from).collect(),
            decision_blocked,
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
    pub(super) fn clock_on(
        &self,
        settings: &Settings,
        f: &filing::Model,
        state: FilingState,
        tier: Tier,
        events: &[filing_event::Model],
        day: NaiveDate,
    ) -> std::result::Result<FilingClock, String> {
        let history: Vec<(Action, NaiveDate)> =
            events.iter().map(|e| (e.action, e.effective_on)).collect();
        let extra: Vec<ClockStop> = self
            .stops
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|s| ClockStop {
                reason: s.reason,
                from: s.from_on,
                to: s.to_on,
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

#[tracing::instrument(name = "filings::get", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = id))]
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

#[tracing::instrument(name = "filings::events", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = id))]
pub async fn events<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<Vec<FilingEventView>> {
    visible(db, actor, id).await?;
    let mut out: Vec<FilingEventView> = filing_event::Entity::find()
        .filter(filing_event::Column::FilingId.eq(id))
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| FilingEventView {
            kind: EntryKind::Step,
            id: e.id,
            action: Some(e.action),
            action_label: e.action.label().to_owned(),
            from_state: e.from_state,
            to_state: Some(e.to_state),
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            reason: e.reason,
            detail: e.detail.0,
            effective_on: e.effective_on,
            recorded_at: e.recorded_at,
            voided_at: e.voided_at,
            void_reason: e.void_reason,
        })
        .collect();
    let beside = |kind: EntryKind,
                  id: i64,
                  label: String,
                  on: NaiveDate,
                  actor_id: Option<i64>,
                  reason: Option<String>,
                  at: chrono::DateTime<chrono::Utc>| FilingEventView {
        kind,
        id,
        action: None,
        action_label: label,
        from_state: None,
        to_state: None,
        actor_id,
        actor_role: ActorRole::Officer,
        reason,
        detail: EventDetail::default(),
        effective_on: on,
        recorded_at: at,
        voided_at: None,
        void_reason: None,
    };
    for s in clock_stop::Entity::find()
        .filter(clock_stop::Column::FilingId.eq(id))
        .order_by_asc(clock_stop::Column::Id)
        .all(db)
        .await?
    {
        let label = s.reason.label();
        out.push(beside(
            EntryKind::StopOpened,
            s.id,
            format!("{label}暂停计时"),
            s.from_on,
            s.created_by,
            s.note.clone(),
            s.created_at,
        ));
        if let Some(to) = s.to_on {
            out.push(beside(
                EntryKind::StopClosed,
                s.id,
                format!("{label}恢复计时（暂停至{to}）"),
                to,
                s.closed_by.or(s.created_by),
                None,
                s.closed_at.unwrap_or(s.created_at),
            ));
        }
        if let Some(at) = s.voided_at {
            let mut entry = beside(
                EntryKind::StopVoided,
                s.id,
                format!("{label}暂停计时记录作废"),
                at.with_timezone(&crate::services::shanghai()).date_naive(),
                s.voided_by,
                s.void_reason.clone(),
                at,
            );
            entry.voided_at = Some(at);
            out.push(entry);
        }
    }
    for h in super::procedure::hearings_of(db, &[id]).await? {
        out.push(beside(
            EntryKind::HearingRequested,
            h.id,
            format!("{}{}申请听证", h.party.label(), h.requester),
            h.requested_on,
            h.recorded_by,
            h.note.clone(),
            h.created_at,
        ));
        if let Some(on) = h.closed_on {
            out.push(beside(
                EntryKind::HearingClosed,
                h.id,
                format!("听证{}", h.status.label()),
                on,
                h.recorded_by,
                h.outcome.clone(),
                h.created_at,
            ));
        }
    }
    // In the order they took effect; on one day, in the order they were entered.
    out.sort_by_key(|e| (e.effective_on, e.recorded_at));
    Ok(out)
}
