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
    /// 403: the password was reset by an administrator; change it (`POST /auth/password`)
    /// before anything else.
    PasswordChangeRequired,
    /// 404: no such record, or not one this user may see.
    NotFound,
    /// 405: the path exists but not with this method; `Allow` lists the methods it takes.
    MethodNotAllowed,
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
    /// 409: the filing is assigned to an officer already; only an unassigned one is claimed.
    AlreadyAssigned,
    /// 409: the service sheet still has items neither done nor cancelled.
    OpenItems,
    /// 409: the re-evaluation preview no longer matches the ledger.
    StalePreview,
    /// 409: the pre-decision notice still runs, or a hearing asked for is not yet held.
    NoticePeriod,
    /// 409: the project's filing stands under its tier; the classification cannot change silently.
    FilingTierConflict,
    /// 413: the body or upload is too large.
    TooLarge,
    /// 415: the body is of a type this endpoint does not read.
    UnsupportedMediaType,
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
    /// 403: signed in with a password an administrator reset; only changing it is allowed.
    #[error("{0}")]
    PasswordChangeRequired(String),
    /// 404
    #[error("{0}")]
    NotFound(String),
    /// 405: `allowed` goes into the `Allow` header as well as the message.
    #[error("{}", method_message(method, allowed))]
    MethodNotAllowed {
        method: String,
        allowed: Vec<String>,
    },
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
    /// 415
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: well-formed but invalid.
    #[error("输入有误")]
    Invalid(Vec<FieldError>),
    /// 422: an imported file with problems; nothing was written. `problems` names each by row
    /// and column.
    #[error("{message}")]
    Rejected {
        message: String,
        problems: Vec<crate::excel::Problem>,
    },
    /// 429, with `Retry-After` in seconds.
    #[error("{message}")]
    RateLimited { message: String, retry_after: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn method_message(method: &str, allowed: &[String]) -> String {
    if allowed.is_empty() {
        format!("该接口不支持 {method} 方法")
    } else {
        format!("该接口不支持 {method} 方法；可用：{}", allowed.join("、"))
    }
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
            Error::Forbidden(_) | Error::PasswordChangeRequired(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Invalid(_) | Error::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Malformed { .. } => ErrorCode::Malformed,
            Error::Unauthorized(_) => ErrorCode::Unauthorized,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::PasswordChangeRequired(_) => ErrorCode::PasswordChangeRequired,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::Conflict { code, .. } => *code,
            Error::TooLarge(_) => ErrorCode::TooLarge,
            Error::Invalid(_) | Error::Rejected { .. } => ErrorCode::Invalid,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        // A unique index is the last line against duplicates that a service's own check missed
        // under concurrency; the client sees a conflict naming the field, not an internal error.
        if let Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::info!(%detail, "unique constraint violated");
            return unique_violation(&detail);
        }
        Error::Internal(anyhow::Error::new(err))
    }
}

/// The unique columns users can collide on: table, column, the field the API calls it and its
/// name in words.
const UNIQUE_COLUMNS: &[(&str, &str, &str, &str)] = &[
    (
        "project",
        "project_code",
        "project_code",
        "投资项目统一代码",
    ),
    (
        "organization",
        "credit_code",
        "credit_code",
        "统一社会信用代码",
    ),
    ("app_user", "username", "username", "用户名"),
    ("county", "code", "code", "行政区划代码"),
    (
        "policy_exemption",
        "document_no",
        "document_no",
        "政策豁免文号",
    ),
    (
        "service_sheet",
        "project_id",
        "project_id",
        "该项目的服务单",
    ),
    ("filing", "decision_no", "number", "批复文号"),
    ("holiday_schedule", "year", "year", "该年度的节假日安排"),
];

/// Maps a database's unique-violation message to the field: SQLite says
/// `UNIQUE constraint failed: organization.credit_code`; PostgreSQL names the constraint
/// (`organization_credit_code_key`, `ix_filing_decision_no`) and, in its detail, the key and
/// value (`Key (credit_code)=(91…) already exists`).
pub fn unique_violation(detail: &str) -> Error {
    let lower = detail.to_ascii_lowercase();
    let found = UNIQUE_COLUMNS.iter().find(|(table, column, _, _)| {
        lower.contains(&format!("{table}.{column}"))
            || lower.contains(&format!("{table}_{column}_key"))
            || lower.contains(&format!("ix_{table}_{column}"))
    });
    let value = detail
        .split_once(")=(")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(value, _)| value.to_owned());
    match found {
        Some((_, _, field, label)) => {
            let message = match value {
                Some(value) => format!("{label} {value} 已被使用"),
                None => format!("{label}已被使用，不能重复"),
            };
            Error::duplicate(field, message)
        }
        None => Error::Conflict {
            code: ErrorCode::Duplicate,
            message: "与已有记录重复（某个须唯一的值已被使用）".into(),
            fields: Vec::new(),
        },
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
    /// An imported file's problems, by row and column (only on an import's 422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::excel::Problem>,
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
            Error::Rejected { message, problems } => (
                message.clone(),
                vec![FieldError::new(
                    "file",
                    format!("文件有{}处问题，未导入任何内容", problems.len()),
                )],
            ),
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
                problems: match &self {
                    Error::Rejected { problems, .. } => problems.clone(),
                    _ => Vec::new(),
                },
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Error::MethodNotAllowed { allowed, .. } = &self
            && let Ok(value) = axum::http::HeaderValue::from_str(&allowed.join(", "))
        {
            response
                .headers_mut()
                .insert(axum::http::header::ALLOW, value);
        }
        if let Error::RateLimited { retry_after, .. } = &self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after),
            );
        }
        if let Error::Internal(err) = self {
            response
                .extensions_mut()
                .insert(InternalError(Arc::new(err)));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_and_message(err: Error) -> (String, String) {
        match err {
            Error::Conflict {
                fields, message, ..
            } => (
                fields.first().map(|f| f.field.clone()).unwrap_or_default(),
                message,
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unique_violations_name_the_field_on_either_database() {
        let (field, message) = field_and_message(unique_violation(
            "UNIQUE constraint failed: organization.credit_code",
        ));
        assert_eq!(field, "credit_code");
        assert_eq!(message, "统一社会信用代码已被使用，不能重复");
        let (field, message) = field_and_message(unique_violation(
            "duplicate key value violates unique constraint \"project_project_code_key\" Key (project_code)=(2301-611002-04-01-000001) already exists.",
        ));
        assert_eq!(field, "project_code");
        assert_eq!(
            message,
            "投资项目统一代码 2301-611002-04-01-000001 已被使用"
        );
        let (field, _) = field_and_message(unique_violation(
            "duplicate key value violates unique constraint \"app_user_username_key\"",
        ));
        assert_eq!(field, "username");
        let (field, message) = field_and_message(unique_violation("something else"));
        assert_eq!(field, "");
        assert!(message.contains("重复"));
    }
}
