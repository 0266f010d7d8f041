//! Typed settings: `config/default.toml`, then `config/$EIAFLOW_ENV.toml` when that variable is
//! set, then `EIAFLOW__SECTION__KEY` environment variables. A wrong or missing setting stops
//! start-up with a message naming it; secrets are wrapped so they never print.
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub bureau: BureauSettings,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub demo: DemoSettings,
    pub auth: AuthSettings,
    pub log: LogSettings,
    pub data: DataSettings,
    pub clocks: ClockConfig,
    pub filings: FilingSettings,
    pub mail: MailSettings,
    pub scheduler: SchedulerSettings,
    pub metrics: MetricsSettings,
}

/// `GET /metrics`, the Prometheus scrape endpoint; see `telemetry::metrics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerSettings {
    pub enabled: bool,
    pub tick_seconds: u64,
    pub reminder_working_days: u32,
    pub supervise_after_working_days: u32,
    /// An acceptance or decision past due goes to the officer at once, and to the officer's
    /// leader this many working days after the due date.
    pub overdue_escalate_working_days: u32,
    pub digest_weekday: u32,
    pub province_report_to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTransport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password: SecretString,
    pub timeout_seconds: u64,
    pub worker_enabled: bool,
    pub poll_interval_ms: u64,
    pub batch_size: u64,
    pub max_attempts: i32,
    pub backoff_seconds: u64,
    pub lease_seconds: u64,
}

/// The statutory clocks; see `domain::filing::ClockSettings`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockConfig {
    pub acceptance_working_days: u32,
    pub report_days: u32,
    pub report_form_days: u32,
    pub decision_days_are_working_days: bool,
    pub promised_report_days: u32,
    pub promised_report_form_days: u32,
    pub due_soon_working_days: u32,
}

impl ClockConfig {
    /// The limits in force: a local promise replaces the statutory limit when it is shorter.
    pub fn effective(&self) -> crate::domain::filing::ClockSettings {
        let shorter = |statute: u32, promise: u32| {
            if promise > 0 {
                statute.min(promise)
            } else {
                statute
            }
        };
        crate::domain::filing::ClockSettings {
            acceptance_working_days: self.acceptance_working_days,
            report_days: shorter(self.report_days, self.promised_report_days),
            report_form_days: shorter(self.report_form_days, self.promised_report_form_days),
            decision_days_are_working_days: self.decision_days_are_working_days,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingSettings {
    pub decision_number_format: String,
    pub registration_number_format: String,
    pub max_upload_bytes: usize,
    /// The materials a submission must carry, per tier (`report`, `report_form`,
    /// `registration_form`), as `domain::filing::Material` codes.
    #[serde(default)]
    pub required_materials: crate::domain::filing::RequiredMaterials,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BureauSettings {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub body_limit_bytes: usize,
    pub public_url: String,
    /// Proxies (load balancers) whose `X-Forwarded-For` names the client; from any other peer
    /// the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds a client has to send a request's headers before the connection is closed.
    pub header_read_timeout_seconds: u32,
    /// Connections served at once; further ones wait in the listen queue.
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSettings {
    pub enabled: bool,
    pub password: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub token_ttl_hours: u32,
    pub max_failed_logins: u32,
    /// Sign-in attempts from one client address, over all user names, within the window.
    pub max_logins_per_client: u32,
    pub login_window_minutes: u32,
    /// A session unused this long ends (等保: session time-out); 0 = only the token's expiry.
    pub idle_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSettings {
    pub dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid settings: {0}")]
pub struct SettingsError(pub String);

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Settings {
    /// Reads the settings files from `EIAFLOW_CONFIG_DIR` or `./config`, then the environment.
    pub fn load() -> Result<Settings, SettingsError> {
        let dir = std::env::var_os("EIAFLOW_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("config"));
        let env_name = std::env::var("EIAFLOW_ENV").ok();
        Self::load_from(&dir, env_name.as_deref(), std::env::vars())
    }

    /// Reads settings from `dir`, an optional environment file and the given variables (only
    /// those starting `EIAFLOW__` are used).
    pub fn load_from(
        dir: &Path,
        env_name: Option<&str>,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        let default = dir.join("default.toml");
        if !default.is_file() {
            return Err(SettingsError(format!(
                "settings file {} not found (run from the project folder or set EIAFLOW_CONFIG_DIR)",
                default.display()
            )));
        }
        let mut builder = config::Config::builder().add_source(config::File::from(default));
        if let Some(name) = env_name {
            let file = dir.join(format!("{name}.toml"));
            if !file.is_file() {
                return Err(SettingsError(format!(
                    "EIAFLOW_ENV={name} but {} does not exist",
                    file.display()
                )));
            }
            builder = builder.add_source(config::File::from(file));
        }
        let overrides: config::Map<String, String> = vars
            .into_iter()
            .filter(|(k, _)| k.starts_with("EIAFLOW__"))
            .collect();
        for key in overrides.keys() {
            if key.trim_start_matches("EIAFLOW__").split("__").count() != 2 {
                return Err(SettingsError(format!(
                    "{key}: expected EIAFLOW__SECTION__KEY, e.g. EIAFLOW__SERVER__PORT"
                )));
            }
        }
        builder = builder.add_source(
            config::Environment::with_prefix("EIAFLOW")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                // EIAFLOW__SERVER__TRUSTED_PROXIES=10.0.0.2,10.0.0.3
                .list_separator(",")
                .with_list_parse_key("server.trusted_proxies")
                .source(Some(overrides)),
        );
        let settings: Settings = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| SettingsError(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let fail = |key: &str, why: &str| Err(SettingsError(format!("{key}: {why}")));
        if self.bureau.name.trim().is_empty() {
            return fail("bureau.name", "must not be empty");
        }
        if self.server.port == 0 {
            return fail("server.port", "must be between 1 and 65535");
        }
        if self.server.host.trim().is_empty() {
            return fail("server.host", "must not be empty");
        }
        if self.server.body_limit_bytes < 1024 {
            return fail("server.body_limit_bytes", "must be at least 1024");
        }
        if self.database.max_connections == 0 {
            return fail("database.max_connections", "must be at least 1");
        }
        if self.backend().is_none() {
            return fail(
                "database.url",
                "must start with sqlite:// or postgres:// (the value is not shown because it may hold a password)",
            );
        }
        if self.demo.enabled && self.demo.password.expose_secret().len() < 8 {
            return fail("demo.password", "must be at least 8 characters");
        }
        if !(1..=720).contains(&self.auth.token_ttl_hours) {
            return fail("auth.token_ttl_hours", "must be between 1 and 720");
        }
        if self.auth.max_failed_logins == 0 {
            return fail("auth.max_failed_logins", "must be at least 1");
        }
        if self.auth.max_logins_per_client < self.auth.max_failed_logins {
            return fail(
                "auth.max_logins_per_client",
                "must be at least auth.max_failed_logins",
            );
        }
        if self.auth.login_window_minutes == 0 {
            return fail("auth.login_window_minutes", "must be at least 1");
        }
        if let Err(e) = self.clocks.effective().validate() {
            return fail("clocks", &e.to_string());
        }
        for (key, format) in [
            (
                "filings.decision_number_format",
                &self.filings.decision_number_format,
            ),
            (
                "filings.registration_number_format",
                &self.filings.registration_number_format,
            ),
        ] {
            if !format.contains("{seq}") {
                return fail(key, "must contain {seq} (and usually {year})");
            }
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return fail(
                "mail.from",
                "is not a mail address such as \"局名 <noreply@example.gov.cn>\"",
            );
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_host.trim().is_empty() {
            return fail("mail.smtp_host", "must be set when mail.transport is smtp");
        }
        if self.mail.max_attempts < 1 {
            return fail("mail.max_attempts", "must be at least 1");
        }
        if self.mail.batch_size == 0
            || self.mail.poll_interval_ms == 0
            || self.mail.lease_seconds == 0
        {
            return fail(
                "mail",
                "batch_size, poll_interval_ms and lease_seconds must be positive",
            );
        }
        if self.mail.lease_seconds <= self.mail.timeout_seconds {
            return fail(
                "mail.lease_seconds",
                "must be longer than mail.timeout_seconds (a send must end within its lease)",
            );
        }
        if !(1..=7).contains(&self.scheduler.digest_weekday) {
            return fail(
                "scheduler.digest_weekday",
                "must be 1 (Monday) to 7 (Sunday)",
            );
        }
        if self.scheduler.tick_seconds == 0 {
            return fail("scheduler.tick_seconds", "must be at least 1");
        }
        if !self.scheduler.province_report_to.is_empty()
            && self
                .scheduler
                .province_report_to
                .parse::<lettre::message::Mailbox>()
                .is_err()
        {
            return fail("scheduler.province_report_to", "is not a mail address");
        }
        if self.filings.max_upload_bytes < 1024 {
            return fail("filings.max_upload_bytes", "must be at least 1024");
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return fail(
                "log.level",
                "is not a valid tracing filter such as \"info\"",
            );
        }
        Ok(())
    }

    pub fn backend(&self) -> Option<Backend> {
        let url = self.database.url.expose_secret();
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        Settings::load_from(
            &dir,
            None,
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let s = load(&[]).unwrap();
        assert_eq!(s.server.host, "127.0.0.1");
        assert_eq!(s.server.port, 8080);
        assert_eq!(s.backend(), Some(Backend::Sqlite));
        assert!(s.demo.enabled);
        assert!(s.metrics.enabled);
        let s = load(&[("EIAFLOW__METRICS__ENABLED", "false")]).unwrap();
        assert!(!s.metrics.enabled);
    }

    #[test]
    fn environment_overrides_and_errors_name_the_setting() {
        let s = load(&[("EIAFLOW__SERVER__PORT", "9000")]).unwrap();
        assert_eq!(s.server.port, 9000);
        let e = load(&[("EIAFLOW__SERVER__PORT", "high")]).unwrap_err();
        assert!(e.to_string().contains("port"), "{e}");
        let e = load(&[("EIAFLOW__SERVER__PROT", "1")]).unwrap_err();
        assert!(e.to_string().contains("prot"), "{e}");
        let e = load(&[("EIAFLOW__DATABASE__URL", "mysql://u:secret@h/db")]).unwrap_err();
        assert!(e.to_string().contains("database.url"), "{e}");
        assert!(!e.to_string().contains("secret"), "{e}");
        let e = load(&[("EIAFLOW__LOG__FORMAT", "xml")]).unwrap_err();
        assert!(e.to_string().contains("format"), "{e}");
    }

    #[test]
    fn secrets_do_not_print() {
        let s = load(&[("EIAFLOW__DATABASE__URL", "postgres://u:hunter2@h/db")]).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
