//! Planning's writes to the outbox: the rows owed and how far each chat is planned, and the reads
//! that give the sender its next rows and their texts.

use chrono::{DateTime, Utc};

use super::super::codec::{self, timestamp};
use super::super::dialect::{on_db, on_tx};
use super::super::{Result, Store};
use super::OutboxStatus::*;
use super::{OutboxRow, PlanRecord, Planned, SkipReason};

impl Store {
    /// Records what was planned for some chats and how far planning got, in one transaction. Rows
    /// already planned (same key) are left as they are. Returns how many rows were new.
    #[tracing::instrument(skip_all, err)]
    pub async fn record_plans(&self, plans: &[PlanRecord<'_>], now: DateTime<Utc>) -> Result<usize> {
        /// Rows per INSERT: 11 parameters each, far below SQLite's limit of 32,766.
        const ROWS_PER_INSERT: usize = 200;
        let mut tx = self.write().await?;
        // How far each chat is planned, first: only chats still subscribed are updated, and only
        // their rows are written. A chat that blocked the bot while its page was being planned
        // gets nothing (on PostgreSQL, a deactivation waiting for this transaction skips them).
        // Chats planned to the same point are updated together.
        let mut by_point: std::collections::BTreeMap<(codec::At, Option<codec::At>), Vec<i64>> = Default::default();
        for plan in plans {
            let point = (timestamp(plan.planned_through), plan.next_slot_at.map(timestamp));
            by_point.entry(point).or_default().push(plan.chat_id);
        }
        // SQLite updates the chunk by primary key (through `subscriptions_due`, planning 100,000
        // took over 5 s).
        let still_active = format!(") AND {} = TRUE RETURNING chat_id", self.dialect().unindexed("active"));
        let mut active = std::collections::HashSet::with_capacity(plans.len());
        for ((through, next), chats) in by_point {
            for chunk in chats.chunks(500) {
                let updated: Vec<i64> = on_tx!(&mut tx, |c, DB| {
                    let mut update = sqlx::QueryBuilder::<DB>::new("UPDATE subscriptions SET planned_through = ");
                    update.push_bind(through).push(", next_slot_at = ").push_bind(next).push(" WHERE chat_id IN (");
                    let mut ids = update.separated(", ");
                    for chat in chunk {
                        ids.push_bind(*chat);
                    }
                    update.push(&still_active);
                    update.build_query_scalar().fetch_all(c).await?
                });
                active.extend(updated);
            }
        }
        let mut inserted = 0;
        let rows: Vec<&Planned> =
            plans.iter().filter(|p| active.contains(&p.chat_id)).flat_map(|p| p.planned.iter()).collect();
        // Each distinct text once; rows point at it.
        let mut body_ids: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        for row in &rows {
            if !body_ids.contains_key(row.body.as_str()) {
                let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
                    "INSERT INTO outbox_bodies (body) VALUES ($1)
                     ON CONFLICT(body) DO UPDATE SET body = excluded.body RETURNING id",
                )
                .bind(&row.body)
                .fetch_one(c)
                .await?);
                body_ids.insert(&row.body, id);
            }
        }
        let now = timestamp(now);
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            inserted += on_tx!(&mut tx, |c, DB| {
                let mut insert = sqlx::QueryBuilder::<DB>::new(
                "INSERT INTO outbox (key, chat_id, kind, body, body_id, scheduled_at, status, late, next_attempt_at, error,
                     created_at) ",
            );
                insert.push_values(chunk, |mut values, row| {
                    let scheduled = timestamp(row.scheduled_at);
                    values
                        .push_bind(row.key.to_string())
                        .push_bind(row.chat_id)
                        .push_bind(codec::text(row.kind))
                        .push_bind("")
                        .push_bind(body_ids[row.body.as_str()])
                        .push_bind(scheduled)
                        .push_bind(codec::text(if row.skipped.is_some() { Skipped } else { Pending }))
                        .push_bind(row.late)
                        .push_bind(scheduled)
                        .push_bind(row.skipped.map(SkipReason::as_str))
                        .push_bind(now);
                });
                insert.push(" ON CONFLICT(key) DO NOTHING");
                insert.build().execute(c).await?.rows_affected() as usize
            });
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
        Ok(on_db!(self.db(), |db| sqlx::query_as(
            "SELECT o.id, o.key, o.chat_id, o.body_id, o.body, o.attempts, o.parts_sent
             FROM outbox o
             WHERE o.status = $1 AND o.next_attempt_at <= $2
               AND NOT EXISTS (
                   SELECT 1 FROM outbox e
                   WHERE e.chat_id = o.chat_id AND e.id < o.id AND e.status IN ($3, $4))
             ORDER BY o.next_attempt_at, o.id LIMIT $5",
        )
        .bind(codec::text(Pending))
        .bind(timestamp(now))
        .bind(codec::text(Pending))
        .bind(codec::text(Sending))
        .bind(limit)
        .fetch_all(db)
        .await?))
    }

    /// The texts with these ids. A broadcast's rows share a handful of texts: the sender reads
    /// each once instead of with every row.
    pub async fn bodies(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(i64, String)> = on_db!(self.db(), |db, DB| {
            let mut select = sqlx::QueryBuilder::<DB>::new("SELECT id, body FROM outbox_bodies WHERE id IN (");
            let mut list = select.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            select.push(")");
            select.build_query_as().fetch_all(db).await?
        });
        Ok(rows.into_iter().collect())
    }
}
