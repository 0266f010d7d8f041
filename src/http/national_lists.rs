//! /api/v1/filings/national-lists — the national system's 受理公示 and 审批决定公告 lists,
//! reconciled into the ledger (`services::national_lists`).
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::ApiQuery;
use crate::error::{Error, ErrorBody, Result};
use crate::services::national_lists::{self, NationalOutcome};

pub fn routes(max_upload_bytes: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .layer(DefaultBodyLimit::max(max_upload_bytes + 64 * 1024))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// Show the steps the list would enter, writing nothing.
    #[serde(default)]
    dry_run: bool,
}

/// One `match` field: `<Excel row>=<project code>`, an officer's hand match of a row.
pub(crate) fn parse_match(text: &str) -> std::result::Result<(u32, String), String> {
    let (row, code) = text
        .split_once('=')
        .ok_or_else(|| format!("“{text}”应为“行号=项目代码”，如 5=2310-611002-04-01-123456"))?;
    let row: u32 = row
        .trim()
        .parse()
        .map_err(|_| format!("“{}”不是行号", row.trim()))?;
    let code = code.trim();
    if code.is_empty() {
        return Err(format!("第{row}行的项目代码为空"));
    }
    Ok((row, code.to_owned()))
}

/// Import a 受理公示 (columns 项目名称 / 建设单位 / … / 受理日期) or 审批决定公告 (项目名称 /
/// 审批文号 / 审批时间) list of the national system, from the multipart field `file` (.xlsx);
/// optional `match` fields (`<row>=<project code>`) match rows by hand. Rows are matched to
/// projects by 项目代码 or exact name and their steps entered, dated on the list's date and
/// marked as taken in the national system, through the filing actions in one transaction. With
/// `?dry_run=true` nothing is written and the answer lists the steps it would enter; an apply
/// with problems answers 422 with them as `error.problems` and writes nothing.
#[utoipa::path(post, path = "/api/v1/filings/national-lists", tag = "filings", security(("bearer" = [])),
    params(ImportQuery), request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 200, body = NationalOutcome), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<NationalOutcome>)> {
    user.actor.require_keeper()?;
    let mut multipart = multipart.map_err(|_| Error::Malformed {
        message: "上传须为 multipart/form-data，名单文件放在名为 file 的字段中".into(),
        fields: vec![crate::domain::FieldError::new(
            "file",
            "缺少 multipart/form-data 上传内容",
        )],
    })?;
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge("文件超过上传上限".into())
        } else {
            Error::malformed("无法读取上传内容（multipart 格式不完整或已损坏）")
        }
    };
    let mut file = None;
    let mut matches = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(broken)?),
            Some("match") => {
                let text = field.text().await.map_err(broken)?;
                if !text.trim().is_empty() {
                    matches.push(parse_match(&text).map_err(|m| Error::invalid("match", m))?);
                }
            }
            _ => {}
        }
    }
    let file = file.ok_or_else(|| Error::invalid("file", "请上传名单文件（.xlsx）"))?;
    let outcome = national_lists::import(
        &state.db,
        &state.settings,
        &user.actor,
        &file,
        q.dry_run,
        &matches,
    )
    .await?;
    Ok((StatusCode::OK, Json(outcome)))
}

#[cfg(test)]
mod tests {
    use super::parse_match;

    #[test]
    fn a_hand_match_is_a_row_and_a_code() {
        assert_eq!(
            parse_match(" 5 = 2310-611002-04-01-123456 "),
            Ok((5, "2310-611002-04-01-123456".into()))
        );
        assert!(parse_match("5").is_err());
        assert!(parse_match("五=x").is_err());
        assert!(parse_match("5= ").is_err());
    }
}
