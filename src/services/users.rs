//! Accounts: created by an administrator (or `eiaflow user create`), each with one role; an
//! owner account belongs to exactly one organisation.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::paging::{Page, PageQuery, Paging};
use super::{Actor, audit, auth};
use crate::domain::FieldError;
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::{app_user, organization};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub email: Option<String>,
    /// The leader an officer's late service items are escalated to (督办).
    pub supervisor_id: Option<i64>,
    /// An officer's office phone, shown to the owners of the filings they handle.
    pub office_phone: Option<String>,
    pub active: bool,
    /// An administrator reset the password; the user must change it at next sign-in.
    pub must_change_password: bool,
    pub version: i32,
}

impl UserView {
    pub fn of(u: &app_user::Model) -> Result<UserView> {
        Ok(UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            organization_id: u.organization_id,
            email: u.email.clone(),
            supervisor_id: u.supervisor_id,
            office_phone: u.office_phone.clone(),
            active: u.active,
            must_change_password: u.must_change_password,
            version: u.version,
        })
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub organization_id: Option<i64>,
    #[serde(default)]
    pub email: Option<String>,
    /// An officer's office phone, shown to the owners of the filings they handle.
    #[serde(default)]
    pub office_phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub version: i32,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    /// `null` detaches; only owners carry an organisation.
    #[serde(default, deserialize_with = "super::nullable")]
    pub organization_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub email: Option<Option<String>>,
    /// An officer's leader, who hears of their late service items (督办); `null` clears it.
    #[serde(default, deserialize_with = "super::nullable")]
    pub supervisor_id: Option<Option<i64>>,
    /// An officer's office phone; `null` clears it.
    #[serde(default, deserialize_with = "super::nullable")]
    pub office_phone: Option<Option<String>>,
    #[serde(default)]
    pub active: Option<bool>,
    /// A new password; signs the user out everywhere.
    #[serde(default)]
    pub password: Option<String>,
}

pub fn validate_username(username: &str, errors: &mut Vec<FieldError>) {
    let ok = (3..=32).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !ok {
        errors.push(FieldError::new(
            "username",
            "用户名须为3–32位小写字母、数字或 . _ -",
        ));
    }
}

/// What a password must be, in the words every message about it uses.
pub const PASSWORD_RULE: &str = "密码须为10–128个字符，且同时包含字母和数字";

/// A password of 10–128 characters with at least one letter and one digit (the demo password
/// `demo-pass-2023` is one).
pub fn validate_password(password: &str, errors: &mut Vec<FieldError>) {
    validate_password_field("password", password, errors)
}

/// [`validate_password`] for a field of another name (`new_password`).
pub fn validate_password_field(field: &str, password: &str, errors: &mut Vec<FieldError>) {
    let len = password.chars().count();
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(10..=128).contains(&len) || !letters || !digits {
        errors.push(FieldError::new(field, PASSWORD_RULE));
    }
}

/// A temporary password for a reset: 12 characters, letters and digits, none easily confused
/// (no 0/O, 1/l/I).
pub fn temporary_password() -> String {
    use rand::Rng;
    const LETTERS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rngs::OsRng;
    let mut out: Vec<u8> = (0..8)
        .map(|_| LETTERS[rng.gen_range(0..LETTERS.len())])
        .collect();
    out.extend((0..4).map(|_| DIGITS[rng.gen_range(0..DIGITS.len())]));
    // Mix the digits in, so the shape gives nothing away.
    for i in (1..out.len()).rev() {
        out.swap(i, rng.gen_range(0..=i));
    }
    String::from_utf8(out).expect("ASCII")
}

/// A deliberately plain check: one `@`, something on each side, a dot in the domain, no blanks.
pub fn validate_email(field: &str, email: &str, errors: &mut Vec<FieldError>) {
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    };
    if !ok {
        errors.push(FieldError::new(field, "电子邮箱地址格式不正确"));
    }
}

/// An office phone: digits with the usual separators (0914-2312345, +86 914 2312345,
/// 2312345转801).
pub fn validate_phone(phone: &str, errors: &mut Vec<FieldError>) {
    let phone = phone.trim();
    let ok = (3..=32).contains(&phone.chars().count())
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " -+()转".contains(c));
    if !ok {
        errors.push(FieldError::new(
            "office_phone",
            "办公电话应为3–32位数字，可含 - + ( ) 空格或“转”",
        ));
    }
}

async fn check_organization<C: ConnectionTrait>(
    db: &C,
    role: Role,
    organization_id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    match (role, organization_id) {
        (Role::Owner, None) => errors.push(FieldError::new(
            "organization_id",
            "建设单位账号必须关联一个建设单位",
        )),
        (Role::Owner, Some(id)) => {
            if organization::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_none()
            {
                errors.push(FieldError::new("organization_id", "建设单位不存在"));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "organization_id",
            "只有建设单位账号可以关联建设单位",
        )),
        (_, None) => {}
    }
    Ok(())
}

#[tracing::instrument(
    name = "users::create",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, username = %input.username)
)]
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewUser) -> Result<UserView> {
    let txn = db.begin().await?;
    let user = create_in(&txn, actor, input).await?;
    txn.commit().await?;
    UserView::of(&user)
}

/// [`create`] inside the caller's transaction, so a loader can add many in one.
pub(crate) async fn create_in<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: NewUser,
) -> Result<app_user::Model> {
    require_admin(actor)?;
    let username = input.username.trim().to_owned();
    let mut errors = Vec::new();
    validate_username(&username, &mut errors);
    validate_password(&input.password, &mut errors);
    if let Some(email) = &input.email {
        validate_email("email", email, &mut errors);
    }
    if let Some(phone) = &input.office_phone {
        validate_phone(phone, &mut errors);
    }
    if let Some(problem) = input
        .display_name
        .as_deref()
        .and_then(crate::domain::one_line_problem)
    {
        errors.push(FieldError::new("display_name", problem));
    }
    check_organization(db, input.role, input.organization_id, &mut errors).await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if app_user::Entity::find()
        .filter(app_user::Column::Username.eq(&username))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::duplicate(
            "username",
            format!("用户名 {username} 已被使用"),
        ));
    }
    let hash = auth::hash_password(input.password).await?;
    let user = app_user::ActiveModel {
        display_name: Set(input.display_name.unwrap_or_else(|| username.clone())),
        username: Set(username),
        password_hash: Set(hash),
        role: Set(input.role),
        organization_id: Set(input.organization_id),
        email: Set(input.email),
        supervisor_id: Set(None),
        office_phone: Set(input.office_phone.map(|p| p.trim().to_owned())),
        active: Set(true),
        must_change_password: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut changes = audit::Changes::new();
    changes
        .set("username", &user.username)
        .set("display_name", &user.display_name)
        .set("role", &user.role.as_str())
        .set("organization_id", &user.organization_id)
        .set("email", &user.email);
    audit::write(
        db,
        actor,
        "user",
        user.id,
        "create",
        changes,
        serde_json::json!({"username": user.username, "role": user.role, "organization_id": user.organization_id}),
    )
    .await?;
    Ok(user)
}

#[tracing::instrument(
    name = "users::list",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    query: PageQuery,
) -> Result<Page<UserView>> {
    require_admin(actor)?;
    let mut errors = Vec::new();
    let paging = Paging::check(query.page, query.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    paging
        .fetch(
            db,
            app_user::Entity::find().order_by_asc(app_user::Column::Id),
        )
        .await?
        .try_map(|u| UserView::of(&u))
}

/// An administrator's reset: with no password given, a temporary one is made and returned
/// once (it is stored only hashed). Either way the user is signed out everywhere and must
/// change the password at next sign-in.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The password to set; left out, a temporary one is generated.
    #[serde(default)]
    pub new_password: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PasswordResetDone {
    pub user: UserView,
    /// The generated password, shown this once; absent when the administrator chose one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<String>,
}

#[tracing::instrument(
    name = "users::reset_password",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, user_id = id)
)]
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: PasswordReset,
) -> Result<PasswordResetDone> {
    require_admin(actor)?;
    let current = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("用户"))?;
    let (password, temporary) = match input.new_password {
        Some(p) => {
            let mut errors = Vec::new();
            validate_password_field("new_password", &p, &mut errors);
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            (p, None)
        }
        None => {
            let p = temporary_password();
            (p.clone(), Some(p))
        }
    };
    let hash = auth::hash_password(password).await?;
    let txn = db.begin().await?;
    let update = super::update_versioned::<app_user::Entity>(id, current.version)
        .col_expr(app_user::Column::PasswordHash, Expr::value(hash))
        .col_expr(app_user::Column::MustChangePassword, Expr::value(true));
    super::exec_versioned(&txn, update, "用户").await?;
    auth::revoke_all(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "user",
        id,
        "reset_password",
        serde_json::json!({"generated": temporary.is_some(), "must_change_password": true}),
    )
    .await?;
    txn.commit().await?;
    let user = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("用户"))?;
    Ok(PasswordResetDone {
        user: UserView::of(&user)?,
        temporary_password: temporary,
    })
}

#[tracing::instrument(
    name = "users::update",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, user_id = id)
)]
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: UserPatch,
) -> Result<UserView> {
    require_admin(actor)?;
    let current = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("用户"))?;
    let current_role = current.role;
    let role = patch.role.unwrap_or(current_role);
    let organization_id = patch.organization_id.unwrap_or(current.organization_id);
    let mut errors = Vec::new();
    if let Some(password) = &patch.password {
        validate_password(password, &mut errors);
    }
    if let Some(Some(email)) = &patch.email {
        validate_email("email", email, &mut errors);
    }
    if let Some(Some(phone)) = &patch.office_phone {
        validate_phone(phone, &mut errors);
    }
    if let Some(name) = &patch.display_name {
        if name.trim().is_empty() {
            errors.push(FieldError::new("display_name", "姓名不能为空"));
        } else if let Some(problem) = crate::domain::one_line_problem(name) {
            errors.push(FieldError::new("display_name", problem));
        }
    }
    check_organization(db, role, organization_id, &mut errors).await?;
    if let Some(Some(supervisor)) = patch.supervisor_id {
        let is_leader = app_user::Entity::find_by_id(supervisor)
            .one(db)
            .await?
            .is_some_and(|u| u.active && u.role == Role::Leader);
        if !is_leader {
            errors.push(FieldError::new("supervisor_id", "应为在职局领导的账号"));
        }
    }
    if actor.id == Some(id) && (patch.active == Some(false) || role != Role::Admin) {
        errors.push(FieldError::new(
            "role",
            "不能停用自己的账号或取消自己的管理员角色",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let hash = match patch.password.clone() {
        Some(p) => Some(auth::hash_password(p).await?),
        None => None,
    };

    let txn = db.begin().await?;
    let mut update = super::update_versioned::<app_user::Entity>(id, patch.version)
        .col_expr(app_user::Column::Role, Expr::value(role))
        .col_expr(
            app_user::Column::OrganizationId,
            Expr::value(organization_id),
        );
    if let Some(name) = &patch.display_name {
        update = update.col_expr(app_user::Column::DisplayName, Expr::value(name.trim()));
    }
    if let Some(email) = &patch.email {
        update = update.col_expr(app_user::Column::Email, Expr::value(email.clone()));
    }
    if let Some(active) = patch.active {
        update = update.col_expr(app_user::Column::Active, Expr::value(active));
    }
    if let Some(supervisor) = patch.supervisor_id {
        update = update.col_expr(app_user::Column::SupervisorId, Expr::value(supervisor));
    }
    if let Some(phone) = &patch.office_phone {
        let phone = phone.as_deref().map(str::trim);
        update = update.col_expr(app_user::Column::OfficePhone, Expr::value(phone));
    }
    if let Some(hash) = &hash {
        update = update.col_expr(app_user::Column::PasswordHash, Expr::value(hash.clone()));
    }
    super::exec_versioned(&txn, update, "用户").await?;
    if hash.is_some() || patch.active == Some(false) || role != current_role {
        auth::revoke_all(&txn, id).await?;
    }
    // Field-level trail; a password change is recorded as such, never the hash.
    let mut changes = audit::Changes::new();
    changes
        .diff("role", &current_role.as_str(), &role.as_str())
        .diff(
            "organization_id",
            &current.organization_id,
            &organization_id,
        )
        .patch(
            "display_name",
            &current.display_name,
            patch
                .display_name
                .as_ref()
                .map(|n| n.trim().to_owned())
                .as_ref(),
        )
        .patch("email", &current.email, patch.email.as_ref())
        .patch(
            "supervisor_id",
            &current.supervisor_id,
            patch.supervisor_id.as_ref(),
        )
        .patch("active", &current.active, patch.active.as_ref());
    if hash.is_some() {
        changes.push("password", "", "（已修改）");
    }
    audit::write(
        &txn,
        actor,
        "user",
        id,
        "update",
        changes,
        serde_json::json!({
            "role": role.as_str(),
            "organization_id": organization_id,
            "active": patch.active,
            "password_changed": hash.is_some(),
        }),
    )
    .await?;
    txn.commit().await?;
    let user = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("用户"))?;
    UserView::of(&user)
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("只有管理员可以管理账号".into()))
    }
}
