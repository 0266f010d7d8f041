//! The filing workflow's own records: number sequences for decisions and receipts, clock stops
//! beyond technical evaluation, and uploaded EIA documents.
use sea_orm_migration::{prelude::*, schema::*};

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
            .create_index(
                Index::create()
                    .name("ix_number_sequence_kind_year")
                    .table("number_sequence")
                    .col("kind")
                    .col("year")
                    .unique()
                    .to_owned(),
            )
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_clock_stop_filing_id")
                            .from("clock_stop", "filing_id")
                            .to("filing", "id"),
                    )
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_filing_id")
                            .from("document", "filing_id")
                            .to("filing", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
