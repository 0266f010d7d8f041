use domain::filing::{Action, EventDetail, FilingState};
use domain::role::ActorRole;
use sea_orm::entity::prelude::*;

use crate::Json;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "filing_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub action: Action,
    pub from_state: Option<FilingState>,
    pub to_state: FilingState,
    pub actor_id: Option<i64>,
    pub actor_role: ActorRole,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    /// What the action carried (missing items, grounds, numbers).
    #[sea_orm(column_type = "Text")]
    pub detail: Json<EventDetail>,
    pub effective_on: Date,
    pub recorded_at: DateTimeUtc,
    /// Set when an officer voided this step: the event stays in the history, marked void, and
    /// the state before it returns.
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::filing::Entity",
        from = "Column::FilingId",
        to = "super::filing::Column::Id"
    )]
    Filing,
}

impl Related<super::filing::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Filing.def()
    }
}

crate::stamped!(recorded_at);
