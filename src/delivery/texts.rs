//! The texts the sender sends, each read from the database and split into Telegram-sized parts
//! once: 100,000 digests of one morning share a handful of texts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::render::split::{MAX_MESSAGE_CHARS, split_html};
use crate::store::{OutboxRow, Store, StoreError};

/// A message's parts, as sent.
pub type Parts = Arc<[String]>;

/// More distinct texts than this and the cache starts afresh: a long-running bot sends new texts
/// every day, and a broadcast needs only its own.
const KEPT: usize = 1_024;

/// The split texts by their id in the database. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    split: Arc<Mutex<HashMap<i64, Parts>>>,
}

impl Texts {
    /// The parts of each row, in order, reading the texts not yet known in one query.
    pub async fn parts(&self, store: &Store, rows: &[OutboxRow]) -> Result<Vec<Parts>, StoreError> {
        let missing: Vec<i64> = {
            let mut split = self.lock();
            let mut needed: Vec<i64> = rows.iter().filter_map(|r| r.body_id).collect();
            needed.sort_unstable();
            needed.dedup();
            let missing = needed.iter().filter(|id| !split.contains_key(id)).count();
            if split.len() + missing > KEPT {
                split.clear();
            }
            needed.retain(|id| !split.contains_key(id));
            needed
        };
        let read = store.bodies(&missing).await?;
        let mut split = self.lock();
        for (id, body) in read {
            split.insert(id, split_html(&body, MAX_MESSAGE_CHARS).into());
        }
        rows.iter()
            .map(|row| match row.body_id {
                None => Ok(split_html(&row.body, MAX_MESSAGE_CHARS).into()),
                Some(id) => split
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| StoreError::Corrupt(format!("outbox row {} points at a missing text {id}", row.id))),
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Parts>> {
        self.split.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ChatKind, DeliveryKey, DeliveryKind, PlanRecord, Planned};
    use chrono::{TimeZone, Utc};

    #[tokio::test]
    async fn shared_texts_are_read_once_and_rows_from_before_sharing_keep_their_own() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let now = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        let long = format!("<b>Bản tin</b>\n{}", "• việc phải làm\n".repeat(400));
        let planned: Vec<Planned> = (1..=3)
            .map(|chat| Planned {
                key: DeliveryKey::Digest { chat_id: chat, slot: now.fixed_offset() },
                chat_id: chat,
                kind: DeliveryKind::Digest,
                body: long.clone(),
                scheduled_at: now,
                late: false,
                skipped: None,
            })
            .collect();
        for chat in 1..=4 {
            store.subscribe(chat, ChatKind::Private, "", now).await.unwrap();
        }
        let plans: Vec<PlanRecord> = planned
            .iter()
            .map(|p| PlanRecord {
                chat_id: p.chat_id,
                planned: std::slice::from_ref(p),
                planned_through: now,
                next_slot_at: None,
            })
            .collect();
        store.record_plans(&plans, now).await.unwrap();
        // A row written before texts were shared carries its own.
        crate::store::dialect::on_db!(store.db(), |db| sqlx::query(
            "INSERT INTO outbox (key, chat_id, kind, body, scheduled_at, next_attempt_at)
             VALUES ('digest:4', 4, 'digest', 'một dòng', $1, $1)",
        )
        .bind(crate::store::timestamp(now))
        .execute(db)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();

        let rows = store.ready(now, 10).await.unwrap();
        assert_eq!(rows.len(), 4);
        let parts = Texts::default().parts(&store, &rows).await.unwrap();
        let expected = split_html(&long, MAX_MESSAGE_CHARS);
        assert!(expected.len() > 1, "the digest is long enough to be split");
        for (row, parts) in rows.iter().zip(&parts) {
            match row.body_id {
                Some(_) => assert_eq!(parts.as_ref(), expected.as_slice()),
                None => assert_eq!(parts.as_ref(), ["một dòng".to_owned()]),
            }
        }
        let shared: Vec<&Parts> = parts.iter().filter(|p| p.len() > 1).collect();
        assert_eq!(shared.len(), 3);
        assert!(shared.windows(2).all(|w| Arc::ptr_eq(w[0], w[1])), "the shared text was split once");
    }
}
