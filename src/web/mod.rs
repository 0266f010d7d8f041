//! The web interface: server-rendered pages in Chinese for owners, officers, leadership,
//! administrators and the public, on the same port as the API. Handlers, one module per
//! area, extract, authorize, call a service and draw a template from `templates/`; the frame,
//! sessions and forms are shared (`page`, `session`); every style and script is embedded
//! (`assets/`). No SQL and no rules here.
//!
//! Every core flow works as plain forms (POST, then 303 to the page with a flash message);
//! `assets/app.js` only adds confirmations and auto-submitting filters.
pub mod assets;
pub mod page;
pub mod session;

mod admin;
mod chart;
mod dashboard;
mod documents;
mod filing;
mod ledger;
mod notices;
mod portal;
mod public;
mod queue;
mod sheets;
mod sign_in;

use axum::Router;
use axum::routing::get;

use crate::http::AppState;

/// Every page, the assets, and the frame's headers around them.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sign_in::routes())
        .merge(ledger::routes())
        .merge(queue::routes())
        .merge(filing::routes())
        .merge(documents::routes())
        .merge(sheets::routes())
        .merge(portal::routes())
        .merge(notices::routes())
        .merge(public::routes())
        .merge(dashboard::routes())
        .merge(admin::routes())
        .route("/assets/{name}", get(assets::serve))
}
