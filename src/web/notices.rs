//! One's own notifications (`/notifications`): newest first, a page at a time, unread marked,
//! each linking to its page, and a form to mark one as read.
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use serde::Deserialize;

use super::page::{Chrome, WebResult, redirect_with, render};
use super::pager::Pager;
use super::session::{WebForm, WebUser};
use crate::http::AppState;
use crate::services::notifications::{self, NotificationQuery, NotificationView};
use crate::services::shanghai;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/{id}/read", post(mark_read))
}

const PER_PAGE: u64 = 20;

pub struct NoticeRow {
    pub id: i64,
    pub subject: String,
    pub body: String,
    pub at: String,
    pub unread: bool,
    /// The page it is about, as a path on this service.
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "notices/index.html")]
struct NoticesPage {
    chrome: Chrome,
    rows: Vec<NoticeRow>,
    total: u64,
    pager: Pager,
    unread_only: bool,
    /// The query to come back to after a form.
    back: String,
}

#[derive(Deserialize)]
struct ListQuery {
    page: Option<u64>,
    unread: Option<String>,
}

/// A notice's link as a path here: links are stored absolute under the public address, and a
/// link to any other site is not followed.
pub fn local_path(link: &str, public_url: &str) -> Option<String> {
    let base = public_url.trim_end_matches('/');
    let path = link.strip_prefix(base).unwrap_or(link);
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

fn row(n: NotificationView, public_url: &str) -> NoticeRow {
    NoticeRow {
        id: n.id,
        subject: n.subject,
        body: n.body,
        at: n
            .created_at
            .with_timezone(&shanghai())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        unread: n.read_at.is_none(),
        href: n.link.as_deref().and_then(|l| local_path(l, public_url)),
    }
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(query): Query<ListQuery>,
) -> WebResult {
    let page = query.page.unwrap_or(1).max(1);
    let unread_only = query
        .unread
        .as_deref()
        .is_some_and(|v| v == "1" || v == "true");
    let got = notifications::mine(
        &state.db,
        &user.actor,
        NotificationQuery {
            unread: unread_only.then_some(true),
            page: Some(page),
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let public_url = state.settings.server.public_url.clone();
    let mut back = format!("/notifications?page={page}");
    if unread_only {
        back.push_str("&unread=1");
    }
    render(NoticesPage {
        chrome: user.chrome("消息通知"),
        total: got.total,
        pager: Pager::new(
            if unread_only {
                "/notifications?unread=1&"
            } else {
                "/notifications?"
            },
            page,
            PER_PAGE,
            got.total,
        ),
        rows: got.items.into_iter().map(|n| row(n, &public_url)).collect(),
        unread_only,
        back,
    })
}

#[derive(Deserialize)]
struct ReadForm {
    back: Option<String>,
}

/// Marks one notice as read, back to the page it was on.
async fn mark_read(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ReadForm>,
) -> WebResult {
    notifications::mark_read(&state.db, &user.actor, id).await?;
    let back = form
        .back
        .filter(|b| b.starts_with("/notifications"))
        .unwrap_or_else(|| "/notifications".to_owned());
    Ok(redirect_with(&back, "ok", "已标记为已读"))
}
