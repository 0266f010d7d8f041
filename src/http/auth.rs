//! Signing in and out, and the extractor that turns a bearer token into the acting user.
use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::{header, request::Parts};
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::extract::ApiJson;
use crate::domain::role::Role;
use crate::error::{Error, ErrorBody, Result};
use crate::services::{self, Actor};

/// The signed-in user, with the raw token so it can be revoked.
pub struct CurrentUser {
    pub actor: Actor,
    pub token: String,
}

impl<S> FromRequestParts<S> for CurrentUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self> {
        let state = AppState::from_ref(state);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::Unauthorized("请先登录（缺少 Authorization: Bearer 令牌）".into())
            })?;
        let actor = services::auth::authenticate(&state.db, token).await?;
        // The request span declares both fields (see `observe::request_span`).
        let span = tracing::Span::current();
        span.record("user", actor.username.as_str());
        span.record("user_id", actor.id);
        Ok(CurrentUser {
            actor,
            token: token.to_owned(),
        })
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedInUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub display_name: String,
    pub organization_id: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: SignedInUser,
}

/// Sign in with a username and password; the token goes in `Authorization: Bearer …`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let result = services::auth::login(
        &state.db,
        &state.login_throttle,
        state.settings.auth.token_ttl_hours,
        &req.username,
        &req.password,
    )
    .await?;
    let role = result.user.role;
    Ok(Json(LoginResponse {
        token: result.token,
        expires_at: result.expires_at,
        user: SignedInUser {
            id: result.user.id,
            username: result.user.username,
            role,
            display_name: result.user.display_name,
            organization_id: result.user.organization_id,
        },
    }))
}

/// Revoke the token used for this request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<axum::http::StatusCode> {
    services::auth::logout(&state.db, &user.token).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub organization_id: Option<i64>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me {
        id: user.actor.id.unwrap_or_default(),
        username: user.actor.username,
        role: user.actor.role,
        organization_id: user.actor.organization_id,
    })
}
