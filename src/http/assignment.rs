//! /api/v1/assignment-rules — who handles a submitted filing by county and tier — and
//! /api/v1/filings/{id}/claim, an officer taking a filing from the shared queue.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson};
use crate::error::{ErrorBody, Result};
use crate::services::assignment_rules::{self, AssignmentRuleView, NewAssignmentRule};
use crate::services::filings::{self, FilingView};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(delete))
        .routes(routes!(claim))
}

/// The assignment rules (分办规则): county and tier → officer, used when a submitted filing's
/// project has no service-sheet officer.
#[utoipa::path(get, path = "/api/v1/assignment-rules", tag = "filings", security(("bearer" = [])),
    responses((status = 200, body = Vec<AssignmentRuleView>), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<AssignmentRuleView>>> {
    Ok(Json(assignment_rules::list(&state.db, &user.actor).await?))
}

/// Add a rule (administrators). One rule per county and tier (409 otherwise); the officer must
/// be an active approval officer (422 otherwise).
#[utoipa::path(post, path = "/api/v1/assignment-rules", tag = "filings", security(("bearer" = [])),
    request_body = NewAssignmentRule,
    responses((status = 201, body = AssignmentRuleView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<NewAssignmentRule>,
) -> Result<(StatusCode, Json<AssignmentRuleView>)> {
    let view = assignment_rules::create(&state.db, &user.actor, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Remove a rule (administrators); filings already assigned keep their officer.
#[utoipa::path(delete, path = "/api/v1/assignment-rules/{id}", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<StatusCode> {
    assignment_rules::delete(&state.db, &user.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Claim an unassigned filing from the shared queue (approval officers). 409 when it has an
/// officer already (`already_assigned`), or is a draft or settled; of two claims at once, one
/// wins.
#[utoipa::path(post, path = "/api/v1/filings/{id}/claim", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn claim(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<FilingView>> {
    Ok(Json(
        filings::claim(&state.db, &state.settings, &user.actor, id).await?,
    ))
}
