//! /api/v1/service-sheets — point-to-point service sheets (服务单) and their items.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson, ApiQuery};
use crate::error::{ErrorBody, Result};
use crate::services::service_sheets::{
    self, BulkReassign, ItemPatch, NewItem, NewSheet, Reassign, SheetQuery, SheetView, SignOff,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(add_item))
        .routes(routes!(update_item))
        .routes(routes!(sign_off))
        .routes(routes!(reassign))
        .routes(routes!(reassign_all))
}

/// Create the service sheet of a point-to-point project (officers and administrators).
#[utoipa::path(post, path = "/api/v1/projects/{id}/service-sheet", tag = "service", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewSheet,
    responses((status = 201, body = SheetView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(project_id): ApiId,
    ApiJson(input): ApiJson<NewSheet>,
) -> Result<(StatusCode, Json<SheetView>)> {
    let view = service_sheets::create(&state.db, &user.actor, project_id, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Service sheets; owners see their own.
#[utoipa::path(get, path = "/api/v1/service-sheets", tag = "service", security(("bearer" = [])),
    params(SheetQuery), responses((status = 200, body = crate::services::paging::Page<SheetView>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> Result<Json<crate::services::paging::Page<SheetView>>> {
    Ok(Json(service_sheets::list(&state.db, &user.actor, q).await?))
}

#[utoipa::path(get, path = "/api/v1/service-sheets/{id}", tag = "service", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = SheetView), (status = 404, body = ErrorBody)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<SheetView>> {
    Ok(Json(service_sheets::get(&state.db, &user.actor, id).await?))
}

/// Add a promised service item (the responsible officer or an administrator).
#[utoipa::path(post, path = "/api/v1/service-sheets/{id}/items", tag = "service", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewItem,
    responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_item(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(item): ApiJson<NewItem>,
) -> Result<Json<SheetView>> {
    Ok(Json(
        service_sheets::add_item(&state.db, &state.settings, &user.actor, id, item).await?,
    ))
}

/// Update an item: status, evidence, done date, promised date.
#[utoipa::path(patch, path = "/api/v1/service-items/{id}", tag = "service", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ItemPatch,
    responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_item(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<ItemPatch>,
) -> Result<Json<SheetView>> {
    Ok(Json(
        service_sheets::update_item(&state.db, &state.settings, &user.actor, id, patch).await?,
    ))
}

/// The owner confirms the sheet (签收).
#[utoipa::path(post, path = "/api/v1/service-sheets/{id}/sign-off", tag = "service", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SignOff,
    responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sign_off(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<SignOff>,
) -> Result<Json<SheetView>> {
    Ok(Json(
        service_sheets::sign_off(&state.db, &user.actor, id, input).await?,
    ))
}

/// Give the sheet to another officer; the history stays and both the officer and the owner are told.
#[utoipa::path(post, path = "/api/v1/service-sheets/{id}/reassign", tag = "service", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Reassign,
    responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reassign(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<Reassign>,
) -> Result<Json<SheetView>> {
    Ok(Json(
        service_sheets::reassign(&state.db, &state.settings, &user.actor, id, input).await?,
    ))
}

/// Move every sheet of an officer who leaves to another (administrators).
#[utoipa::path(post, path = "/api/v1/service-sheets/reassign", tag = "service", security(("bearer" = [])),
    request_body = BulkReassign,
    responses((status = 200, body = Vec<SheetView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reassign_all(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<BulkReassign>,
) -> Result<Json<Vec<SheetView>>> {
    Ok(Json(
        service_sheets::reassign_all(&state.db, &state.settings, &user.actor, input).await?,
    ))
}
