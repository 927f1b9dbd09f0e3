//! The items seen in watched sources: each read once, the document it carries proposed once, and
//! its proposals kept until the admins are sent them for review.

use chrono::{DateTime, NaiveDate, Utc};

use super::super::codec::{self, timestamp};
use super::super::{Result, Store};
use super::{ItemOrigin, NewItem, PendingItem};
use crate::domain::due::Due;
use crate::domain::extract::Proposal;

impl Store {
    /// Which of `keys` were seen in the source already.
    pub async fn seen_item_keys(&self, source_id: i64, keys: &[String]) -> Result<std::collections::HashSet<String>> {
        let mut seen = std::collections::HashSet::new();
        for chunk in keys.chunks(200) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!("SELECT item_key FROM watched_items WHERE source_id = ? AND item_key IN ({marks})");
            let mut query = sqlx::query_scalar::<_, String>(&sql).bind(source_id);
            for key in chunk {
                query = query.bind(key);
            }
            seen.extend(query.fetch_all(self.pool()).await?);
        }
        Ok(seen)
    }

    /// Whether a document was proposed already, from any source.
    pub async fn document_proposed(&self, document_key: &str) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM watched_items WHERE document_key = ? AND status = 'proposed'")
                .bind(document_key)
                .fetch_one(self.pool())
                .await?;
        Ok(n > 0)
    }

    /// Records an item seen for the first time, with its proposals; false when it was seen already
    /// (another process got there first).
    #[tracing::instrument(skip_all, err)]
    pub async fn record_item(&self, source_id: i64, item: &NewItem<'_>, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO watched_items (source_id, item_key, url, title, published, document_key, status, error, seen_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, item_key) DO NOTHING RETURNING id",
        )
        .bind(source_id)
        .bind(item.key)
        .bind(item.url)
        .bind(item.title)
        .bind(item.published.map(codec::date))
        .bind(item.document_key)
        .bind(codec::text(item.status))
        .bind(item.error)
        .bind(timestamp(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { return Ok(false) };
        for (idx, p) in item.proposals.iter().enumerate() {
            sqlx::query(
                "INSERT INTO watched_proposals (item_id, idx, sentence, owner, due, due_precision, due_phrase, recurrence)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(idx as i64 + 1)
            .bind(&p.sentence)
            .bind(&p.owner)
            .bind(codec::date(p.due.date))
            .bind(codec::text(p.due.precision))
            .bind(&p.due_phrase)
            .bind(p.recurrence.map(codec::text))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Items whose proposals have not been sent to the admins yet, oldest first.
    pub async fn pending_items(&self) -> Result<Vec<PendingItem>> {
        let rows: Vec<(i64, String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT i.id, s.url, s.name, i.url, i.title, i.published FROM watched_items i
             JOIN watched_sources s ON s.id = i.source_id
             WHERE i.status = 'proposed' AND i.notified_at IS NULL ORDER BY i.id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut pending = Vec::with_capacity(rows.len());
        for (id, source_url, source_name, url, title, published) in rows {
            let published = published.as_deref().map(codec::parse_date).transpose()?;
            let proposals = self.item_proposals(id).await?;
            pending.push(PendingItem { id, source_url, source_name, url, title, published, proposals });
        }
        Ok(pending)
    }

    async fn item_proposals(&self, item_id: i64) -> Result<Vec<Proposal>> {
        type Row = (String, String, String, String, String, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT sentence, owner, due, due_precision, due_phrase, recurrence FROM watched_proposals
             WHERE item_id = ? ORDER BY idx",
        )
        .bind(item_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(sentence, owner, due, precision, due_phrase, recurrence)| {
                // The watched item's row keeps the joined owner only (partners and the deliverable
                // are read again when the item is reviewed as text).
                let owners = if owner.is_empty() { Vec::new() } else { vec![owner.clone()] };
                Ok(Proposal {
                    sentence,
                    owner,
                    owners,
                    partners: Vec::new(),
                    deliverable: String::new(),
                    already_due: false,
                    due: Due {
                        date: codec::parse_date(&due)?,
                        precision: codec::parse_enum("due precision", &precision)?,
                    },
                    due_phrase,
                    recurrence: recurrence.as_deref().map(|r| codec::parse_enum("recurrence", r)).transpose()?,
                })
            })
            .collect()
    }

    /// Opens one review draft of an item's proposals in each of `chats` and marks the item sent,
    /// in one transaction: the item is never proposed twice, and never marked without its drafts.
    /// Returns the drafts, chat by chat. A chat's other open drafts stay open.
    #[tracing::instrument(skip_all, err)]
    pub async fn open_item_reviews(
        &self,
        item: &PendingItem,
        chats: &[i64],
        published: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64)>> {
        let mut tx = self.pool().begin().await?;
        let mut drafts = Vec::with_capacity(chats.len());
        for &chat_id in chats {
            let draft: i64 = sqlx::query_scalar(
                "INSERT INTO import_drafts (chat_id, published, created_at, source_item_id) VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(chat_id)
            .bind(codec::date(published))
            .bind(timestamp(now))
            .bind(item.id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO import_proposals (draft_id, idx, sentence, owner, due, due_precision, due_phrase, recurrence)
                 SELECT ?, idx, sentence, owner, due, due_precision, due_phrase, recurrence FROM watched_proposals
                 WHERE item_id = ?",
            )
            .bind(draft)
            .bind(item.id)
            .execute(&mut *tx)
            .await?;
            drafts.push((chat_id, draft));
        }
        sqlx::query("UPDATE watched_items SET notified_at = ? WHERE id = ?")
            .bind(timestamp(now))
            .bind(item.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(drafts)
    }

    /// Where the tasks of a draft opened from a watched item come from; `None` for a pasted text.
    pub async fn draft_origin(&self, draft_id: i64) -> Result<Option<ItemOrigin>> {
        let row: Option<(String, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT i.url, i.title, s.name, i.published, d.published FROM import_drafts d
             JOIN watched_items i ON i.id = d.source_item_id JOIN watched_sources s ON s.id = i.source_id
             WHERE d.id = ?",
        )
        .bind(draft_id)
        .fetch_optional(self.pool())
        .await?;
        let Some((url, title, publisher, published, draft_published)) = row else { return Ok(None) };
        let published = codec::parse_date(published.as_deref().unwrap_or(&draft_published))?;
        Ok(Some(ItemOrigin { url, title, publisher, published }))
    }

    /// Makes a saved task cite the watched item it came from (a knowledge-base source keyed by the
    /// item's address).
    pub async fn cite_origin(&self, task_id: i64, origin: &ItemOrigin) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let source_id: i64 = sqlx::query_scalar(
            "INSERT INTO sources (key, title, publisher, published, seed_file) VALUES (?, ?, ?, ?, '')
             ON CONFLICT(key) DO UPDATE SET title = excluded.title RETURNING id",
        )
        .bind(&origin.url)
        .bind(&origin.title)
        .bind(&origin.publisher)
        .bind(codec::date(origin.published))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE tasks SET source_id = ? WHERE id = ?")
            .bind(source_id)
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
