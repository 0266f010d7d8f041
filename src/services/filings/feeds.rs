//! What the scheduler and the reports read of filings: every running clock on a day, and how
//! many filings were accepted and decided in a period.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::views::Context;
use crate::config::Settings;
use crate::domain::calendar::WorkCalendar;
use crate::domain::filing::{Action, FilingClock, FilingState};
use crate::error::Result;
use entity::{filing, filing_event, project};

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
#[tracing::instrument(name = "filings::open_clocks", skip_all, fields(%day))]
pub async fn open_clocks(
    db: &DatabaseConnection,
    settings: &Settings,
    day: NaiveDate,
) -> Result<Vec<OpenFiling>> {
    open_clocks_under(db, settings, day, None).await
}

/// [`open_clocks`] under a given calendar (a schedule about to be loaded), or the stored one.
pub async fn open_clocks_under(
    db: &DatabaseConnection,
    settings: &Settings,
    day: NaiveDate,
    calendar: Option<WorkCalendar>,
) -> Result<Vec<OpenFiling>> {
    let open_states = FilingState::ALL.into_iter().filter(|s| s.clock_runs());
    let filings = filing::Entity::find()
        .filter(filing::Column::State.is_in(open_states))
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?;
    let mut ctx = Context::load(db, &filings).await?;
    if let Some(calendar) = calendar {
        ctx.calendar = calendar;
    }
    let calendar = std::sync::Arc::new(ctx.calendar.clone());
    let mut out = Vec::new();
    for f in filings {
        let state = f.state;
        let tier = f.tier;
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

/// The clocks on `day` of these filings (a page's, say), by filing id; a filing whose clock
/// cannot be computed is left out. Reads the history of these filings only.
pub async fn clocks_on<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    filings: &[filing::Model],
    day: NaiveDate,
) -> Result<HashMap<i64, FilingClock>> {
    if filings.is_empty() {
        return Ok(HashMap::new());
    }
    let ctx = Context::load(db, filings).await?;
    Ok(filings
        .iter()
        .filter_map(|f| {
            let events = ctx.events.get(&f.id).map(Vec::as_slice).unwrap_or_default();
            let clock = ctx
                .clock_on(settings, f, f.state, f.tier, events, day)
                .ok()?;
            Some((f.id, clock))
        })
        .collect())
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
            .filter(filing_event::Column::VoidedAt.is_null())
            .filter(filing_event::Column::EffectiveOn.between(from, to))
            .count(db)
    };
    let accepted = count(vec![Action::Accept.as_str()]).await?;
    let decided = count(vec![Action::Approve.as_str(), Action::Disapprove.as_str()]).await?;
    Ok((accepted, decided))
}
