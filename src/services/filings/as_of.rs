//! Every filing as it stood at the end of a report date: its state then, its clock then, and
//! the correction rounds it had before its acceptance. For the dashboard's overdue, at-risk,
//! on-time and correction figures (`services::reports`), which must be stateable for any past
//! date, not only today.
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use super::views::Context;
use crate::config::Settings;
use crate::domain::filing::{Action, FilingClock, FilingState};
use crate::error::Result;
use entity::filing;

/// One filing at the end of a report date.
#[derive(Debug, Clone)]
pub struct FilingOnDate {
    pub filing_id: i64,
    pub project_id: i64,
    pub state: FilingState,
    /// Its clock on the date, from its steps dated by then; `None` when it cannot be computed
    /// (dates beyond the calendar, a history that does not add up).
    pub clock: Option<FilingClock>,
    /// Whether it was accepted (受理) by then.
    pub accepted: bool,
    /// Correction requests dated before its (latest) acceptance, when accepted.
    pub rounds_before_acceptance: u32,
}

/// Every filing with a step dated on or before `as_of`, as it stood at the end of that day.
#[tracing::instrument(name = "filings::as_of", skip_all, fields(%as_of))]
pub async fn filings_on<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    as_of: NaiveDate,
) -> Result<Vec<FilingOnDate>> {
    let filings = filing::Entity::find()
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?;
    let mut ctx = Context::load(db, &filings).await?;
    // Stops an officer dated: only those begun by then, open if they ended later.
    for stops in ctx.stops.values_mut() {
        stops.retain(|s| s.from_on <= as_of);
        for s in stops.iter_mut() {
            if s.to_on.is_some_and(|to| to > as_of) {
                s.to_on = None;
            }
        }
    }
    let mut out = Vec::new();
    for f in &filings {
        let mut events: Vec<_> = ctx
            .events
            .get(&f.id)
            .map(|e| {
                e.iter()
                    .filter(|e| e.effective_on <= as_of)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        events.sort_by_key(|e| (e.effective_on, e.id));
        let Some(last) = events.last() else { continue };
        let state = last.to_state;
        let clock = ctx
            .clock_on(settings, f, state, f.tier, &events, as_of)
            .ok();
        let acceptance = events.iter().rposition(|e| e.action == Action::Accept);
        let rounds = acceptance.map_or(0, |at| {
            events[..at]
                .iter()
                .filter(|e| e.action == Action::RequestCorrection)
                .count() as u32
        });
        out.push(FilingOnDate {
            filing_id: f.id,
            project_id: f.project_id,
            state,
            clock,
            accepted: acceptance.is_some(),
            rounds_before_acceptance: rounds,
        });
    }
    Ok(out)
}
