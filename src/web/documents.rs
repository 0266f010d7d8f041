//! Documents the bureau issues, printable: 受理通知书, 补正通知书, 不予受理决定书, 批复 / 不予批准决定.
use axum::Router;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
