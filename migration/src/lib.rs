//! Database schema migrations for eiaflow, applied in order on start and by `eiaflow migrate`.
pub use sea_orm_migration::prelude::*;

mod m20260101_000001_ledger;
mod m20260102_000001_calendar;
mod m20260103_000001_policy_exemption;
mod m20260104_000001_filing_workflow;
mod m20260105_000001_notifications;
mod m20260106_000001_corrections;
mod m20260106_000002_reports;
mod m20260106_000003_accounts;
mod m20260106_000004_trail;
mod m20260106_000005_assignment;
mod m20260106_000006_process;
mod m20260201_000001_sessions;
mod m20260201_000002_name_sort_key;
mod m20261201_000001_monthly_report;
mod m20261202_000001_sign_in_attempt;
mod m20261202_000002_token_stamp;

/// A foreign key named after its table and column.
pub(crate) fn fk(table: &str, column: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table.to_owned(), column.to_owned())
        .to(target.to_owned(), "id")
        .to_owned()
}

/// Adds one column to a table (SQLite alters one column per statement).
pub(crate) async fn add_column(
    manager: &SchemaManager<'_>,
    table: &str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table.to_owned())
                .add_column(column)
                .to_owned(),
        )
        .await
}

/// An index named after its table and columns.
pub(crate) fn index(table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_")))
        .table(table.to_owned());
    for column in columns {
        stmt.col(ToString::to_string(column));
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_ledger::Migration),
            Box::new(m20260102_000001_calendar::Migration),
            Box::new(m20260103_000001_policy_exemption::Migration),
            Box::new(m20260104_000001_filing_workflow::Migration),
            Box::new(m20260105_000001_notifications::Migration),
            Box::new(m20260106_000001_corrections::Migration),
            Box::new(m20260106_000002_reports::Migration),
            Box::new(m20260106_000006_process::Migration),
            Box::new(m20260106_000003_accounts::Migration),
            Box::new(m20260106_000005_assignment::Migration),
            Box::new(m20260106_000004_trail::Migration),
            Box::new(m20260201_000001_sessions::Migration),
            Box::new(m20260201_000002_name_sort_key::Migration),
            Box::new(m20261201_000001_monthly_report::Migration),
            Box::new(m20261202_000001_sign_in_attempt::Migration),
            Box::new(m20261202_000002_token_stamp::Migration),
        ]
    }
}
