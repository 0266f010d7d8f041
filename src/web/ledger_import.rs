//! `/ledger/import`: an officer brings the bureau's ledger in from an `.xlsx` file — checked
//! first (试导入), then imported; the answer (counts, a table of problems by row and column, the
//! changes) is drawn on the same page.
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;

use crate::domain::role::Role;
use crate::error::Error;
use crate::excel::Problem;
use crate::http::AppState;
use crate::http::ledger_import::{MAX_IMPORT_BYTES, read_upload, require_file};
use crate::services::ledger_import::{self, ImportOutcome};
use crate::web::page::{Chrome, WebResult, render, render_with};
use crate::web::session::{WebUser, check_csrf, check_origin};

const KEEPERS: &[Role] = &[Role::Officer, Role::Admin];

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/ledger/import",
        get(page)
            .post(submit)
            .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024)),
    )
}

#[derive(Template)]
#[template(path = "ledger/import.html")]
struct ImportPage {
    chrome: Chrome,
    /// What the file answered; none before a file is sent or when it could not be read.
    outcome: Option<ImportOutcome>,
    /// The problems of a file with problems (from a dry run or a refused import).
    problems: Vec<Problem>,
    /// Why the file could not be read at all.
    error: Option<String>,
    /// Whether the answer is that of a dry run.
    dry_run: bool,
}

async fn page(user: WebUser) -> WebResult {
    user.require(KEEPERS)?;
    render(ImportPage {
        chrome: user.chrome("导入台账"),
        outcome: None,
        problems: Vec::new(),
        error: None,
        dry_run: true,
    })
}

/// `POST /ledger/import` (multipart: `file`, and `mode` = `check` or `apply`).
async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    check_origin(&headers, &state)?;
    let upload = read_upload(multipart).await?;
    check_csrf(&headers, upload.fields.get("_csrf").map(String::as_str))?;
    user.require(KEEPERS)?;
    let dry_run = upload.fields.get("mode").map(String::as_str) != Some("apply");
    let answer = match require_file(&upload) {
        Ok(bytes) => {
            ledger_import::import(&state.db, &state.settings, &user.actor, bytes, dry_run).await
        }
        Err(e) => Err(e),
    };
    let mut page = ImportPage {
        chrome: user.chrome("导入台账"),
        outcome: None,
        problems: Vec::new(),
        error: None,
        dry_run,
    };
    match answer {
        Ok(outcome) => {
            page.problems = outcome.problems.clone();
            page.outcome = Some(outcome);
            render(page)
        }
        Err(Error::Rejected { problems, .. }) => {
            page.problems = problems;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            page.error = Some(match &err {
                Error::Invalid(fields) | Error::Malformed { fields, .. } if !fields.is_empty() => {
                    fields
                        .iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join("；")
                }
                other => other.to_string(),
            });
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}
