//! Outgoing mail: message templates, the transports, and the worker that drains the outbox the
//! services write. Nothing here is sent inside a request.
pub mod mailer;
pub mod scheduler;
pub mod templates;
pub mod worker;
