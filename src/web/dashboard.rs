//! Leadership: the dashboard (`/dashboard`), the lists behind its numbers, the printable monthly report (`/reports/monthly`).
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
