//! The use cases, and the state they share: configuration, clock, database and the in-memory
//! catalog. Telegram and the command line call these; neither repeats them.
//!
//! Every write that changes the tasks reloads the catalog; the store itself wakes delivery on
//! every write that changes what is owed, so no caller can forget to.

mod calendar;
mod chats;
mod review;
mod sources;
mod tasks;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::catalog::Catalog;
use crate::seeds::SeedSet;
use crate::store::{CatalogHandle, SeedReport, Store, StoreError};

pub use calendar::{CALENDAR_PATH, Feed, TOKEN_CHARS, random_key};
pub use chats::{ChatView, ReportSet};
pub use review::{Pressed, ReviewStarted, Typed};
pub use sources::{ItemReview, NotAdded, guess_kind, source_address};
pub use tasks::{Changed, Extended, Mark, Refused, Saved};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Seed(#[from] crate::seeds::SeedError),
    /// The system's random number generator failed: no secret can be made.
    #[error("no randomness from the system: {0}")]
    Random(String),
    /// A text's reading, done on a blocking thread, panicked or was cancelled.
    #[error("reading the text stopped: {0}")]
    Reading(#[from] tokio::task::JoinError),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Everything a handler needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub clock: Clock,
    pub store: Store,
    catalog: CatalogHandle,
}

/// What a write changed, so [`App::changed`] reloads only what it must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Tasks: the catalog is re-read.
    Tasks,
    /// A chat's subscription or settings: nothing to reload (the store rang delivery).
    Chat,
}

/// Applies seeds, waiting (up to [`crate::store::LOCKED_WAIT`]) while another process holds the
/// database locked: two processes started at the same moment both start.
async fn seed_waiting(store: &Store, seeds: &SeedSet, clock: &Clock) -> Result<SeedReport> {
    let started = std::time::Instant::now();
    loop {
        match store.apply_seeds(seeds, clock.now()).await {
            Err(e) if crate::store::is_locked(&e) && started.elapsed() < crate::store::LOCKED_WAIT => {
                tracing::warn!(error = %e, "the database is locked while seeding; waiting for it");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            result => return Ok(result?),
        }
    }
}

impl App {
    /// Opens the database, applies the built-in seeds (a no-op when they are unchanged) and loads
    /// the catalog.
    pub async fn start(config: Config, clock: Clock) -> Result<Self> {
        let store = Store::open(&config.database_url).await?;
        let report = seed_waiting(&store, &SeedSet::builtin()?, &clock).await?;
        tracing::info!(
            inserted = report.inserted,
            updated = report.updated,
            removed = report.removed,
            "built-in seeds applied"
        );
        let catalog = store.load_catalog().await?;
        let catalog = CatalogHandle::new(&store, catalog);
        Ok(Self { config: Arc::new(config), clock, store, catalog })
    }

    /// The current snapshot of what the bot knows.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.get()
    }

    /// The shared handle, for delivery.
    pub fn catalog_handle(&self) -> CatalogHandle {
        self.catalog.clone()
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> NaiveDate {
        self.clock.today(self.config.timezone)
    }

    /// Re-reads the catalog from the database: for writes made around the app (another process,
    /// a test's direct store call).
    pub async fn reload(&self) -> Result<()> {
        Ok(self.catalog.reload(&self.store).await?)
    }

    /// After a write: reloads what it changed.
    async fn changed(&self, change: Change) -> Result<()> {
        if change == Change::Tasks {
            self.reload().await?;
        }
        Ok(())
    }

    /// Applies seed files (the built-in ones, or more) and reloads.
    pub async fn seed(&self, seeds: &SeedSet) -> Result<SeedReport> {
        let report = self.store.apply_seeds(seeds, self.clock.now()).await?;
        if report.changed() {
            self.changed(Change::Tasks).await?;
        }
        Ok(report)
    }
}
