//! Filings (环评申报), one job per file: how readers see them (`views`), the work queue
//! (`queue`), what moves them (`actions`, with `numbering` for decision and receipt numbers,
//! `assignment` for who handles a submission and `announce` for who hears of it), the public register (`register`), and what the
//! scheduler and reports read (`feeds`). The rules themselves are `domain::filing`'s.
mod actions;
mod announce;
mod as_of;
mod assignment;
mod feeds;
mod numbering;
mod procedure;
mod queue;
mod register;
mod views;

use sea_orm::{ConnectionTrait, EntityTrait};

pub use actions::{ActionRequest, act, create};
pub(crate) use actions::{apply, insert_draft};
pub use as_of::{FilingOnDate, filings_on};
pub use assignment::{Handler, claim, queue_officers};
pub use feeds::{OpenFiling, actions_between, clocks_on, open_clocks, open_clocks_under};
pub use procedure::{
    CloseHearing, CloseStop, NewClockStop, NewHearingRequest, VoidRequest, VoidStep, add_stop,
    close_hearing, close_stop, request_hearing, void_step, void_stop,
};
pub use queue::{FilingQuery, list};
pub use register::{PublicNotice, notices_of, public_archive, public_register};
pub use views::{FilingEventView, FilingProject, FilingView, events, get};

use crate::domain::filing::Action;
use crate::error::{Error, Result};
use crate::services::{Actor, projects};
use entity::{filing, filing_event, project};

/// A filing's steps still in force (voided ones left out), oldest first: what its state,
/// clocks, notices and reports are made of.
pub(crate) async fn live_events<C: ConnectionTrait>(
    db: &C,
    filing_id: i64,
) -> Result<Vec<filing_event::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    Ok(filing_event::Entity::find()
        .filter(filing_event::Column::FilingId.eq(filing_id))
        .filter(filing_event::Column::VoidedAt.is_null())
        .order_by_asc(filing_event::Column::Id)
        .all(db)
        .await?)
}

/// How many correction requests the steps hold.
pub(crate) fn correction_rounds(events: &[filing_event::Model]) -> u32 {
    events
        .iter()
        .filter(|e| e.action == Action::RequestCorrection)
        .count() as u32
}

/// The items of the latest correction request.
pub(crate) fn last_missing_items(events: &[filing_event::Model]) -> Option<Vec<String>> {
    events
        .iter()
        .rev()
        .find(|e| e.action == Action::RequestCorrection)
        .map(|e| e.detail.missing_items.clone())
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
