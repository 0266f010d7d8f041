//! Opening the database (SQLite file or PostgreSQL) and bringing its schema up to date.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use secrecy::ExposeSecret;

use crate::config::{Backend, Settings};

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database.url.expose_secret();
    let backend = settings
        .backend()
        .ok_or_else(|| anyhow::anyhow!("database.url: unsupported database"))?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    match backend {
        Backend::Sqlite => {
            if let Some(path) = sqlite_file(url)
                && let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| {
                    anyhow::anyhow!("database.url: cannot create folder {}: {e}", dir.display())
                })?;
            }
            // One connection: SQLite has one writer at a time, and a single connection turns
            // concurrent requests into a queue instead of "database is locked" errors.
            options.max_connections(1).min_connections(1);
            // Set on every connection the pool opens, not once: WAL with `synchronous=FULL`, so
            // a committed transaction is on disk before the answer goes out (a power cut loses
            // nothing acknowledged); foreign keys enforced; a writer in another process (a
            // command run beside the server) waited for up to 5 s.
            options.map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
            });
        }
        Backend::Postgres => {
            options.max_connections(settings.database.max_connections);
        }
    }
    // Switching a new SQLite file to WAL needs an exclusive lock that SQLite's busy timeout does
    // not wait for, so servers starting together on a new file would refuse with "database is
    // locked": the first connection is opened under the startup lock's file, one process at a
    // time. (Later connections find the file in WAL already, and the pragma changes nothing.)
    let opening = match (backend, sqlite_file(url)) {
        (Backend::Sqlite, Some(path)) => Some(lock_file(format!("{path}.startup-lock")).await?),
        _ => None,
    };
    let db = Database::connect(options)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database named by database.url: {e}"));
    if let Some(file) = opening {
        file.unlock()?;
    }
    db
}

/// Opens (creating it if need be) and exclusively locks `path`, waiting on a blocking thread
/// while another process holds it. The lock goes when the file is closed or unlocked.
async fn lock_file(path: String) -> anyhow::Result<std::fs::File> {
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("opening the startup lock {path}: {e}"))?;
        file.lock()
            .map_err(|e| anyhow::anyhow!("taking the startup lock {path}: {e}"))?;
        anyhow::Ok(file)
    })
    .await?
}

/// The file path in a `sqlite://path?options` URL, unless it is an in-memory database.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("migrating the database: {e}"))
}

/// Held while one process migrates the database and seeds what it ships, so that any number of
/// servers can start at once on an empty, a migrated or a full database: the others wait, then
/// find the work done. PostgreSQL: a transaction-scoped advisory lock on a connection of the
/// pool, released when the guard ends its transaction. SQLite: an exclusive lock on a file
/// beside the database (`<database>.startup-lock`), released when the file closes. An
/// in-memory SQLite database belongs to one process and needs none.
pub struct StartupLock {
    held: Held,
}

enum Held {
    Postgres(sea_orm::DatabaseTransaction),
    File(std::fs::File),
    Nothing,
}

/// The advisory lock's key: "eiaflow" in ASCII, the same in every process.
const STARTUP_LOCK_KEY: i64 = 0x0065_6961_666c_6f77;

impl StartupLock {
    /// Waits until no other process holds the lock, then holds it.
    pub async fn acquire(db: &DatabaseConnection, settings: &Settings) -> anyhow::Result<Self> {
        use sea_orm::TransactionTrait;
        let held = match settings.backend() {
            Some(Backend::Postgres) => {
                let txn = db.begin().await?;
                txn.execute_unprepared(&format!(
                    "SELECT pg_advisory_xact_lock({STARTUP_LOCK_KEY})"
                ))
                .await
                .map_err(|e| anyhow::anyhow!("waiting for the startup lock: {e}"))?;
                Held::Postgres(txn)
            }
            Some(Backend::Sqlite) => match sqlite_file(settings.database.url.expose_secret()) {
                Some(path) => Held::File(lock_file(format!("{path}.startup-lock")).await?),
                None => Held::Nothing,
            },
            None => Held::Nothing,
        };
        Ok(StartupLock { held })
    }

    /// Lets the next waiting process go on.
    pub async fn release(self) -> anyhow::Result<()> {
        match self.held {
            Held::Postgres(txn) => txn.commit().await?,
            Held::File(file) => file.unlock()?,
            Held::Nothing => {}
        }
        Ok(())
    }
}

/// Migrates under the startup lock, for the commands that migrate and then work.
pub async fn migrate_locked(db: &DatabaseConnection, settings: &Settings) -> anyhow::Result<()> {
    let lock = StartupLock::acquire(db, settings).await?;
    migrate(db).await?;
    lock.release().await
}
