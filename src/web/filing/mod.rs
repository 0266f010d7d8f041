//! One filing (`/filings/{id}`): its timeline, both clocks, stops, documents, notices and the
//! forms for the actions its state allows; and a new filing for a project
//! (`/projects/{id}/filings/new`). Every form posts, then 303s back to the filing with a flash;
//! a form the service finds wrong comes back as the page with status 422, the values typed and
//! the problem beside each field; a 409 (someone acted first, the notice period runs) comes
//! back as the fresh page with the reason in the flash.
mod forms;
mod new;
mod view;

use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use chrono::NaiveDate;

use self::forms::{Failed, Kept};
use self::view::Loaded;
use super::page::{Problems, WebError, WebResult, redirect_with, render_with};
use super::session::{FormPairs, WebUser, check_csrf, check_origin};
use crate::domain::FieldError;
use crate::domain::filing::{
    Action, CorrectionBasis, DisapprovalGround, HearingStatus, Material, StopReason,
};
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::documents::{self, DocumentMeta, Upload, WithdrawDocument};
use crate::services::filings::{
    self, ActionRequest, CloseHearing, CloseStop, NewClockStop, NewHearingRequest, VoidRequest,
    VoidStep,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/filings/{id}", get(show))
        .route("/filings/{id}/actions", post(act))
        .route("/filings/{id}/claim", post(claim))
        .route("/filings/{id}/stops", post(add_stop))
        .route("/filings/{id}/stops/{sub}/close", post(close_stop))
        .route("/filings/{id}/stops/{sub}/void", post(void_stop))
        .route("/filings/{id}/hearings", post(request_hearing))
        .route("/filings/{id}/hearings/{sub}/close", post(close_hearing))
        .route("/filings/{id}/void-step", post(void_step))
        .route("/filings/{id}/materials/{sub}", get(download))
        .route(
            "/filings/{id}/materials/{sub}/withdraw",
            post(withdraw_document),
        )
        .merge(
            // Uploads are limited by `filings.max_upload_bytes` as they stream (`Upload`).
            Router::new()
                .route("/filings/{id}/materials", post(upload))
                .route("/filings/{id}/resubmit", post(resubmit))
                .route(
                    "/projects/{id}/filings/new",
                    get(new::page).post(new::create),
                )
                .layer(DefaultBodyLimit::disable()),
        )
}

/// A numeric id from the path; anything else is the 404 page.
pub(super) fn id_of(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| WebError::Page(Error::NotFound("页面不存在".into())))
}

fn filing_path(id: i64) -> String {
    format!("/filings/{id}")
}

async fn show(State(state): State<AppState>, user: WebUser, Path(raw): Path<String>) -> WebResult {
    let id = id_of(&raw)?;
    draw(&state, &user, id, None).await
}

/// The page, 200, or 422 with the form that failed.
async fn draw(state: &AppState, user: &WebUser, id: i64, failed: Option<Failed>) -> WebResult {
    let loaded = Loaded::load(state, user, id).await?;
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        view::page(&state.settings, user, &loaded, failed.as_ref()),
    )
}

/// What a form's outcome becomes: 303 with a flash, the page again with 422, or an error page.
async fn finish(
    state: &AppState,
    user: &WebUser,
    id: i64,
    key: &str,
    kept: Kept,
    outcome: Result<String, Error>,
) -> WebResult {
    match outcome {
        Ok(message) => Ok(redirect_with(&filing_path(id), "ok", &message)),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            let problems = Problems::of(&err);
            draw(
                state,
                user,
                id,
                Some(Failed {
                    key: key.to_owned(),
                    kept,
                    problems,
                }),
            )
            .await
        }
        Err(Error::Conflict { code, message, .. }) => {
            let text = match code {
                ErrorCode::StaleVersion => {
                    "该申报已被他人办理或修改，页面已更新为最新内容，请核对后重试".to_owned()
                }
                ErrorCode::NoticePeriod => format!("不能作出审批决定：{message}"),
                _ => message,
            };
            Ok(redirect_with(&filing_path(id), "error", &text))
        }
        Err(other) => Err(other.into()),
    }
}

fn trimmed(pairs: &FormPairs, name: &str) -> Option<String> {
    pairs
        .get(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn version_of(pairs: &FormPairs) -> Result<i32, Error> {
    pairs
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| Error::malformed("表单缺少版本号，请刷新页面后重试"))
}

fn date_field(pairs: &FormPairs, name: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = trimmed(pairs, name)?;
    match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(name, "日期格式应为 YYYY-MM-DD"));
            None
        }
    }
}

/// The action a form names, read into the service's request. The correction list comes as
/// rows (`item`, `note`, `basis`); blank rows are left out, and problems the service names by
/// position in the list (`missing_items[2]`) go back to the row they came from (`row[4]`).
struct Read {
    req: ActionRequest,
    rows: Vec<usize>,
}

fn read_action(pairs: &FormPairs) -> Result<Read, Error> {
    let mut errors = Vec::new();
    let action: Action = pairs
        .get("action")
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| Error::malformed("表单缺少办理事项，请刷新页面后重试"))?;
    let version = version_of(pairs)?;
    let effective_on = date_field(pairs, "effective_on", &mut errors);
    let mut missing_items = Vec::new();
    let mut basis = Vec::new();
    let mut rows = Vec::new();
    if action == Action::RequestCorrection {
        let items = pairs.all("item");
        let notes = pairs.all("note");
        let bases = pairs.all("basis");
        for (i, item) in items.iter().enumerate() {
            let item = item.trim();
            let note = notes.get(i).map(|n| n.trim()).unwrap_or("");
            if item.is_empty() && note.is_empty() {
                continue;
            }
            if item.is_empty() {
                errors.push(FieldError::new(
                    format!("row[{i}]"),
                    "请填写需补正的材料或事项",
                ));
                continue;
            }
            missing_items.push(if note.is_empty() {
                item.to_owned()
            } else {
                format!("{item}：{note}")
            });
            rows.push(i);
            if let Some(b) = bases.get(i).map(|b| b.trim()).filter(|b| !b.is_empty()) {
                match b.parse::<CorrectionBasis>() {
                    Ok(b) => basis.push(b),
                    Err(_) => errors.push(FieldError::new(format!("row[{i}]"), "请选择补正依据")),
                }
            }
        }
    }
    let mut grounds = Vec::new();
    for g in pairs.all("grounds") {
        match g.parse::<DisapprovalGround>() {
            Ok(g) => grounds.push(g),
            Err(_) => errors.push(FieldError::new("grounds", "不予批准情形无效")),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let req = ActionRequest {
        action,
        version,
        effective_on,
        reason: trimmed(pairs, "reason"),
        missing_items,
        answers: pairs.all("answer").into_iter().map(str::to_owned).collect(),
        grounds,
        decision_text: trimmed(pairs, "decision_text").filter(|_| action == Action::Approve),
        evaluator: trimmed(pairs, "evaluator").filter(|_| action == Action::StartEvaluation),
        on_behalf_of_owner: pairs.get("on_behalf") == Some("1"),
        number: trimmed(pairs, "number"),
        basis,
        materials_waived: trimmed(pairs, "materials_waived"),
        source: None,
    };
    Ok(Read { req, rows })
}

/// Field names of the service's problems, as the form names them.
fn to_form_fields(err: Error, rows: &[usize]) -> Error {
    let rename = |f: FieldError| -> FieldError {
        if let Some(i) = f
            .field
            .strip_prefix("missing_items[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
        {
            let row = rows.get(i).copied().unwrap_or(i);
            return FieldError::new(format!("row[{row}]"), f.message);
        }
        if f.field.starts_with("documents.") {
            return FieldError::new("documents", f.message);
        }
        f
    };
    match err {
        Error::Invalid(fields) => Error::Invalid(fields.into_iter().map(rename).collect()),
        other => other,
    }
}

fn done_message(action: Action, view: &filings::FilingView) -> String {
    match action {
        Action::Approve => format!(
            "已批复，批复文号：{}",
            view.decision_no.clone().unwrap_or_default()
        ),
        Action::Disapprove => format!(
            "已作出不予批准决定，文号：{}",
            view.decision_no.clone().unwrap_or_default()
        ),
        Action::Register => format!(
            "已备案，备案号：{}",
            view.receipt_no.clone().unwrap_or_default()
        ),
        Action::Submit => "申报已提交".into(),
        other => format!("已{}，当前状态：{}", other.label(), view.state_label),
    }
}

async fn act(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    pairs: FormPairs,
) -> WebResult {
    let id = id_of(&raw)?;
    let key = pairs.get("_form").unwrap_or_default().to_owned();
    let kept = Kept(pairs.0.clone());
    let outcome = async {
        let Read { req, rows } = read_action(&pairs)?;
        let action = req.action;
        filings::act(&state.db, &state.settings, &user.actor, id, req)
            .await
            .map(|v| done_message(action, &v))
            .map_err(|e| to_form_fields(e, &rows))
    }
    .await;
    finish(&state, &user, id, &key, kept, outcome).await
}

async fn claim(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    pairs: FormPairs,
) -> WebResult {
    let id = id_of(&raw)?;
    let outcome = filings::claim(&state.db, &state.settings, &user.actor, id)
        .await
        .map(|_| "已认领，由您承办".to_owned());
    finish(&state, &user, id, "claim", Kept(pairs.0), outcome).await
}

async fn add_stop(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    pairs: FormPairs,
) -> WebResult {
    let id = id_of(&raw)?;
    let outcome = async {
        let mut errors = Vec::new();
        let reason = pairs
            .get("reason")
            .and_then(|r| r.parse::<StopReason>().ok());
        if reason.is_none() {
            errors.push(FieldError::new("reason", "请选择暂停原因"));
        }
        let from = date_field(&pairs, "from", &mut errors);
        if from.is_none() && !errors.iter().any(|e| e.field == "from") {
            errors.push(FieldError::new("from", "请填写开始日期"));
        }
        let to = date_field(&pairs, "to", &mut errors);
        let (Some(reason), Some(from), true) = (reason, from, errors.is_empty()) else {
            return Err(Error::Invalid(errors));
        };
        let stop = NewClockStop {
            reason,
            from,
            to,
            note: trimmed(&pairs, "note"),
        };
        filings::add_stop(&state.db, &state.settings, &user.actor, id, stop)
            .await
            .map(|_| format!("已登记{}暂停计时", reason.label()))
    }
    .await;
    finish(
        &state,
        &user,
        id,
        "stop-new",
        Kept(pairs.0.clone()),
        outcome,
    )
    .await
}

async fn close_stop(
    State(state): State<AppState>,
    user: WebUser,
    Path((raw, sub)): Path<(String, String)>,
    pairs: FormPairs,
) -> WebResult {
    let (id, stop_id) = (id_of(&raw)?, id_of(&sub)?);
    let outcome = async {
        let mut errors = Vec::new();
        let version = version_of(&pairs)?;
        let to = date_field(&pairs, "to", &mut errors);
        let Some(to) = to else {
            if errors.is_empty() {
                errors.push(FieldError::new("to", "请填写暂停的最后一日"));
            }
            return Err(Error::Invalid(errors));
        };
        filings::close_stop(
            &state.db,
            &state.settings,
            &user.actor,
            id,
            stop_id,
            CloseStop { version, to },
        )
        .await
        .map(|_| "已恢复计时".to_owned())
    }
    .await;
    let key = format!("stop-close-{stop_id}");
    finish(&state, &user, id, &key, Kept(pairs.0.clone()), outcome).await
}

async fn void_stop(
    State(state): State<AppState>,
    user: WebUser,
    Path((raw, sub)): Path<(String, String)>,
    pairs: FormPairs,
) -> WebResult {
    let (id, stop_id) = (id_of(&raw)?, id_of(&sub)?);
    let outcome = async {
        let version = version_of(&pairs)?;
        let reason = pairs.get("reason").unwrap_or_default().to_owned();
        filings::void_stop(
            &state.db,
            &state.settings,
            &user.actor,
            id,
            stop_id,
            VoidRequest { version, reason },
        )
        .await
        .map(|_| "暂停计时记录已作废".to_owned())
    }
    .await;
    let key = format!("stop-void-{stop_id}");
    finish(&state, &user, id, &key, Kept(pairs.0.clone()), outcome).await
}

async fn request_hearing(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    pairs: FormPairs,
) -> WebResult {
    let id = id_of(&raw)?;
    let outcome = async {
        let mut errors = Vec::new();
        let requested_on = date_field(&pairs, "requested_on", &mut errors);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let req = NewHearingRequest {
            party: pairs.get("party").and_then(|p| p.parse().ok()),
            requester: trimmed(&pairs, "requester"),
            requested_on,
            note: trimmed(&pairs, "note"),
        };
        filings::request_hearing(&state.db, &state.settings, &user.actor, id, req)
            .await
            .map(|_| "已登记听证申请；听证办结前不作出审批决定".to_owned())
    }
    .await;
    finish(
        &state,
        &user,
        id,
        "hearing-new",
        Kept(pairs.0.clone()),
        outcome,
    )
    .await
}

async fn close_hearing(
    State(state): State<AppState>,
    user: WebUser,
    Path((raw, sub)): Path<(String, String)>,
    pairs: FormPairs,
) -> WebResult {
    let (id, hearing_id) = (id_of(&raw)?, id_of(&sub)?);
    let outcome = async {
        let mut errors = Vec::new();
        let version = version_of(&pairs)?;
        let status = pairs
            .get("status")
            .and_then(|s| s.parse::<HearingStatus>().ok());
        if status.is_none() {
            errors.push(FieldError::new("status", "请选择结果"));
        }
        let closed_on = date_field(&pairs, "closed_on", &mut errors);
        if closed_on.is_none() && !errors.iter().any(|e| e.field == "closed_on") {
            errors.push(FieldError::new("closed_on", "请填写日期"));
        }
        let (Some(status), Some(closed_on), true) = (status, closed_on, errors.is_empty()) else {
            return Err(Error::Invalid(errors));
        };
        let req = CloseHearing {
            version,
            status,
            closed_on,
            outcome: pairs.get("outcome").unwrap_or_default().to_owned(),
        };
        filings::close_hearing(&state.db, &state.settings, &user.actor, id, hearing_id, req)
            .await
            .map(|_| format!("听证申请已办结（{}）", status.label()))
    }
    .await;
    let key = format!("hearing-close-{hearing_id}");
    finish(&state, &user, id, &key, Kept(pairs.0.clone()), outcome).await
}

async fn void_step(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    pairs: FormPairs,
) -> WebResult {
    let id = id_of(&raw)?;
    let outcome = async {
        let version = version_of(&pairs)?;
        let event_id = pairs
            .get("event_id")
            .and_then(|e| e.parse().ok())
            .ok_or_else(|| Error::malformed("表单缺少要作废的环节，请刷新页面后重试"))?;
        let req = VoidStep {
            version,
            event_id,
            reason: pairs.get("reason").unwrap_or_default().to_owned(),
        };
        filings::void_step(&state.db, &state.settings, &user.actor, id, req)
            .await
            .map(|v| format!("该环节已作废，当前状态：{}", v.state_label))
    }
    .await;
    finish(
        &state,
        &user,
        id,
        "void-step",
        Kept(pairs.0.clone()),
        outcome,
    )
    .await
}

async fn withdraw_document(
    State(state): State<AppState>,
    user: WebUser,
    Path((raw, sub)): Path<(String, String)>,
    pairs: FormPairs,
) -> WebResult {
    let (id, doc_id) = (id_of(&raw)?, id_of(&sub)?);
    let outcome = async {
        // The document must be this filing's: another filing's id is the 404 it would be.
        let docs = documents::list(&state.db, &user.actor, id, false).await?;
        if !docs.iter().any(|d| d.id == doc_id) {
            return Err(Error::not_found("文件"));
        }
        documents::withdraw(
            &state.db,
            &user.actor,
            doc_id,
            WithdrawDocument {
                reason: trimmed(&pairs, "reason"),
            },
        )
        .await
        .map(|d| format!("文件“{}”已撤回", d.file_name))
    }
    .await;
    let key = format!("doc-withdraw-{doc_id}");
    finish(&state, &user, id, &key, Kept(pairs.0.clone()), outcome).await
}

async fn download(
    State(state): State<AppState>,
    user: WebUser,
    Path((raw, sub)): Path<(String, String)>,
) -> WebResult {
    let (id, doc_id) = (id_of(&raw)?, id_of(&sub)?);
    let (doc, file) =
        documents::content(&state.db, &state.settings.data.dir, &user.actor, doc_id).await?;
    if doc.filing_id != id {
        return Err(Error::not_found("文件").into());
    }
    let mut response = crate::http::filings::file_response(doc, file)?;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Multipart forms: uploads, the answer to a correction request, a new filing
// ---------------------------------------------------------------------------------------------

/// A file a form carried, streamed to a temporary file as it arrived.
pub(super) struct FilePart {
    pub field: String,
    pub file_name: String,
    pub upload: Upload,
}

/// A multipart form read whole: its text fields and its files (empty file inputs left out),
/// its origin and `_csrf` checked. On any failure the files already read are discarded.
pub(super) struct MultiForm {
    pub pairs: FormPairs,
    pub files: Vec<FilePart>,
}

impl MultiForm {
    pub async fn read(
        state: &AppState,
        headers: &HeaderMap,
        multipart: Result<Multipart, MultipartRejection>,
    ) -> Result<MultiForm, WebError> {
        check_origin(headers, state)?;
        let mut multipart = multipart
            .map_err(|_| WebError::Page(Error::malformed("表单应以 multipart/form-data 提交")))?;
        let mut pairs = Vec::new();
        let mut files: Vec<FilePart> = Vec::new();
        let failed = |files: Vec<FilePart>, err: Error| async move {
            for f in files {
                f.upload.discard().await;
            }
            WebError::Page(err)
        };
        let broken = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge("文件超过上传上限".into())
            } else {
                Error::malformed("无法读取上传内容（表单不完整或已损坏）")
            }
        };
        loop {
            let next = match multipart.next_field().await {
                Ok(next) => next,
                Err(e) => return Err(failed(files, broken(e)).await),
            };
            let Some(mut field) = next else { break };
            let name = field.name().unwrap_or_default().to_owned();
            let Some(file_name) = field.file_name().map(str::to_owned) else {
                match field.text().await {
                    Ok(text) => pairs.push((name, text)),
                    Err(e) => return Err(failed(files, broken(e)).await),
                }
                continue;
            };
            let mut upload = match Upload::start(
                &state.settings.data.dir,
                state.settings.filings.max_upload_bytes,
            )
            .await
            {
                Ok(u) => u,
                Err(e) => return Err(failed(files, e).await),
            };
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        if let Err(e) = upload.write(&chunk).await {
                            upload.discard().await;
                            return Err(failed(files, e).await);
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        upload.discard().await;
                        return Err(failed(files, broken(e)).await);
                    }
                }
            }
            if file_name.trim().is_empty() {
                // An empty file input.
                upload.discard().await;
                continue;
            }
            files.push(FilePart {
                field: name,
                file_name,
                upload,
            });
        }
        let token = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.clone());
        if let Err(e) = check_csrf(headers, token.as_deref()) {
            for f in files {
                f.upload.discard().await;
            }
            return Err(e);
        }
        Ok(MultiForm {
            pairs: FormPairs(pairs.into_iter().filter(|(k, _)| k != "_csrf").collect()),
            files,
        })
    }

    /// Discards the files not stored.
    pub async fn discard(files: Vec<FilePart>) {
        for f in files {
            f.upload.discard().await;
        }
    }
}

/// Stores the files of a form as the filing's documents, each marked with the material its
/// field names (`material_of`); stops at the first the service refuses, naming the file.
pub(super) async fn store_files(
    state: &AppState,
    user: &WebUser,
    filing_id: i64,
    files: Vec<FilePart>,
    material_of: impl Fn(&str) -> Option<Material>,
) -> Result<usize, Error> {
    let mut stored = 0;
    let mut rest = files.into_iter();
    while let Some(f) = rest.next() {
        let meta = DocumentMeta {
            material: material_of(&f.field),
            public_disclosure: false,
        };
        let result = documents::store(
            &state.db,
            &state.settings.data.dir,
            &user.actor,
            filing_id,
            &f.file_name,
            meta,
            f.upload,
        )
        .await;
        if let Err(e) = result {
            MultiForm::discard(rest.collect()).await;
            let field = f.field.clone();
            return Err(match e {
                Error::Invalid(fields) => Error::Invalid(
                    fields
                        .into_iter()
                        .map(|x| {
                            FieldError::new(
                                if x.field == "file" {
                                    field.clone()
                                } else {
                                    x.field
                                },
                                format!("“{}”：{}", f.file_name, x.message),
                            )
                        })
                        .collect(),
                ),
                other => other,
            });
        }
        stored += 1;
    }
    Ok(stored)
}

async fn upload(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    let id = id_of(&raw)?;
    let form = MultiForm::read(&state, &headers, multipart).await?;
    let kept = Kept(form.pairs.0.clone());
    let outcome = async {
        let material = match form.pairs.get("material").map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(
                code.parse::<Material>()
                    .map_err(|_| Error::invalid("material", "请选择材料类别"))?,
            ),
        };
        if form.files.is_empty() {
            return Err(Error::invalid("file", "请选择要上传的文件"));
        }
        let n = store_files(&state, &user, id, form.files, |_| material).await?;
        Ok(format!("已上传{n}个文件"))
    }
    .await;
    finish(&state, &user, id, "upload", kept, outcome).await
}

/// The owner answers a correction request: an answer per item and the files that go with it,
/// then the resubmission, in that order (the files stay on the filing if the answer is sent
/// back).
async fn resubmit(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    let id = id_of(&raw)?;
    let form = MultiForm::read(&state, &headers, multipart).await?;
    let pairs = form.pairs;
    let key = pairs.get("_form").unwrap_or("act-resubmit").to_owned();
    let kept = Kept(pairs.0.clone());
    let outcome = async {
        let version = version_of(&pairs)?;
        let answers: Vec<String> = pairs.all("answer").into_iter().map(str::to_owned).collect();
        let blank: Vec<FieldError> = answers
            .iter()
            .enumerate()
            .filter(|(_, a)| a.trim().is_empty())
            .map(|(i, _)| FieldError::new(format!("answer[{i}]"), "请说明该项的补正情况"))
            .collect();
        if !blank.is_empty() {
            MultiForm::discard(form.files).await;
            return Err(Error::Invalid(blank));
        }
        let materials: Vec<(String, Option<Material>)> = pairs
            .0
            .iter()
            .filter(|(k, _)| k.starts_with("material_"))
            .map(|(k, v)| (k.replacen("material_", "file_", 1), v.parse().ok()))
            .collect();
        let material_of = |field: &str| {
            materials
                .iter()
                .find(|(f, _)| f == field)
                .and_then(|(_, m)| *m)
        };
        store_files(&state, &user, id, form.files, material_of)
            .await
            .map_err(|e| match e {
                Error::Invalid(fields) => Error::Invalid(
                    fields
                        .into_iter()
                        .map(|f| match f.field.strip_prefix("file_") {
                            Some(n) => FieldError::new(format!("answer[{n}]"), f.message),
                            None => f,
                        })
                        .collect(),
                ),
                other => other,
            })?;
        let req = ActionRequest {
            action: Action::Resubmit,
            version,
            effective_on: None,
            reason: None,
            missing_items: Vec::new(),
            answers,
            grounds: Vec::new(),
            decision_text: None,
            evaluator: None,
            on_behalf_of_owner: false,
            number: None,
            basis: Vec::new(),
            materials_waived: None,
            source: None,
        };
        filings::act(&state.db, &state.settings, &user.actor, id, req)
            .await
            .map(|v| format!("补正材料已提交，当前状态：{}", v.state_label))
            .map_err(|e| to_form_fields(e, &[]))
    }
    .await;
    finish(&state, &user, id, &key, kept, outcome).await
}
