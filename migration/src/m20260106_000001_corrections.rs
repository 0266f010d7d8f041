//! Mistakes corrected without losing history: a filing step can be voided (the event stays,
//! marked void) and a project entered by mistake removed (the row stays, marked removed, out
//! of lists and reports, restorable).
use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite alters one column per statement.
async fn add(manager: &SchemaManager<'_>, table: &str, column: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table.to_owned())
                .add_column(column)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            "filing_event",
            timestamp_with_time_zone_null("voided_at"),
        )
        .await?;
        add(manager, "filing_event", big_integer_null("voided_by")).await?;
        add(manager, "filing_event", text_null("void_reason")).await?;
        add(
            manager,
            "project",
            timestamp_with_time_zone_null("removed_at"),
        )
        .await?;
        add(manager, "project", big_integer_null("removed_by")).await?;
        add(manager, "project", text_null("removed_reason")).await?;
        manager
            .create_index(index("project", &["removed_at"], false))
            .await?;
        Ok(())
    }
}
