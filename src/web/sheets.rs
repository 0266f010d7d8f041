//! Point-to-point service sheets (`/service-sheets`, `/service-sheets/{id}`): the items with
//! their promised and done dates and escalations (催办, 督办), forms for the responsible
//! officer to add and update items, for the owner to sign off, and for officers and
//! administrators to reassign the sheet.
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use super::ledger::{Opt, PER_PAGE, date, opts};
use super::page::{self, Chrome, Problems, WebResult};
use super::pager::Pager;
use super::session::{WebForm, WebUser};
use crate::domain::point_to_point::{ItemKind, ItemStatus};
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::service_sheets::{
    self, ItemPatch, NewItem, Reassign, SheetQuery, SheetView, SignOff,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/service-sheets", get(list))
        .route("/service-sheets/{id}", get(sheet_page))
        .route("/service-sheets/{id}/items", post(add_item))
        .route("/service-sheets/{id}/items/{item}", post(update_item))
        .route("/service-sheets/{id}/sign-off", post(sign_off))
        .route("/service-sheets/{id}/reassign", post(reassign))
}

struct SheetRow {
    id: i64,
    project_id: i64,
    project: String,
    officer: String,
    items: usize,
    open: usize,
    late: usize,
    escalated: bool,
    signed: bool,
}

#[derive(Template)]
#[template(path = "sheets/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<SheetRow>,
    total: u64,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    mine: String,
    page: String,
}

fn today() -> NaiveDate {
    crate::services::today()
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> WebResult {
    let form: ListQuery = serde_urlencoded::from_str(
        &form_urlencoded::Serializer::new(String::new())
            .extend_pairs(raw.iter())
            .finish(),
    )
    .unwrap_or_default();
    let page_no = form.page.trim().parse::<u64>().ok().filter(|p| *p >= 1);
    let page = service_sheets::list(
        &state.db,
        &user.actor,
        SheetQuery {
            officer_id: if form.mine == "true" {
                user.actor.id
            } else {
                None
            },
            page: Some(page_no.unwrap_or(1)),
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let today = today();
    let rows =
        page.items
            .iter()
            .map(|s| SheetRow {
                id: s.id,
                project_id: s.project_id,
                project: s.project_name.clone(),
                officer: s.officer_name.clone(),
                items: s.items.len(),
                open: s.items.iter().filter(|i| i.status.is_open()).count(),
                late: s
                    .items
                    .iter()
                    .filter(|i| i.status.is_open() && i.promised_on < today)
                    .count(),
                escalated: s.items.iter().any(|i| {
                    i.status.is_open() && (i.urged_on.is_some() || i.supervised_on.is_some())
                }),
                signed: s.signed_off_at.is_some(),
            })
            .collect();
    page::render(ListPage {
        chrome: user.chrome("点对点服务单"),
        rows,
        total: page.total,
        pager: Pager::keeping(
            "/service-sheets",
            &raw,
            page.page,
            page.per_page,
            page.total,
        ),
    })
}

struct ItemRow {
    id: i64,
    version: i32,
    kind: &'static str,
    description: String,
    promised_on: String,
    status: &'static str,
    status_class: &'static str,
    done_on: String,
    evidence: String,
    cancel_reason: String,
    urged_on: String,
    supervised_on: String,
    late: bool,
    statuses: Vec<Opt>,
}

struct HistoryRow {
    at: String,
    officer: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "sheets/sheet.html")]
struct SheetPage {
    chrome: Chrome,
    id: i64,
    version: i32,
    project_id: i64,
    project: String,
    officer: String,
    bureau_contact: String,
    owner_contact: String,
    signed_off: String,
    sign_off_note: String,
    items: Vec<ItemRow>,
    history: Vec<HistoryRow>,
    responsible: bool,
    keeper: bool,
    can_sign: bool,
    kinds: Vec<Opt>,
    assignees: Vec<Opt>,
    new_item: NewItemValues,
    problems: Problems,
}

#[derive(Debug, Default, Clone)]
struct NewItemValues {
    kind: String,
    description: String,
    promised_on: String,
}

fn contact(name: &Option<String>, phone: &Option<String>) -> String {
    match (name.as_deref(), phone.as_deref()) {
        (Some(n), Some(p)) => format!("{n}（{p}）"),
        (Some(n), None) => n.to_owned(),
        (None, Some(p)) => p.to_owned(),
        (None, None) => "—".to_owned(),
    }
}

fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

async fn draw(
    state: &AppState,
    user: &WebUser,
    s: SheetView,
    new_item: NewItemValues,
    problems: Problems,
    status: StatusCode,
) -> WebResult {
    let keeper = user.actor.role.keeps_ledger();
    let responsible = user.actor.role == Role::Admin
        || (user.actor.role == Role::Officer && user.actor.id == Some(s.officer_id));
    let everyone = if keeper {
        service_sheets::assignees(&state.db, &user.actor).await?
    } else {
        Vec::new()
    };
    let name_of = |officer: i64| {
        everyone
            .iter()
            .find(|a| a.id == officer)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| {
                if officer == s.officer_id {
                    s.officer_name.clone()
                } else {
                    format!("账号{officer}")
                }
            })
    };
    let assignees: Vec<Opt> = everyone
        .iter()
        .filter(|a| a.id != s.officer_id)
        .map(|a| Opt {
            value: a.id.to_string(),
            label: a.name.clone(),
            selected: false,
        })
        .collect();
    let today = today();
    let items = s
        .items
        .iter()
        .map(|i| ItemRow {
            id: i.id,
            version: i.version,
            kind: i.kind_label,
            description: i.description.clone(),
            promised_on: date(Some(i.promised_on)),
            status: i.status.label(),
            status_class: match i.status {
                ItemStatus::Done => "badge-ok",
                ItemStatus::Cancelled => "",
                _ if i.promised_on < today => "badge-danger",
                _ => "badge-info",
            },
            done_on: date(i.done_on),
            evidence: i.evidence.clone().unwrap_or_default(),
            cancel_reason: i.cancel_reason.clone().unwrap_or_default(),
            urged_on: date(i.urged_on),
            supervised_on: date(i.supervised_on),
            late: i.status.is_open() && i.promised_on < today,
            statuses: ItemStatus::ALL
                .iter()
                .map(|st| Opt {
                    value: st.as_str().to_owned(),
                    label: st.label().to_owned(),
                    selected: *st == i.status,
                })
                .collect(),
        })
        .collect();
    let history = s
        .assignments
        .iter()
        .map(|a| HistoryRow {
            at: local(a.assigned_at),
            officer: name_of(a.officer_id),
            reason: a.reason.clone().unwrap_or_default(),
        })
        .collect();
    let kinds: Vec<(&str, &str)> = ItemKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect();
    page::render_with(
        status,
        SheetPage {
            chrome: user.chrome(format!("服务单 · {}", s.project_name)),
            id: s.id,
            version: s.version,
            project_id: s.project_id,
            project: s.project_name.clone(),
            officer: s.officer_name.clone(),
            bureau_contact: contact(&s.bureau_contact_name, &s.bureau_contact_phone),
            owner_contact: contact(&s.owner_contact_name, &s.owner_contact_phone),
            signed_off: s.signed_off_at.map(local).unwrap_or_default(),
            sign_off_note: s.sign_off_note.clone().unwrap_or_default(),
            items,
            history,
            responsible,
            keeper,
            can_sign: user.actor.role == Role::Owner && s.signed_off_at.is_none(),
            kinds: opts(&kinds, &new_item.kind),
            assignees,
            new_item,
            problems,
        },
    )
}

async fn sheet_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> WebResult {
    let s = service_sheets::get(&state.db, &user.actor, id).await?;
    draw(
        &state,
        &user,
        s,
        NewItemValues::default(),
        Problems::default(),
        StatusCode::OK,
    )
    .await
}

fn parse_day(
    field: &str,
    v: Option<&str>,
    errors: &mut Vec<crate::domain::FieldError>,
) -> Option<NaiveDate> {
    let v = v?.trim();
    if v.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().or_else(|| {
        errors.push(crate::domain::FieldError::new(
            field,
            "日期格式应为 YYYY-MM-DD",
        ));
        None
    })
}

/// A 409 back to the sheet with what happened; the rest to the error page.
fn conflict_back(id: i64, err: Error) -> WebResult {
    match err {
        Error::Conflict { code, message, .. } => {
            let message = if code == ErrorCode::StaleVersion {
                "该服务单已被他人修改，请查看最新内容后重试".to_owned()
            } else {
                message
            };
            Ok(page::redirect_with(
                &format!("/service-sheets/{id}"),
                "error",
                &message,
            ))
        }
        other => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct AddItemForm {
    kind: Option<String>,
    description: Option<String>,
    promised_on: Option<String>,
}

async fn add_item(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<AddItemForm>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    let values = NewItemValues {
        kind: form.kind.clone().unwrap_or_default(),
        description: form.description.clone().unwrap_or_default(),
        promised_on: form.promised_on.clone().unwrap_or_default(),
    };
    let mut errors = Vec::new();
    let kind = ItemKind::ALL
        .into_iter()
        .find(|k| Some(k.as_str()) == form.kind.as_deref());
    if kind.is_none() {
        errors.push(crate::domain::FieldError::new("kind", "请选择服务事项类型"));
    }
    let promised = parse_day("promised_on", form.promised_on.as_deref(), &mut errors);
    if promised.is_none() && !errors.iter().any(|e| e.field == "promised_on") {
        errors.push(crate::domain::FieldError::new(
            "promised_on",
            "请填写承诺办结日期",
        ));
    }
    let outcome = match (kind, promised) {
        (Some(kind), Some(promised_on)) if errors.is_empty() => {
            service_sheets::add_item(
                &state.db,
                &state.settings,
                &user.actor,
                id,
                NewItem {
                    kind,
                    description: values.description.clone(),
                    promised_on,
                },
            )
            .await
        }
        _ => Err(Error::Invalid(errors)),
    };
    match outcome {
        Ok(_) => Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "ok",
            "服务事项已添加",
        )),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            let s = service_sheets::get(&state.db, &user.actor, id).await?;
            let problems = Problems(
                Problems::of(&err)
                    .0
                    .into_iter()
                    .map(|(k, v)| {
                        let k = k.rsplit('.').next().unwrap_or(&k).to_owned();
                        (k, v)
                    })
                    .collect(),
            );
            draw(
                &state,
                &user,
                s,
                values,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => conflict_back(id, other),
    }
}

#[derive(Deserialize)]
struct ItemForm {
    version: i32,
    status: Option<String>,
    evidence: Option<String>,
    done_on: Option<String>,
    promised_on: Option<String>,
    cancel_reason: Option<String>,
}

async fn update_item(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, item)): Path<(i64, i64)>,
    WebForm(form): WebForm<ItemForm>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    // The item must be one of this sheet's (and the sheet one the user may see).
    let s = service_sheets::get(&state.db, &user.actor, id).await?;
    if !s.items.iter().any(|i| i.id == item) {
        return Err(Error::not_found("服务事项").into());
    }
    let mut errors = Vec::new();
    let status = match form.status.as_deref() {
        None => None,
        Some(v) => ItemStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == v)
            .or_else(|| {
                errors.push(crate::domain::FieldError::new("status", "未知的办理状态"));
                None
            }),
    };
    let done_on = parse_day("done_on", form.done_on.as_deref(), &mut errors);
    let promised_on = parse_day("promised_on", form.promised_on.as_deref(), &mut errors);
    let outcome = if errors.is_empty() {
        service_sheets::update_item(
            &state.db,
            &state.settings,
            &user.actor,
            item,
            ItemPatch {
                version: form.version,
                status,
                description: None,
                promised_on,
                evidence: form.evidence.clone(),
                done_on,
                cancel_reason: form.cancel_reason.clone(),
            },
        )
        .await
    } else {
        Err(Error::Invalid(errors))
    };
    match outcome {
        Ok(_) => Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "ok",
            "服务事项已更新",
        )),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            let message = Problems::of(&err)
                .all()
                .into_iter()
                .map(|(_, m)| m.to_owned())
                .collect::<Vec<_>>()
                .join("；");
            Ok(page::redirect_with(
                &format!("/service-sheets/{id}"),
                "error",
                &format!("服务事项未更新：{message}"),
            ))
        }
        Err(other) => conflict_back(id, other),
    }
}

#[derive(Deserialize)]
struct SignOffForm {
    version: i32,
    note: Option<String>,
}

async fn sign_off(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<SignOffForm>,
) -> WebResult {
    user.require(&[Role::Owner])?;
    match service_sheets::sign_off(
        &state.db,
        &user.actor,
        id,
        SignOff {
            version: form.version,
            note: form.note,
        },
    )
    .await
    {
        Ok(_) => Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "ok",
            "服务单已确认签收",
        )),
        Err(Error::Invalid(fields)) => Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "error",
            &fields
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("；"),
        )),
        Err(other) => conflict_back(id, other),
    }
}

#[derive(Deserialize)]
struct ReassignForm {
    version: i32,
    officer_id: Option<i64>,
    reason: Option<String>,
}

async fn reassign(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ReassignForm>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    let Some(officer_id) = form.officer_id else {
        return Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "error",
            "请选择新的责任人",
        ));
    };
    match service_sheets::reassign(
        &state.db,
        &state.settings,
        &user.actor,
        id,
        Reassign {
            version: form.version,
            officer_id,
            reason: form.reason,
        },
    )
    .await
    {
        Ok(s) => Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "ok",
            &format!("责任人已改为{}", s.officer_name),
        )),
        Err(Error::Invalid(fields)) => Ok(page::redirect_with(
            &format!("/service-sheets/{id}"),
            "error",
            &fields
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("；"),
        )),
        Err(other) => conflict_back(id, other),
    }
}
