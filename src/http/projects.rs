//! /api/v1/projects — the ledger's key projects.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson, ApiQuery};
use crate::error::{ErrorBody, Result};
use crate::services::audit::{self, TrailPage, TrailQuery};
use crate::services::projects::{
    self, NewProject, ProjectPage, ProjectPatch, ProjectQuery, ProjectView, RemoveProject,
    RestoreProject,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(remove))
        .routes(routes!(restore))
        .routes(routes!(trail))
}

/// List ledger projects. Owners see only their organisation's projects.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", security(("bearer" = [])),
    params(ProjectQuery),
    responses((status = 200, body = ProjectPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ProjectQuery>,
) -> Result<Json<ProjectPage>> {
    Ok(Json(
        projects::list(&state.db, &state.settings, &user.actor, query).await?,
    ))
}

/// One project, with the classification in force. 404 also for another owner's project.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = ErrorBody)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<ProjectView>> {
    Ok(Json(
        projects::get_with_filing(&state.db, &state.settings, &user.actor, id).await?,
    ))
}

/// Add a project to the ledger (officers and administrators).
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", security(("bearer" = [])),
    request_body = NewProject,
    responses((status = 201, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<NewProject>,
) -> Result<(StatusCode, Json<ProjectView>)> {
    let view = projects::create(&state.db, &user.actor, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Change a project. `version` must be the one read; otherwise 409 and nothing changes.
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ProjectPatch,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<ProjectPatch>,
) -> Result<Json<ProjectView>> {
    let mut view = projects::update(&state.db, &user.actor, id, patch).await?;
    projects::with_current_filings(&state.db, &state.settings, std::slice::from_mut(&mut view))
        .await?;
    Ok(Json(view))
}

/// Remove a project entered by mistake (officers, administrators): it stays, marked removed,
/// out of lists, views and reports. 409 while it has a filing past draft or a service sheet.
#[utoipa::path(post, path = "/api/v1/projects/{id}/remove", tag = "projects", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RemoveProject,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<RemoveProject>,
) -> Result<Json<ProjectView>> {
    Ok(Json(
        projects::remove(&state.db, &user.actor, id, input).await?,
    ))
}

/// Put a removed project back in the ledger (administrators).
#[utoipa::path(post, path = "/api/v1/projects/{id}/restore", tag = "projects", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RestoreProject,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn restore(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<RestoreProject>,
) -> Result<Json<ProjectView>> {
    Ok(Json(
        projects::restore(&state.db, &user.actor, id, input).await?,
    ))
}

/// The project's trail, newest first: who changed which field from what to what, when and in
/// which request, with its classification decisions, filings, documents and service sheet.
/// Read-only: no endpoint changes the trail.
#[utoipa::path(get, path = "/api/v1/projects/{id}/audit", tag = "projects", security(("bearer" = [])),
    params(("id" = i64, Path), TrailQuery),
    responses((status = 200, body = TrailPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn trail(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiQuery(query): ApiQuery<TrailQuery>,
) -> Result<Json<TrailPage>> {
    Ok(Json(
        audit::project_trail(&state.db, &user.actor, id, query).await?,
    ))
}
