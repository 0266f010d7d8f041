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
    /// The request that made the change (`x-request-id`); none for the system's own work.
    pub request_id: Option<String>,
    /// The fields it changed, each `{field, old, new}` with display-ready values; null for an
    /// event written before field-level trails.
    #[sea_orm(column_type = "Text", nullable)]
    pub changes: Option<Json<Vec<FieldChange>>>,
    /// The project the change belongs to, when it belongs to one (filings, documents, sheets…).
    pub project_id: Option<i64>,
    /// The organisation the change belongs to (its own record, or its project's).
    pub organization_id: Option<i64>,
}

/// One field's change: the value before and after, as shown to a reader (money as the decimal
/// string, enums as their codes, dates as ISO dates).
///
/// Stored without an empty side (`old` of a created record's field, `new` of a cleared one): an
/// absent side reads back as `null`, so the record loses nothing and a created record's trail
/// is shorter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub old: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub new: serde_json::Value,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::stamped!(recorded_at);
