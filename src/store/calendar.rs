//! Private calendar addresses (one per chat and filter, kept as the hash of their token) and the
//! revisions of the events they serve.

use chrono::{DateTime, Utc};

use super::codec::{At, timestamp};
use super::dialect::{on_db, on_tx};
use super::{Result, Store};

/// Who a calendar address belongs to, and what it shows.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CalendarAddress {
    pub chat_id: i64,
    pub filter: String,
}

/// An event's revision: bumped when what it says about its task changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    pub sequence: u32,
    pub modified_at: DateTime<Utc>,
}

impl Store {
    /// The generation of a chat's address for `filter`, if it has one.
    pub async fn calendar_generation(&self, chat_id: i64, filter: &str) -> Result<Option<u32>> {
        let generation: Option<i64> = on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT generation FROM calendar_tokens WHERE chat_id = $1 AND filter = $2"
        )
        .bind(chat_id)
        .bind(filter)
        .fetch_optional(db)
        .await?);
        Ok(generation.map(|g| u32::try_from(g).unwrap_or(0)))
    }

    /// Gives the chat's address for `filter` this generation and token hash, replacing the one it had.
    pub async fn set_calendar_token(
        &self,
        chat_id: i64,
        filter: &str,
        generation: u32,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        on_db!(self.db(), |db| {
            sqlx::query(
            "INSERT INTO calendar_tokens (token_hash, chat_id, filter, generation, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT(chat_id, filter) DO UPDATE SET token_hash = excluded.token_hash,
                 generation = excluded.generation, created_at = excluded.created_at",
        )
        .bind(hash)
        .bind(chat_id)
        .bind(filter)
        .bind(i64::from(generation))
        .bind(timestamp(now))
        .execute(db)
        .await?.rows_affected()
        });
        Ok(())
    }

    /// The address a token hash opens, if any.
    pub async fn calendar_address(&self, hash: &str) -> Result<Option<CalendarAddress>> {
        Ok(on_db!(self.db(), |db| sqlx::query_as("SELECT chat_id, filter FROM calendar_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(db)
            .await?))
    }

    /// The revision of each event, from what it says now (`(uid, fingerprint)`): an event seen for
    /// the first time starts at 0, one whose fingerprint changed moves to the next sequence at `now`.
    pub async fn calendar_revisions(&self, events: &[(String, String)], now: DateTime<Utc>) -> Result<Vec<Revision>> {
        let mut tx = self.write().await?;
        let mut revisions = Vec::with_capacity(events.len());
        for (uid, fingerprint) in events {
            let stored: Option<(String, i64, At)> = on_tx!(&mut tx, |c| sqlx::query_as(
                "SELECT fingerprint, sequence, modified_at FROM calendar_revisions WHERE uid = $1"
            )
            .bind(uid)
            .fetch_optional(c)
            .await?);
            let revision = match stored {
                Some((same, sequence, at)) if &same == fingerprint => {
                    Revision { sequence: u32::try_from(sequence).unwrap_or(0), modified_at: at.get() }
                }
                Some((_, sequence, _)) => {
                    let next = sequence + 1;
                    on_tx!(&mut tx, |c| {
                        sqlx::query(
                        "UPDATE calendar_revisions SET fingerprint = $1, sequence = $2, modified_at = $3 WHERE uid = $4",
                    )
                    .bind(fingerprint)
                    .bind(next)
                    .bind(timestamp(now))
                    .bind(uid)
                    .execute(c)
                    .await?.rows_affected()
                    });
                    Revision { sequence: u32::try_from(next).unwrap_or(0), modified_at: now }
                }
                None => {
                    on_tx!(&mut tx, |c| {
                        sqlx::query(
                        "INSERT INTO calendar_revisions (uid, fingerprint, sequence, modified_at) VALUES ($1, $2, 0, $3)",
                    )
                    .bind(uid)
                    .bind(fingerprint)
                    .bind(timestamp(now))
                    .execute(c)
                    .await?.rows_affected()
                    });
                    Revision { sequence: 0, modified_at: now }
                }
            };
            revisions.push(revision);
        }
        tx.commit().await?;
        Ok(revisions)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[tokio::test]
    async fn a_replaced_token_opens_nothing_and_a_changed_event_moves_its_sequence() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        store.set_calendar_token(5, "UBND", 0, "aaa", now).await.unwrap();
        let address = CalendarAddress { chat_id: 5, filter: "UBND".into() };
        assert_eq!(store.calendar_address("aaa").await.unwrap(), Some(address));
        store.set_calendar_token(5, "UBND", 1, "bbb", now).await.unwrap();
        assert_eq!(store.calendar_address("aaa").await.unwrap(), None);
        assert_eq!(store.calendar_generation(5, "UBND").await.unwrap(), Some(1));
        assert_eq!(store.calendar_generation(5, "").await.unwrap(), None);

        let later = now + chrono::Duration::hours(1);
        let first = store.calendar_revisions(&[("a@x".into(), "1".into())], now).await.unwrap();
        assert_eq!(first, [Revision { sequence: 0, modified_at: now }]);
        let same = store.calendar_revisions(&[("a@x".into(), "1".into())], later).await.unwrap();
        assert_eq!(same, first, "nothing changed");
        let changed = store.calendar_revisions(&[("a@x".into(), "2".into())], later).await.unwrap();
        assert_eq!(changed, [Revision { sequence: 1, modified_at: later }]);
    }
}
