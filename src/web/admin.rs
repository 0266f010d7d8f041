//! Administrators: users, calendar years, policy exemption lists, assignment rules, the outbox, the audit trail (`/admin/…`).
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
