//! The items seen in watched sources: each read once, the document it carries proposed once, and
//! its proposals kept until the admins are sent them for review.

use chrono::{DateTime, NaiveDate, Utc};

use super::super::Tx;
use super::super::codec::{self, timestamp};
use super::super::dialect::{on_db, on_tx};
use super::super::proposal_row::{ProposalRow, ProposalTable, insert_proposals};
use super::super::{Result, Store};
use super::{ItemOrigin, ItemStatus, NewItem, PendingItem};
use crate::domain::extract::Proposal;

/// Inserts an item as `status`; `None` when a unique key holds it already (the item in its source,
/// or, proposed, its document).
async fn insert_item(
    tx: &mut Tx,
    source_id: i64,
    item: &NewItem<'_>,
    status: ItemStatus,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    Ok(on_tx!(&mut *tx, |c| sqlx::query_scalar(
        "INSERT INTO watched_items (source_id, item_key, url, title, published, document_key, status, error, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(source_id)
    .bind(item.key)
    .bind(item.url)
    .bind(item.title)
    .bind(item.published.map(codec::date))
    .bind(item.document_key)
    .bind(codec::text(status))
    .bind(item.error)
    .bind(timestamp(now))
    .fetch_optional(c)
    .await?))
}

impl Store {
    /// Which of `keys` were seen in the source already.
    pub async fn seen_item_keys(&self, source_id: i64, keys: &[String]) -> Result<std::collections::HashSet<String>> {
        let mut seen = std::collections::HashSet::new();
        for chunk in keys.chunks(200) {
            let marks = (2..chunk.len() + 2).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
            let sql = format!("SELECT item_key FROM watched_items WHERE source_id = $1 AND item_key IN ({marks})");
            seen.extend(on_db!(self.db(), |db, DB| {
                let mut query = sqlx::query_scalar::<DB, String>(&sql).bind(source_id);
                for key in chunk {
                    query = query.bind(key);
                }
                query.fetch_all(db).await?
            }));
        }
        Ok(seen)
    }

    /// Records an item seen for the first time, with its proposals, and returns what it was
    /// recorded as: a proposed item whose document another item proposed already is recorded as a
    /// duplicate, without its proposals (the unique index decides, whoever writes first). `None`
    /// when the item was seen already (another process got there first).
    #[tracing::instrument(skip_all, err)]
    pub async fn record_item(
        &self,
        source_id: i64,
        item: &NewItem<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<ItemStatus>> {
        let mut tx = self.write().await?;
        let mut status = item.status;
        let mut id = insert_item(&mut tx, source_id, item, status, now).await?;
        if id.is_none() && status == ItemStatus::Proposed && item.document_key.is_some() {
            status = ItemStatus::Duplicate;
            id = insert_item(&mut tx, source_id, item, status, now).await?;
        }
        let Some(id) = id else { return Ok(None) };
        let proposals = if status == ItemStatus::Proposed { item.proposals } else { &[] };
        insert_proposals(&mut tx, ProposalTable::Watched, id, proposals).await?;
        tx.commit().await?;
        Ok(Some(status))
    }

    /// Items whose proposals have not been sent to the admins yet, oldest first.
    pub async fn pending_items(&self) -> Result<Vec<PendingItem>> {
        let rows: Vec<(i64, String, String, String, String, Option<codec::Day>)> =
            on_db!(self.db(), |db| sqlx::query_as(
                "SELECT i.id, s.url, s.name, i.url, i.title, i.published FROM watched_items i
             JOIN watched_sources s ON s.id = i.source_id
             WHERE i.status = 'proposed' AND i.notified_at IS NULL ORDER BY i.id",
            )
            .fetch_all(db)
            .await?);
        let mut pending = Vec::with_capacity(rows.len());
        for (id, source_url, source_name, url, title, published) in rows {
            let published = published.map(codec::Day::get);
            let proposals = self.item_proposals(id).await?;
            pending.push(PendingItem { id, source_url, source_name, url, title, published, proposals });
        }
        Ok(pending)
    }

    async fn item_proposals(&self, item_id: i64) -> Result<Vec<Proposal>> {
        let rows: Vec<ProposalRow> = on_db!(self.db(), |db| sqlx::query_as(
            "SELECT sentence, owner, owners, partners, deliverable, already_due, due, due_precision, due_phrase,
                    recurrence
             FROM watched_proposals WHERE item_id = $1 ORDER BY idx",
        )
        .bind(item_id)
        .fetch_all(db)
        .await?);
        rows.into_iter()
            .map(|r| {
                let mut proposal = r.into_proposal()?;
                // Kept before migration 0018: the joined owner alone.
                if proposal.owners.is_empty() && !proposal.owner.is_empty() {
                    proposal.owners.push(proposal.owner.clone());
                }
                Ok(proposal)
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
        let mut tx = self.write().await?;
        let mut drafts = Vec::with_capacity(chats.len());
        for &chat_id in chats {
            let draft: i64 = on_tx!(&mut tx, |c| {
                sqlx::query_scalar(
                "INSERT INTO import_drafts (chat_id, published, created_at, source_item_id) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(chat_id)
            .bind(codec::date(published))
            .bind(timestamp(now))
            .bind(item.id)
            .fetch_one(c)
            .await?
            });
            on_tx!(&mut tx, |c| {
                sqlx::query(
                "INSERT INTO import_proposals (draft_id, idx, sentence, owner, due, due_precision, due_phrase, recurrence,
                     owners, partners, deliverable, already_due)
                 SELECT $1, idx, sentence, owner, due, due_precision, due_phrase, recurrence,
                     owners, partners, deliverable, already_due
                 FROM watched_proposals WHERE item_id = $2",
            )
            .bind(draft)
            .bind(item.id)
            .execute(c)
            .await?.rows_affected()
            });
            drafts.push((chat_id, draft));
        }
        on_tx!(&mut tx, |c| sqlx::query("UPDATE watched_items SET notified_at = $1 WHERE id = $2")
            .bind(timestamp(now))
            .bind(item.id)
            .execute(c)
            .await?
            .rows_affected());
        tx.commit().await?;
        Ok(drafts)
    }

    /// Where the tasks of a draft opened from a watched item come from; `None` for a pasted text.
    pub async fn draft_origin(&self, draft_id: i64) -> Result<Option<ItemOrigin>> {
        let row: Option<(String, String, String, Option<codec::Day>, codec::Day)> =
            on_db!(self.db(), |db| sqlx::query_as(
                "SELECT i.url, i.title, s.name, i.published, d.published FROM import_drafts d
             JOIN watched_items i ON i.id = d.source_item_id JOIN watched_sources s ON s.id = i.source_id
             WHERE d.id = $1",
            )
            .bind(draft_id)
            .fetch_optional(db)
            .await?);
        let Some((url, title, publisher, published, draft_published)) = row else { return Ok(None) };
        let published = published.unwrap_or(draft_published).get();
        Ok(Some(ItemOrigin { url, title, publisher, published }))
    }

    /// Makes a saved task cite the watched item it came from (a knowledge-base source keyed by the
    /// item's address).
    pub async fn cite_origin(&self, task_id: i64, origin: &ItemOrigin) -> Result<()> {
        let mut tx = self.write().await?;
        let source_id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
            "INSERT INTO sources (key, title, publisher, published, seed_file) VALUES ($1, $2, $3, $4, '')
             ON CONFLICT(key) DO UPDATE SET title = excluded.title RETURNING id",
        )
        .bind(&origin.url)
        .bind(&origin.title)
        .bind(&origin.publisher)
        .bind(codec::date(origin.published))
        .fetch_one(c)
        .await?);
        on_tx!(&mut tx, |c| sqlx::query("UPDATE tasks SET source_id = $1 WHERE id = $2")
            .bind(source_id)
            .bind(task_id)
            .execute(c)
            .await?
            .rows_affected());
        tx.commit().await?;
        Ok(())
    }
}
