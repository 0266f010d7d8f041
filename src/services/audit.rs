//! The append-only audit log of ledger changes, written inside the caller's transaction.
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::Actor;
use crate::error::Result;
use entity::Json;

pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: serde_json::Value,
) -> Result<()> {
    entity::audit_event::ActiveModel {
        actor_id: Set(actor.id),
        actor_role: Set(actor.acting_role()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        detail: Set(Json(detail)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
