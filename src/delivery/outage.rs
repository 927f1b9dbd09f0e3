//! Database trouble while sending: counted, logged a bounded number of times, and backed off
//! from, so that an outage neither floods the log nor loses what was in flight.

use std::time::Duration;

use tokio::time::Instant;

use crate::store::StoreError;

/// Database trouble while serving: logged when it starts and once a minute while it lasts, with
/// the count, and when it ends; reads back off while it lasts.
#[derive(Debug, Default)]
pub struct Outage {
    since: Option<Instant>,
    logged: Option<Instant>,
    failures: u32,
}

impl Outage {
    pub fn failed(&mut self, error: &StoreError) {
        let now = Instant::now();
        self.since.get_or_insert(now);
        self.failures += 1;
        if self.logged.is_none_or(|at| now.duration_since(at) >= Duration::from_secs(60)) {
            tracing::error!(%error, failures = self.failures, "database error while sending; retrying");
            self.logged = Some(now);
        }
    }

    pub fn over(&mut self) {
        if let Some(since) = self.since.take() {
            tracing::info!(after_s = since.elapsed().as_secs(), failures = self.failures, "database answers again");
        }
        *self = Self::default();
    }

    /// How long to wait before reading again, while the database fails.
    pub fn backoff(&self) -> Option<Duration> {
        self.since.map(|_| {
            (Duration::from_millis(100) * 2u32.saturating_pow(self.failures.min(6))).min(Duration::from_secs(5))
        })
    }
}
