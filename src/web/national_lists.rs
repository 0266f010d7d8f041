//! `/filings/national-lists`: an officer uploads a list of the national system (受理公示 or
//! 审批决定公告), checks it (a dry run: the steps it would enter, the rows already on record,
//! the problems, the rows it could not match), matches rows by hand and imports it.
//!
//! Re-posting keeps the file: the page carries the uploaded workbook as base64 in a hidden
//! field, so the officer need not choose the file again after matching rows; it is bounded by
//! `filings.max_upload_bytes` like any upload and nothing is kept on the server between posts.
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::domain::role::Role;
use crate::error::Error;
use crate::excel::Problem;
use crate::http::AppState;
use crate::services::national_lists::{self, NationalOutcome, PlannedStep, UnchangedRow};
use crate::web::page::{Chrome, WebError, WebResult, redirect_with, render_with};
use crate::web::session::{WebUser, check_csrf, check_origin};

pub fn routes() -> Router<AppState> {
    Router::new()
        // The size is checked field by field as the upload streams in (`read_capped`).
        .route("/filings/national-lists", get(page).post(submit))
        .layer(DefaultBodyLimit::disable())
}

/// An unmatched row with what the officer typed for it.
struct Unmatched {
    row: u32,
    name: String,
    project_code: String,
    reason: String,
    typed: String,
}

#[derive(Template)]
#[template(path = "national/lists.html")]
struct ListsPage {
    chrome: Chrome,
    /// The error about the file itself (not a list, no header …).
    file_error: Option<String>,
    /// Filled after a check or a refused import.
    checked: bool,
    kind_label: String,
    rows: u32,
    steps: Vec<PlannedStep>,
    unchanged: Vec<UnchangedRow>,
    unmatched: Vec<Unmatched>,
    problems: Vec<Problem>,
    /// The workbook as base64, re-posted with the next check or the import.
    kept: String,
    file_name: String,
}

fn empty(user: &WebUser) -> ListsPage {
    ListsPage {
        chrome: user.chrome("全国系统名单导入"),
        file_error: None,
        checked: false,
        kind_label: String::new(),
        rows: 0,
        steps: Vec::new(),
        unchanged: Vec::new(),
        unmatched: Vec::new(),
        problems: Vec::new(),
        kept: String::new(),
        file_name: String::new(),
    }
}

async fn page(user: WebUser) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    render_with(StatusCode::OK, empty(&user))
}

/// A field's bytes, refused past `cap`.
async fn read_capped(
    mut field: axum::extract::multipart::Field<'_>,
    cap: usize,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| Error::malformed(format!("上传的内容无法读取：{e}")))?
    {
        if out.len() + chunk.len() > cap {
            return Err(Error::TooLarge("文件超过上传上限".into()));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// `POST /filings/national-lists` (multipart: `file` or the kept `kept`, `match_<row>` fields,
/// `mode` = `check` or `apply`).
async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    check_origin(&headers, &state)?;
    let mut multipart = multipart
        .map_err(|e| WebError::Page(Error::malformed(format!("表单内容无法读取：{e}"))))?;
    let max = state.settings.filings.max_upload_bytes;
    let mut csrf = None;
    let mut file = Vec::new();
    let mut file_name = String::new();
    let mut kept = String::new();
    let mut apply = false;
    let mut typed: Vec<(u32, String)> = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Error::malformed(format!("上传的内容无法读取：{e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let given = field.file_name().unwrap_or_default().to_owned();
                let bytes = read_capped(field, max).await?;
                if !bytes.is_empty() {
                    file = bytes;
                    file_name = given;
                }
            }
            "kept" => kept = text(read_capped(field, max / 3 * 4 + 8).await?),
            "file_name" => {
                let n = text(read_capped(field, 1024).await?);
                if file_name.is_empty() {
                    file_name = n;
                }
            }
            "_csrf" => csrf = Some(text(read_capped(field, 1024).await?)),
            "mode" => apply = text(read_capped(field, 64).await?) == "apply",
            other => {
                if let Some(row) = other.strip_prefix("match_").and_then(|r| r.parse().ok()) {
                    let code = text(read_capped(field, 256).await?);
                    typed.push((row, code.trim().to_owned()));
                }
            }
        }
    }
    check_csrf(&headers, csrf.as_deref())?;
    user.require(&[Role::Officer, Role::Admin])?;
    if file.is_empty() && !kept.is_empty() {
        file = STANDARD
            .decode(kept.trim())
            .map_err(|_| Error::malformed("保留的名单文件已损坏，请重新选择文件"))?;
    }
    let mut shown = empty(&user);
    if file.is_empty() {
        shown.file_error = Some("请选择全国系统导出的名单文件（.xlsx）".into());
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, shown);
    }
    shown.kept = STANDARD.encode(&file);
    shown.file_name = file_name;
    let matches: Vec<(u32, String)> = typed
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .cloned()
        .collect();
    let result = national_lists::import(
        &state.db,
        &state.settings,
        &user.actor,
        &file,
        !apply,
        &matches,
    )
    .await;
    let typed_for = |row: u32| {
        typed
            .iter()
            .find(|(r, _)| *r == row)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    match result {
        Ok(outcome) if apply => {
            let mut message = format!(
                "已导入{}：录入{}个办理环节，{}行无须变更",
                outcome.kind_label,
                outcome
                    .steps
                    .iter()
                    .filter(|s| s.action != "create")
                    .count(),
                outcome.unchanged.len()
            );
            if !outcome.unmatched.is_empty() {
                message.push_str(&format!(
                    "；{}行未匹配到项目，未录入",
                    outcome.unmatched.len()
                ));
            }
            Ok(redirect_with("/filings/national-lists", "ok", &message))
        }
        Ok(outcome) => {
            fill(&mut shown, outcome, typed_for);
            render_with(StatusCode::OK, shown)
        }
        Err(Error::Rejected { problems, .. }) => {
            // The import was refused: the same list checked again shows why, in context.
            let outcome = national_lists::import(
                &state.db,
                &state.settings,
                &user.actor,
                &file,
                true,
                &matches,
            )
            .await;
            match outcome {
                Ok(outcome) => fill(&mut shown, outcome, typed_for),
                Err(_) => {
                    shown.checked = true;
                    shown.problems = problems;
                }
            }
            render_with(StatusCode::UNPROCESSABLE_ENTITY, shown)
        }
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            shown.file_error = Some(match &err {
                Error::Invalid(fields) => fields
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
                other => other.to_string(),
            });
            render_with(StatusCode::UNPROCESSABLE_ENTITY, shown)
        }
        Err(other) => Err(other.into()),
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

fn fill(shown: &mut ListsPage, o: NationalOutcome, typed: impl Fn(u32) -> String) {
    shown.checked = true;
    shown.kind_label = o.kind_label;
    shown.rows = o.rows;
    shown.steps = o.steps;
    shown.unchanged = o.unchanged;
    shown.problems = o.problems;
    shown.unmatched = o
        .unmatched
        .into_iter()
        .map(|u| Unmatched {
            typed: typed(u.row),
            row: u.row,
            name: u.name,
            project_code: u.project_code.unwrap_or_default(),
            reason: u.reason,
        })
        .collect();
}
