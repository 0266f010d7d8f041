//! Notifications through a transactional outbox, and point-to-point service sheets.
use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per recipient per event: the in-app list and the mail outbox at once.
        manager
            .create_table(
                Table::create()
                    .table("notification")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("idempotency_key"))
                    .col(big_integer_null("user_id"))
                    .col(string_null("email"))
                    .col(string("template"))
                    .col(text("subject"))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    .col(string_null("link"))
                    .col(string_null("entity"))
                    .col(big_integer_null("entity_id"))
                    // pending → sending → sent | failed; skipped when there is no address
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(string_null("locked_by"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("notification", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("notification", &["status", "next_attempt_at"], false))
            .await?;
        manager
            .create_index(index("notification", &["user_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("service_sheet")
                    .col(big_pk_auto("id"))
                    .col(big_integer_uniq("project_id"))
                    .col(big_integer("officer_id"))
                    .col(string_null("bureau_contact_name"))
                    .col(string_null("bureau_contact_phone"))
                    .col(string_null("owner_contact_name"))
                    .col(string_null("owner_contact_phone"))
                    .col(string_null("owner_contact_email"))
                    .col(timestamp_with_time_zone_null("signed_off_at"))
                    .col(big_integer_null("signed_off_by"))
                    .col(text_null("sign_off_note"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("service_sheet", "project_id", "project"))
                    .foreign_key(&mut fk("service_sheet", "officer_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("service_item")
                    .col(big_pk_auto("id"))
                    .col(big_integer("sheet_id"))
                    .col(string("kind"))
                    .col(text("description"))
                    .col(date("promised_on"))
                    .col(string("status"))
                    .col(text_null("evidence"))
                    .col(date_null("done_on"))
                    .col(date_null("urged_on"))
                    .col(date_null("supervised_on"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("service_item", "sheet_id", "service_sheet"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("service_item", &["sheet_id"], false))
            .await?;
        // Who was responsible when: every assignment and reassignment of a sheet.
        manager
            .create_table(
                Table::create()
                    .table("sheet_assignment")
                    .col(big_pk_auto("id"))
                    .col(big_integer("sheet_id"))
                    .col(big_integer("officer_id"))
                    .col(big_integer_null("previous_officer_id"))
                    .col(text_null("reason"))
                    .col(big_integer_null("assigned_by"))
                    .col(timestamp_with_time_zone("assigned_at"))
                    .foreign_key(&mut fk("sheet_assignment", "sheet_id", "service_sheet"))
                    .to_owned(),
            )
            .await
    }
}
