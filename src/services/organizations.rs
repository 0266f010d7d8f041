//! Owner organisations (建设单位), identified by their 统一社会信用代码.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};

use super::{Actor, audit, projects::like_pattern, users::validate_email};
use crate::domain::FieldError;
use crate::domain::identifiers::CreditCode;
use crate::error::{Error, Result};
use entity::organization;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    pub id: i64,
    pub name: String,
    /// 统一社会信用代码
    pub credit_code: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub version: i32,
}

impl From<&organization::Model> for OrganizationView {
    fn from(o: &organization::Model) -> Self {
        OrganizationView {
            id: o.id,
            name: o.name.clone(),
            credit_code: o.credit_code.clone(),
            contact_name: o.contact_name.clone(),
            contact_phone: o.contact_phone.clone(),
            contact_email: o.contact_email.clone(),
            version: o.version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    pub name: String,
    pub credit_code: String,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    pub version: i32,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub credit_code: Option<String>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub contact_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub contact_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub contact_email: Option<Option<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrganizationQuery {
    /// Part of the name or credit code.
    pub q: Option<String>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if let Some(problem) = name_problem(name) {
        errors.push(FieldError::new("name", problem));
    }
}

/// What is wrong with an organisation's name, if anything (shared with the ledger import).
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    let len = name.trim().chars().count();
    if len == 0 || len > 100 {
        return Some("单位名称不能为空且不超过100字");
    }
    crate::domain::one_line_problem(name)
}

pub(crate) fn check_credit_code(code: &str, errors: &mut Vec<FieldError>) -> Option<CreditCode> {
    match CreditCode::parse(code) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(FieldError::new("credit_code", e.to_string()));
            None
        }
    }
}

fn check_contacts(phone: Option<&str>, email: Option<&str>, errors: &mut Vec<FieldError>) {
    if let Some(phone) = phone {
        let ok = (5..=20).contains(&phone.len())
            && phone
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+- ()".contains(&b));
        if !ok {
            errors.push(FieldError::new("contact_phone", "联系电话格式不正确"));
        }
    }
    if let Some(email) = email {
        validate_email("contact_email", email, errors);
    }
}

async fn ensure_unique_code<C: ConnectionTrait>(
    db: &C,
    code: &CreditCode,
    except: Option<i64>,
) -> Result<()> {
    let mut query =
        organization::Entity::find().filter(organization::Column::CreditCode.eq(code.as_str()));
    if let Some(id) = except {
        query = query.filter(organization::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(Error::duplicate(
            "credit_code",
            format!("统一社会信用代码 {} 已被使用（已登记）", code.as_str()),
        ));
    }
    Ok(())
}

#[tracing::instrument(
    name = "organizations::list",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    query: OrganizationQuery,
) -> Result<super::paging::Page<OrganizationView>> {
    let mut errors = Vec::new();
    let paging = super::paging::Paging::check(query.page, query.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut select = organization::Entity::find().order_by_asc(organization::Column::Id);
    if !actor.role.sees_all_projects() {
        select = select.filter(organization::Column::Id.eq(actor.organization_id.unwrap_or(-1)));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        select = select.filter(
            Condition::any()
                .add(Expr::col(organization::Column::Name).like(pattern.clone()))
                .add(Expr::col(organization::Column::CreditCode).like(pattern)),
        );
    }
    Ok(paging
        .fetch(db, select)
        .await?
        .map(|o| OrganizationView::from(&o)))
}

#[tracing::instrument(
    name = "organizations::get",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, organization_id = id)
)]
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> Result<OrganizationView> {
    if !actor.role.sees_all_projects() && actor.organization_id != Some(id) {
        return Err(Error::not_found("建设单位"));
    }
    organization::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|o| OrganizationView::from(&o))
        .ok_or_else(|| Error::not_found("建设单位"))
}

#[tracing::instrument(
    name = "organizations::create",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewOrganization,
) -> Result<OrganizationView> {
    let txn = db.begin().await?;
    let org = create_in(&txn, actor, input).await?;
    txn.commit().await?;
    Ok(OrganizationView::from(&org))
}

/// [`create`] inside the caller's transaction, so a loader can add many in one.
pub(crate) async fn create_in<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: NewOrganization,
) -> Result<organization::Model> {
    actor.require_keeper()?;
    let mut errors = Vec::new();
    check_name(&input.name, &mut errors);
    let code = check_credit_code(&input.credit_code, &mut errors);
    check_contacts(
        input.contact_phone.as_deref(),
        input.contact_email.as_deref(),
        &mut errors,
    );
    let Some(code) = code.filter(|_| errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    ensure_unique_code(db, &code, None).await?;
    let org = organization::ActiveModel {
        name: Set(input.name.trim().to_owned()),
        credit_code: Set(code.to_string()),
        contact_name: Set(input.contact_name),
        contact_phone: Set(input.contact_phone),
        contact_email: Set(input.contact_email),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut changes = audit::Changes::new();
    changes
        .set("name", &org.name)
        .set("credit_code", &org.credit_code)
        .set("contact_name", &org.contact_name)
        .set("contact_phone", &org.contact_phone)
        .set("contact_email", &org.contact_email);
    audit::write(
        db,
        actor,
        "organization",
        org.id,
        "create",
        changes,
        serde_json::json!({"name": org.name, "credit_code": org.credit_code}),
    )
    .await?;
    Ok(org)
}

#[tracing::instrument(
    name = "organizations::update",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, organization_id = id)
)]
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: OrganizationPatch,
) -> Result<OrganizationView> {
    actor.require_keeper()?;
    let current = organization::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("建设单位"))?;
    let mut errors = Vec::new();
    if let Some(name) = &patch.name {
        check_name(name, &mut errors);
    }
    let code = patch
        .credit_code
        .as_deref()
        .and_then(|c| check_credit_code(c, &mut errors));
    check_contacts(
        patch.contact_phone.as_ref().and_then(|p| p.as_deref()),
        patch.contact_email.as_ref().and_then(|e| e.as_deref()),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(code) = &code {
        ensure_unique_code(db, code, Some(id)).await?;
    }
    let mut changes = audit::Changes::new();
    changes
        .patch(
            "name",
            &current.name,
            patch.name.as_ref().map(|n| n.trim().to_owned()).as_ref(),
        )
        .patch(
            "credit_code",
            &current.credit_code,
            code.as_ref().map(|c| c.to_string()).as_ref(),
        )
        .patch(
            "contact_name",
            &current.contact_name,
            patch.contact_name.as_ref(),
        )
        .patch(
            "contact_phone",
            &current.contact_phone,
            patch.contact_phone.as_ref(),
        )
        .patch(
            "contact_email",
            &current.contact_email,
            patch.contact_email.as_ref(),
        );
    // A PATCH that changes nothing leaves the version and the trail as they were.
    if changes.is_empty() {
        if patch.version != current.version {
            return Err(Error::stale("建设单位"));
        }
        return get(db, actor, id).await;
    }
    let txn = db.begin().await?;
    let mut update = super::update_versioned::<organization::Entity>(id, patch.version);
    if let Some(name) = &patch.name {
        update = update.col_expr(organization::Column::Name, Expr::value(name.trim()));
    }
    if let Some(code) = &code {
        update = update.col_expr(organization::Column::CreditCode, Expr::value(code.as_str()));
    }
    for (column, value) in [
        (organization::Column::ContactName, &patch.contact_name),
        (organization::Column::ContactPhone, &patch.contact_phone),
        (organization::Column::ContactEmail, &patch.contact_email),
    ] {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value.clone()));
        }
    }
    super::exec_versioned(&txn, update, "建设单位").await?;
    audit::write(
        &txn,
        actor,
        "organization",
        id,
        "update",
        changes,
        serde_json::json!({"from_version": patch.version}),
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}
