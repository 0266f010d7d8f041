//! /api/v1/users — accounts, for administrators.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson, ApiJsonOrEmpty, ApiQuery};
use crate::error::{ErrorBody, Result};
use crate::services::paging::{Page, PageQuery};
use crate::services::users::{
    self, NewUser, PasswordReset, PasswordResetDone, UserPatch, UserView,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
        .routes(routes!(reset_password))
}

/// Accounts, a page at a time.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<UserView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Page<UserView>>> {
    Ok(Json(users::list(&state.db, &user.actor, query).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = NewUser,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserView>)> {
    let view = users::create(&state.db, &user.actor, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Change role, organisation, contact, password or deactivate; a password change, role change
/// or deactivation signs the user out everywhere.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<UserPatch>,
) -> Result<Json<UserView>> {
    Ok(Json(
        users::update(&state.db, &user.actor, id, patch).await?,
    ))
}

/// Reset a user's password (administrators): to `new_password`, or, with no body or none
/// given, to a temporary password returned this once. The user is signed out everywhere and
/// must change the password at next sign-in (until then every other endpoint answers 403
/// `password_change_required`).
#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body(content = Option<PasswordReset>),
    responses((status = 200, body = PasswordResetDone), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJsonOrEmpty(input): ApiJsonOrEmpty<PasswordReset>,
) -> Result<Json<PasswordResetDone>> {
    Ok(Json(
        users::reset_password(&state.db, &user.actor, id, input).await?,
    ))
}
