//! What running as a service reads and keeps: values generated once and kept across restarts
//! (the webhook's secret token), and the readings of health and metrics.

use chrono::{DateTime, Utc};

use super::codec::{self, timestamp};
use super::dialect::on_db;
use super::{OutboxStatus, Result, Store};

impl Store {
    /// The value kept under `key`, if any.
    pub async fn service_value(&self, key: &str) -> Result<Option<String>> {
        Ok(on_db!(self.db(), |db| sqlx::query_scalar("SELECT value FROM service_values WHERE key = $1")
            .bind(key)
            .fetch_optional(db)
            .await?))
    }

    /// The value under `key`, or `make()` written there now; two processes racing keep the first.
    pub async fn service_value_or(&self, key: &str, make: impl FnOnce() -> String) -> Result<String> {
        on_db!(self.db(), |db| sqlx::query(
            "INSERT INTO service_values (key, value) VALUES ($1, $2) ON CONFLICT(key) DO NOTHING"
        )
        .bind(key)
        .bind(make())
        .execute(db)
        .await?
        .rows_affected());
        Ok(on_db!(self.db(), |db| sqlx::query_scalar("SELECT value FROM service_values WHERE key = $1")
            .bind(key)
            .fetch_one(db)
            .await?))
    }

    /// Who holds the sending lease, and until when.
    pub async fn sender_lease(&self) -> Result<Option<(String, DateTime<Utc>)>> {
        let row: Option<(String, codec::At)> =
            on_db!(self.db(), |db| sqlx::query_as("SELECT holder, expires_at FROM sender_lease WHERE id = 1")
                .fetch_optional(db)
                .await?);
        Ok(row.map(|(holder, until)| (holder, until.get())))
    }

    /// When the oldest outbox row due by `now` and not sent fell due.
    pub async fn oldest_due_pending(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let oldest: Option<codec::At> = on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = $1 AND next_attempt_at <= $2"
        )
        .bind(codec::text(OutboxStatus::Pending))
        .bind(timestamp(now))
        .fetch_one(db)
        .await?);
        Ok(oldest.map(codec::At::get))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_made_once_and_kept() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert_eq!(store.service_value("webhook_secret").await.unwrap(), None);
        assert_eq!(store.service_value_or("webhook_secret", || "first".into()).await.unwrap(), "first");
        assert_eq!(store.service_value_or("webhook_secret", || "second".into()).await.unwrap(), "first");
        assert_eq!(store.service_value("webhook_secret").await.unwrap().as_deref(), Some("first"));
    }
}
