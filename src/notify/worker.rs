//! The outbox sender inside `eiaflow serve`: claims due messages, sends each through the
//! mailer, marks it sent or schedules a retry. Several processes may run it over one
//! PostgreSQL database; each message is claimed by one of them at a time.
use std::time::Duration;

use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use super::mailer::{Mailer, Outgoing};
use crate::config::MailSettings;
use crate::services::notifications;

pub struct Worker {
    pub id: String,
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub from: Mailbox,
    pub settings: MailSettings,
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        mailer: Mailer,
        settings: MailSettings,
    ) -> anyhow::Result<Worker> {
        let from = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from: {e}"))?;
        let host = hostname();
        Ok(Worker {
            id: format!(
                "{host}:{}:{}",
                std::process::id(),
                uuid::Uuid::new_v4().simple()
            ),
            db,
            mailer,
            from,
            settings,
        })
    }

    /// Claims and sends one batch; returns how many messages it handled.
    pub async fn drain_once(&self) -> crate::error::Result<usize> {
        let batch = notifications::claim(
            &self.db,
            &self.id,
            chrono::Utc::now(),
            chrono::Duration::seconds(self.settings.lease_seconds as i64),
            self.settings.batch_size,
        )
        .await?;
        for row in &batch {
            let Some(to) = row.email.as_deref() else {
                continue;
            };
            let result = self
                .mailer
                .send(
                    &self.from,
                    Outgoing {
                        to,
                        subject: &row.subject,
                        text: &row.body_text,
                        html: &row.body_html,
                        message_id: format!("<notification-{}@eiaflow>", row.id),
                    },
                )
                .await;
            match result {
                Ok(()) => notifications::mark_sent(&self.db, row.id, &self.id).await?,
                Err(e) => {
                    tracing::warn!(notification = row.id, attempt = row.attempts, error = %e, "mail not sent");
                    notifications::mark_failed(
                        &self.db,
                        row,
                        &self.id,
                        &e.to_string(),
                        self.settings.max_attempts,
                        chrono::Duration::seconds(self.settings.backoff_seconds as i64),
                    )
                    .await?;
                }
            }
        }
        Ok(batch.len())
    }

    /// Drains until `shutdown` turns true, sleeping between empty polls.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, "mail worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let handled = match self.drain_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "mail worker could not drain the outbox");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(self.settings.poll_interval_ms)) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
        tracing::info!(worker = %self.id, "mail worker stopped");
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "eiaflow".into())
}
