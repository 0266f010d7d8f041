//! The outbox sender inside `eiaflow serve`: claims due messages, sends each through the
//! mailer, marks it sent or schedules a retry. Several processes may run it over one
//! PostgreSQL database; each message is claimed by one of them at a time.
use std::time::Duration;

use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::mailer::{Mailer, Outgoing};
use crate::config::MailSettings;
use crate::services::notifications;
use crate::telemetry::metrics;
use entity::notification;

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
    #[tracing::instrument(
        name = "outbox_batch",
        skip_all,
        fields(worker = %self.id, claimed = Empty)
    )]
    pub async fn drain_once(&self) -> crate::error::Result<usize> {
        let batch = notifications::claim(
            &self.db,
            &self.id,
            chrono::Utc::now(),
            chrono::Duration::seconds(self.settings.lease_seconds as i64),
            self.settings.batch_size,
        )
        .await?;
        Span::current().record("claimed", batch.len());
        for row in &batch {
            let span = tracing::info_span!(
                "deliver",
                notification_id = row.id,
                template = %row.template,
                attempt = row.attempts,
                outcome = Empty,
            );
            let outcome = self.deliver(row).instrument(span.clone()).await?;
            span.record("outcome", outcome);
            metrics::record_delivery(outcome);
        }
        Ok(batch.len())
    }

    /// Sends one claimed message and records the result; returns the outcome's label.
    async fn deliver(&self, row: &notification::Model) -> crate::error::Result<&'static str> {
        let Some(to) = row.email.as_deref() else {
            return Ok("no_address");
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
            Ok(()) => {
                notifications::mark_sent(&self.db, row.id, &self.id).await?;
                Ok("sent")
            }
            Err(e) => {
                tracing::warn!(error = %e, "mail not sent");
                notifications::mark_failed(
                    &self.db,
                    row,
                    &self.id,
                    &e.to_string(),
                    self.settings.max_attempts,
                    chrono::Duration::seconds(self.settings.backoff_seconds as i64),
                )
                .await?;
                // `mark_failed` parks by this rule but does not say whether it did.
                Ok(if row.attempts >= self.settings.max_attempts {
                    "parked"
                } else {
                    "retry"
                })
            }
        }
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
                    tracing::error!(worker = %self.id, error = format!("{e:#}"), "mail worker could not drain the outbox");
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
