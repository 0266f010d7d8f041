//! Mistakes corrected without losing history: a filing step can be voided (the event stays,
//! marked void) and a project entered by mistake removed (the row stays, marked removed, out
//! of lists and reports, restorable).
use sea_orm_migration::{prelude::*, schema::*};

use crate::{add_column, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            "filing_event",
            timestamp_with_time_zone_null("voided_at"),
        )
        .await?;
        add_column(manager, "filing_event", big_integer_null("voided_by")).await?;
        add_column(manager, "filing_event", text_null("void_reason")).await?;
        add_column(
            manager,
            "project",
            timestamp_with_time_zone_null("removed_at"),
        )
        .await?;
        add_column(manager, "project", big_integer_null("removed_by")).await?;
        add_column(manager, "project", text_null("removed_reason")).await?;
        manager
            .create_index(index("project", &["removed_at"], false))
            .await?;
        Ok(())
    }
}
