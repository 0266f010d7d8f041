//! The one error type of the service. Services return it; HTTP turns it into the JSON error
//! shape of the API (`{"error": {"code", "message", "fields"}}`). Database constraint
//! violations become 409; anything unexpected reaches the client only as a short message, and
//! its context travels on in the response for the HTTP middleware to log once.
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request could not be read at all.
    #[error("{message}")]
    Malformed {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 401
    #[error("{0}")]
    Unauthorized(String),
    /// 403
    #[error("{0}")]
    Forbidden(String),
    /// 404
    #[error("{0}")]
    NotFound(String),
    /// 409: a stale version, a duplicate, or a change not allowed in the current state.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
    /// 413
    #[error("{0}")]
    TooLarge(String),
    /// 422: well-formed but invalid.
    #[error("输入有误")]
    Invalid(Vec<FieldError>),
    /// 429
    #[error("{0}")]
    RateLimited(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        Error::Malformed {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Error::NotFound(format!("{what}不存在"))
    }

    pub fn stale(what: &str) -> Self {
        Error::Conflict {
            code: "stale_version",
            message: format!("{what}已被他人修改，请刷新后重试（版本号已过期）"),
            fields: vec![FieldError::new("version", "版本号已过期")],
        }
    }

    pub fn duplicate(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Error::Conflict {
            code: "duplicate",
            fields: vec![FieldError::new(field, message.clone())],
            message,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::Malformed { .. } => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Error::Malformed { .. } => "malformed",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Conflict { code, .. } => code,
            Error::TooLarge(_) => "too_large",
            Error::Invalid(_) => "invalid",
            Error::RateLimited(_) => "rate_limited",
            Error::Internal(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        // A unique index is the last line against duplicates that a service's own check missed
        // under concurrency; the client sees a conflict, not an internal error.
        if let Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::info!(%detail, "unique constraint violated");
            return Error::Conflict {
                code: "duplicate",
                message: "与已有记录重复".into(),
                fields: Vec::new(),
            };
        }
        Error::Internal(anyhow::Error::new(err))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code, e.g. `invalid`, `stale_version`, `not_found`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// Which input fields are wrong and why.
    pub fields: Vec<FieldError>,
}

/// The error behind a 500, carried in the response's extensions: `into_response` knows nothing
/// of the request, so the middleware in `http::observe` takes it out and logs it there, once,
/// inside the request span.
#[derive(Debug, Clone)]
pub struct InternalError(pub Arc<anyhow::Error>);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let (message, fields) = match &self {
            Error::Internal(_) => (
                "服务器内部错误，请稍后重试或联系管理员".to_owned(),
                Vec::new(),
            ),
            Error::Invalid(fields) => {
                let message = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                (format!("输入有误：{message}"), fields.clone())
            }
            Error::Malformed { message, fields }
            | Error::Conflict {
                message, fields, ..
            } => (message.clone(), fields.clone()),
            other => (other.to_string(), Vec::new()),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message,
                fields,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Error::Internal(err) = self {
            response
                .extensions_mut()
                .insert(InternalError(Arc::new(err)));
        }
        response
    }
}
