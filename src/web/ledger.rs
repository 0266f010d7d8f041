//! The ledger (`/projects`) and a project's page (`/projects/{id}`).
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
