//! /api/v1/counties — the county-level divisions projects are located in.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::ApiJson;
use crate::error::{ErrorBody, Result};
use crate::services::counties::{self, CountyView, NewCounty};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

#[utoipa::path(get, path = "/api/v1/counties", tag = "ledger", security(("bearer" = [])),
    responses((status = 200, body = Vec<CountyView>), (status = 401, body = ErrorBody)))]
async fn list(State(state): State<AppState>, _user: CurrentUser) -> Result<Json<Vec<CountyView>>> {
    Ok(Json(counties::list(&state.db).await?))
}

/// Add a county-level division (administrators), so another city can keep its ledger.
#[utoipa::path(post, path = "/api/v1/counties", tag = "ledger", security(("bearer" = [])),
    request_body = NewCounty,
    responses((status = 201, body = CountyView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<NewCounty>,
) -> Result<(StatusCode, Json<CountyView>)> {
    let view = counties::create(&state.db, &user.actor, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}
