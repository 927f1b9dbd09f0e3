//! The use cases, and the state they share: configuration, clock, database and the in-memory
//! catalog. Telegram and the command line call these; neither repeats them.
//!
//! Every write that changes what is owed to a chat (tasks, subscriptions, settings) reloads what
//! it must and wakes delivery itself, so no caller can forget to.

mod chats;
mod review;
mod sources;
mod tasks;

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::catalog::Catalog;
use crate::seeds::SeedSet;
use crate::store::{SeedReport, Store, StoreError};

pub use chats::{ChatView, ReportSet};
pub use review::{Pressed, ReviewStarted, Typed};
pub use sources::{ItemReview, NotAdded, guess_kind, source_address};
pub use tasks::{Changed, DUE_YEARS, Extended, Mark, Refused, Saved, due_in_range, proposals_in};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Seed(#[from] crate::seeds::SeedError),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Everything a handler needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub clock: Clock,
    pub store: Store,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    wake: Arc<Notify>,
}

/// What delivery waits on between passes: a use case that changed what is owed rings it.
#[derive(Debug, Clone)]
pub struct Wakeups(Arc<Notify>);

impl Wakeups {
    /// Completes when a write rang since the last call (or rings now).
    pub async fn rung(&self) {
        self.0.notified().await
    }
}

/// What a write changed, so [`App::changed`] reloads only what it must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Tasks: the catalog is re-read, and delivery replans.
    Tasks,
    /// A chat's subscription or settings: delivery replans.
    Chat,
}

impl App {
    /// Opens the database, applies the built-in seeds (a no-op when they are unchanged) and loads
    /// the catalog.
    pub async fn start(config: Config, clock: Clock) -> Result<Self> {
        let store = Store::open(&config.database_url).await?;
        let report = store.apply_seeds(&SeedSet::builtin()?, clock.now()).await?;
        tracing::info!(
            inserted = report.inserted,
            updated = report.updated,
            removed = report.removed,
            "built-in seeds applied"
        );
        let catalog = store.load_catalog().await?;
        Ok(Self {
            config: Arc::new(config),
            clock,
            store,
            catalog: Arc::new(RwLock::new(Arc::new(catalog))),
            wake: Arc::new(Notify::new()),
        })
    }

    /// The current snapshot of what the bot knows.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> NaiveDate {
        self.clock.today(self.config.timezone)
    }

    /// The handle delivery waits on.
    pub fn wakeups(&self) -> Wakeups {
        Wakeups(self.wake.clone())
    }

    /// Re-reads the catalog from the database: for writes made around the app (another process,
    /// a test's direct store call).
    pub async fn reload(&self) -> Result<()> {
        let fresh = Arc::new(self.store.load_catalog().await?);
        *self.catalog.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
        Ok(())
    }

    /// After a write: reloads what it changed and wakes delivery.
    async fn changed(&self, change: Change) -> Result<()> {
        if change == Change::Tasks {
            self.reload().await?;
        }
        self.wake.notify_one();
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
