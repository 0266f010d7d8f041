//! The ledger (台账): divisions, owner organisations, accounts and tokens, key projects, their
//! classification decisions, filings with their dated history, and the audit log.
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
                    .table("county")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("code", 6))
                    .col(string("name"))
                    .col(string_len("city_code", 6))
                    .col(string("city_name"))
                    .col(integer("sort_order"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("organization")
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(string_len_uniq("credit_code", 18))
                    .col(string_null("contact_name"))
                    .col(string_null("contact_phone"))
                    .col(string_null("contact_email"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("app_user")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("username"))
                    .col(string("display_name"))
                    .col(string("password_hash"))
                    .col(string("role"))
                    .col(big_integer_null("organization_id"))
                    .col(string_null("email"))
                    // The leader an officer's overdue service items are escalated to (督办).
                    .col(big_integer_null("supervisor_id"))
                    .col(boolean("active"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("app_user", "organization_id", "organization"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("auth_token")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("auth_token", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("project")
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(string_len_uniq("project_code", 24))
                    .col(big_integer("organization_id"))
                    .col(big_integer("county_id"))
                    .col(boolean("provincial"))
                    .col(boolean("municipal"))
                    .col(string("industry"))
                    // Hundredths of 万元 (one unit = 100 yuan): exact, summed as integers.
                    .col(big_integer("total_investment"))
                    .col(boolean("point_to_point"))
                    .col(boolean("built_before_approval"))
                    .col(boolean("penalty_settled"))
                    .col(date("listed_on"))
                    .col(date_null("status_verified_on"))
                    .col(text_null("description"))
                    .col(string_null("current_tier"))
                    .col(big_integer_null("current_classification_id"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("project", "organization_id", "organization"))
                    .foreign_key(&mut fk("project", "county_id", "county"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("project", &["organization_id"], false))
            .await?;
        manager
            .create_index(index("project", &["county_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("classification")
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("tier"))
                    .col(boolean("required"))
                    .col(text("catalog_rows"))
                    .col(text("facts"))
                    .col(text("row_outcomes"))
                    .col(text("basis"))
                    .col(string_null("policy_exemption"))
                    .col(boolean("manual"))
                    .col(big_integer_null("decided_by"))
                    .col(date("decided_on"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut fk("classification", "project_id", "project"))
                    .foreign_key(&mut fk("classification", "decided_by", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("classification", &["project_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("filing")
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("tier"))
                    .col(string("state"))
                    .col(string_null("receipt_no"))
                    .col(string_null("decision_no"))
                    .col(big_integer_null("officer_id"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("filing", "project_id", "project"))
                    .foreign_key(&mut fk("filing", "officer_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("filing", &["project_id"], false))
            .await?;
        manager
            .create_index(index("filing", &["decision_no"], true))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("filing_event")
                    .col(big_pk_auto("id"))
                    .col(big_integer("filing_id"))
                    .col(string("action"))
                    .col(string_null("from_state"))
                    .col(string("to_state"))
                    .col(big_integer_null("actor_id"))
                    .col(string("actor_role"))
                    .col(text_null("reason"))
                    // JSON: what the action carried (missing items, grounds, numbers, dates).
                    .col(text("detail"))
                    .col(date("effective_on"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut fk("filing_event", "filing_id", "filing"))
                    .foreign_key(&mut fk("filing_event", "actor_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("filing_event", &["filing_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("actor_id"))
                    .col(string("actor_role"))
                    .col(string("entity"))
                    .col(big_integer("entity_id"))
                    .col(string("action"))
                    .col(text("detail"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("audit_event", &["entity", "entity_id"], false))
            .await?;
        Ok(())
    }
}
