//! The public register (`/public/notices`), without sign-in: every notice posted (受理公示,
//! 拟审批公示, 审批决定公告, 更正公告), current or ended, with its period and full text, and the
//! copies of EIA documents marked for disclosure; filtered by kind, by whether it is up, and by
//! words; a page at a time.
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;

use super::page::{Chrome, WebResult, render};
use super::pager::Pager;
use super::session::MaybeUser;
use crate::domain::publication::NoticeKind;
use crate::http::AppState;
use crate::services::{filings, today};

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/notices", get(register))
}

const PER_PAGE: usize = 20;

pub struct DocView {
    pub href: String,
    pub name: String,
    pub size: String,
}

pub struct NoticeRow {
    pub kind: &'static str,
    pub title: String,
    pub project: String,
    pub county: String,
    pub posted_on: String,
    pub period: String,
    pub current: bool,
    pub body: String,
    pub followed_by: Option<String>,
    pub estimate_note: Option<String>,
    pub documents: Vec<DocView>,
}

pub struct KindOption {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "public/index.html")]
struct RegisterPage {
    chrome: Chrome,
    rows: Vec<NoticeRow>,
    total: usize,
    pager: Pager,
    kinds: Vec<KindOption>,
    q: String,
    status: String,
}

#[derive(Deserialize, Default)]
struct RegisterQuery {
    kind: Option<String>,
    q: Option<String>,
    /// `current` (公示中) or `ended` (已结束).
    status: Option<String>,
    page: Option<usize>,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

async fn register(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<RegisterQuery>,
) -> WebResult {
    let chrome = match &user {
        Some(u) => u.chrome("公示公告"),
        None => Chrome::public("公示公告", &state.settings.bureau.name),
    };
    let kind = query
        .kind
        .as_deref()
        .and_then(|k| k.parse::<NoticeKind>().ok());
    let q = query
        .q
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let status = match query.status.as_deref() {
        Some(s @ ("current" | "ended")) => s.to_owned(),
        _ => String::new(),
    };
    let day = today();
    let all = filings::public_archive(&state.db, &state.settings).await?;
    let matching: Vec<_> = all
        .into_iter()
        .filter(|n| kind.is_none_or(|k| n.notice.kind == k))
        .filter(|n| match status.as_str() {
            "current" => n.notice.current(day),
            "ended" => !n.notice.current(day),
            _ => true,
        })
        .filter(|n| {
            q.is_empty()
                || n.project_name.contains(&q)
                || n.notice.title.contains(&q)
                || n.notice.body.contains(&q)
        })
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let rows = matching
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|n| {
            let first = n.notice.posted_on.succ_opt().unwrap_or(n.notice.posted_on);
            let estimated = if n.notice.estimated { "预计" } else { "" };
            NoticeRow {
                kind: n.notice.kind.label(),
                title: n.notice.title.clone(),
                project: n.project_name.clone(),
                county: n.county_name.clone(),
                posted_on: n.notice.posted_on.to_string(),
                period: format!(
                    "{first} 至 {estimated}{}（{}）",
                    n.notice.ends_on, n.notice.period
                ),
                current: n.notice.current(day),
                body: n.notice.body.clone(),
                followed_by: n.notice.followed_by.clone(),
                estimate_note: n.notice.estimate_note.clone(),
                documents: n
                    .public_documents
                    .iter()
                    .map(|d| DocView {
                        href: format!("/api/v1/public/documents/{}", d.id),
                        name: d.file_name.clone(),
                        size: size_text(d.size),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut filter_query = String::new();
    for (k, v) in [
        ("kind", kind.map(|k| k.as_str()).unwrap_or_default()),
        ("status", status.as_str()),
        ("q", q.as_str()),
    ] {
        if !v.is_empty() {
            filter_query.push_str(&format!("{k}={}&", super::page::urlencode(v)));
        }
    }
    render(RegisterPage {
        chrome,
        rows,
        total,
        pager: Pager::new(
            &format!("/public/notices?{filter_query}"),
            page as u64,
            PER_PAGE as u64,
            total as u64,
        ),
        kinds: NoticeKind::ALL
            .into_iter()
            .map(|k| KindOption {
                code: k.as_str(),
                label: k.label(),
                selected: Some(k) == kind,
            })
            .collect(),
        q,
        status,
    })
}
