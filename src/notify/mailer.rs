//! Mail transports: SMTP (STARTTLS, implicit TLS or plain, with credentials) for real use, and
//! `.eml` files under the data directory for the embedded default.
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{MailSettings, MailTransport, SmtpSecurity};

/// Where outgoing mail goes.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
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
}

impl Mailer {
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
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(Some(mail.message_id))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.text.to_owned()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(mail.html.to_owned()),
                    ),
            )?;
        match self {
            Mailer::Smtp(t) => {
                t.send(message).await?;
            }
            Mailer::File(t) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}
