//! Recovering from a failed write by itself. When a write fails for want of storage (a full disk,
//! an I/O error), SQLite may leave the connection inside its transaction, and sqlx returns it to
//! the pool so: the write lock (or an old snapshot) stays held by an idle connection until it is
//! closed; no other process can write, and this one's next writes on it fail or are never
//! committed. So a connection SQLite still has inside a transaction is closed, never reused, when
//! it comes back to the pool (closing rolls back and releases the lock); and
//! for a few seconds after a storage fault every connection coming back is closed as well. The
//! pool opens fresh ones, and writing resumes once there is room again.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::pool::PoolOptions;
use sqlx::{Sqlite, SqliteConnection};

/// How long after a fault connections coming back to the pool are closed.
const CLOSE_FOR: Duration = Duration::from_secs(5);
/// A connection released this long before a fault was noted may have been in it.
const MARGIN: Duration = Duration::from_secs(1);

/// Milliseconds from [`origin`] to the last storage fault, plus one (0: none yet).
static LAST_FAULT: AtomicU64 = AtomicU64::new(0);

fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(origin().elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Whether an error means storage failed: SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOMEM
/// (with any extended code), or an I/O error.
fn is_storage_fault(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            db.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| matches!(c & 0xff, 7 | 10 | 13 | 14))
        }
        _ => false,
    }
}

/// Notes `error` when it is a storage fault.
pub(super) fn note(error: &sqlx::Error) {
    if is_storage_fault(error) {
        LAST_FAULT.store(now_ms() + 1, Ordering::SeqCst);
    }
}

/// How long ago the last fault was noted.
fn since_fault() -> Option<Duration> {
    match LAST_FAULT.load(Ordering::SeqCst) {
        0 => None,
        at => Some(Duration::from_millis(now_ms().saturating_sub(at - 1))),
    }
}

/// Whether a connection released `idle` ago may have been in a failed write: released from just
/// before the last fault to [`CLOSE_FOR`] after it.
fn suspect(idle: Duration) -> bool {
    since_fault().is_some_and(|since| idle <= since + MARGIN && since.saturating_sub(idle) <= CLOSE_FOR)
}

/// Whether SQLite has `connection` inside a transaction: nothing in the pool should be, since
/// sqlx rolls back a transaction dropped unfinished before the connection is used again.
async fn in_transaction(connection: &mut SqliteConnection) -> bool {
    match connection.lock_handle().await {
        // SAFETY: the handle is a live connection, locked to this call for its length;
        // sqlite3_get_autocommit only reads the connection's flag.
        Ok(mut handle) => unsafe { libsqlite3_sys::sqlite3_get_autocommit(handle.as_raw_handle().as_ptr()) == 0 },
        // A connection whose worker does not answer is not worth keeping.
        Err(_) => true,
    }
}

/// `options` with connections closed, not reused, when they come back inside a transaction or
/// soon after a fault, or are taken again after having been released around one.
pub(super) fn reset_after_faults(options: PoolOptions<Sqlite>) -> PoolOptions<Sqlite> {
    options
        .after_release(|connection, _| {
            Box::pin(async move {
                let recent_fault = since_fault().is_some_and(|since| since <= CLOSE_FOR);
                Ok(!recent_fault && !in_transaction(connection).await)
            })
        })
        // Whether SQLite has it inside a transaction was asked when it came back: not again here.
        .before_acquire(|_, meta| {
            let keep = !suspect(meta.idle_for);
            Box::pin(async move { Ok(keep) })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Executor};

    #[tokio::test]
    async fn a_connection_left_inside_a_transaction_is_closed_and_the_lock_released() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = super::super::Store::open(&url).await.unwrap();
        // What a failed commit can leave behind: SQLite inside a write transaction sqlx knows nothing of.
        let mut pooled = store.pool().acquire().await.unwrap();
        pooled.execute("BEGIN IMMEDIATE").await.unwrap();
        pooled.execute("UPDATE chats SET kind = kind").await.unwrap();
        drop(pooled);
        let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
        other.execute("PRAGMA busy_timeout = 5000").await.unwrap();
        other.execute("BEGIN IMMEDIATE").await.expect("the lock was released: the connection was closed");
        other.execute("ROLLBACK").await.unwrap();
        // And the pool still serves.
        store.pool().acquire().await.unwrap().execute("SELECT 1").await.unwrap();
    }

    #[test]
    fn a_connection_idle_since_before_a_fault_is_kept_one_released_after_it_is_not() {
        LAST_FAULT.store(0, Ordering::SeqCst);
        assert!(!suspect(Duration::from_secs(1)), "no fault yet");
        note(&sqlx::Error::Io(std::io::Error::other("No space left on device")));
        assert!(suspect(Duration::ZERO), "released after the fault");
        assert!(!suspect(Duration::from_secs(60)), "idle since well before the fault");
        note(&sqlx::Error::RowNotFound);
        assert!(since_fault().is_some_and(|s| s < CLOSE_FOR), "a missing row is no fault, the last one stands");
    }
}
