//! `/admin/outbox`: mail by delivery state, with recipient, subject, attempts and last error;
//! a parked (failed) message can be put back in the queue.
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{MAIL_STATUSES, Pager, admin_only, local_time, mail_status_label, query_base};
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::Code;
use crate::services::admin_queries;
use crate::services::notifications::{self, OutboxQuery};
use crate::web::page::{Chrome, WebResult, redirect_with, render};
use crate::web::session::{WebForm, WebUser};
use entity::notification::Status;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/outbox", get(page))
        .route("/admin/outbox/{id}/resend", post(resend))
}

const PER_PAGE: u64 = 50;

struct Tab {
    href: String,
    label: &'static str,
    count: u64,
    current: bool,
}

struct Row {
    id: i64,
    recipient: String,
    subject: String,
    template: String,
    attempts: i32,
    last_error: String,
    created_at: String,
    sent_at: String,
    failed: bool,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    status_label: &'static str,
    status: &'static str,
    rows: Vec<Row>,
    total: u64,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    status: Option<String>,
    page: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(query): Query<PageQuery>,
) -> WebResult {
    admin_only(&user)?;
    let status = query
        .status
        .as_deref()
        .and_then(Status::from_code)
        .unwrap_or(Status::Failed);
    let page_no = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u64)
        .max(1);
    let counts = admin_queries::counts(&state.db, &user.actor).await?;
    let page = notifications::outbox(
        &state.db,
        &user.actor,
        OutboxQuery {
            status: Some(Code::Known(status)),
            page: Some(page_no),
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let rows = page
        .items
        .into_iter()
        .map(|n| Row {
            id: n.id,
            recipient: n.email.unwrap_or_else(|| "（无邮箱）".into()),
            subject: n.subject,
            template: n.template,
            attempts: n.attempts,
            last_error: n.last_error.unwrap_or_default(),
            created_at: local_time(n.created_at),
            sent_at: n.sent_at.map(local_time).unwrap_or_default(),
            failed: n.status == "failed",
        })
        .collect();
    let base = query_base("/admin/outbox", &[("status", Some(status.as_str()))]);
    render(OutboxPage {
        chrome: user.chrome("邮件发送队列"),
        tabs: MAIL_STATUSES
            .iter()
            .map(|s| Tab {
                href: format!("/admin/outbox?status={}", s.as_str()),
                label: mail_status_label(*s),
                count: counts.mail(*s),
                current: *s == status,
            })
            .collect(),
        status_label: mail_status_label(status),
        status: status.as_str(),
        rows,
        total: page.total,
        pager: Pager::new(&base, page.page, page.per_page, page.total),
    })
}

#[derive(Deserialize)]
struct Empty {}

async fn resend(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(_): WebForm<Empty>,
) -> WebResult {
    admin_only(&user)?;
    match notifications::resend(&state.db, &user.actor, id).await {
        Ok(n) => Ok(redirect_with(
            "/admin/outbox?status=failed",
            "ok",
            &format!("已将邮件“{}”重新放入发送队列", n.subject),
        )),
        Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message,
            ..
        }) => Ok(redirect_with(
            "/admin/outbox?status=failed",
            "error",
            &message,
        )),
        Err(other) => Err(other.into()),
    }
}
