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
    Action, ClockInput, ClockStop, EventDetail, FilingClock, FilingState, Reader, Tier,
    filing_clock, offered_actions, suggested_refusal,
};
use crate::domain::role::ActorRole;
use crate::error::Result;
use crate::services::{Actor, calendar, projects, today};
use entity::{app_user, clock_stop, filing, filing_event, project};

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
    #[schema(value_type = Option<String>)]
    pub from_state: Option<FilingState>,
    #[schema(value_type = String)]
    pub to_state: FilingState,
    pub actor_id: Option<i64>,
    #[schema(value_type = String)]
    pub actor_role: ActorRole,
    pub reason: Option<String>,
    pub detail: EventDetail,
    /// The date on the written receipt or decision.
    pub effective_on: NaiveDate,
    /// When it was entered into the system.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// Everything a view needs about a set of filings, loaded in a few queries.
pub(super) struct Context {
    pub(super) calendar: WorkCalendar,
    pub(super) projects: HashMap<i64, project::Model>,
    pub(super) names: projects::Names,
    pub(super) events: HashMap<i64, Vec<filing_event::Model>>,
    pub(super) stops: HashMap<i64, Vec<clock_stop::Model>>,
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
    Ok(filing_event::Entity::find()
        .filter(filing_event::Column::FilingId.eq(id))
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| FilingEventView {
            id: e.id,
            action: e.action,
            action_label: e.action.label(),
            from_state: e.from_state,
            to_state: e.to_state,
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            reason: e.reason,
            detail: e.detail.0,
            effective_on: e.effective_on,
            recorded_at: e.recorded_at,
        })
        .collect())
}
