//! Assignment rules (分办规则), kept by administrators: which officer handles a submitted
//! filing of a county and tier when its project has no service-sheet officer. One rule per
//! county and tier; a rule names an active approval officer.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::{Actor, Code, audit};
use crate::domain::FieldError;
use crate::domain::filing::Tier;
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::{app_user, assignment_rule, county};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssignmentRuleView {
    pub id: i64,
    /// County code (GB/T 2260).
    pub county: String,
    pub county_name: String,
    #[schema(value_type = String)]
    pub tier: Tier,
    pub tier_label: &'static str,
    pub officer_id: i64,
    pub officer_name: String,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /assignment-rules`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignmentRule {
    /// County code (GB/T 2260), e.g. 611024.
    pub county: String,
    /// `report`, `report_form` or `registration_form`.
    #[schema(value_type = String)]
    pub tier: Code<Tier>,
    /// An active approval officer.
    pub officer_id: i64,
}

async fn views<C: ConnectionTrait>(
    db: &C,
    rules: Vec<assignment_rule::Model>,
) -> Result<Vec<AssignmentRuleView>> {
    let counties: std::collections::HashMap<i64, county::Model> = county::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let officers: std::collections::HashMap<i64, app_user::Model> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(rules.iter().map(|r| r.officer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rules
        .into_iter()
        .map(|r| {
            let county = counties.get(&r.county_id);
            AssignmentRuleView {
                id: r.id,
                county: county.map(|c| c.code.clone()).unwrap_or_default(),
                county_name: county.map(|c| c.name.clone()).unwrap_or_default(),
                tier: r.tier,
                tier_label: r.tier.label(),
                officer_id: r.officer_id,
                officer_name: officers
                    .get(&r.officer_id)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
                created_by: r.created_by,
                created_at: r.created_at,
            }
        })
        .collect())
}

/// `GET /assignment-rules`: every rule, by county and tier (leaders, officers, administrators).
#[tracing::instrument(name = "assignment_rules::list", skip_all, fields(actor_id = actor.id))]
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<AssignmentRuleView>> {
    if !actor.role.sees_all_projects() {
        return Err(Error::Forbidden("建设单位不能查看分办规则".into()));
    }
    let rules = assignment_rule::Entity::find()
        .order_by_asc(assignment_rule::Column::CountyId)
        .order_by_asc(assignment_rule::Column::Tier)
        .all(db)
        .await?;
    views(db, rules).await
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("只有管理员可以维护分办规则".into()))
    }
}

/// `POST /assignment-rules`: a rule for a county and tier that has none.
#[tracing::instrument(name = "assignment_rules::create", skip_all, fields(actor_id = actor.id))]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewAssignmentRule,
) -> Result<AssignmentRuleView> {
    require_admin(actor)?;
    let mut errors = Vec::new();
    let code = input.county.trim();
    let county = county::Entity::find()
        .filter(county::Column::Code.eq(code))
        .one(db)
        .await?;
    if county.is_none() {
        errors.push(FieldError::new(
            "county",
            "未知的行政区划代码（应为已登记区县的6位代码）",
        ));
    }
    let tier = Code::check(
        Some(input.tier),
        "tier",
        "应为 report、report_form 或 registration_form",
        &mut errors,
    );
    let officer_ok = app_user::Entity::find_by_id(input.officer_id)
        .one(db)
        .await?
        .is_some_and(|u| u.active && u.role == Role::Officer);
    if !officer_ok {
        errors.push(FieldError::new("officer_id", "应为在职审批人员的账号"));
    }
    let (Some(county), Some(tier), true) = (county, tier, errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    let txn = db.begin().await?;
    if let Some(existing) = assignment_rule::Entity::find()
        .filter(assignment_rule::Column::CountyId.eq(county.id))
        .filter(assignment_rule::Column::Tier.eq(tier))
        .one(&txn)
        .await?
    {
        return Err(Error::duplicate(
            "tier",
            format!(
                "{}的{}已有分办规则（编号{}），请先删除再新建",
                county.name,
                tier.label(),
                existing.id
            ),
        ));
    }
    let row = assignment_rule::ActiveModel {
        county_id: Set(county.id),
        tier: Set(tier),
        officer_id: Set(input.officer_id),
        created_by: Set(actor.id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "assignment_rule",
        row.id,
        "create",
        serde_json::json!({"county": county.code, "tier": tier.as_str(), "officer_id": row.officer_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(views(db, vec![row]).await?.remove(0))
}

/// `DELETE /assignment-rules/{id}`.
#[tracing::instrument(name = "assignment_rules::delete", skip_all, fields(actor_id = actor.id, rule_id = id))]
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require_admin(actor)?;
    let txn = db.begin().await?;
    let row = assignment_rule::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("分办规则"))?;
    assignment_rule::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "assignment_rule",
        id,
        "delete",
        serde_json::json!({"county_id": row.county_id, "tier": row.tier.as_str(), "officer_id": row.officer_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
