//! The application's shared state: configuration, clock, database and the in-memory catalog.

use std::sync::{Arc, RwLock};

use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::catalog::Catalog;
use crate::seeds::SeedSet;
use crate::store::{SeedReport, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Seed(#[from] crate::seeds::SeedError),
}

/// Everything a handler needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub clock: Clock,
    pub store: Store,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    /// Wakes the delivery loop when a subscription or setting changes.
    pub wake: Arc<Notify>,
}

impl App {
    /// Opens the database, applies the built-in seeds (a no-op when they are unchanged) and loads
    /// the catalog.
    pub async fn start(config: Config, clock: Clock) -> Result<Self, AppError> {
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

    /// Re-reads the catalog after a write.
    pub async fn reload(&self) -> Result<(), AppError> {
        let fresh = Arc::new(self.store.load_catalog().await?);
        *self.catalog.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
        Ok(())
    }

    /// Applies extra seed files and reloads.
    pub async fn seed(&self, seeds: &SeedSet) -> Result<SeedReport, AppError> {
        let report = self.store.apply_seeds(seeds, self.clock.now()).await?;
        if report.changed() {
            self.reload().await?;
        }
        Ok(report)
    }
}
