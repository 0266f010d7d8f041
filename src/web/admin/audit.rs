//! `/admin/audit`: the whole audit trail, searched by record, person, action and date range,
//! newest first, a page at a time; each row the time, who, what, and each field before → after.
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;

use super::{Choice, Pager, admin_only, local_time, query_base};
use crate::error::Error;
use crate::http::AppState;
use crate::services::admin_queries::{self, AuditFilter};
use crate::web::page::{Chrome, Problems, WebResult, render};
use crate::web::session::WebUser;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(page))
}

const PER_PAGE: u64 = 50;

/// The records the trail names, with their Chinese names.
const ENTITIES: [(&str, &str); 13] = [
    ("project", "项目"),
    ("organization", "建设单位"),
    ("filing", "申报"),
    ("document", "申报材料"),
    ("classification", "分类"),
    ("service_sheet", "服务单"),
    ("user", "用户"),
    ("holiday_schedule", "节假日安排"),
    ("policy_exemption", "政策豁免文件"),
    ("assignment_rule", "分办规则"),
    ("notification", "邮件通知"),
    ("county", "县区"),
    ("monthly_report", "月度报告"),
];

fn entity_label(entity: &str) -> &str {
    ENTITIES
        .iter()
        .find(|(e, _)| *e == entity)
        .map_or(entity, |(_, l)| l)
}

fn action_label(action: &str) -> &str {
    match action {
        "create" => "新建",
        "update" => "修改",
        "delete" => "删除",
        "load" => "载入",
        "replace" => "替换",
        "reset_password" => "重置密码",
        "resend" => "重发",
        "remove" => "移除",
        "restore" => "恢复",
        other => other,
    }
}

/// A value of the trail as a person reads it.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "（空）".into(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::String(s) if s.is_empty() => "（空）".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

struct Change {
    label: String,
    old: String,
    new: String,
    created: bool,
}

struct Row {
    at: String,
    who: String,
    role: &'static str,
    entity: String,
    entity_id: i64,
    action: String,
    changes: Vec<Change>,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    chrome: Chrome,
    entities: Vec<Choice>,
    people: Vec<Choice>,
    entity_id: String,
    action: String,
    from: String,
    to: String,
    rows: Vec<Row>,
    total: u64,
    pager: Pager,
    problems: Problems,
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    user: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<AuditQuery>,
) -> WebResult {
    admin_only(&user)?;
    let mut problems = Vec::new();
    let mut number = |field: &str, v: &Option<String>| -> Option<i64> {
        let v = some(v)?;
        v.parse().ok().or_else(|| {
            problems.push(crate::domain::FieldError::new(field, "应为数字编号"));
            None
        })
    };
    let entity_id = number("entity_id", &q.entity_id);
    let actor_id = number("user", &q.user);
    let mut date = |field: &str, v: &Option<String>| -> Option<chrono::NaiveDate> {
        let v = some(v)?;
        v.parse().ok().or_else(|| {
            problems.push(crate::domain::FieldError::new(
                field,
                "日期格式应为 YYYY-MM-DD",
            ));
            None
        })
    };
    let from = date("from", &q.from);
    let to = date("to", &q.to);
    let page_no = some(&q.page)
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u64)
        .max(1);
    let result = if problems.is_empty() {
        admin_queries::audit(
            &state.db,
            &user.actor,
            AuditFilter {
                entity: some(&q.entity).map(str::to_owned),
                entity_id,
                actor_id,
                action: some(&q.action).map(str::to_owned),
                from,
                to,
                page: Some(page_no),
                per_page: Some(PER_PAGE),
            },
        )
        .await
    } else {
        Err(Error::Invalid(problems))
    };
    let (items, total, page, problems) = match result {
        Ok(p) => (p.items, p.total, p.page, Problems::default()),
        Err(err @ Error::Invalid(_)) => (Vec::new(), 0, 1, Problems::of(&err)),
        Err(other) => return Err(other.into()),
    };
    let rows = items
        .into_iter()
        .map(|item| Row {
            at: local_time(item.at),
            who: item.actor.name,
            role: item.actor.role.label(),
            entity: entity_label(&item.entity).to_owned(),
            entity_id: item.entity_id,
            action: action_label(&item.action).to_owned(),
            detail: if item.changes.is_empty() && !item.detail.is_null() {
                item.detail.to_string()
            } else {
                String::new()
            },
            changes: item
                .changes
                .into_iter()
                .map(|c| Change {
                    created: c.old.is_null(),
                    label: c.label,
                    old: shown(&c.old),
                    new: shown(&c.new),
                })
                .collect(),
        })
        .collect();
    let entity = some(&q.entity).unwrap_or_default();
    let mut entities = vec![Choice::new("", "全部", entity)];
    entities.extend(ENTITIES.iter().map(|(e, l)| Choice::new(*e, *l, entity)));
    let person = some(&q.user).unwrap_or_default();
    let mut people = vec![Choice::new("", "全部", person)];
    people.extend(
        admin_queries::all_users(&state.db, &user.actor)
            .await?
            .into_iter()
            .map(|u| {
                Choice::new(
                    u.id.to_string(),
                    format!("{}（{}）", u.display_name, u.username),
                    person,
                )
            }),
    );
    let base = query_base(
        "/admin/audit",
        &[
            ("entity", some(&q.entity)),
            ("entity_id", some(&q.entity_id)),
            ("user", some(&q.user)),
            ("action", some(&q.action)),
            ("from", some(&q.from)),
            ("to", some(&q.to)),
        ],
    );
    render(AuditPage {
        chrome: user.chrome("审计日志"),
        entities,
        people,
        entity_id: q.entity_id.clone().unwrap_or_default(),
        action: q.action.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        rows,
        total,
        pager: Pager::new(&base, page, PER_PAGE, total),
        problems,
    })
}
