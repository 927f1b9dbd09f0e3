//! Database trouble while delivering: counted, logged a bounded number of times, and backed off
//! from, so that an outage neither floods the log nor loses what was in flight.
//!
//! One tracker is shared by everything in delivery that writes (claims and marks, the sending
//! lease, planning): the outage is logged when it starts, once a minute while it lasts (with the
//! count of failures and what failed last), and when it ends. It ends when a write succeeds: while
//! a write lock is held elsewhere or the disk is full, reads still succeed (SQLite's WAL) and
//! would otherwise end and start the outage again on every pass.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::store::StoreError;

/// How often a lasting outage is logged again.
const LOG_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
struct State {
    since: Option<Instant>,
    logged: Option<Instant>,
    failures: u32,
}

/// The shared tracker. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Outage {
    state: Arc<Mutex<State>>,
}

impl Outage {
    /// A write (or a read) of `what` failed.
    pub fn failed(&self, what: &str, error: &StoreError) {
        let now = Instant::now();
        let mut state = self.lock();
        state.since.get_or_insert(now);
        state.failures += 1;
        if state.logged.is_none_or(|at| now.duration_since(at) >= LOG_EVERY) {
            let failures = state.failures;
            state.logged = Some(now);
            drop(state);
            tracing::error!(%error, what, failures, "database error while delivering; retrying until it answers");
        }
    }

    /// A write succeeded: the database answers.
    pub fn over(&self) {
        let mut state = self.lock();
        if let Some(since) = state.since.take() {
            let failures = state.failures;
            *state = State::default();
            drop(state);
            tracing::info!(after_s = since.elapsed().as_secs(), failures, "database answers again");
        }
    }

    /// How long to wait before reading again, while the database fails.
    pub fn backoff(&self) -> Option<Duration> {
        let state = self.lock();
        state.since.map(|_| {
            (Duration::from_millis(100) * 2u32.saturating_pow(state.failures.min(6))).min(Duration::from_secs(5))
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
