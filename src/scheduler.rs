//! The scheduler inside `eiaflow serve`: on every tick it asks the reminder rules what is due
//! today (Asia/Shanghai). The rules write each message once, so a tick repeated, or run by
//! several servers, sends nothing twice.
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use crate::config::Settings;
use crate::services::{reminders, today};

pub async fn run(db: DatabaseConnection, settings: Settings, mut shutdown: watch::Receiver<bool>) {
    tracing::info!("scheduler started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        match reminders::tick(&db, &settings, today()).await {
            Ok(report) if report != reminders::TickReport::default() => {
                tracing::info!(?report, "scheduler wrote notifications");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "scheduler tick failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(settings.scheduler.tick_seconds)) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("scheduler stopped");
}
