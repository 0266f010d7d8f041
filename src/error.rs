//! The one error type of the service. Services return it; HTTP turns it into the JSON error
//! shape of the API (`{"error": {"code", "message", "fields"}}`). Database constraint
//! violations become 409; anything unexpected reaches the client only as a short message, and
//! its context travels on in the response for the HTTP middleware to log once.
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::FieldError;

/// Every `error.code` the API answers with. The HTTP status follows from it: each code belongs
/// to one status, as its comment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request could not be read (malformed JSON, a query parameter of the wrong type).
    Malformed,
    /// 401: not signed in, or the token expired or was revoked.
    Unauthorized,
    /// 403: signed in, but this role may not do this.
    Forbidden,
    /// 404: no such record, or not one this user may see.
    NotFound,
    /// 409: someone changed the record since it was read; read it again.
    StaleVersion,
    /// 409: a value that must be unique is taken.
    Duplicate,
    /// 409: not possible in the record's current state.
    InvalidState,
    /// 409: the project already has a filing in progress.
    OpenFiling,
    /// 409: built before approval with the penalty unsettled: not accepted.
    PenaltyUnsettled,
    /// 409: the service sheet is signed off already.
    AlreadySigned,
    /// 409: the service sheet still has items neither done nor cancelled.
    OpenItems,
    /// 409: the re-evaluation preview no longer matches the ledger.
    StalePreview,
    /// 413: the body or upload is too large.
    TooLarge,
    /// 422: readable but invalid; `fields` names each problem.
    Invalid,
    /// 429: too many attempts; wait and retry.
    RateLimited,
    /// 500: an error on the server, logged with the request id.
    Internal,
}

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
        code: ErrorCode,
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
            code: ErrorCode::StaleVersion,
            message: format!("{what}已被他人修改，请刷新后重试（版本号已过期）"),
            fields: vec![FieldError::new("version", "版本号已过期")],
        }
    }

    pub fn duplicate(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Error::Conflict {
            code: ErrorCode::Duplicate,
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

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Malformed { .. } => ErrorCode::Malformed,
            Error::Unauthorized(_) => ErrorCode::Unauthorized,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict { code, .. } => *code,
            Error::TooLarge(_) => ErrorCode::TooLarge,
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::RateLimited(_) => ErrorCode::RateLimited,
            Error::Internal(_) => ErrorCode::Internal,
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
                code: ErrorCode::Duplicate,
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
    /// Machine-readable; one of a fixed list, each with its HTTP status.
    pub code: ErrorCode,
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
                code: self.code(),
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
