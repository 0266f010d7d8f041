//! The working-day calendar as data: one official holiday schedule per year, loaded from the
//! embedded files on first start and replaceable by an administrator.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("holiday_schedule")
                    .col(big_pk_auto("id"))
                    .col(integer_uniq("year"))
                    .col(text("source"))
                    .col(big_integer_null("loaded_by"))
                    .col(timestamp_with_time_zone("loaded_at"))
                    .to_owned(),
            )
            .await
    }
}
