use domain::ledger::Tier;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub project_code: String,
    pub organization_id: i64,
    pub county_id: i64,
    pub provincial: bool,
    pub municipal: bool,
    pub industry: String,
    /// Hundredths of 万元 (one unit = 100 yuan).
    pub total_investment: i64,
    pub point_to_point: bool,
    pub built_before_approval: bool,
    pub penalty_settled: bool,
    pub listed_on: Date,
    pub status_verified_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub current_tier: Option<Tier>,
    pub current_classification_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the project was entered by mistake and removed: it stays, out of lists and
    /// reports, until an administrator restores it.
    pub removed_at: Option<DateTimeUtc>,
    pub removed_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub removed_reason: Option<String>,
    /// The officer's reason for a project code whose division code is not the county's (nor
    /// its city's or province's).
    #[sea_orm(column_type = "Text", nullable)]
    pub cross_county_reason: Option<String>,
    /// The name's pinyin sort key (`domain::sort_key::pinyin_key`), for the ledger's name order.
    pub name_sort_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::county::Entity",
        from = "Column::CountyId",
        to = "super::county::Column::Id"
    )]
    County,
    #[sea_orm(has_many = "super::filing::Entity")]
    Filing,
    #[sea_orm(has_many = "super::classification::Entity")]
    Classification,
    #[sea_orm(has_one = "super::service_sheet::Entity")]
    ServiceSheet,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::county::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::County.def()
    }
}

impl Related<super::filing::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Filing.def()
    }
}

impl Related<super::classification::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Classification.def()
    }
}

impl Related<super::service_sheet::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceSheet.def()
    }
}

crate::versioned!();
