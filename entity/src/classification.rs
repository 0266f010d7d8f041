use domain::classification::RowOutcome;
use domain::ledger::Tier;
use sea_orm::entity::prelude::*;

use crate::Json;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "classification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub tier: Tier,
    pub required: bool,
    /// JSON array of catalogue row numbers.
    #[sea_orm(column_type = "Text")]
    pub catalog_rows: Json<Vec<u16>>,
    /// JSON object of the facts the decision rests on.
    #[sea_orm(column_type = "Text")]
    pub facts: Json<serde_json::Map<String, serde_json::Value>>,
    /// JSON array of per-row outcomes (row, tier, clause, manual).
    #[sea_orm(column_type = "Text")]
    pub row_outcomes: Json<Vec<RowOutcome>>,
    #[sea_orm(column_type = "Text")]
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub manual: bool,
    pub decided_by: Option<i64>,
    pub decided_on: Date,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::Id"
    )]
    Project,
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

crate::stamped!(recorded_at);
