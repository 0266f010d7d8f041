//! /api/v1/filings — EIA filings, their actions, clocks, notices and documents; and the public
//! register of notices, readable without signing in.
use axum::Json;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiId, ApiJson, ApiQuery};
use crate::domain::publication::Notice;
use crate::error::{Error, ErrorBody, Result};
use crate::services::documents::{self, DocumentQuery, DocumentView, Upload, WithdrawDocument};
use crate::services::filings::{
    self, ActionRequest, CloseHearing, CloseStop, FilingEventView, FilingQuery, FilingView,
    NewClockStop, NewHearingRequest, PublicNotice, VoidRequest, VoidStep,
};
use crate::services::paging::{Page, PageQuery, Paging};

pub fn routes(max_upload_bytes: usize) -> OpenApiRouter<AppState> {
    // Multipart framing adds a little to the file itself.
    let upload_limit = max_upload_bytes + 64 * 1024;
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(act))
        .routes(routes!(events))
        .routes(routes!(add_stop))
        .routes(routes!(close_stop))
        .routes(routes!(void_stop))
        .routes(routes!(request_hearing))
        .routes(routes!(close_hearing))
        .routes(routes!(void_step))
        .routes(routes!(public_document))
        .routes(routes!(notices))
        .routes(routes!(public_notices))
        .routes(routes!(list_documents))
        .routes(routes!(withdraw_document))
        .routes(routes!(download))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload))
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
}

/// Start a draft filing for a project that needs an EIA; its tier is the project's.
#[utoipa::path(post, path = "/api/v1/projects/{id}/filings", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(project_id): ApiId,
) -> Result<(StatusCode, Json<FilingView>)> {
    let view = filings::create(&state.db, &state.settings, &user.actor, project_id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Filings the reader may see, a page at a time; `q` searches the project's name or code; with
/// `due=soon` or `due=overdue`, the work queue, most urgent first.
#[utoipa::path(get, path = "/api/v1/filings", tag = "filings", security(("bearer" = [])),
    params(FilingQuery),
    responses((status = 200, body = Page<FilingView>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<FilingQuery>,
) -> Result<Json<Page<FilingView>>> {
    Ok(Json(
        filings::list(&state.db, &state.settings, &user.actor, query).await?,
    ))
}

/// One filing with its clock and the actions the reader may take.
#[utoipa::path(get, path = "/api/v1/filings/{id}", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = FilingView), (status = 404, body = ErrorBody)))]
async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<FilingView>> {
    Ok(Json(
        filings::get(&state.db, &state.settings, &user.actor, id).await?,
    ))
}

/// Take an action: submit, request_correction, resubmit, accept, refuse, start_evaluation,
/// finish_evaluation, approve, disapprove, withdraw, register. A stale `version` or an action
/// the state does not allow is a 409 naming the state; a role that may not act is a 403.
#[utoipa::path(post, path = "/api/v1/filings/{id}/actions", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ActionRequest,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(req): ApiJson<ActionRequest>,
) -> Result<Json<FilingView>> {
    Ok(Json(
        filings::act(&state.db, &state.settings, &user.actor, id, req).await?,
    ))
}

/// The filing's audit trail: every action with actor, role, from → to, reason, effective and
/// recorded time.
#[utoipa::path(get, path = "/api/v1/filings/{id}/events", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FilingEventView>), (status = 404, body = ErrorBody)))]
async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<Vec<FilingEventView>>> {
    Ok(Json(filings::events(&state.db, &user.actor, id).await?))
}

/// Record an expert review or a hearing that stops the decision clock.
#[utoipa::path(post, path = "/api/v1/filings/{id}/clock-stops", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewClockStop,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_stop(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(stop): ApiJson<NewClockStop>,
) -> Result<Json<FilingView>> {
    Ok(Json(
        filings::add_stop(&state.db, &state.settings, &user.actor, id, stop).await?,
    ))
}

/// Two numeric ids in the path (a filing and one of its records); anything else is a 404.
fn two_ids(raw: (String, String)) -> Result<(i64, i64)> {
    let parse = |s: &str| s.parse::<i64>().ok().filter(|id| *id > 0);
    match (parse(&raw.0), parse(&raw.1)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(Error::NotFound("资源不存在".into())),
    }
}

/// End a clock stop recorded without an end: `to` is its last day (inclusive).
#[utoipa::path(post, path = "/api/v1/filings/{id}/clock-stops/{stop_id}/close", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path), ("stop_id" = i64, Path)), request_body = CloseStop,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_stop(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path(raw): axum::extract::Path<(String, String)>,
    ApiJson(req): ApiJson<CloseStop>,
) -> Result<Json<FilingView>> {
    let (id, stop_id) = two_ids(raw)?;
    Ok(Json(
        filings::close_stop(&state.db, &state.settings, &user.actor, id, stop_id, req).await?,
    ))
}

/// Void a clock stop entered by mistake: it stays, marked void, and stops nothing.
#[utoipa::path(post, path = "/api/v1/filings/{id}/clock-stops/{stop_id}/void", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path), ("stop_id" = i64, Path)), request_body = VoidRequest,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn void_stop(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path(raw): axum::extract::Path<(String, String)>,
    ApiJson(req): ApiJson<VoidRequest>,
) -> Result<Json<FilingView>> {
    let (id, stop_id) = two_ids(raw)?;
    Ok(Json(
        filings::void_stop(&state.db, &state.settings, &user.actor, id, stop_id, req).await?,
    ))
}

/// Ask for a hearing during the pre-decision notice (the owner), or record one asked for by
/// the public (an officer). While it is open no decision is taken, and the clock stops.
#[utoipa::path(post, path = "/api/v1/filings/{id}/hearing-requests", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewHearingRequest,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_hearing(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(req): ApiJson<NewHearingRequest>,
) -> Result<Json<FilingView>> {
    Ok(Json(
        filings::request_hearing(&state.db, &state.settings, &user.actor, id, req).await?,
    ))
}

/// Record that a requested hearing was held, or the request withdrawn.
#[utoipa::path(post, path = "/api/v1/filings/{id}/hearing-requests/{hearing_id}/close", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path), ("hearing_id" = i64, Path)), request_body = CloseHearing,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_hearing(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path(raw): axum::extract::Path<(String, String)>,
    ApiJson(req): ApiJson<CloseHearing>,
) -> Result<Json<FilingView>> {
    let (id, hearing_id) = two_ids(raw)?;
    Ok(Json(
        filings::close_hearing(&state.db, &state.settings, &user.actor, id, hearing_id, req)
            .await?,
    ))
}

/// Void the latest step, entered by mistake: the event stays, marked void; the state before it
/// returns; a number it drew stays issued; a notice it posted gets a correction notice.
#[utoipa::path(post, path = "/api/v1/filings/{id}/void-step", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = VoidStep,
    responses((status = 200, body = FilingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn void_step(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(req): ApiJson<VoidStep>,
) -> Result<Json<FilingView>> {
    Ok(Json(
        filings::void_step(&state.db, &state.settings, &user.actor, id, req).await?,
    ))
}

/// A copy of an EIA document marked for public disclosure (环评文件公开版), of a filing on the
/// public register. No sign-in.
#[utoipa::path(get, path = "/api/v1/public/documents/{id}", tag = "public",
    params(("id" = i64, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
async fn public_document(State(state): State<AppState>, ApiId(id): ApiId) -> Result<Response> {
    let (doc, file) = documents::public_content(&state.db, &state.settings.data.dir, id).await?;
    file_response(doc, file)
}

/// The acceptance, pre-decision and decision notices of a filing, with their windows.
#[utoipa::path(get, path = "/api/v1/filings/{id}/notices", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Notice>), (status = 404, body = ErrorBody)))]
async fn notices(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Json<Vec<Notice>>> {
    Ok(Json(
        filings::notices_of(&state.db, &state.settings, &user.actor, id).await?,
    ))
}

/// The public register: every notice up today, newest first, a page at a time. No sign-in.
#[utoipa::path(get, path = "/api/v1/public/notices", tag = "public",
    params(PageQuery),
    responses((status = 200, body = Page<PublicNotice>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn public_notices(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<Page<PublicNotice>>> {
    let mut errors = Vec::new();
    let paging = Paging::check(query.page, query.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let all = filings::public_register(&state.db, &state.settings).await?;
    Ok(Json(paging.slice(all)))
}

/// Upload an EIA document (multipart field `file`): PDF, Word, Excel, ZIP, JPEG or PNG, checked
/// by content, up to `filings.max_upload_bytes`.
#[utoipa::path(post, path = "/api/v1/filings/{id}/documents", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 201, body = DocumentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<DocumentView>)> {
    // Not multipart at all (or no boundary): the API's error shape, not axum's plain text.
    let mut multipart = multipart.map_err(|_| Error::Malformed {
        message: "上传须为 multipart/form-data，文件放在名为 file 的字段中".into(),
        fields: vec![crate::domain::FieldError::new(
            "file",
            "缺少 multipart/form-data 上传内容",
        )],
    })?;
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge("文件超过上传上限".into())
        } else {
            Error::malformed("无法读取上传内容（multipart 格式不完整或已损坏）")
        }
    };
    let mut meta = documents::DocumentMeta::default();
    while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("material") => {
                let code = field.text().await.map_err(too_large)?;
                let code = code.trim();
                if !code.is_empty() {
                    meta.material = Some(code.parse().map_err(|_| {
                        Error::invalid(
                            "material",
                            format!(
                                "“{code}”不是材料类别，应为以下之一：{}",
                                crate::domain::filing::Material::ALL
                                    .iter()
                                    .map(|m| format!("{}（{}）", m.as_str(), m.label()))
                                    .collect::<Vec<_>>()
                                    .join("、")
                            ),
                        )
                    })?);
                }
                continue;
            }
            Some("public_disclosure") => {
                let flag = field.text().await.map_err(too_large)?;
                meta.public_disclosure = match flag.trim() {
                    "true" | "1" | "on" => true,
                    "false" | "0" | "" => false,
                    other => {
                        return Err(Error::invalid(
                            "public_disclosure",
                            format!("“{other}”无效，应为 true 或 false"),
                        ));
                    }
                };
                continue;
            }
            Some("file") => {}
            _ => continue,
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut upload = Upload::start(
            &state.settings.data.dir,
            state.settings.filings.max_upload_bytes,
        )
        .await?;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => upload.write(&chunk).await?,
                Ok(None) => break,
                Err(e) => {
                    upload.discard().await;
                    return Err(too_large(e));
                }
            }
        }
        let view = documents::store(
            &state.db,
            &state.settings.data.dir,
            &user.actor,
            id,
            &name,
            meta,
            upload,
        )
        .await?;
        return Ok((StatusCode::CREATED, Json(view)));
    }
    Err(Error::invalid("file", "缺少名为 file 的上传文件"))
}

/// The filing's documents; withdrawn ones only with `include_withdrawn=true`.
#[utoipa::path(get, path = "/api/v1/filings/{id}/documents", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path), DocumentQuery),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = ErrorBody)))]
async fn list_documents(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiQuery(query): ApiQuery<DocumentQuery>,
) -> Result<Json<Vec<DocumentView>>> {
    Ok(Json(
        documents::list(
            &state.db,
            &user.actor,
            id,
            query.include_withdrawn.unwrap_or(false),
        )
        .await?,
    ))
}

/// Withdraw a document before the filing is accepted (the owner who uploaded it, or an
/// officer); it stays on record, marked withdrawn. 409 after acceptance.
#[utoipa::path(post, path = "/api/v1/documents/{id}/withdraw", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = WithdrawDocument,
    responses((status = 200, body = DocumentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn withdraw_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<WithdrawDocument>,
) -> Result<Json<DocumentView>> {
    Ok(Json(
        documents::withdraw(&state.db, &user.actor, id, input).await?,
    ))
}

/// Download a document; its SHA-256 is in the `x-content-sha256` header.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "filings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiId(id): ApiId,
) -> Result<Response> {
    let (doc, file) =
        documents::content(&state.db, &state.settings.data.dir, &user.actor, id).await?;
    file_response(doc, file)
}

/// A stored document as a download: its stored type, `Content-Disposition: attachment` with the
/// name in UTF-8 (RFC 6266 `filename*`), its length and SHA-256, the bytes streamed from disk.
pub(crate) fn file_response(doc: DocumentView, file: tokio::fs::File) -> Result<Response> {
    let encoded: String = doc
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Response::builder()
        .header(header::CONTENT_TYPE, doc.content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename*=UTF-8''{encoded}"),
        )
        .header(header::CONTENT_LENGTH, doc.size.max(0))
        .header("x-content-sha256", doc.sha256)
        .body(Body::from_stream(tokio_util::io::ReaderStream::new(file)))
        .map_err(|e| Error::Internal(anyhow::anyhow!(e)))
}
