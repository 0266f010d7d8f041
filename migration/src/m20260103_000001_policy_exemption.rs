//! Policy exemptions (政策豁免) as data: national and provincial lists that free certain project
//! types from EIA procedures, each with its document number, maintained by administrators.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("policy_exemption")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("document_no"))
                    .col(string("title"))
                    .col(string("issuer"))
                    .col(date("issued_on"))
                    .col(string("jurisdiction"))
                    .col(text("covers"))
                    .col(text("items"))
                    .col(text_null("note"))
                    .col(boolean("active"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await
    }
}
