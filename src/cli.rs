//! The `eiaflow` command: `serve` (the default), `migrate`, `user create`, `seed-demo`,
//! `import`.
use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::domain::role::Role;
use crate::http::{AppState, app};
use crate::services::{self, Actor};

#[derive(Parser)]
#[command(
    name = "eiaflow",
    version,
    about = "环评审批服务 — EIA approval workflow for a city ecology and environment bureau"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default). Migrates the database first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load the demo ledger and demo accounts into an empty database.
    SeedDemo,
    /// Import the ledger from an .xlsx file, as the API's `POST /api/v1/ledger/import` does;
    /// exits 1 when the file has problems (nothing is written then).
    Import {
        file: std::path::PathBuf,
        /// Check the file and report what importing it would do, without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// The working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Load or replace one year's holiday schedule from a JSON file in the holiday-cn shape
    /// (`{"year", "papers", "days": [{"name", "date", "isOffDay"}]}`).
    Load { file: std::path::PathBuf },
    /// List the years the calendar holds.
    List,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        username: String,
        /// owner, leader, officer or admin
        #[arg(long)]
        role: String,
        /// The owner organisation's id (owners only).
        #[arg(long)]
        organization: Option<i64>,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (required, so it never shows in `ps`).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("eiaflow: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(&settings.log);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("eiaflow: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("eiaflow: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate_locked(&db, &settings).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::SeedDemo => {
            let db = crate::db::connect(&settings).await?;
            let lock = crate::db::StartupLock::acquire(&db, &settings).await?;
            crate::db::migrate(&db).await?;
            services::counties::seed_shangluo(&db).await?;
            services::calendar::seed_embedded(&db).await?;
            // The demo ledger cites a shipped policy exemption, so it cannot load without them.
            services::policy_exemptions::seed_shipped(&db).await?;
            let loaded = crate::demo::load_if_empty(&db, &settings).await?;
            lock.release().await?;
            if loaded {
                println!("demo ledger loaded");
                Ok(())
            } else {
                anyhow::bail!(
                    "the database already holds accounts or projects; the demo ledger loads only into an empty one"
                )
            }
        }
        Command::Import { file, dry_run } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate_locked(&db, &settings).await?;
            let outcome =
                services::ledger_import::import(&db, &settings, &Actor::system(), &bytes, dry_run)
                    .await;
            let (outcome, problems) = match outcome {
                Ok(o) => {
                    let problems = o.problems.clone();
                    (Some(o), problems)
                }
                Err(crate::error::Error::Rejected { problems, .. }) => (None, problems),
                Err(crate::error::Error::Invalid(fields)) => anyhow::bail!(
                    "{}: {}",
                    file.display(),
                    fields
                        .iter()
                        .map(|f| f.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                Err(other) => anyhow::bail!("{other}"),
            };
            print!("{}", import_report(outcome.as_ref(), &problems, dry_run));
            if problems.is_empty() {
                Ok(())
            } else {
                anyhow::bail!(
                    "{}: {} problem(s), nothing imported",
                    file.display(),
                    problems.len()
                )
            }
        }
        Command::Calendar { command } => {
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate_locked(&db, &settings).await?;
            services::calendar::seed_embedded(&db).await?;
            match command {
                CalendarCommand::Load { file } => {
                    let text = std::fs::read_to_string(&file)
                        .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
                    let year = crate::domain::calendar::HolidaySchedule::parse(&text)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
                        .year;
                    let view = services::calendar::store(&db, &Actor::system(), year, &text)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("loaded the {} schedule ({} dates)", view.year, view.days);
                }
                CalendarCommand::List => {
                    for s in services::calendar::list(&db).await? {
                        println!("{}\t{} dates\t{}", s.year, s.days, s.papers.join(" "));
                    }
                }
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    role,
                    organization,
                    display_name,
                    email,
                    password_stdin: _,
                },
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("--role must be owner, leader, officer or admin"))?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let db = crate::db::connect(&settings).await?;
            crate::db::migrate_locked(&db, &settings).await?;
            let user = services::users::create(
                &db,
                &Actor::system(),
                services::users::NewUser {
                    username,
                    password,
                    role,
                    display_name,
                    organization_id: organization,
                    email,
                    office_phone: None,
                },
            )
            .await
            .map_err(|e| match e {
                crate::error::Error::Invalid(fields) => anyhow::anyhow!(
                    "{}",
                    fields
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!(
                "created user {} ({}) with id {}",
                user.username,
                user.role.as_str(),
                user.id
            );
            Ok(())
        }
    }
}

/// What `eiaflow import` prints: the counts, then each problem as `第R行 列“C”：…`.
fn import_report(
    outcome: Option<&services::ledger_import::ImportOutcome>,
    problems: &[crate::excel::Problem],
    dry_run: bool,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if let Some(o) = outcome.filter(|_| problems.is_empty()) {
        let verb = if dry_run { "试导入" } else { "已导入" };
        let _ = writeln!(
            out,
            "{verb}：{} 行，新建 {}，更新 {}，未变 {}",
            o.rows, o.created, o.updated, o.unchanged
        );
        if !o.ignored_columns.is_empty() {
            let _ = writeln!(out, "未导入的列：{}", o.ignored_columns.join("、"));
        }
    }
    if !problems.is_empty() {
        let _ = writeln!(out, "发现 {} 处问题，未写入任何内容：", problems.len());
        for p in problems {
            let _ = writeln!(out, "第{}行 列“{}”：{}", p.row, p.column, p.message);
        }
    }
    out
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let db = crate::db::connect(&settings).await?;
    // Servers starting together take turns: the first migrates and seeds, the others find it
    // done.
    let lock = crate::db::StartupLock::acquire(&db, &settings).await?;
    if settings.database.migrate_on_start {
        crate::db::migrate(&db).await?;
    }
    if services::bootstrap(&db, &settings).await? {
        tracing::info!("database was empty: loaded the demo ledger");
    }
    lock.release().await?;
    if settings.demo.enabled {
        let password_note = if settings.demo.password.expose_secret() == "demo-pass-2023" {
            "demo-pass-2023"
        } else {
            "the value of demo.password"
        };
        let accounts: Vec<String> = crate::demo::ledger()?
            .accounts
            .iter()
            .map(|a| format!("{} ({})", a.username, a.role))
            .collect();
        tracing::info!(
            "demo accounts: {}; password: {password_note}",
            accounts.join(", ")
        );
    }
    let address = format!("{}:{}", settings.server.host, settings.server.port);
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .map_err(|e| anyhow::anyhow!("server.host/server.port: cannot listen on {address}: {e}"))?;
    tracing::info!("eiaflow listening on http://{address}");
    // Before the worker and the scheduler start, so that their first counts are kept.
    if settings.metrics.enabled {
        crate::telemetry::metrics::install();
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut background = Vec::new();
    if settings.mail.worker_enabled {
        let mailer =
            crate::notify::mailer::Mailer::from_settings(&settings.mail, &settings.data.dir)?;
        let worker = crate::notify::worker::Worker::new(db.clone(), mailer, settings.mail.clone())?;
        background.push(tokio::spawn(worker.run(stopped.clone())));
    }
    if settings.scheduler.enabled {
        background.push(tokio::spawn(crate::scheduler::run(
            db.clone(),
            settings.clone(),
            stopped.clone(),
        )));
    }
    let limits = crate::http::server::ConnectionLimits {
        header_read_timeout: std::time::Duration::from_secs(u64::from(
            settings.server.header_read_timeout_seconds.max(1),
        )),
        max_connections: settings.server.max_connections.max(1) as usize,
    };
    let state = AppState::new(db, settings);
    crate::http::server::serve(listener, app(state), limits, shutdown_signal()).await;
    let _ = stop.send(true);
    for task in background {
        let _ = task.await;
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
