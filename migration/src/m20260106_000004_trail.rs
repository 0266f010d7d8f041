//! The trail of every change: each audit event carries the request it came from, the fields it
//! changed (`{field, old, new}`), and the project and organisation it belongs to, so a
//! project's or an organisation's trail is one indexed read; the table refuses UPDATE and
//! DELETE. Also: a document withdrawn before acceptance (the row stays, marked), a cancelled
//! service item's reason, and the officer's reason for a cross-county project code.
use sea_orm_migration::{prelude::*, schema::*};

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::{add_column, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "audit_event", text_null("request_id")).await?;
        add_column(manager, "audit_event", text_null("changes")).await?;
        add_column(manager, "audit_event", big_integer_null("project_id")).await?;
        add_column(manager, "audit_event", big_integer_null("organization_id")).await?;
        manager
            .create_index(index("audit_event", &["project_id", "id"], false))
            .await?;
        manager
            .create_index(index("audit_event", &["organization_id", "id"], false))
            .await?;

        add_column(
            manager,
            "document",
            timestamp_with_time_zone_null("withdrawn_at"),
        )
        .await?;
        add_column(manager, "document", big_integer_null("withdrawn_by")).await?;
        add_column(manager, "document", text_null("withdraw_reason")).await?;

        add_column(manager, "service_item", text_null("cancel_reason")).await?;
        add_column(manager, "project", text_null("cross_county_reason")).await?;

        // The trail is append-only: no endpoint changes it, and the database refuses to.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ \
                     BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; \
                     $$ LANGUAGE plpgsql",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event \
                     FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
                )
                .await?;
            }
            DatabaseBackend::Sqlite => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_event_no_{} BEFORE {op} ON audit_event \
                         BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
                        op.to_lowercase()
                    ))
                    .await?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}
