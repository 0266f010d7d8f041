//! Owners' portal (`/portal`): their projects and filings as stages, what is asked of them, who handles each filing.
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
