//! Indexes for the report's SQL (`src/services/reports.rs`): the classification in force on a
//! date (a project's latest decision on or before it), a filing's state on a date (its latest
//! step effective on or before it) and the projects listed by a date.
use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(
                "classification",
                &["project_id", "decided_on"],
                false,
            ))
            .await?;
        manager
            .create_index(index("filing_event", &["filing_id", "effective_on"], false))
            .await?;
        manager
            .create_index(index("project", &["listed_on"], false))
            .await?;
        Ok(())
    }
}
