use domain::role::ActorRole;
use sea_orm::entity::prelude::*;

use crate::Json;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_role: ActorRole,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    /// What changed, in the shape of the action that changed it.
    #[sea_orm(column_type = "Text")]
    pub detail: Json<serde_json::Value>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::stamped!(recorded_at);
