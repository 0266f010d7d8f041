//! The outbox sender inside `eiaflow serve`: claims due messages, sends each through the
//! mailer, marks it sent or schedules a retry. Several processes may run it over one
//! PostgreSQL database; each message is claimed by one of them at a time.
use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use tokio::sync::watch;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::mailer::{Attachment, Mailer, Outgoing};
use crate::config::MailSettings;
use crate::error::Result;
use crate::telemetry::metrics;

/// A message claimed for sending, as the outbox holds it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    /// The message's template, for the logs.
    pub template: String,
    /// None for a notice shown in the app only.
    pub to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// Files it carries, built by the outbox from the record the row names (the approved
    /// monthly report's stored workbook), so every attempt sends the same bytes.
    pub attachments: Vec<Attachment>,
}

/// Where the worker takes messages from and reports back: the services implement it over the
/// notification table (for `DatabaseConnection`), so the worker itself writes no SQL and
/// `notify` does not depend on `services`.
pub trait Outbox: Send + Sync + 'static {
    /// Claims up to `batch` due messages for `worker` until `at + lease`.
    fn claim(
        &self,
        worker: &str,
        at: DateTime<Utc>,
        lease: chrono::Duration,
        batch: u64,
    ) -> impl Future<Output = Result<Vec<Claimed>>> + Send;

    /// Marks a message sent, if `worker` still holds it.
    fn mark_sent(&self, id: i64, worker: &str) -> impl Future<Output = Result<()>> + Send;

    /// Records a failed attempt: retried after a backoff, or parked after `max_attempts`.
    fn mark_failed(
        &self,
        message: &Claimed,
        worker: &str,
        error: &str,
        max_attempts: i32,
        backoff: chrono::Duration,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// By default over the database's notification table (see `services::notifications`).
pub struct Worker<O: Outbox = sea_orm::DatabaseConnection> {
    pub id: String,
    pub outbox: O,
    pub mailer: Mailer,
    pub from: Mailbox,
    pub settings: MailSettings,
}

impl<O: Outbox> Worker<O> {
    pub fn new(outbox: O, mailer: Mailer, settings: MailSettings) -> anyhow::Result<Worker<O>> {
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
            outbox,
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
    pub async fn drain_once(&self) -> Result<usize> {
        let batch = self
            .outbox
            .claim(
                &self.id,
                Utc::now(),
                chrono::Duration::seconds(self.settings.lease_seconds as i64),
                self.settings.batch_size,
            )
            .await?;
        Span::current().record("claimed", batch.len());
        // A send begun after the lease's last `timeout_seconds` could still be under way when
        // the claim lapses and another server takes the message: those are left to be claimed
        // again instead (unsent, so nothing is sent twice).
        let started = std::time::Instant::now();
        let last_start = std::time::Duration::from_secs(
            self.settings
                .lease_seconds
                .saturating_sub(self.settings.timeout_seconds),
        );
        for (i, row) in batch.iter().enumerate() {
            if started.elapsed() >= last_start {
                tracing::info!(
                    left = batch.len() - i,
                    "lease running out: leaving the rest"
                );
                return Ok(i);
            }
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
    async fn deliver(&self, row: &Claimed) -> Result<&'static str> {
        let Some(to) = row.to.as_deref() else {
            return Ok("no_address");
        };
        let result = self
            .mailer
            .send(
                &self.from,
                Outgoing {
                    to,
                    subject: &row.subject,
                    text: &row.text,
                    html: &row.html,
                    message_id: format!("<notification-{}@eiaflow>", row.id),
                    attachments: &row.attachments,
                },
            )
            .await;
        match result {
            Ok(()) => {
                self.outbox.mark_sent(row.id, &self.id).await?;
                Ok("sent")
            }
            Err(e) => {
                tracing::warn!(error = %e, "mail not sent");
                self.outbox
                    .mark_failed(
                        row,
                        &self.id,
                        &e.to_string(),
                        self.settings.max_attempts,
                        chrono::Duration::seconds(self.settings.backoff_seconds as i64),
                    )
                    .await?;
                // The outbox parks a message by this same rule.
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
