//! Keeping the outbox: how many rows are in each state, when the next slot falls, and the prune of
//! finished rows past their keeping window.

use chrono::{DateTime, Utc};

use super::super::codec::{self, timestamp};
use super::super::dialect::on_db;
use super::super::{Result, Store};
use super::OutboxCounts;
use super::OutboxStatus::{self, *};

impl Store {
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows: Vec<(String, i64)> =
            on_db!(self.db(), |db| sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(db)
                .await?);
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            let count = match codec::parse_enum::<OutboxStatus>("outbox status", &status)? {
                Pending => &mut counts.pending,
                Sending => &mut counts.sending,
                Sent => &mut counts.sent,
                Failed => &mut counts.failed,
                Skipped => &mut counts.skipped,
            };
            *count = n;
        }
        Ok(counts)
    }

    /// The earliest slot any active subscription is waiting for.
    pub async fn next_slot_at(&self) -> Result<Option<DateTime<Utc>>> {
        // Two lookups the index `subscriptions_due (active, next_slot_at)` answers by itself.
        let unscheduled: Option<i64> = on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT chat_id FROM subscriptions WHERE active = TRUE AND next_slot_at IS NULL LIMIT 1"
        )
        .fetch_optional(db)
        .await?);
        if unscheduled.is_some() {
            // A subscription not yet scheduled: plan now.
            return Ok(Some(DateTime::<Utc>::MIN_UTC));
        }
        let next: Option<codec::At> = on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT MIN(next_slot_at) FROM subscriptions WHERE active = TRUE AND next_slot_at IS NOT NULL",
        )
        .fetch_one(db)
        .await?);
        Ok(next.map(codec::At::get))
    }

    /// Deletes finished rows (sent, failed, skipped) whose slot is before `before`, then the texts
    /// no row uses any more, `batch` rows a statement so that the write lock is never held long.
    /// A pending or sending row is never pruned, however old. Returns the rows deleted.
    pub async fn prune_outbox(&self, before: DateTime<Utc>, batch: i64) -> Result<u64> {
        let before = timestamp(before);
        let mut rows = 0;
        loop {
            let done = on_db!(self.db(), |db| sqlx::query(
                "DELETE FROM outbox WHERE id IN (
                     SELECT id FROM outbox WHERE status IN ($1, $2, $3) AND scheduled_at < $4 LIMIT $5)",
            )
            .bind(codec::text(Sent))
            .bind(codec::text(Failed))
            .bind(codec::text(Skipped))
            .bind(before)
            .bind(batch)
            .execute(db)
            .await?
            .rows_affected());
            rows += done;
            if done < batch as u64 {
                break;
            }
        }
        loop {
            let done = on_db!(self.db(), |db| sqlx::query(
                "DELETE FROM outbox_bodies WHERE id IN (
                     SELECT b.id FROM outbox_bodies b
                     WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.body_id = b.id) LIMIT $1)",
            )
            .bind(batch)
            .execute(db)
            .await?
            .rows_affected());
            if done < batch as u64 {
                break;
            }
        }
        Ok(rows)
    }
}
