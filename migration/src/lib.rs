//! Database schema migrations for eiaflow, applied in order on start and by `eiaflow migrate`.
pub use sea_orm_migration::prelude::*;

mod m20260101_000001_ledger;
mod m20260102_000001_calendar;
mod m20260103_000001_policy_exemption;
mod m20260104_000001_filing_workflow;
mod m20260105_000001_notifications;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_ledger::Migration),
            Box::new(m20260102_000001_calendar::Migration),
            Box::new(m20260103_000001_policy_exemption::Migration),
            Box::new(m20260104_000001_filing_workflow::Migration),
            Box::new(m20260105_000001_notifications::Migration),
        ]
    }
}
