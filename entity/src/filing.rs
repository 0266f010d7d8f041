use domain::filing::{FilingState, Tier};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "filing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub tier: Tier,
    pub state: FilingState,
    pub receipt_no: Option<String>,
    #[sea_orm(unique)]
    pub decision_no: Option<String>,
    /// The officer responsible for the filing.
    pub officer_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::Id"
    )]
    Project,
    #[sea_orm(has_many = "super::filing_event::Entity")]
    Event,
    #[sea_orm(has_many = "super::clock_stop::Entity")]
    ClockStop,
    #[sea_orm(has_many = "super::document::Entity")]
    Document,
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl Related<super::filing_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl Related<super::clock_stop::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ClockStop.def()
    }
}

impl Related<super::document::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Document.def()
    }
}

crate::versioned!();
