//! What `GET /metrics` reads from the database when scraped. The outbox is shared by every
//! server on the database, so it is counted there, not in the process that happens to answer.
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use crate::error::Result;
use entity::notification;

/// Notifications by outbox status, in one `GROUP BY` query; statuses with no rows are absent.
#[tracing::instrument(name = "monitoring::outbox_by_status", skip_all)]
pub async fn outbox_by_status<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, u64)>> {
    let rows: Vec<(String, i64)> = notification::Entity::find()
        .select_only()
        .column(notification::Column::Status)
        .column_as(Expr::col(notification::Column::Id).count(), "count")
        .group_by(notification::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(status, n)| (status, u64::try_from(n).unwrap_or_default()))
        .collect())
}
