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
    pub current_tier: Option<String>,
    pub current_classification_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
