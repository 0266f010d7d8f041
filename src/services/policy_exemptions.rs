//! Policy exemption documents kept by administrators; the national list shipped with the
//! program is stored on first start.
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::{Actor, audit};
use crate::domain::FieldError;
use crate::domain::exemption::{ExemptionItem, Jurisdiction, validate_items};
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::{Json, policy_exemption};

const SHIPPED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/resources/policy-exemptions.json"
));

/// A whole document: what `POST` takes and the shipped list holds.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPolicyExemption {
    /// e.g. 环综合〔2020〕13号, or a province's 陕环发〔2020〕…号
    pub document_no: String,
    pub title: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub jurisdiction: Jurisdiction,
    pub covers: String,
    pub items: Vec<ExemptionItem>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyExemptionPatch {
    pub version: i32,
    pub title: Option<String>,
    pub covers: Option<String>,
    pub items: Option<Vec<ExemptionItem>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub note: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PolicyExemptionView {
    pub id: i64,
    pub document_no: String,
    pub title: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub jurisdiction: Jurisdiction,
    pub covers: String,
    pub items: Vec<ExemptionItem>,
    pub note: Option<String>,
    pub active: bool,
    pub version: i32,
}

impl PolicyExemptionView {
    pub fn of(m: &policy_exemption::Model) -> Result<Self> {
        Ok(PolicyExemptionView {
            id: m.id,
            document_no: m.document_no.clone(),
            title: m.title.clone(),
            issuer: m.issuer.clone(),
            issued_on: m.issued_on,
            jurisdiction: m.jurisdiction,
            covers: m.covers.clone(),
            items: m.items.0.clone(),
            note: m.note.clone(),
            active: m.active,
            version: m.version,
        })
    }
}

fn check_text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) {
    let len = value.trim().chars().count();
    if len == 0 || len > max {
        errors.push(FieldError::new(field, format!("不能为空且不超过{max}字")));
    }
}

/// Stores the shipped documents into an empty table.
#[tracing::instrument(name = "policy_exemptions::seed_shipped", skip_all)]
pub async fn seed_shipped<C: ConnectionTrait>(db: &C) -> Result<()> {
    if policy_exemption::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let docs: Vec<NewPolicyExemption> = serde_json::from_str(SHIPPED)
        .map_err(|e| anyhow::anyhow!("shipped policy exemptions: {e}"))?;
    for doc in docs {
        insert(db, doc).await?;
    }
    Ok(())
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    doc: NewPolicyExemption,
) -> Result<policy_exemption::Model> {
    Ok(policy_exemption::ActiveModel {
        document_no: Set(doc.document_no.trim().to_owned()),
        title: Set(doc.title.trim().to_owned()),
        issuer: Set(doc.issuer.trim().to_owned()),
        issued_on: Set(doc.issued_on),
        jurisdiction: Set(doc.jurisdiction),
        covers: Set(doc.covers),
        items: Set(Json(doc.items)),
        note: Set(doc.note),
        active: Set(doc.active),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

#[tracing::instrument(name = "policy_exemptions::list", skip_all)]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    query: super::paging::PageQuery,
) -> Result<super::paging::Page<PolicyExemptionView>> {
    let mut errors = Vec::new();
    let paging = super::paging::Paging::check(query.page, query.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let select = policy_exemption::Entity::find()
        .order_by_asc(policy_exemption::Column::IssuedOn)
        .order_by_asc(policy_exemption::Column::Id);
    paging
        .fetch(db, select)
        .await?
        .try_map(|p| PolicyExemptionView::of(&p))
}

/// The active document with this number, for a classification that cites it.
pub async fn active_by_number<C: ConnectionTrait>(
    db: &C,
    document_no: &str,
) -> Result<Option<PolicyExemptionView>> {
    policy_exemption::Entity::find()
        .filter(policy_exemption::Column::DocumentNo.eq(document_no.trim()))
        .filter(policy_exemption::Column::Active.eq(true))
        .one(db)
        .await?
        .as_ref()
        .map(PolicyExemptionView::of)
        .transpose()
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("只有管理员可以维护政策豁免清单".into()))
    }
}

#[tracing::instrument(
    name = "policy_exemptions::create",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    doc: NewPolicyExemption,
) -> Result<PolicyExemptionView> {
    require_admin(actor)?;
    let mut errors = validate_items(&doc.items);
    check_text("document_no", &doc.document_no, 100, &mut errors);
    check_text("title", &doc.title, 300, &mut errors);
    check_text("issuer", &doc.issuer, 100, &mut errors);
    check_text("covers", &doc.covers, 4000, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if policy_exemption::Entity::find()
        .filter(policy_exemption::Column::DocumentNo.eq(doc.document_no.trim()))
        .count(db)
        .await?
        > 0
    {
        return Err(Error::duplicate(
            "document_no",
            format!("文号 {} 已被使用（已在清单中）", doc.document_no.trim()),
        ));
    }
    let txn = db.begin().await?;
    let row = insert(&txn, doc).await?;
    let mut changes = audit::Changes::new();
    changes
        .set("document_number", &row.document_no)
        .set("title", &row.title)
        .set("active", &row.active);
    audit::write(
        &txn,
        actor,
        "policy_exemption",
        row.id,
        "create",
        changes,
        serde_json::json!({"document_no": row.document_no, "active": row.active}),
    )
    .await?;
    txn.commit().await?;
    PolicyExemptionView::of(&row)
}

#[tracing::instrument(
    name = "policy_exemptions::update",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, exemption_id = id)
)]
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: PolicyExemptionPatch,
) -> Result<PolicyExemptionView> {
    require_admin(actor)?;
    let current = policy_exemption::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("政策豁免文件"))?;
    let mut errors = Vec::new();
    if let Some(items) = &patch.items {
        errors.extend(validate_items(items));
    }
    if let Some(title) = &patch.title {
        check_text("title", title, 300, &mut errors);
    }
    if let Some(covers) = &patch.covers {
        check_text("covers", covers, 4000, &mut errors);
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let txn = db.begin().await?;
    use policy_exemption::Column as C;
    let mut update = super::update_versioned::<policy_exemption::Entity>(id, patch.version);
    if let Some(title) = &patch.title {
        update = update.col_expr(C::Title, Expr::value(title.trim()));
    }
    if let Some(covers) = &patch.covers {
        update = update.col_expr(C::Covers, Expr::value(covers.clone()));
    }
    if let Some(items) = &patch.items {
        update = update.col_expr(C::Items, Expr::value(Json(items.clone())));
    }
    if let Some(note) = &patch.note {
        update = update.col_expr(C::Note, Expr::value(note.clone()));
    }
    if let Some(active) = patch.active {
        update = update.col_expr(C::Active, Expr::value(active));
    }
    super::exec_versioned(&txn, update, "政策豁免文件").await?;
    let mut changes = audit::Changes::new();
    changes
        .patch(
            "title",
            &current.title,
            patch.title.as_ref().map(|t| t.trim().to_owned()).as_ref(),
        )
        .patch("covers", &current.covers, patch.covers.as_ref())
        .patch("note", &current.note, patch.note.as_ref())
        .patch("active", &current.active, patch.active.as_ref());
    if let Some(items) = &patch.items {
        changes.diff(
            "items",
            &serde_json::to_value(&current.items.0).unwrap_or_default(),
            &serde_json::to_value(items).unwrap_or_default(),
        );
    }
    audit::write(
        &txn,
        actor,
        "policy_exemption",
        id,
        "update",
        changes,
        serde_json::json!({"active": patch.active, "items_changed": patch.items.is_some()}),
    )
    .await?;
    txn.commit().await?;
    let row = policy_exemption::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("政策豁免文件"))?;
    PolicyExemptionView::of(&row)
}
