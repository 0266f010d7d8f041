//! /api/v1/organizations — owner organisations (建设单位).
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson, ApiQuery};
use crate::error::{ErrorBody, Result};
use crate::services::audit::{self, TrailPage, TrailQuery};
use crate::services::organizations::{
    self, NewOrganization, OrganizationPatch, OrganizationQuery, OrganizationView,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(trail))
}

/// Owner organisations; an owner sees only its own.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = [])),
    params(OrganizationQuery),
    responses((status = 200, body = crate::services::paging::Page<OrganizationView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<crate::services::paging::Page<OrganizationView>>> {
    Ok(Json(
        organizations::list(&state.db, &user.actor, query).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = OrganizationView), (status = 404, body = ErrorBody)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<OrganizationView>> {
    Ok(Json(organizations::get(&state.db, &user.actor, id).await?))
}

/// Register an owner organisation; its 统一社会信用代码 must carry a valid check character.
#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = [])),
    request_body = NewOrganization,
    responses((status = 201, body = OrganizationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<NewOrganization>,
) -> Result<(StatusCode, Json<OrganizationView>)> {
    let view = organizations::create(&state.db, &user.actor, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = OrganizationPatch,
    responses((status = 200, body = OrganizationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<OrganizationPatch>,
) -> Result<Json<OrganizationView>> {
    Ok(Json(
        organizations::update(&state.db, &user.actor, id, patch).await?,
    ))
}

/// The organisation's trail, newest first: its record, its accounts and its projects'
/// changes. Owners read only their own (another's is 404). Read-only.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/audit", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path), TrailQuery),
    responses((status = 200, body = TrailPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn trail(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiQuery(query): ApiQuery<TrailQuery>,
) -> Result<Json<TrailPage>> {
    Ok(Json(
        audit::organization_trail(&state.db, &user.actor, id, query).await?,
    ))
}
