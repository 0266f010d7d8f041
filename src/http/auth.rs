//! Signing in and out, and the extractor that turns a bearer token into the acting user.
use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::{header, request::Parts};
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::extract::{ApiJson, ClientAddress};
use crate::domain::role::Role;
use crate::error::{Error, ErrorBody, Result};
use crate::services::{self, Actor};

/// The signed-in user, with the raw token so it can be revoked.
pub struct CurrentUser {
    pub actor: Actor,
    pub token: String,
    /// An administrator reset the password and it has not been changed yet.
    pub must_change_password: bool,
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
        let session = services::auth::session(&state.db, token, state.idle()).await?;
        let actor = session.actor;
        // The request span declares both fields (see `observe::request_span`).
        let span = tracing::Span::current();
        span.record("user", actor.username.as_str());
        span.record("user_id", actor.id);
        if session.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path()) {
            return Err(Error::PasswordChangeRequired(
                "管理员已重置您的密码，请先修改密码（POST /api/v1/auth/password）再继续".into(),
            ));
        }
        Ok(CurrentUser {
            actor,
            token: token.to_owned(),
            must_change_password: session.must_change_password,
        })
    }
}

/// What a user whose password was reset may still do before changing it.
const PASSWORD_CHANGE_PATHS: [&str; 3] = [
    "/api/v1/auth/password",
    "/api/v1/auth/me",
    "/api/v1/auth/logout",
];

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
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
    /// An administrator reset the password: change it (`POST /auth/password`) before anything
    /// else; until then other endpoints answer 403 `password_change_required`.
    pub must_change_password: bool,
    pub user: SignedInUser,
}

/// Sign in with a username and password; the token goes in `Authorization: Bearer …`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let result = services::auth::login(
        &state.db,
        &state.sign_in_limits,
        state.settings.auth.token_ttl_hours,
        &req.username,
        &req.password,
        client,
    )
    .await?;
    let role = result.user.role;
    Ok(Json(LoginResponse {
        token: result.token,
        expires_at: result.expires_at,
        must_change_password: result.user.must_change_password,
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
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(user: CurrentUser) -> Result<Json<Me>> {
    Ok(Json(Me {
        id: user.actor.id.unwrap_or_default(),
        username: user.actor.username,
        role: user.actor.role,
        organization_id: user.actor.organization_id,
        must_change_password: user.must_change_password,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub old_password: String,
    /// 10–128 characters with letters and digits, not the old one.
    pub new_password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PasswordChanged {
    /// How many other sessions of the user were signed out; this one stays signed in.
    pub other_sessions_revoked: u64,
}

/// Change one's own password. A wrong `old_password` is a 422 naming it. Every other session
/// of the user is signed out; the token of this request keeps working.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = PasswordChange,
    responses((status = 200, body = PasswordChanged), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<Json<PasswordChanged>> {
    let revoked = services::auth::change_password(
        &state.db,
        &user.actor,
        &user.token,
        &req.old_password,
        &req.new_password,
    )
    .await?;
    Ok(Json(PasswordChanged {
        other_sessions_revoked: revoked,
    }))
}
