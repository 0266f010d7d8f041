//! Point-to-point service sheets (`/service-sheets`, `/service-sheets/{id}`).
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
