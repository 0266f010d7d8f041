//! The approval process as the law runs it: hearing requests kept on the filing, clock stops
//! that can be closed or voided, and documents that say which required material they are and
//! whether they are the copy for public disclosure.
use sea_orm_migration::{prelude::*, schema::*};

use crate::{add_column, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "clock_stop", big_integer_null("closed_by")).await?;
        add_column(
            manager,
            "clock_stop",
            timestamp_with_time_zone_null("closed_at"),
        )
        .await?;
        add_column(
            manager,
            "clock_stop",
            timestamp_with_time_zone_null("voided_at"),
        )
        .await?;
        add_column(manager, "clock_stop", big_integer_null("voided_by")).await?;
        add_column(manager, "clock_stop", text_null("void_reason")).await?;

        add_column(manager, "document", string_null("material")).await?;
        add_column(
            manager,
            "document",
            boolean("public_disclosure").default(false).to_owned(),
        )
        .await?;

        // 听证申请: asked for during the pre-decision notice by the owner or the public; open
        // until held or withdrawn, and while open no decision is taken.
        manager
            .create_table(
                Table::create()
                    .table("hearing_request")
                    .col(big_pk_auto("id"))
                    .col(big_integer("filing_id"))
                    // owner | public
                    .col(string("party"))
                    .col(string("requester"))
                    .col(date("requested_on"))
                    .col(text_null("note"))
                    // requested | held | withdrawn
                    .col(string("status"))
                    .col(date_null("closed_on"))
                    .col(text_null("outcome"))
                    .col(big_integer_null("clock_stop_id"))
                    .col(big_integer_null("recorded_by"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("hearing_request", "filing_id", "filing"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("hearing_request", &["filing_id"], false))
            .await?;
        Ok(())
    }
}
