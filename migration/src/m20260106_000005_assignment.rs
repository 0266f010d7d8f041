//! Assignment on arrival: an officer's office phone, shown to the owners of the filings they
//! handle, and the administrators' rules that assign a submitted filing by county and tier.
use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table("app_user")
                    .add_column(string_null("office_phone"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("assignment_rule")
                    .col(big_pk_auto("id"))
                    .col(big_integer("county_id"))
                    // report | report_form | registration_form
                    .col(string("tier"))
                    .col(big_integer("officer_id"))
                    .col(big_integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("assignment_rule", "county_id", "county"))
                    .foreign_key(&mut fk("assignment_rule", "officer_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("assignment_rule", &["county_id", "tier"], true))
            .await?;
        Ok(())
    }
}
