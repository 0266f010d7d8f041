use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "classification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub tier: String,
    pub required: bool,
    /// JSON array of catalogue row numbers.
    #[sea_orm(column_type = "Text")]
    pub catalog_rows: String,
    /// JSON object of the facts the decision rests on.
    #[sea_orm(column_type = "Text")]
    pub facts: String,
    /// JSON array of per-row outcomes (row, tier, clause, manual).
    #[sea_orm(column_type = "Text")]
    pub row_outcomes: String,
    #[sea_orm(column_type = "Text")]
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub manual: bool,
    pub decided_by: Option<i64>,
    pub decided_on: Date,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
