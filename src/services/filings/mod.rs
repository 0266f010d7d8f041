//! Filings (环评申报), one job per file: how readers see them (`views`), the work queue
//! (`queue`), what moves them (`actions`, with `numbering` for decision and receipt numbers,
//! `assignment` for who handles a submission and `announce` for who hears of it), the public register (`register`), and what the
//! scheduler and reports read (`feeds`). The rules themselves are `domain::filing`'s.
mod actions;
mod announce;
mod assignment;
mod feeds;
mod numbering;
mod queue;
mod register;
mod views;

use sea_orm::{ConnectionTrait, EntityTrait};

pub use actions::{ActionRequest, NewClockStop, act, add_stop, create};
pub(crate) use actions::{apply, insert_draft};
pub use assignment::{Handler, claim, queue_officers};
pub use feeds::{OpenFiling, actions_between, open_clocks};
pub use queue::{FilingQuery, list};
pub use register::{PublicNotice, notices_of, public_register};
pub use views::{FilingEventView, FilingProject, FilingView, events, get};

use crate::domain::filing::Action;
use crate::error::{Error, Result};
use crate::services::{Actor, projects};
use entity::{filing, filing_event, project};

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
