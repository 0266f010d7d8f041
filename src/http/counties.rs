//! /api/v1/counties — the county-level divisions projects are located in.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiJson, ApiQuery};
use crate::error::{ErrorBody, Result};
use crate::services::counties::{self, CountyView, NewCounty};
use crate::services::paging::{Page, PageQuery};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

#[utoipa::path(get, path = "/api/v1/counties", tag = "ledger", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<CountyView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Page<CountyView>>> {
    Ok(Json(counties::list(&state.db, query).await?))
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
