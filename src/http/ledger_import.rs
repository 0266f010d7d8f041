//! /api/v1/ledger/import — the bureau's ledger brought in from an `.xlsx` file, with a dry run.
use std::collections::HashMap;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::ApiQuery;
use crate::domain::FieldError;
use crate::error::{Error, ErrorBody, Result};
use crate::services::ledger_import::{self, ImportOutcome};

/// The largest ledger file accepted: a 50,000-row workbook is well under it.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(
        OpenApiRouter::new()
            .routes(routes!(import))
            // Multipart framing adds a little to the file itself.
            .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024)),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    /// Check the file and answer what importing it would do, without writing anything.
    #[serde(default)]
    dry_run: bool,
}

/// A multipart upload read whole: the file in `file` (none when the field is missing or
/// empty) and the text fields beside it.
pub(crate) struct Upload {
    pub file: Option<Vec<u8>>,
    pub fields: HashMap<String, String>,
}

/// Reads an upload whose file is in the field `file`, up to [`MAX_IMPORT_BYTES`].
pub(crate) async fn read_upload(
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Upload> {
    let mut multipart = multipart.map_err(|_| Error::Malformed {
        message: "上传须为 multipart/form-data，文件放在名为 file 的字段中".into(),
        fields: vec![FieldError::new("file", "缺少 multipart/form-data 上传内容")],
    })?;
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge(format!(
                "文件超过导入上限（{} MB）",
                MAX_IMPORT_BYTES / 1024 / 1024
            ))
        } else {
            Error::malformed("无法读取上传内容（multipart 格式不完整或已损坏）")
        }
    };
    let mut upload = Upload {
        file: None,
        fields: HashMap::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(broken)?;
        if name == "file" {
            if !bytes.is_empty() {
                upload.file = Some(bytes.to_vec());
            }
        } else {
            upload
                .fields
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(upload)
}

/// The file an import needs, or 422 naming `file`.
pub(crate) fn require_file(upload: &Upload) -> Result<&[u8]> {
    upload
        .file
        .as_deref()
        .ok_or_else(|| Error::invalid("file", "请选择要导入的台账文件（Excel 工作簿 .xlsx）"))
}

/// Import the ledger from an `.xlsx` file (officers, administrators): the file in the multipart
/// field `file`. Rows are matched to projects by 投资项目统一代码; organisations are found or
/// created by 统一社会信用代码. Every row is checked first: with any problem nothing is
/// written, and the answer is 422 with `error.problems` (row as Excel shows it, column as the
/// file's header); with `?dry_run=true` it is 200 with `problems` and the changes it would make.
#[utoipa::path(post, path = "/api/v1/ledger/import", tag = "ledger", security(("bearer" = [])),
    params(ImportQuery), request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 200, body = ImportOutcome), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Json<ImportOutcome>> {
    user.actor.require_keeper()?;
    let upload = read_upload(multipart).await?;
    let bytes = require_file(&upload)?;
    let outcome =
        ledger_import::import(&state.db, &state.settings, &user.actor, bytes, q.dry_run).await?;
    Ok(Json(outcome))
}
