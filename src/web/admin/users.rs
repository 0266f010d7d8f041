//! `/admin/users`: the accounts, a new one, editing one, (de)activating, resetting a password.
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Choice, Pager, admin_only, query_base};
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::admin_queries::{self, UserFilter};
use crate::services::users::{self, NewUser, PasswordReset, UserPatch, UserView};
use crate::web::page::{Chrome, Problems, WebResult, redirect_with, render, render_with};
use crate::web::session::{WebForm, WebUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/new", get(new_form))
        .route("/admin/users/{id}", get(edit_form).post(update))
        .route("/admin/users/{id}/active", post(set_active))
        .route("/admin/users/{id}/password-reset", post(reset_password))
}

const PER_PAGE: u64 = 50;

fn role_choices(current: &str, any: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    if any {
        out.push(Choice::new("", "全部角色", current));
    }
    out.extend(
        Role::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.label(), current)),
    );
    out
}

/// One row of the list.
struct Row {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    organization: String,
    email: String,
    office_phone: String,
    active: bool,
    must_change_password: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    total: u64,
    roles: Vec<Choice>,
    actives: Vec<Choice>,
    q: String,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    role: Option<String>,
    active: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(query): Query<ListQuery>,
) -> WebResult {
    admin_only(&user)?;
    let role = query.role.as_deref().and_then(Role::parse);
    let active = match query.active.as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let page_no = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u64)
        .max(1);
    let page = admin_queries::users(
        &state.db,
        &user.actor,
        UserFilter {
            role,
            active,
            q: query.q.clone(),
            page: Some(page_no),
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let orgs = admin_queries::organization_names(&state.db, &user.actor).await?;
    let org_name = |id: Option<i64>| {
        id.and_then(|id| orgs.iter().find(|(o, _)| *o == id))
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let rows = page
        .items
        .iter()
        .map(|u| Row {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.label(),
            organization: org_name(u.organization_id),
            email: u.email.clone().unwrap_or_default(),
            office_phone: u.office_phone.clone().unwrap_or_default(),
            active: u.active,
            must_change_password: u.must_change_password,
        })
        .collect();
    let role_code = role.map(|r| r.as_str()).unwrap_or("");
    let active_code = match active {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    };
    let base = query_base(
        "/admin/users",
        &[
            ("role", Some(role_code)),
            ("active", Some(active_code)),
            ("q", query.q.as_deref()),
        ],
    );
    render(ListPage {
        chrome: user.chrome("用户管理"),
        rows,
        total: page.total,
        roles: role_choices(role_code, true),
        actives: vec![
            Choice::new("", "全部", active_code),
            Choice::new("true", "在用", active_code),
            Choice::new("false", "已停用", active_code),
        ],
        q: query.q.unwrap_or_default(),
        pager: Pager::new(&base, page.page, page.per_page, page.total),
    })
}

/// What the create and edit forms hold, as typed.
#[derive(Deserialize, Default, Clone)]
struct UserForm {
    username: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    organization_id: Option<String>,
    email: Option<String>,
    office_phone: Option<String>,
    supervisor_id: Option<String>,
    password: Option<String>,
    version: Option<i32>,
}

impl UserForm {
    fn of(u: &UserView) -> UserForm {
        UserForm {
            username: Some(u.username.clone()),
            display_name: Some(u.display_name.clone()),
            role: Some(u.role.as_str().to_owned()),
            organization_id: u.organization_id.map(|i| i.to_string()),
            email: u.email.clone(),
            office_phone: u.office_phone.clone(),
            supervisor_id: u.supervisor_id.map(|i| i.to_string()),
            password: None,
            version: Some(u.version),
        }
    }
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormPage {
    chrome: Chrome,
    /// None for a new account.
    editing: Option<Editing>,
    username: String,
    display_name: String,
    email: String,
    office_phone: String,
    roles: Vec<Choice>,
    organizations: Vec<Choice>,
    supervisors: Vec<Choice>,
    version: i32,
    problems: Problems,
}

struct Editing {
    id: i64,
    active: bool,
    must_change_password: bool,
    is_self: bool,
}

async fn form_page(
    state: &AppState,
    user: &WebUser,
    editing: Option<Editing>,
    form: &UserForm,
    problems: Problems,
) -> Result<FormPage, crate::web::page::WebError> {
    let orgs = admin_queries::organization_names(&state.db, &user.actor).await?;
    let everyone = admin_queries::all_users(&state.db, &user.actor).await?;
    let org_current = text(&form.organization_id);
    let mut organizations = vec![Choice::new("", "（非建设单位账号不选）", &org_current)];
    organizations.extend(
        orgs.iter()
            .map(|(id, name)| Choice::new(id.to_string(), name.clone(), &org_current)),
    );
    let sup_current = text(&form.supervisor_id);
    let mut supervisors = vec![Choice::new("", "（无）", &sup_current)];
    supervisors.extend(
        everyone
            .iter()
            .filter(|u| u.active && u.role == Role::Leader)
            .map(|u| {
                Choice::new(
                    u.id.to_string(),
                    format!("{}（{}）", u.display_name, u.username),
                    &sup_current,
                )
            }),
    );
    let title = if editing.is_some() {
        "修改用户"
    } else {
        "新建用户"
    };
    Ok(FormPage {
        chrome: user.chrome(title),
        editing,
        username: text(&form.username),
        display_name: text(&form.display_name),
        email: text(&form.email),
        office_phone: text(&form.office_phone),
        roles: role_choices(form.role.as_deref().unwrap_or("officer"), false),
        organizations,
        supervisors,
        version: form.version.unwrap_or(0),
        problems,
    })
}

async fn new_form(State(state): State<AppState>, user: WebUser) -> WebResult {
    admin_only(&user)?;
    let page = form_page(
        &state,
        &user,
        None,
        &UserForm::default(),
        Problems::default(),
    )
    .await?;
    render(page)
}

/// A field problem the form shows beside its field (a 422), rather than an error page.
fn is_field_problem(err: &Error) -> bool {
    match err {
        Error::Invalid(_) | Error::Malformed { .. } => true,
        Error::Conflict { code, fields, .. } => *code == ErrorCode::Duplicate && !fields.is_empty(),
        _ => false,
    }
}

fn parse_id(field: &str, value: &Option<String>) -> Result<Option<i64>, Error> {
    match trimmed(value) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(field, "请从列表中选择")),
    }
}

fn parse_role(value: &Option<String>) -> Result<Role, Error> {
    value
        .as_deref()
        .and_then(Role::parse)
        .ok_or_else(|| Error::invalid("role", "请选择角色"))
}

/// The supervisor chosen, if it is an active leader (the select offers only those).
async fn checked_supervisor(
    state: &AppState,
    user: &WebUser,
    form: &UserForm,
) -> Result<Option<i64>, Error> {
    let Some(id) = parse_id("supervisor_id", &form.supervisor_id)? else {
        return Ok(None);
    };
    let everyone = admin_queries::all_users(&state.db, &user.actor).await?;
    if everyone
        .iter()
        .any(|u| u.id == id && u.active && u.role == Role::Leader)
    {
        Ok(Some(id))
    } else {
        Err(Error::invalid("supervisor_id", "应为在职局领导的账号"))
    }
}

#[derive(Template)]
#[template(path = "admin/password_shown.html")]
struct PasswordShown {
    chrome: Chrome,
    id: i64,
    username: String,
    display_name: String,
    password: String,
    created: bool,
}

/// `POST /admin/users`: a new account. Without a password typed, a temporary one is made and
/// shown once on the answer; the user must change it at first sign-in.
async fn create(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<UserForm>,
) -> WebResult {
    admin_only(&user)?;
    let outcome = async {
        let role = parse_role(&form.role)?;
        let organization_id = parse_id("organization_id", &form.organization_id)?;
        let supervisor = checked_supervisor(&state, &user, &form).await?;
        let typed = form.password.clone().filter(|p| !p.is_empty());
        let password = typed.clone().unwrap_or_else(users::temporary_password);
        let created = users::create(
            &state.db,
            &user.actor,
            NewUser {
                username: form.username.clone().unwrap_or_default(),
                password,
                role,
                display_name: trimmed(&form.display_name),
                organization_id: if role == Role::Owner {
                    organization_id
                } else {
                    None
                },
                email: trimmed(&form.email),
                office_phone: trimmed(&form.office_phone),
            },
        )
        .await?;
        let mut view = created;
        if let Some(sup) = supervisor {
            view = users::update(
                &state.db,
                &user.actor,
                view.id,
                UserPatch {
                    version: view.version,
                    display_name: None,
                    role: None,
                    organization_id: None,
                    email: None,
                    supervisor_id: Some(Some(sup)),
                    office_phone: None,
                    active: None,
                    password: None,
                },
            )
            .await?;
        }
        let temporary = if typed.is_none() {
            users::reset_password(&state.db, &user.actor, view.id, PasswordReset::default())
                .await?
                .temporary_password
        } else {
            None
        };
        Ok::<_, Error>((view, temporary))
    }
    .await;
    match outcome {
        Ok((view, Some(password))) => render(PasswordShown {
            chrome: user.chrome("账号已创建"),
            id: view.id,
            username: view.username,
            display_name: view.display_name,
            password,
            created: true,
        }),
        Ok((view, None)) => Ok(redirect_with(
            &format!("/admin/users/{}", view.id),
            "ok",
            &format!("已创建账号 {}", view.username),
        )),
        Err(err) if is_field_problem(&err) => {
            let mut kept = form.clone();
            kept.password = None;
            let page = form_page(&state, &user, None, &kept, Problems::of(&err)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}

async fn edit_form(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> WebResult {
    admin_only(&user)?;
    let current = admin_queries::user(&state.db, &user.actor, id).await?;
    let editing = Editing {
        id,
        active: current.active,
        must_change_password: current.must_change_password,
        is_self: user.actor.id == Some(id),
    };
    let page = form_page(
        &state,
        &user,
        Some(editing),
        &UserForm::of(&current),
        Problems::default(),
    )
    .await?;
    render(page)
}

const STALE: &str = "该账号已被他人修改，请查看最新内容后重试";

async fn update(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<UserForm>,
) -> WebResult {
    admin_only(&user)?;
    let current = admin_queries::user(&state.db, &user.actor, id).await?;
    let back = format!("/admin/users/{id}");
    let outcome = async {
        let role = parse_role(&form.role)?;
        let organization_id = parse_id("organization_id", &form.organization_id)?;
        let supervisor = parse_id("supervisor_id", &form.supervisor_id)?;
        let display_name = form.display_name.clone().unwrap_or_default();
        users::update(
            &state.db,
            &user.actor,
            id,
            UserPatch {
                version: form.version.unwrap_or(current.version),
                display_name: Some(display_name),
                role: Some(role),
                organization_id: Some(if role == Role::Owner {
                    organization_id
                } else {
                    None
                }),
                email: Some(trimmed(&form.email)),
                supervisor_id: Some(supervisor),
                office_phone: Some(trimmed(&form.office_phone)),
                active: None,
                password: None,
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(view) => Ok(redirect_with(
            &back,
            "ok",
            &format!("已保存账号 {} 的修改", view.username),
        )),
        Err(Error::Conflict {
            code: ErrorCode::StaleVersion,
            ..
        }) => Ok(redirect_with(&back, "error", STALE)),
        Err(err) if is_field_problem(&err) => {
            let editing = Editing {
                id,
                active: current.active,
                must_change_password: current.must_change_password,
                is_self: user.actor.id == Some(id),
            };
            let mut kept = form.clone();
            kept.username = Some(current.username.clone());
            let page = form_page(&state, &user, Some(editing), &kept, Problems::of(&err)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    version: i32,
    active: bool,
}

/// Deactivates (signing the user out everywhere) or reactivates an account.
async fn set_active(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ActiveForm>,
) -> WebResult {
    admin_only(&user)?;
    let back = format!("/admin/users/{id}");
    let outcome = users::update(
        &state.db,
        &user.actor,
        id,
        UserPatch {
            version: form.version,
            display_name: None,
            role: None,
            organization_id: None,
            email: None,
            supervisor_id: None,
            office_phone: None,
            active: Some(form.active),
            password: None,
        },
    )
    .await;
    match outcome {
        Ok(view) if view.active => Ok(redirect_with(
            &back,
            "ok",
            &format!("已启用账号 {}", view.username),
        )),
        Ok(view) => Ok(redirect_with(
            &back,
            "ok",
            &format!("已停用账号 {}，其登录已全部退出", view.username),
        )),
        Err(Error::Conflict {
            code: ErrorCode::StaleVersion,
            ..
        }) => Ok(redirect_with(&back, "error", STALE)),
        Err(Error::Invalid(fields)) => {
            let message = fields
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("；");
            Ok(redirect_with(&back, "error", &message))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

/// Resets a password to a temporary one, shown on the answer this once (it is stored only
/// hashed); the user is signed out everywhere and must change it at next sign-in.
async fn reset_password(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(_): WebForm<Empty>,
) -> WebResult {
    admin_only(&user)?;
    let done = users::reset_password(&state.db, &user.actor, id, PasswordReset::default()).await?;
    render(PasswordShown {
        chrome: user.chrome("密码已重置"),
        id,
        username: done.user.username,
        display_name: done.user.display_name,
        password: done.temporary_password.unwrap_or_default(),
        created: false,
    })
}
