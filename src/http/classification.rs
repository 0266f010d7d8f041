//! Classification decisions and the policy exemption lists they may cite.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson};
use crate::error::{ErrorBody, Result};
use crate::services::classification::{
    self, ApplyReevaluation, ClassificationResult, ClassificationView, ClassifyRequest,
    Reevaluation,
};
use crate::services::policy_exemptions::{
    self, NewPolicyExemption, PolicyExemptionPatch, PolicyExemptionView,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dry_run))
        .routes(routes!(current, decide))
        .routes(routes!(history))
        .routes(routes!(preview, apply))
        .routes(routes!(list_exemptions, create_exemption))
        .routes(routes!(update_exemption))
}

/// Classify without storing anything (officers and administrators).
#[utoipa::path(post, path = "/api/v1/classify", tag = "classification", security(("bearer" = [])),
    request_body = ClassifyRequest,
    responses((status = 200, body = ClassificationResult), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn dry_run(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ClassifyRequest>,
) -> Result<Json<ClassificationResult>> {
    user.actor.require_keeper()?;
    Ok(Json(classification::evaluate(&state.db, &req).await?))
}

/// Classify a project and store the decision; earlier decisions stay in its history.
#[utoipa::path(put, path = "/api/v1/projects/{id}/classification", tag = "classification", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ClassifyRequest,
    responses((status = 200, body = ClassificationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(req): ApiJson<ClassifyRequest>,
) -> Result<Json<ClassificationView>> {
    Ok(Json(
        classification::decide(&state.db, &user.actor, id, req).await?,
    ))
}

/// The decision in force.
#[utoipa::path(get, path = "/api/v1/projects/{id}/classification", tag = "classification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ClassificationView), (status = 404, body = ErrorBody)))]
async fn current(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<ClassificationView>> {
    Ok(Json(
        classification::current(&state.db, &user.actor, id).await?,
    ))
}

/// Every decision on the project, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/classification/history", tag = "classification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ClassificationView>), (status = 404, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<Vec<ClassificationView>>> {
    Ok(Json(
        classification::history(&state.db, &user.actor, id).await?,
    ))
}

/// Which projects' tiers would change if classified again under today's rules and policy lists.
#[utoipa::path(get, path = "/api/v1/classification/reevaluation", tag = "classification", security(("bearer" = [])),
    responses((status = 200, body = Reevaluation), (status = 403, body = ErrorBody)))]
async fn preview(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Reevaluation>> {
    Ok(Json(
        classification::preview_reevaluation(&state.db, &user.actor).await?,
    ))
}

/// Store new decisions for the previewed changes; `project_ids` must match the preview (409 if
/// it has changed since).
#[utoipa::path(post, path = "/api/v1/classification/reevaluation", tag = "classification", security(("bearer" = [])),
    request_body = ApplyReevaluation,
    responses((status = 200, body = Reevaluation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn apply(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(confirm): ApiJson<ApplyReevaluation>,
) -> Result<Json<Reevaluation>> {
    Ok(Json(
        classification::apply_reevaluation(&state.db, &user.actor, confirm).await?,
    ))
}

/// Policy exemption documents (national, provincial, municipal lists).
#[utoipa::path(get, path = "/api/v1/policy-exemptions", tag = "classification", security(("bearer" = [])),
    params(crate::services::paging::PageQuery),
    responses((status = 200, body = crate::services::paging::Page<PolicyExemptionView>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_exemptions(
    State(state): State<AppState>,
    _user: CurrentUser,
    super::extract::ApiQuery(query): super::extract::ApiQuery<crate::services::paging::PageQuery>,
) -> Result<Json<crate::services::paging::Page<PolicyExemptionView>>> {
    Ok(Json(policy_exemptions::list(&state.db, query).await?))
}

/// Add a document, e.g. a province's list (administrators).
#[utoipa::path(post, path = "/api/v1/policy-exemptions", tag = "classification", security(("bearer" = [])),
    request_body = NewPolicyExemption,
    responses((status = 201, body = PolicyExemptionView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_exemption(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(doc): ApiJson<NewPolicyExemption>,
) -> Result<(StatusCode, Json<PolicyExemptionView>)> {
    let view = policy_exemptions::create(&state.db, &user.actor, doc).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Change or deactivate a document (administrators); then preview the re-evaluation.
#[utoipa::path(patch, path = "/api/v1/policy-exemptions/{id}", tag = "classification", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PolicyExemptionPatch,
    responses((status = 200, body = PolicyExemptionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_exemption(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<PolicyExemptionPatch>,
) -> Result<Json<PolicyExemptionView>> {
    Ok(Json(
        policy_exemptions::update(&state.db, &user.actor, id, patch).await?,
    ))
}
