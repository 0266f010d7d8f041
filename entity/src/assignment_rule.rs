use domain::filing::Tier;
use sea_orm::entity::prelude::*;

/// 分办规则 — who handles a submitted filing of a county and tier when the project has no
/// service-sheet officer. One rule per county and tier.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_id: i64,
    pub tier: Tier,
    pub officer_id: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::county::Entity",
        from = "Column::CountyId",
        to = "super::county::Column::Id"
    )]
    County,
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::OfficerId",
        to = "super::app_user::Column::Id"
    )]
    Officer,
}

impl Related<super::county::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::County.def()
    }
}

crate::stamped!(created_at);
