//! The sender's writes to the outbox, row by row: claims (only one sender's claim of a row ever
//! succeeds), sent marks with Telegram's message id, retries, and rows a crash interrupted.

use chrono::{DateTime, Utc};

use super::super::codec::{self, timestamp};
use super::super::dialect::{on_db, on_tx};
use super::super::{Dialect, Result, Store};
use super::OutboxStatus::*;
use super::SentMark;

impl Store {
    /// Claims many rows for `worker` in one statement; returns the ids claimed (a row another
    /// sender claimed first is not among them). Only one claim of a row ever
    /// succeeds, across processes: the update runs under SQLite's write lock.
    pub async fn claim_many(&self, ids: &[i64], worker: &str, now: DateTime<Utc>) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let dialect = self.dialect();
        Ok(on_db!(self.db(), |db, DB| claim_statement::<DB>(dialect, ids, worker, now)
            .build_query_scalar()
            .fetch_all(db)
            .await?))
    }

    /// Records many rows as sent, in one transaction: one statement for up to [`MARKS_A_STATEMENT`]
    /// of them (a round trip to SQLite's thread each costs more than the update itself).
    pub async fn mark_sent_many(&self, marks: &[SentMark]) -> Result<()> {
        match marks {
            [] => Ok(()),
            few if few.len() <= MARKS_A_STATEMENT => {
                on_db!(self.db(), |db| mark_sent_statement(few).build().execute(db).await?.rows_affected());
                Ok(())
            }
            many => {
                let mut tx = self.write().await?;
                for chunk in many.chunks(MARKS_A_STATEMENT) {
                    on_tx!(&mut tx, |c| mark_sent_statement(chunk).build().execute(c).await?.rows_affected());
                }
                tx.commit().await?;
                Ok(())
            }
        }
    }

    /// Renews a claim before a retry, so that a row still being worked on (a 429 wait, a retry
    /// after a 5xx) is never taken for one a crash interrupted.
    pub async fn renew_claim(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query("UPDATE outbox SET claimed_at = $1 WHERE id = $2 AND status = $3")
            .bind(timestamp(now))
            .bind(id)
            .bind(codec::text(Sending))
            .execute(db)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The chats sent something (or with a send started) since `since`: Telegram's per-chat limits
    /// do not reset when the bot restarts, so neither does its pacing.
    pub async fn chats_sent_to_since(&self, since: DateTime<Utc>) -> Result<Vec<i64>> {
        let since = timestamp(since);
        let chats = on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT DISTINCT chat_id FROM outbox WHERE sent_at >= $1 OR claimed_at >= $1"
        )
        .bind(since)
        .fetch_all(db)
        .await?);
        Ok(chats)
    }

    /// Records that part `parts_sent` of a long message went out, so a restart does not repeat it.
    pub async fn record_part_sent(&self, id: i64, parts_sent: i64) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query("UPDATE outbox SET parts_sent = $1 WHERE id = $2")
            .bind(parts_sent)
            .bind(id)
            .execute(db)
            .await?
            .rows_affected());
        Ok(())
    }

    pub async fn mark_sent(&self, id: i64, message_id: i32, chat_id: i64, at: DateTime<Utc>) -> Result<()> {
        self.mark_sent_many(&[SentMark { id, message_id, chat_id, at }]).await
    }

    /// Puts a row back to wait until `at`; `attempt` counts it as a failed attempt.
    pub async fn reschedule(&self, id: i64, at: DateTime<Utc>, error: Option<&str>, attempt: bool) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query(
            "UPDATE outbox SET status = $1, next_attempt_at = $2, error = $3, claimed_by = NULL,
                 attempts = attempts + $4
             WHERE id = $5",
        )
        .bind(codec::text(Pending))
        .bind(timestamp(at))
        .bind(error)
        .bind(i64::from(attempt))
        .bind(id)
        .execute(db)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn mark_failed(&self, id: i64, error: &str) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query(
            "UPDATE outbox SET status = $1, error = $2, attempts = attempts + 1 WHERE id = $3"
        )
        .bind(codec::text(Failed))
        .bind(error)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Rows left "sending" by a process that died before `before`. Telegram may or may not have
    /// delivered them; they are failed rather than resent, so nothing is ever sent twice.
    pub async fn fail_interrupted(&self, before: DateTime<Utc>) -> Result<u64> {
        let result = on_db!(self.db(), |db| sqlx::query(
            "UPDATE outbox SET status = $1, error = 'interrupted while sending; not resent to avoid a duplicate'
             WHERE status = $2 AND claimed_at < $3",
        )
        .bind(codec::text(Failed))
        .bind(codec::text(Sending))
        .bind(timestamp(before))
        .execute(db)
        .await?
        .rows_affected());
        Ok(result)
    }
}

/// `UPDATE … RETURNING id` of the listed rows still pending, for `worker`.
fn claim_statement<'a, DB>(
    dialect: Dialect,
    ids: &[i64],
    worker: &'a str,
    now: DateTime<Utc>,
) -> sqlx::QueryBuilder<'a, DB>
where
    DB: sqlx::Database,
    for<'q> DB::Arguments<'q>: Default,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    codec::At: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    // PostgreSQL: rows another sender is claiming are skipped rather than waited for (it will
    // have them); SQLite has one writer at a time, so there is no such row. SQLite finds the
    // listed ids by the primary key, not by walking the ready index (16 ms a claim with 100,000
    // rows pending; BENCHMARKS.md, "A leaner sending path").
    let (head, tail) = match dialect {
        Dialect::Sqlite => (" WHERE ", ") RETURNING id"),
        Dialect::Postgres => (" WHERE id IN (SELECT id FROM outbox WHERE ", ") FOR UPDATE SKIP LOCKED) RETURNING id"),
    };
    let mut update = sqlx::QueryBuilder::<DB>::new("UPDATE outbox SET status = ");
    update
        .push_bind(codec::text(Sending))
        .push(", claimed_by = ")
        .push_bind(worker)
        .push(", claimed_at = ")
        .push_bind(timestamp(now))
        .push(head)
        .push(dialect.unindexed("status"))
        .push(" = ")
        .push_bind(codec::text(Pending))
        .push(" AND id IN (");
    let mut list = update.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    update.push(tail);
    update
}

/// How many rows one statement marks sent: four parameters each, far under SQLite's limit.
const MARKS_A_STATEMENT: usize = 512;

/// `UPDATE … FROM (VALUES …)`: every mark's message id, chat and time, matched by row id.
fn mark_sent_statement<DB>(marks: &[SentMark]) -> sqlx::QueryBuilder<'static, DB>
where
    DB: sqlx::Database,
    for<'q> DB::Arguments<'q>: Default,
    i64: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    &'static str: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    codec::At: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    let mut update = sqlx::QueryBuilder::<DB>::new("UPDATE outbox SET status = ");
    update.push_bind(codec::text(Sent)).push(
        ", message_id = m.column2, chat_id = m.column3, sent_at = m.column4, error = NULL,
             attempts = attempts + 1
         FROM (VALUES ",
    );
    let mut values = update.separated(", ");
    for mark in marks {
        values
            .push("(")
            .push_bind_unseparated(mark.id)
            .push_unseparated(", ")
            .push_bind_unseparated(mark.message_id)
            .push_unseparated(", ")
            .push_bind_unseparated(mark.chat_id)
            .push_unseparated(", ")
            .push_bind_unseparated(timestamp(mark.at))
            .push_unseparated(")");
    }
    update.push(") AS m WHERE outbox.id = m.column1");
    update
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How SQLite runs the claim of three rows, one line per step of its plan.
    async fn claim_plan(store: &Store) -> Vec<String> {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let claim = claim_statement::<sqlx::Sqlite>(Dialect::Sqlite, &[1, 2, 3], "w", now);
        // The same statement with the same parameters: the builder's text, bound in order.
        let explain = format!("EXPLAIN QUERY PLAN {}", claim.sql());
        let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&explain);
        query = query.bind(codec::text(Sending)).bind("w").bind(timestamp(now)).bind(codec::text(Pending));
        for id in [1_i64, 2, 3] {
            query = query.bind(id);
        }
        query.fetch_all(store.pool()).await.unwrap().into_iter().map(|(.., detail)| detail).collect()
    }

    #[tokio::test]
    async fn a_claim_finds_its_rows_by_id_not_by_walking_the_pending_ones() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let plan = claim_plan(&store).await;
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert!(plan[0].contains("INTEGER PRIMARY KEY"), "{plan:?}");
    }
}
