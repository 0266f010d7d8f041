//! The province's monthly report (陕环环评函〔2025〕46号) as a reviewed document: drafted by the
//! scheduler with the month's figures frozen, approved by an officer, sent with its workbook.
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
                    .table("monthly_report")
                    .col(big_pk_auto("id"))
                    // YYYY-MM; unique, so two schedulers drafting at once write one row.
                    .col(string_uniq("month"))
                    // draft → approved → sent
                    .col(string("status"))
                    // The figures taken when drafted, as JSON text.
                    .col(text("figures"))
                    .col(timestamp_with_time_zone("drafted_at"))
                    .col(big_integer_null("drafted_by"))
                    .col(big_integer_null("approved_by"))
                    .col(timestamp_with_time_zone_null("approved_at"))
                    // Where the approved report goes; null when no address was configured.
                    .col(string_null("send_to"))
                    // The workbook as approved: what the province receives, byte for byte.
                    .col(blob_null("file"))
                    .col(string_null("file_name"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("monthly_report", "drafted_by", "app_user"))
                    .foreign_key(&mut fk("monthly_report", "approved_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("monthly_report", &["status"], false))
            .await
    }
}
