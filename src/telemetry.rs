//! Logging: human-readable lines by default, JSON lines with `log.format = "json"`; every line
//! inside a request carries its request id. `metrics` holds the Prometheus counters.
pub mod metrics;

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, LogSettings};

pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours for a person at a terminal, plain text for files and journals.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    let result = match settings.format {
        LogFormat::Human => builder.try_init(),
        // The whole list of spans, not only the innermost: a line logged inside a service's
        // span must still carry the request span's id, route and user.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
}
