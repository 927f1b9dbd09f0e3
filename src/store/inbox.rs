//! The inbox: every update from Telegram, written before Telegram is told it arrived, handled from
//! here and marked handled once its replies are queued. A resent update (the same `update_id`) is
//! recognised and not handled again.

use chrono::{DateTime, Utc};

use super::codec::{At, timestamp};
use super::dialect::{on_db, on_tx};
use super::{Result, Store};

/// An update kept in the inbox and not yet handled.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unhandled {
    pub update_id: i64,
    pub body: String,
    /// How many times it was already given to the handlers (a crash came before it was marked).
    pub attempts: i64,
}

/// How far behind the handlers are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxBacklog {
    pub unhandled: i64,
    pub oldest: Option<DateTime<Utc>>,
}

impl Store {
    /// Writes an update; false when it was there already (Telegram sent it again).
    pub async fn inbox_put(&self, update_id: i64, kind: &str, body: &str, now: DateTime<Utc>) -> Result<bool> {
        let result = on_db!(self.db(), |db| sqlx::query(
            "INSERT INTO inbox (update_id, kind, body, received_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT(update_id) DO NOTHING",
        )
        .bind(update_id)
        .bind(kind)
        .bind(body)
        .bind(timestamp(now))
        .execute(db)
        .await?
        .rows_affected());
        Ok(result == 1)
    }

    /// Counts one more hand-over of these updates to the handlers.
    pub async fn inbox_tried(&self, update_ids: &[i64]) -> Result<()> {
        let mut tx = self.write().await?;
        for id in update_ids {
            on_tx!(&mut tx, |c| sqlx::query("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = $1")
                .bind(id)
                .execute(c)
                .await?
                .rows_affected());
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks an update handled: its replies were sent, or given up on for good (or it needed none).
    pub async fn inbox_handled(&self, update_id: i64, now: DateTime<Utc>) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query(
            "UPDATE inbox SET handled_at = $1 WHERE update_id = $2 AND handled_at IS NULL"
        )
        .bind(timestamp(now))
        .bind(update_id)
        .execute(db)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The updates not yet handled, oldest first.
    pub async fn inbox_unhandled(&self) -> Result<Vec<Unhandled>> {
        Ok(on_db!(self.db(), |db| sqlx::query_as(
            "SELECT update_id, body, attempts FROM inbox WHERE handled_at IS NULL ORDER BY update_id"
        )
        .fetch_all(db)
        .await?))
    }

    /// Deletes the updates handled before `before`; returns how many.
    pub async fn inbox_prune(&self, before: DateTime<Utc>) -> Result<u64> {
        let result =
            on_db!(self.db(), |db| sqlx::query("DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < $1")
                .bind(timestamp(before))
                .execute(db)
                .await?
                .rows_affected());
        Ok(result)
    }

    /// How many updates wait for the handlers, and since when.
    pub async fn inbox_backlog(&self) -> Result<InboxBacklog> {
        let (unhandled, oldest): (i64, Option<At>) = on_db!(self.db(), |db| sqlx::query_as(
            "SELECT COUNT(*), MIN(received_at) FROM inbox WHERE handled_at IS NULL"
        )
        .fetch_one(db)
        .await?);
        Ok(InboxBacklog { unhandled, oldest: oldest.map(At::get) })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[tokio::test]
    async fn an_update_is_kept_once_handled_once_and_pruned_after_it_was_handled() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        assert!(store.inbox_put(10, "message", "{\"update_id\":10}", now).await.unwrap());
        assert!(!store.inbox_put(10, "message", "{\"update_id\":10}", now).await.unwrap(), "resent");
        assert!(store.inbox_put(11, "message", "{\"update_id\":11}", now).await.unwrap());
        let backlog = store.inbox_backlog().await.unwrap();
        assert_eq!(backlog, InboxBacklog { unhandled: 2, oldest: Some(now) });
        store.inbox_tried(&[10]).await.unwrap();
        let unhandled = store.inbox_unhandled().await.unwrap();
        assert_eq!(unhandled.iter().map(|u| (u.update_id, u.attempts)).collect::<Vec<_>>(), [(10, 1), (11, 0)]);
        store.inbox_handled(10, now).await.unwrap();
        assert_eq!(store.inbox_unhandled().await.unwrap().len(), 1);
        assert_eq!(store.inbox_prune(now).await.unwrap(), 0, "handled just now");
        assert_eq!(store.inbox_prune(now + chrono::Duration::days(1)).await.unwrap(), 1);
        assert!(!store.inbox_put(11, "message", "{}", now).await.unwrap(), "an unhandled one is never pruned");
        assert_eq!(store.inbox_backlog().await.unwrap().unhandled, 1);
    }
}
