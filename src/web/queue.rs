//! The officers' work queue (`/filings`): mine, unassigned to claim, due soon, overdue.
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
