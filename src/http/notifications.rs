//! /api/v1/notifications — each user's own notices; /api/v1/admin/outbox — mail that failed.
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiQuery};
use crate::error::{ErrorBody, Result};
use crate::services::notifications::{self, NotificationQuery, NotificationView, OutboxQuery};
use crate::services::paging::Page;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(read))
        .routes(routes!(outbox))
        .routes(routes!(resend))
}

/// The signed-in user's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])),
    params(NotificationQuery), responses((status = 200, body = Page<NotificationView>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> Result<Json<Page<NotificationView>>> {
    Ok(Json(notifications::mine(&state.db, &user.actor, q).await?))
}

/// Mark one of one's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = NotificationView), (status = 404, body = ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<NotificationView>> {
    Ok(Json(
        notifications::mark_read(&state.db, &user.actor, id).await?,
    ))
}

/// Outgoing mail by status (administrators); by default what failed, with its last error.
#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "notifications", security(("bearer" = [])),
    params(OutboxQuery),
    responses((status = 200, body = Page<NotificationView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn outbox(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> Result<Json<Page<NotificationView>>> {
    Ok(Json(
        notifications::outbox(&state.db, &user.actor, q).await?,
    ))
}

/// Send a failed message again (administrators).
#[utoipa::path(post, path = "/api/v1/admin/outbox/{id}/resend", tag = "notifications", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = NotificationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn resend(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<NotificationView>> {
    Ok(Json(
        notifications::resend(&state.db, &user.actor, id).await?,
    ))
}
