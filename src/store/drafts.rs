//! Import drafts: the tasks proposed from a text sent in Telegram, waiting for an admin's review.

use chrono::{DateTime, NaiveDate, Utc};

use super::codec::{self, timestamp};
use super::dialect::{on_db, on_tx};
use super::proposal_row::{ProposalRow, ProposalTable, insert_proposals};
use super::{Result, Store, StoreError};
use crate::domain::due::Due;
use crate::domain::extract::Proposal;

use crate::domain::review::{DraftItem, ReviewAction};

#[derive(sqlx::FromRow)]
struct ItemRow {
    idx: i64,
    #[sqlx(flatten)]
    proposal: ProposalRow,
    keep: bool,
}

impl Store {
    /// Creates a draft with its proposals; returns its id.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_draft(
        &self,
        chat_id: i64,
        user_id: Option<i64>,
        published: NaiveDate,
        proposals: &[Proposal],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.write().await?;
        // One open draft of a pasted text per chat: a new text replaces the one under review (the
        // reviews of watched items stay open beside it).
        on_tx!(&mut tx, |c| {
            sqlx::query(
            "UPDATE import_drafts SET status = 'cancelled' WHERE chat_id = $1 AND status = 'open' AND source_item_id IS NULL",
        )
            .bind(chat_id)
            .execute(c)
            .await?.rows_affected()
        });
        let id: i64 = on_tx!(&mut tx, |c| {
            sqlx::query_scalar(
            "INSERT INTO import_drafts (chat_id, user_id, published, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(chat_id)
        .bind(user_id)
        .bind(codec::date(published))
        .bind(timestamp(now))
        .fetch_one(c)
        .await?
        });
        insert_proposals(&mut tx, ProposalTable::Import, id, proposals).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The open draft of a chat, if any: its id. A chat may hold several (one per watched item
    /// proposed): the one waiting for a typed value comes first, else the latest.
    pub async fn open_draft(&self, chat_id: i64) -> Result<Option<i64>> {
        Ok(on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT id FROM import_drafts WHERE chat_id = $1 AND status = 'open'
             ORDER BY awaiting IS NOT NULL DESC, id DESC LIMIT 1",
        )
        .bind(chat_id)
        .fetch_optional(db)
        .await?))
    }

    /// Whether draft `id` is open in `chat_id`.
    pub async fn draft_is_open(&self, id: i64, chat_id: i64) -> Result<bool> {
        let n: i64 = on_db!(self.db(), |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM import_drafts WHERE id = $1 AND chat_id = $2 AND status = 'open'"
        )
        .bind(id)
        .bind(chat_id)
        .fetch_one(db)
        .await?);
        Ok(n > 0)
    }

    pub async fn draft_items(&self, draft_id: i64) -> Result<Vec<DraftItem>> {
        let rows: Vec<ItemRow> = on_db!(self.db(), |db| {
            sqlx::query_as(
            "SELECT idx, sentence, owner, owners, partners, deliverable, already_due, due, due_precision, due_phrase,
                    recurrence, keep
             FROM import_proposals WHERE draft_id = $1 ORDER BY idx",
        )
        .bind(draft_id)
        .fetch_all(db)
        .await?
        });
        rows.into_iter()
            .map(|r| {
                let proposal = r
                    .proposal
                    .into_proposal()
                    .map_err(|e| StoreError::Corrupt(format!("draft {draft_id} item {}: {e}", r.idx)))?;
                Ok(DraftItem { idx: r.idx, keep: r.keep, proposal })
            })
            .collect()
    }

    pub async fn set_draft_keep(&self, draft_id: i64, idx: i64, keep: bool) -> Result<bool> {
        let result = on_db!(self.db(), |db| sqlx::query(
            "UPDATE import_proposals SET keep = $1 WHERE draft_id = $2 AND idx = $3"
        )
        .bind(keep)
        .bind(draft_id)
        .bind(idx)
        .execute(db)
        .await?
        .rows_affected());
        Ok(result == 1)
    }

    /// Records what the draft waits for the admin to type (an `EditDue` or `EditOwner`), or nothing.
    pub async fn set_awaiting(&self, draft_id: i64, awaiting: Option<ReviewAction>) -> Result<()> {
        let value = awaiting.map(|a| a.to_string());
        on_db!(self.db(), |db| sqlx::query("UPDATE import_drafts SET awaiting = $1 WHERE id = $2")
            .bind(value)
            .bind(draft_id)
            .execute(db)
            .await?
            .rows_affected());
        Ok(())
    }

    pub async fn awaiting(&self, draft_id: i64) -> Result<Option<ReviewAction>> {
        let value: Option<Option<String>> =
            on_db!(self.db(), |db| sqlx::query_scalar("SELECT awaiting FROM import_drafts WHERE id = $1")
                .bind(draft_id)
                .fetch_optional(db)
                .await?);
        value
            .flatten()
            .map(|v| v.parse().map_err(|e: crate::domain::review::NotReview| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    pub async fn edit_draft_due(&self, draft_id: i64, idx: i64, due: Due, phrase: &str) -> Result<()> {
        on_db!(self.db(), |db| {
            sqlx::query("UPDATE import_proposals SET due = $1, due_precision = $2, due_phrase = $3, keep = TRUE WHERE draft_id = $4 AND idx = $5")
            .bind(codec::date(due.date))
            .bind(codec::text(due.precision))
            .bind(phrase)
            .bind(draft_id)
            .bind(idx)
            .execute(db)
            .await?.rows_affected()
        });
        Ok(())
    }

    pub async fn edit_draft_owner(&self, draft_id: i64, idx: i64, owner: &str) -> Result<()> {
        // A reviewer types the owner as one line: it is the task's one owner.
        on_db!(self.db(), |db| sqlx::query(
            "UPDATE import_proposals SET owner = $1, owners = $2, keep = TRUE WHERE draft_id = $3 AND idx = $4"
        )
        .bind(owner)
        .bind(codec::names(&[owner.to_owned()]))
        .bind(draft_id)
        .bind(idx)
        .execute(db)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn close_draft(&self, draft_id: i64, saved: bool) -> Result<()> {
        on_db!(self.db(), |db| sqlx::query("UPDATE import_drafts SET status = $1, awaiting = NULL WHERE id = $2")
            .bind(if saved { "saved" } else { "cancelled" })
            .bind(draft_id)
            .execute(db)
            .await?
            .rows_affected());
        Ok(())
    }
}
