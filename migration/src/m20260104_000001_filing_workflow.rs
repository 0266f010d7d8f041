//! The filing workflow's own records: number sequences for decisions and receipts, clock stops
//! beyond technical evaluation, and uploaded EIA documents.
use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("number_sequence")
                    .col(big_pk_auto("id"))
                    .col(string("kind"))
                    .col(integer("year"))
                    .col(integer("last"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("number_sequence", &["kind", "year"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("clock_stop")
                    .col(big_pk_auto("id"))
                    .col(big_integer("filing_id"))
                    .col(string("reason"))
                    .col(date("from_on"))
                    .col(date_null("to_on"))
                    .col(text_null("note"))
                    .col(big_integer_null("created_by"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("clock_stop", "filing_id", "filing"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("document")
                    .col(big_pk_auto("id"))
                    .col(big_integer("filing_id"))
                    .col(string("file_name"))
                    .col(string("content_type"))
                    .col(big_integer("size"))
                    .col(string_len("sha256", 64))
                    .col(string("stored_as"))
                    .col(big_integer_null("uploaded_by"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .foreign_key(&mut fk("document", "filing_id", "filing"))
                    .to_owned(),
            )
            .await
    }
}
