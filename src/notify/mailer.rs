//! Mail transports: SMTP (STARTTLS, implicit TLS or plain, with credentials) for real use,
//! `.eml` files under the data directory for the embedded default, and memory for tests that
//! read what was sent.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{MailSettings, MailTransport, SmtpSecurity};

/// Where outgoing mail goes.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
    /// Keeps every message instead of sending it; see [`MemoryTransport`].
    Memory(MemoryTransport),
}

/// A message as the memory transport kept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    /// The sender as written in the `From` header.
    pub from: String,
    /// The envelope recipients.
    pub to: Vec<String>,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// The `Message-ID` header, angle brackets included.
    pub message_id: String,
    /// The whole message as it would have gone on the wire.
    pub raw: Vec<u8>,
}

/// The in-memory transport: a shared list of the messages "delivered" through it, in order.
/// Clones share the list, so a test keeps one clone and hands the mailer another. Messages are
/// built exactly as for the other transports (an unusable address still fails the send).
#[derive(Debug, Clone, Default)]
pub struct MemoryTransport {
    sent: Arc<Mutex<Vec<SentMail>>>,
}

impl MemoryTransport {
    pub fn new() -> MemoryTransport {
        MemoryTransport::default()
    }

    /// Every message delivered so far, oldest first.
    pub fn messages(&self) -> Vec<SentMail> {
        self.lock().clone()
    }

    /// Every message delivered so far, oldest first, emptying the list.
    pub fn take(&self) -> Vec<SentMail> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SentMail>> {
        // A test that panicked while holding the lock leaves a list that is still whole.
        self.sent.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A file a message carries (the monthly report's workbook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    /// Its media type, e.g. `excel::write::XLSX`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One message to send.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// Identifies the outbox row in the message headers, so a resend after a crash can be
    /// recognised downstream.
    pub message_id: String,
    /// Files sent with it; a message with none is the plain text-and-HTML alternative.
    pub attachments: &'a [Attachment],
}

impl Mailer {
    /// A mailer that keeps messages in `transport` instead of sending them.
    pub fn memory(transport: &MemoryTransport) -> Mailer {
        Mailer::Memory(transport.clone())
    }

    pub fn from_settings(
        settings: &MailSettings,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Mailer> {
        match settings.transport {
            MailTransport::File => {
                let dir = data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("mail: cannot create {}: {e}", dir.display()))?;
                Ok(Mailer::File(AsyncFileTransport::new(dir)))
            }
            MailTransport::Smtp => {
                let host = settings.smtp_host.as_str();
                let builder = match settings.smtp_security {
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?
                    }
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    }
                };
                let mut builder = builder
                    .port(settings.smtp_port)
                    .timeout(Some(Duration::from_secs(settings.timeout_seconds)));
                if !settings.smtp_username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        settings.smtp_username.clone(),
                        settings.smtp_password.expose_secret().to_owned(),
                    ));
                }
                Ok(Mailer::Smtp(builder.build()))
            }
        }
    }

    pub async fn send(&self, from: &Mailbox, mail: Outgoing<'_>) -> anyhow::Result<()> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| anyhow::anyhow!("recipient address {}: {e}", mail.to))?;
        let body = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.text.to_owned()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(mail.html.to_owned()),
            );
        let body = if mail.attachments.is_empty() {
            body
        } else {
            let mut mixed = MultiPart::mixed().multipart(body);
            for a in mail.attachments {
                let content_type = ContentType::parse(&a.content_type)
                    .map_err(|e| anyhow::anyhow!("attachment {}: {e}", a.filename))?;
                mixed = mixed
                    .singlepart(Part::new(a.filename.clone()).body(a.bytes.clone(), content_type));
            }
            mixed
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(Some(mail.message_id.clone()))
            .multipart(body)?;
        match self {
            Mailer::Smtp(t) => {
                t.send(message).await?;
            }
            Mailer::File(t) => {
                t.send(message).await?;
            }
            Mailer::Memory(t) => {
                let sent = SentMail {
                    from: from.to_string(),
                    to: message
                        .envelope()
                        .to()
                        .iter()
                        .map(|a| a.to_string())
                        .collect(),
                    subject: mail.subject.to_owned(),
                    text: mail.text.to_owned(),
                    html: mail.html.to_owned(),
                    message_id: mail.message_id,
                    raw: message.formatted(),
                };
                t.lock().push(sent);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing<'a>(to: &'a str, n: u32) -> Outgoing<'a> {
        Outgoing {
            to,
            subject: "补正通知",
            text: "请补充材料",
            html: "<p>请补充材料</p>",
            message_id: format!("<notification-{n}@eiaflow>"),
            attachments: &[],
        }
    }

    #[tokio::test]
    async fn the_memory_transport_keeps_what_it_is_given_in_order() {
        let transport = MemoryTransport::new();
        let mailer = Mailer::memory(&transport);
        let from: Mailbox = "商洛市生态环境局 <noreply@eia.example.gov.cn>"
            .parse()
            .unwrap();
        mailer
            .send(&from, outgoing("a@example.cn", 1))
            .await
            .unwrap();
        mailer
            .send(&from, outgoing("b@example.cn", 2))
            .await
            .unwrap();
        let sent = transport.messages();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].to, ["a@example.cn"]);
        assert_eq!(sent[1].to, ["b@example.cn"]);
        assert_eq!(sent[0].subject, "补正通知");
        assert_eq!(sent[0].text, "请补充材料");
        assert_eq!(sent[0].html, "<p>请补充材料</p>");
        assert_eq!(sent[0].message_id, "<notification-1@eiaflow>");
        assert!(sent[0].from.contains("noreply@eia.example.gov.cn"));
        let raw = String::from_utf8_lossy(&sent[0].raw);
        assert!(
            raw.contains("Message-ID: <notification-1@eiaflow>"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert_eq!(transport.take().len(), 2);
        assert!(transport.messages().is_empty());
    }

    #[tokio::test]
    async fn the_memory_transport_refuses_an_unusable_address_like_the_others() {
        let transport = MemoryTransport::new();
        let from: Mailbox = "noreply@eia.example.gov.cn".parse().unwrap();
        let result = Mailer::memory(&transport)
            .send(&from, outgoing("not an address", 1))
            .await;
        assert!(result.is_err());
        assert!(transport.messages().is_empty());
    }
}
