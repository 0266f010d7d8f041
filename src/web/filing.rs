//! One filing (`/filings/{id}`): its timeline, both clocks, stops, documents, notices and the forms for the actions its state allows.
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
