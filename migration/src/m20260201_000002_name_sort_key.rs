//! The ledger sorts project names in pinyin order (安康 < 北京 < 重庆), the same on SQLite and
//! PostgreSQL: a sort key computed in Rust (`domain::sort_key::pinyin_key`), written whenever a
//! name is, and backfilled here for the projects already in the ledger.
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_column(
            manager,
            "project",
            string("name_sort_key").default("").to_owned(),
        )
        .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        if backend == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            // Compared byte by byte, as SQLite does, whatever the database's locale.
            db.execute_unprepared(
                "ALTER TABLE project ALTER COLUMN name_sort_key TYPE text COLLATE \"C\"",
            )
            .await?;
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, name FROM project",
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            let update = Query::update()
                .table("project")
                .value("name_sort_key", domain::sort_key::pinyin_key(&name))
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        manager
            .create_index(crate::index("project", &["name_sort_key"], false))
            .await
    }
}
