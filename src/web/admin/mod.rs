//! Administrators: users, calendar years, policy exemption lists, assignment rules, the outbox,
//! the audit trail (`/admin/…`). Every page here is for the administrator role only; others get
//! the 403 page.
mod audit;
mod calendar;
mod lists;
mod outbox;
mod users;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Datelike;

use super::page::{Chrome, WebError, WebResult, render};
use super::session::WebUser;
use crate::domain::role::Role;
use crate::http::AppState;
use crate::services::{self, admin_queries};
use entity::notification::Status;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .merge(users::routes())
        .merge(calendar::routes())
        .merge(lists::routes())
        .merge(outbox::routes())
        .merge(audit::routes())
}

/// 403 unless the user is an administrator.
fn admin_only(user: &WebUser) -> Result<(), WebError> {
    user.require(&[Role::Admin])
}

pub use super::pager::Pager;

/// A query string's pairs (those with a value), for building links that keep a filter.
pub fn query_base(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            s.append_pair(k, v);
        }
    }
    let q = s.finish();
    if q.is_empty() {
        format!("{path}?")
    } else {
        format!("{path}?{q}&")
    }
}

/// A time as a person in Shangluo reads it: `2026-12-01 08:30`.
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&services::shanghai())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A choice in a `<select>`.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Choice {
        let value = value.into();
        Choice {
            selected: value == current,
            label: label.into(),
            value,
        }
    }
}

/// The Chinese word for a mail delivery state.
pub fn mail_status_label(status: Status) -> &'static str {
    match status {
        Status::Pending => "待发送",
        Status::Sending => "发送中",
        Status::Sent => "已发送",
        Status::Failed => "发送失败（已搁置）",
        Status::Skipped => "无邮箱（仅站内）",
    }
}

pub const MAIL_STATUSES: [Status; 5] = [
    Status::Failed,
    Status::Pending,
    Status::Sending,
    Status::Sent,
    Status::Skipped,
];

struct Section {
    href: &'static str,
    title: &'static str,
    about: &'static str,
}

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    chrome: Chrome,
    users: u64,
    active_users: u64,
    years: String,
    next_year: i32,
    next_year_missing: bool,
    parked: u64,
    pending: u64,
    sections: Vec<Section>,
}

/// `/admin`: counts and the way to each section.
async fn home(State(state): State<AppState>, user: WebUser) -> WebResult {
    admin_only(&user)?;
    let counts = admin_queries::counts(&state.db, &user.actor).await?;
    let held: Vec<i32> = services::calendar::list(&state.db)
        .await?
        .into_iter()
        .map(|s| s.year)
        .collect();
    let next_year = services::today().year() + 1;
    let years = match (held.first(), held.last()) {
        (Some(a), Some(b)) if a == b => format!("{a}年"),
        (Some(a), Some(b)) => format!("{a}–{b}年（共{}年）", held.len()),
        _ => "（无）".to_owned(),
    };
    render(HomePage {
        chrome: user.chrome("系统管理"),
        users: counts.users,
        active_users: counts.active_users,
        years,
        next_year,
        next_year_missing: !held.contains(&next_year),
        parked: counts.mail(Status::Failed),
        pending: counts.mail(Status::Pending),
        sections: vec![
            Section {
                href: "/admin/users",
                title: "用户管理",
                about: "新建账号，修改角色、联系方式和分管领导，停用或启用，重置密码",
            },
            Section {
                href: "/admin/calendar",
                title: "节假日安排",
                about: "载入国务院公布的年度节假日安排，法定时限按工作日计算",
            },
            Section {
                href: "/admin/exemptions",
                title: "政策豁免清单",
                about: "国家、省、市发布的豁免环评手续或告知承诺制的文件",
            },
            Section {
                href: "/admin/assignment-rules",
                title: "分办规则",
                about: "无服务单责任人的申报按县区和环评类别分给审批人员",
            },
            Section {
                href: "/admin/outbox",
                title: "邮件发送队列",
                about: "待发送、已发送和发送失败的邮件，重发已搁置的邮件",
            },
            Section {
                href: "/admin/audit",
                title: "审计日志",
                about: "按对象、操作人、动作和日期查询每一次修改",
            },
        ],
    })
}
