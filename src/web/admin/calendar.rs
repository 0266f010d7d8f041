//! `/admin/calendar`: the years the working-day calendar holds, and loading a year's schedule
//! (a holiday-cn JSON file, uploaded or pasted) — previewed first, stored only when confirmed.
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use chrono::Datelike;
use serde::Deserialize;

use super::{admin_only, local_time};
use crate::error::Error;
use crate::http::AppState;
use crate::services::{self, admin_queries, calendar};
use crate::web::page::{Chrome, Problems, WebError, WebResult, redirect_with, render, render_with};
use crate::web::session::{WebForm, WebUser, check_csrf, check_origin};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/calendar", get(page).post(store))
        .route("/admin/calendar/preview", post(preview))
}

struct Year {
    year: i32,
    papers: Vec<String>,
    days: usize,
    loaded_at: String,
    loaded_by: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    years: Vec<Year>,
    next_year: i32,
    next_year_missing: bool,
    year: String,
    source: String,
    problems: Problems,
}

async fn calendar_page(
    state: &AppState,
    user: &WebUser,
    year: String,
    source: String,
    problems: Problems,
) -> Result<CalendarPage, WebError> {
    let everyone = admin_queries::all_users(&state.db, &user.actor).await?;
    let held = calendar::list(&state.db).await?;
    let next_year = services::today().year() + 1;
    let next_year_missing = !held.iter().any(|s| s.year == next_year);
    let years = held
        .into_iter()
        .rev()
        .map(|s| Year {
            year: s.year,
            papers: s.papers,
            days: s.days,
            loaded_at: local_time(s.loaded_at),
            loaded_by: match s.loaded_by {
                Some(id) => everyone
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_else(|| format!("用户{id}")),
                None => "随程序发布".to_owned(),
            },
        })
        .collect();
    let year = if year.is_empty() && next_year_missing {
        next_year.to_string()
    } else {
        year
    };
    Ok(CalendarPage {
        chrome: user.chrome("节假日安排"),
        years,
        next_year,
        next_year_missing,
        year,
        source,
        problems,
    })
}

async fn page(State(state): State<AppState>, user: WebUser) -> WebResult {
    admin_only(&user)?;
    let page = calendar_page(
        &state,
        &user,
        String::new(),
        String::new(),
        Problems::default(),
    )
    .await?;
    render(page)
}

struct Moved {
    filing_id: i64,
    project_name: String,
    clock: &'static str,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "admin/calendar_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    year: i32,
    days: usize,
    replaces: bool,
    moved: Vec<Moved>,
    source: String,
}

fn due(date: Option<chrono::NaiveDate>, estimated: bool) -> String {
    match date {
        Some(d) if estimated => format!("{d}（估算）"),
        Some(d) => d.to_string(),
        None => "—".to_owned(),
    }
}

/// The year asked for: the field, or, left empty, the year the document names.
fn year_of(field: &str, source: &str) -> Result<i32, Error> {
    let field = field.trim();
    if !field.is_empty() {
        return field
            .parse()
            .map_err(|_| Error::invalid("year", "年份应为四位数字，如 2027"));
    }
    serde_json::from_str::<serde_json::Value>(source)
        .ok()
        .and_then(|v| v.get("year").and_then(|y| y.as_i64()))
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| Error::invalid("year", "请填写年份"))
}

/// `POST /admin/calendar/preview` (multipart: `year`, and the schedule as the file `file` or
/// the text `source`): what loading it would do, and a button that stores it.
async fn preview(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    check_origin(&headers, &state)?;
    let mut multipart = multipart
        .map_err(|e| WebError::Page(Error::malformed(format!("表单内容无法读取：{e}"))))?;
    let mut csrf = None;
    let mut year = String::new();
    let mut pasted = String::new();
    let mut file = String::new();
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        Error::malformed(format!("上传的内容无法读取：{e}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(unreadable)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "_csrf" => csrf = Some(text),
            "year" => year = text,
            "source" => pasted = text,
            "file" => file = text,
            _ => {}
        }
    }
    check_csrf(&headers, csrf.as_deref())?;
    admin_only(&user)?;
    let source = if file.trim().is_empty() { pasted } else { file };
    let source = source.trim().to_owned();
    let outcome = async {
        if source.is_empty() {
            return Err(Error::invalid(
                "schedule",
                "请选择节假日安排文件，或把文件内容粘贴到文本框中",
            ));
        }
        let y = year_of(&year, &source)?;
        calendar::preview(&state.db, &state.settings, &user.actor, y, &source).await
    }
    .await;
    match outcome {
        Ok(p) => render(PreviewPage {
            chrome: user.chrome(format!("载入{}年节假日安排", p.year)),
            year: p.year,
            days: p.days,
            replaces: p.replaces,
            moved: p
                .moved
                .into_iter()
                .map(|m| Moved {
                    filing_id: m.filing_id,
                    project_name: m.project_name,
                    clock: if m.clock == "decision" {
                        "审批时限"
                    } else {
                        "受理时限"
                    },
                    before: due(m.due_before, m.estimated_before),
                    after: due(m.due_after, m.estimated_after),
                })
                .collect(),
            source,
        }),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            let page = calendar_page(&state, &user, year, source, Problems::of(&err)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct StoreForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    source: String,
}

/// `POST /admin/calendar`: stores the previewed schedule; open deadlines follow at once.
async fn store(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<StoreForm>,
) -> WebResult {
    admin_only(&user)?;
    let outcome = async {
        let y = year_of(&form.year, &form.source)?;
        calendar::store(&state.db, &user.actor, y, form.source.trim()).await
    }
    .await;
    match outcome {
        Ok(view) => Ok(redirect_with(
            "/admin/calendar",
            "ok",
            &format!(
                "已载入{}年节假日安排（{}天），未办结申报的时限已按新安排计算",
                view.year, view.days
            ),
        )),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            let page =
                calendar_page(&state, &user, form.year, form.source, Problems::of(&err)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}
