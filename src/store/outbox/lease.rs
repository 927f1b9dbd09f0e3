//! The sending lease: one row with a holder and an expiry, so one process sends at a time and
//! another takes over once the holder stops renewing it.

use chrono::{DateTime, Utc};

use super::super::codec::timestamp;
use super::super::dialect::on_db;
use super::super::{Result, Store};

impl Store {
    /// Takes or renews the sending lease for `worker` until `until`; false while another process
    /// holds one that has not expired by `now`.
    pub async fn take_lease(&self, worker: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<bool> {
        let taken = on_db!(self.db(), |db| sqlx::query(
            "INSERT INTO sender_lease (id, holder, expires_at) VALUES (1, $1, $2)
             ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE sender_lease.holder = excluded.holder OR sender_lease.expires_at <= $3",
        )
        .bind(worker)
        .bind(timestamp(until))
        .bind(timestamp(now))
        .execute(db)
        .await?
        .rows_affected());
        Ok(taken == 1)
    }

    /// Gives the lease up, so another process may send at once.
    pub async fn release_lease(&self, worker: &str) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query("DELETE FROM sender_lease WHERE holder = $1")
            .bind(worker)
            .execute(db)
            .await?
            .rows_affected());
        Ok(())
    }
}
