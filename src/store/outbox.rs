//! The outbox: every message owed is a row before it is sent.
//!
//! A row is planned once (its key is unique), claimed atomically by one sender (so two bot
//! processes on one database never send the same row), then marked sent with Telegram's message
//! id, rescheduled, or failed with the error.
//!
//! The sender's per-row methods carry no `#[instrument(err)]`: the sender logs their errors once,
//! and a storage outage must not double every line of it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::codec::{self, parse_timestamp, timestamp};
use super::{Result, Store};

/// What kind of message a row is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum DeliveryKind {
    Digest,
    Reminder,
    /// A chat's scheduled report (`/report monthly`).
    Report,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A message the planner decided is owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    pub key: String,
    pub chat_id: i64,
    pub kind: DeliveryKind,
    pub body: String,
    pub scheduled_at: DateTime<Utc>,
    /// Sent after its slot because the bot was down.
    pub late: bool,
    /// Too old to send: recorded as skipped, with this reason.
    pub skipped: Option<String>,
}

/// What planning decided for one chat: the rows, and how far it got.
#[derive(Debug, Clone, Copy)]
pub struct PlanRecord<'a> {
    pub chat_id: i64,
    pub planned: &'a [Planned],
    pub planned_through: DateTime<Utc>,
    pub next_slot_at: Option<DateTime<Utc>>,
}

/// A row waiting to be sent, as read: nobody has claimed it for this process.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub key: String,
    pub chat_id: i64,
    /// The text, kept once for every row that shares it ([`Store::bodies`]); `None` for a row
    /// written before texts were shared, whose text is in `body`.
    pub body_id: Option<i64>,
    /// The text of a row without `body_id`; empty otherwise.
    pub body: String,
    pub attempts: i64,
    pub parts_sent: i64,
}

/// A row sent: Telegram's message id, the chat it went to (a group may have migrated), when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentMark {
    pub id: i64,
    pub message_id: i32,
    pub chat_id: i64,
    pub at: DateTime<Utc>,
}

/// How many rows are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub skipped: i64,
}

impl Store {
    /// Records what was planned for some chats and how far planning got, in one transaction. Rows
    /// already planned (same key) are left as they are. Returns how many rows were new.
    #[tracing::instrument(skip_all, err)]
    pub async fn record_plans(&self, plans: &[PlanRecord<'_>], now: DateTime<Utc>) -> Result<usize> {
        /// Rows per INSERT: 11 parameters each, far below SQLite's limit of 32,766.
        const ROWS_PER_INSERT: usize = 200;
        let mut tx = self.pool().begin().await?;
        let mut inserted = 0;
        let rows: Vec<&Planned> = plans.iter().flat_map(|p| p.planned.iter()).collect();
        // Each distinct text once; rows point at it.
        let mut body_ids: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        for row in &rows {
            if !body_ids.contains_key(row.body.as_str()) {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO outbox_bodies (body) VALUES (?)
                     ON CONFLICT(body) DO UPDATE SET body = excluded.body RETURNING id",
                )
                .bind(&row.body)
                .fetch_one(&mut *tx)
                .await?;
                body_ids.insert(&row.body, id);
            }
        }
        let now = timestamp(now);
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO outbox (key, chat_id, kind, body, body_id, scheduled_at, status, late, next_attempt_at, error,
                     created_at) ",
            );
            insert.push_values(chunk, |mut values, row| {
                let scheduled = timestamp(row.scheduled_at);
                values
                    .push_bind(&row.key)
                    .push_bind(row.chat_id)
                    .push_bind(codec::text(row.kind))
                    .push_bind("")
                    .push_bind(body_ids[row.body.as_str()])
                    .push_bind(scheduled.clone())
                    .push_bind(if row.skipped.is_some() { "skipped" } else { "pending" })
                    .push_bind(row.late)
                    .push_bind(scheduled)
                    .push_bind(&row.skipped)
                    .push_bind(&now);
            });
            insert.push(" ON CONFLICT(key) DO NOTHING");
            inserted += insert.build().execute(&mut *tx).await?.rows_affected() as usize;
        }
        // Chats planned to the same point are updated together.
        let mut by_point: std::collections::BTreeMap<(String, Option<String>), Vec<i64>> = Default::default();
        for plan in plans {
            let point = (timestamp(plan.planned_through), plan.next_slot_at.map(timestamp));
            by_point.entry(point).or_default().push(plan.chat_id);
        }
        for ((through, next), chats) in by_point {
            for chunk in chats.chunks(500) {
                let mut update = sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE subscriptions SET planned_through = ");
                update.push_bind(&through).push(", next_slot_at = ").push_bind(&next).push(" WHERE chat_id IN (");
                let mut ids = update.separated(", ");
                for chat in chunk {
                    ids.push_bind(*chat);
                }
                update.push(")");
                update.build().execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Up to `limit` rows waiting to be sent by `now`, oldest first. Reading them claims nothing.
    ///
    /// A chat gets its messages in the order they were planned: only a chat's first row not yet
    /// sent or failed is ever ready, so a row waiting out a long 429 holds back the chat's later
    /// ones (and no other chat's).
    pub async fn ready(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxRow>> {
        Ok(sqlx::query_as(
            "SELECT o.id, o.key, o.chat_id, o.body_id, o.body, o.attempts, o.parts_sent
             FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= ?
               AND NOT EXISTS (
                   SELECT 1 FROM outbox e
                   WHERE e.chat_id = o.chat_id AND e.id < o.id AND e.status IN ('pending', 'sending'))
             ORDER BY o.next_attempt_at, o.id LIMIT ?",
        )
        .bind(timestamp(now))
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// The texts with these ids. A broadcast's rows share a handful of texts: the sender reads
    /// each once instead of with every row.
    pub async fn bodies(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let mut select = sqlx::QueryBuilder::<sqlx::Sqlite>::new("SELECT id, body FROM outbox_bodies WHERE id IN (");
        let mut list = select.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        select.push(")");
        let rows: Vec<(i64, String)> = select.build_query_as().fetch_all(self.pool()).await?;
        Ok(rows.into_iter().collect())
    }

    /// Claims many rows for `worker` in one statement; returns the ids claimed (a row another
    /// sender claimed first is not among them). Only one claim of a row ever
    /// succeeds, across processes: the update runs under SQLite's write lock.
    pub async fn claim_many(&self, ids: &[i64], worker: &str, now: DateTime<Utc>) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut update = sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE outbox SET status = 'sending', claimed_by = ");
        update
            .push_bind(worker)
            .push(", claimed_at = ")
            .push_bind(timestamp(now))
            .push(" WHERE status = 'pending' AND id IN (");
        let mut list = update.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        update.push(") RETURNING id");
        Ok(update.build_query_scalar().fetch_all(self.pool()).await?)
    }

    /// Records many rows as sent, in one transaction.
    pub async fn mark_sent_many(&self, marks: &[SentMark]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for mark in marks {
            sqlx::query(
                "UPDATE outbox SET status = 'sent', message_id = ?, chat_id = ?, sent_at = ?, error = NULL,
                     attempts = attempts + 1
                 WHERE id = ?",
            )
            .bind(mark.message_id)
            .bind(mark.chat_id)
            .bind(timestamp(mark.at))
            .bind(mark.id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Renews a claim before a retry, so that a row still being worked on (a 429 wait, a retry
    /// after a 5xx) is never taken for one a crash interrupted.
    pub async fn renew_claim(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE outbox SET claimed_at = ? WHERE id = ? AND status = 'sending'")
            .bind(timestamp(now))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The chats sent something (or with a send started) since `since`: Telegram's per-chat limits
    /// do not reset when the bot restarts, so neither does its pacing.
    pub async fn chats_sent_to_since(&self, since: DateTime<Utc>) -> Result<Vec<i64>> {
        let since = timestamp(since);
        let chats = sqlx::query_scalar("SELECT DISTINCT chat_id FROM outbox WHERE sent_at >= ?1 OR claimed_at >= ?1")
            .bind(&since)
            .fetch_all(self.pool())
            .await?;
        Ok(chats)
    }

    /// Records that part `parts_sent` of a long message went out, so a restart does not repeat it.
    pub async fn record_part_sent(&self, id: i64, parts_sent: i64) -> Result<()> {
        sqlx::query("UPDATE outbox SET parts_sent = ? WHERE id = ?")
            .bind(parts_sent)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn mark_sent(&self, id: i64, message_id: i32, chat_id: i64, at: DateTime<Utc>) -> Result<()> {
        self.mark_sent_many(&[SentMark { id, message_id, chat_id, at }]).await
    }

    /// Puts a row back to wait until `at`; `attempt` counts it as a failed attempt.
    pub async fn reschedule(&self, id: i64, at: DateTime<Utc>, error: Option<&str>, attempt: bool) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?, error = ?, claimed_by = NULL,
                 attempts = attempts + ?
             WHERE id = ?",
        )
        .bind(timestamp(at))
        .bind(error)
        .bind(i64::from(attempt))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn mark_failed(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET status = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?")
            .bind(error)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Rows left "sending" by a process that died before `before`. Telegram may or may not have
    /// delivered them; they are failed rather than resent, so nothing is ever sent twice.
    pub async fn fail_interrupted(&self, before: DateTime<Utc>) -> Result<u64> {
        let result = sqlx::query(
            "UPDATE outbox SET status = 'failed', error = 'interrupted while sending; not resent to avoid a duplicate'
             WHERE status = 'sending' AND claimed_at < ?",
        )
        .bind(timestamp(before))
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected())
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetch_all(self.pool()).await?;
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "pending" => counts.pending = n,
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                _ => counts.skipped = n,
            }
        }
        Ok(counts)
    }

    /// The earliest slot any active subscription is waiting for.
    pub async fn next_slot_at(&self) -> Result<Option<DateTime<Utc>>> {
        // Two lookups the index `subscriptions_due (active, next_slot_at)` answers by itself.
        let unscheduled: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM subscriptions WHERE active = 1 AND next_slot_at IS NULL LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        if unscheduled.is_some() {
            // A subscription not yet scheduled: plan now.
            return Ok(Some(DateTime::<Utc>::MIN_UTC));
        }
        let next: Option<String> = sqlx::query_scalar(
            "SELECT MIN(next_slot_at) FROM subscriptions WHERE active = 1 AND next_slot_at IS NOT NULL",
        )
        .fetch_one(self.pool())
        .await?;
        next.as_deref().map(parse_timestamp).transpose().map_err(Into::into)
    }

    /// Deletes finished rows (sent, failed, skipped) whose slot is before `before`, then the texts
    /// no row uses any more, `batch` rows a statement so that the write lock is never held long.
    /// A pending or sending row is never pruned, however old. Returns the rows deleted.
    pub async fn prune_outbox(&self, before: DateTime<Utc>, batch: i64) -> Result<u64> {
        let before = timestamp(before);
        let mut rows = 0;
        loop {
            let done = sqlx::query(
                "DELETE FROM outbox WHERE id IN (
                     SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'skipped') AND scheduled_at < ? LIMIT ?)",
            )
            .bind(&before)
            .bind(batch)
            .execute(self.pool())
            .await?
            .rows_affected();
            rows += done;
            if done < batch as u64 {
                break;
            }
        }
        loop {
            let done = sqlx::query(
                "DELETE FROM outbox_bodies WHERE id IN (
                     SELECT b.id FROM outbox_bodies b
                     WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.body_id = b.id) LIMIT ?)",
            )
            .bind(batch)
            .execute(self.pool())
            .await?
            .rows_affected();
            if done < batch as u64 {
                break;
            }
        }
        Ok(rows)
    }
}

impl Store {
    /// Takes or renews the sending lease for `worker` until `until`; false while another process
    /// holds one that has not expired by `now`.
    pub async fn take_lease(&self, worker: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO sender_lease (id, holder, expires_at) VALUES (1, ?, ?)
             ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE sender_lease.holder = excluded.holder OR sender_lease.expires_at <= ?",
        )
        .bind(worker)
        .bind(timestamp(until))
        .bind(timestamp(now))
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives the lease up, so another process may send at once.
    pub async fn release_lease(&self, worker: &str) -> Result<()> {
        sqlx::query("DELETE FROM sender_lease WHERE holder = ?").bind(worker).execute(self.pool()).await?;
        Ok(())
    }
}
