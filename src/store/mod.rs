//! Storage (sqlx): opening the database its address names, migrations, one module per table group.
//!
//! The address decides the database: SQLite (embedded, the default) or PostgreSQL, with the same
//! tables in each (`migrations/sqlite/`, `migrations/postgres/`); `dialect` runs one query on either.

mod calendar;
mod catalog;
mod chats;
mod codec;
pub(crate) mod dialect;
mod drafts;
mod fault;
mod figures;
mod history;
mod inbox;
pub mod migrate;
mod outbox;
pub mod postgres;
mod proposal_row;
mod seed;
mod service;
mod sources;
mod stored;
mod subscriptions;
#[cfg(test)]
mod write_tests;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::migrate::MigrateError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};
use tokio::sync::Notify;

use crate::config::DatabaseUrl;
pub use dialect::{Dialect, Pool, Tx};

pub use calendar::{CalendarAddress, Revision};
pub use catalog::CatalogHandle;
pub use chats::{ChatKind, Migration};
pub use codec::{At, Corrupt, Day, TimeOfDay, parse_timestamp, timestamp, timestamp_text};
pub use history::{Actor, NewTask};
pub use inbox::{InboxBacklog, Unhandled};
pub use outbox::{
    DeliveryKey, DeliveryKind, OutboxCounts, OutboxRow, OutboxStatus, PlanRecord, Planned, SentMark, SkipReason,
};
pub use seed::SeedReport;
pub use sources::{
    Check, CheckStatus, ItemOrigin, ItemStatus, NewItem, NewSource, PendingItem, SourceKind, WatchedSource,
};
pub use subscriptions::{PlanningSubscription, Subscription};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(sqlx::Error),
    #[error(transparent)]
    Address(#[from] crate::config::DatabaseUrlError),
    #[error("cannot reach the PostgreSQL database {key} = {shown:?}: {source}", key = crate::config::database::KEY)]
    Unreachable { shown: String, source: sqlx::Error },
    #[error("the target database is not empty: {table} has {rows} rows; copy into a new, empty database")]
    TargetNotEmpty { table: &'static str, rows: i64 },
    #[error("the copy is incomplete: {table} has {sqlite} rows in SQLite and {postgres} in PostgreSQL")]
    CopyCounts { table: &'static str, sqlite: i64, postgres: i64 },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("seed: {0}")]
    Seed(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A batched write failed: every request in the batch gets the error's text.
    #[error("database error in a batched write: {0}")]
    Batch(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        fault::note(&error);
        Self::Db(error)
    }
}

/// The database. Cheap to clone: it is a connection pool, and the bell delivery waits on.
///
/// Every write that changes what is owed to a chat (tasks, subscriptions, settings, seeds) rings
/// the bell itself, so no caller, in this process, can forget to wake delivery.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    wake: Arc<Notify>,
    /// Counts the writes to tasks, so a catalog loaded before one knows it is stale.
    tasks_version: Arc<AtomicU64>,
}

/// What delivery waits on between passes: a write that changed what is owed rings it.
#[derive(Debug, Clone)]
pub struct Wakeups(Arc<Notify>);

impl Wakeups {
    /// Completes when a write rang since the last call (or rings now).
    pub async fn rung(&self) {
        self.0.notified().await
    }
}

/// Rings the bell when dropped: held by a write from its first line, so every way out of it rings
/// (a failed write rings too, which costs delivery one look). A write to tasks first counts itself,
/// so whoever wakes finds the catalog stale.
struct Ring {
    wake: Arc<Notify>,
    tasks: Option<Arc<AtomicU64>>,
}

impl Drop for Ring {
    fn drop(&mut self) {
        if let Some(version) = &self.tasks {
            version.fetch_add(1, Ordering::SeqCst);
        }
        self.wake.notify_one();
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies the migrations in `migrations/sqlite/`.
    /// A database another process holds locked is waited for, up to [`LOCKED_WAIT`].
    ///
    /// `sqlite::memory:` gives a private in-memory database, for tests.
    #[tracing::instrument(skip_all, err)]
    pub async fn open(url: &str) -> Result<Self> {
        let url = match url.parse::<DatabaseUrl>()? {
            DatabaseUrl::Sqlite(url) => url,
            postgres @ DatabaseUrl::Postgres(_) => {
                let pool = postgres::connect(&postgres).await?;
                postgres::migrate(&pool).await?;
                return Ok(Self::on(Pool::Postgres(pool)));
            }
        };
        let url = url.as_str();
        let started = Instant::now();
        let mut backoff = Duration::from_millis(50);
        let mut warned = false;
        loop {
            match Self::open_once(url).await {
                Err(e) if is_locked(&e) && started.elapsed() + backoff < LOCKED_WAIT => {
                    if !warned {
                        tracing::warn!(error = %e, "the database is locked by another process; waiting for it");
                        warned = true;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                }
                result => return result,
            }
        }
    }

    async fn open_once(url: &str) -> Result<Self> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // A statement that waited out the busy timeout is an outage, which delivery reports
            // once (a bounded number of times); sqlx's own warning for each would flood the log.
            .log_slow_statements(log::LevelFilter::Debug, Duration::from_secs(1));
        if !in_memory {
            if let Some(parent) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
                create_folder(parent)?;
            }
            // WAL lets the sender write while handlers read; NORMAL is durable at each checkpoint.
            options = options.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal);
        }
        let mut pool = SqlitePoolOptions::new();
        if !in_memory {
            // After a failed write (a full disk) a connection may be left inside its transaction,
            // holding the write lock: such connections are closed, never reused.
            pool = fault::reset_after_faults(pool);
        }
        let pool = pool
            // Every connection to ":memory:" is a different database: keep exactly one, forever.
            .max_connections(if in_memory { 1 } else { 4 })
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(if in_memory { None } else { Some(Duration::from_secs(600)) })
            .max_lifetime(if in_memory { None } else { Some(Duration::from_secs(3600)) })
            // A ping before each use is a round trip to the connection's thread for nothing: a
            // file SQLite opened does not hang up. sqlx still pings when a connection comes back.
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        migrate::run(&pool).await?;
        Ok(Self::on(Pool::Sqlite(pool)))
    }

    fn on(pool: Pool) -> Self {
        Self { pool, wake: Arc::new(Notify::new()), tasks_version: Arc::default() }
    }

    /// The database's pool, for a query to run on through [`dialect::on_db`].
    pub fn db(&self) -> &Pool {
        &self.pool
    }

    pub fn dialect(&self) -> Dialect {
        self.pool.dialect()
    }

    /// The SQLite pool, for what only SQLite has (its pragmas, its file) and for tests that read
    /// SQLite's tables directly.
    ///
    /// # Panics
    /// On a store on PostgreSQL.
    pub fn pool(&self) -> &SqlitePool {
        match &self.pool {
            Pool::Sqlite(pool) => pool,
            Pool::Postgres(_) => panic!("Store::pool is SQLite's pool; this store is on PostgreSQL"),
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        dialect::on_db!(self.db(), |db| sqlx::query("SELECT 1").execute(db).await?.rows_affected());
        Ok(())
    }

    /// A write transaction on either database: see [`Tx::begin`].
    pub async fn write(&self) -> Result<Tx> {
        Tx::begin(&self.pool).await
    }

    /// The bell delivery waits on.
    pub fn wakeups(&self) -> Wakeups {
        Wakeups(self.wake.clone())
    }

    /// Held for the length of a write that changes what is owed.
    fn ring_when_done(&self) -> Ring {
        Ring { wake: self.wake.clone(), tasks: None }
    }

    /// Held for the length of a write to the tasks.
    fn ring_tasks_changed(&self) -> Ring {
        Ring { wake: self.wake.clone(), tasks: Some(self.tasks_version.clone()) }
    }

    /// How many writes to tasks this process has made; a catalog read at an older count is stale.
    pub fn tasks_version(&self) -> u64 {
        self.tasks_version.load(Ordering::SeqCst)
    }
}

/// How long start-up waits for a database another process holds locked: a backup, a `sqlite3`
/// shell, the bot being restarted while the old process finishes.
pub const LOCKED_WAIT: Duration = Duration::from_secs(30);

/// SQLite's busy timeout covers most waits, but not all: changing the journal mode of a database
/// another process is writing fails at once, whatever the timeout.
pub(crate) fn is_locked(error: &StoreError) -> bool {
    let db = match error {
        StoreError::Db(e) | StoreError::Migrate(MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _)) => e,
        _ => return false,
    };
    let code = db.as_database_error().and_then(|e| e.code()).and_then(|c| c.parse::<i32>().ok());
    // SQLITE_BUSY and SQLITE_LOCKED, with any extended code.
    code.is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

fn create_folder(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| StoreError::Folder { path: path.display().to_string(), source })
}
