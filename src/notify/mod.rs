//! Every message the service sends: one type per message with its composition
//! (`messages/`, worded by the template files under `templates/mail/`), the lettre transports
//! (`mailer`) and the worker that drains the outbox. Services only enqueue; nothing here is sent
//! inside a request, and nothing here touches the database except through the worker's
//! [`worker::Outbox`].
pub mod mailer;
pub mod messages;
pub mod templates;
pub mod worker;
