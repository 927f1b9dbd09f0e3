//! One sender at a time on a database: the process that holds the sending lease sends; another
//! waits for it to be given up or to lapse. So processes sharing a database keep one budget of
//! Telegram's limits.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::time::Instant;

use super::outage::Outage;
use crate::store::Store;

/// How long the lease lasts, and how often its holder renews it. After a crash (no release), a
/// restarted process waits at most this long.
const LEASE_FOR: Duration = Duration::from_secs(10);
const LEASE_RENEW: Duration = Duration::from_secs(2);

/// This process's hold on the sending lease.
#[derive(Debug)]
pub struct Lease {
    store: Store,
    worker: String,
    held: bool,
    renewed: Option<Instant>,
    outage: Outage,
    /// Whether this process holds it, for what must run in the lease holder alone (polling).
    published: watch::Sender<bool>,
}

impl Lease {
    /// A renewal written ends an outage; one that fails is one. `published` is told each change.
    pub fn new(store: Store, worker: String, outage: Outage, published: watch::Sender<bool>) -> Self {
        Self { store, worker, held: false, renewed: None, outage, published }
    }

    /// Holds the lease, renewing it well before it lapses; false while another process holds it.
    pub async fn hold(&mut self, now: DateTime<Utc>) -> bool {
        if self.renewed.is_some_and(|at| at.elapsed() < LEASE_RENEW) {
            return self.held;
        }
        let until = now + chrono::Duration::from_std(LEASE_FOR).unwrap_or(chrono::Duration::seconds(10));
        let held = match self.store.take_lease(&self.worker, now, until).await {
            Ok(held) => {
                self.outage.over();
                held
            }
            Err(error) => {
                self.outage.failed("renew the sending lease", &error);
                false
            }
        };
        if held != self.held {
            tracing::info!(worker = %self.worker, held, "sending lease changed hands");
            self.published.send_replace(held);
        }
        self.held = held;
        self.renewed = Some(Instant::now());
        held
    }

    /// Gives the lease up, so another process may send at once.
    pub async fn release(&mut self) {
        if self.held
            && let Err(error) = self.store.release_lease(&self.worker).await
        {
            tracing::warn!(%error, "cannot give up the sending lease; it lapses by itself");
        }
        self.held = false;
        self.published.send_replace(false);
    }
}
