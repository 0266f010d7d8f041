//! The scheduler inside `eiaflow serve`: on every tick it asks the reminder rules what is due
//! today (Asia/Shanghai). The rules write each message once, so a tick repeated, or run by
//! several servers, sends nothing twice.
use std::time::Duration;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use crate::config::Settings;
use crate::services::{reminders, today};
use crate::telemetry::metrics;

pub async fn run(db: DatabaseConnection, settings: Settings, mut shutdown: watch::Receiver<bool>) {
    tracing::info!("scheduler started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        run_reminders(&db, &settings, today()).await;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(settings.scheduler.tick_seconds)) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("scheduler stopped");
}

/// One run of the reminder rules, in its own span, counted by outcome.
#[tracing::instrument(
    name = "scheduler_job",
    skip_all,
    fields(job = metrics::JOB_REMINDERS, %today)
)]
async fn run_reminders(db: &DatabaseConnection, settings: &Settings, today: NaiveDate) {
    let result = reminders::tick(db, settings, today).await;
    match &result {
        Ok(report) if *report != reminders::TickReport::default() => {
            tracing::info!(?report, "scheduler wrote notifications");
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = format!("{e:#}"), "scheduler tick failed"),
    }
    metrics::record_scheduler_run(metrics::JOB_REMINDERS, result.is_ok());
}
