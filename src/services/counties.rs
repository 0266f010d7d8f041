//! County-level divisions (GB/T 2260) the ledger's projects are located in. Shangluo's seven are
//! seeded on first start; another city loads its own.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::{Actor, audit};
use crate::domain::FieldError;
use crate::domain::ledger::{SHANGLUO, SHANGLUO_DIVISIONS};
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::county;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CountyView {
    pub id: i64,
    /// GB/T 2260 code, e.g. 611024
    pub code: String,
    pub name: String,
    pub city_code: String,
    pub city_name: String,
}

impl From<&county::Model> for CountyView {
    fn from(c: &county::Model) -> Self {
        CountyView {
            id: c.id,
            code: c.code.clone(),
            name: c.name.clone(),
            city_code: c.city_code.clone(),
            city_name: c.city_name.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCounty {
    pub code: String,
    pub name: String,
    pub city_code: String,
    pub city_name: String,
}

#[tracing::instrument(name = "counties::list", skip_all)]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    query: super::paging::PageQuery,
) -> Result<super::paging::Page<CountyView>> {
    let mut errors = Vec::new();
    let paging = super::paging::Paging::check(query.page, query.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let select = county::Entity::find()
        .order_by_asc(county::Column::SortOrder)
        .order_by_asc(county::Column::Code);
    Ok(paging
        .fetch(db, select)
        .await?
        .map(|c| CountyView::from(&c)))
}

fn is_division_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

#[tracing::instrument(
    name = "counties::create",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, code = %input.code)
)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewCounty,
) -> Result<CountyView> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("只有管理员可以维护行政区划".into()));
    }
    let mut errors = Vec::new();
    if !is_division_code(input.code.trim()) {
        errors.push(FieldError::new(
            "code",
            "行政区划代码应为6位数字（GB/T 2260）",
        ));
    }
    if !is_division_code(input.city_code.trim()) {
        errors.push(FieldError::new(
            "city_code",
            "行政区划代码应为6位数字（GB/T 2260）",
        ));
    }
    for (field, value) in [("name", &input.name), ("city_name", &input.city_name)] {
        if value.trim().is_empty() || value.chars().count() > 50 {
            errors.push(FieldError::new(field, "名称不能为空且不超过50字"));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let code = input.code.trim().to_owned();
    if county::Entity::find()
        .filter(county::Column::Code.eq(&code))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::duplicate(
            "code",
            format!("行政区划代码 {code} 已被使用"),
        ));
    }
    let txn = db.begin().await?;
    let sort_order = county::Entity::find().count(&txn).await? as i32 + 1;
    let row = county::ActiveModel {
        code: Set(code),
        name: Set(input.name.trim().to_owned()),
        city_code: Set(input.city_code.trim().to_owned()),
        city_name: Set(input.city_name.trim().to_owned()),
        sort_order: Set(sort_order),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = audit::Changes::new();
    changes
        .set("code", &row.code)
        .set("name", &row.name)
        .set("parent_code", &row.city_code);
    audit::write(
        &txn,
        actor,
        "county",
        row.id,
        "create",
        changes,
        serde_json::json!({"code": row.code, "name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(CountyView::from(&row))
}

/// Seeds Shangluo's seven divisions into an empty county table.
#[tracing::instrument(name = "counties::seed_shangluo", skip_all)]
pub async fn seed_shangluo<C: ConnectionTrait>(db: &C) -> Result<()> {
    if county::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let rows = SHANGLUO_DIVISIONS
        .iter()
        .enumerate()
        .map(|(i, d)| county::ActiveModel {
            code: Set(d.code.to_owned()),
            name: Set(d.name.to_owned()),
            city_code: Set(SHANGLUO.0.to_owned()),
            city_name: Set(SHANGLUO.1.to_owned()),
            sort_order: Set(i as i32 + 1),
            ..Default::default()
        });
    county::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}
