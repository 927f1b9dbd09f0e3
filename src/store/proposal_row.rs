//! A proposal as the tables of proposals under review store it (`import_proposals`,
//! `watched_proposals`): one row shape, written and read one way.

use super::Tx;
use super::codec::{self, Corrupt};
use super::dialect::on_tx;
use crate::domain::due::Due;
use crate::domain::extract::Proposal;

/// The tables that keep proposals under review, each under its parent row.
#[derive(Debug, Clone, Copy)]
pub(super) enum ProposalTable {
    /// Under an import draft.
    Import,
    /// Under a watched item.
    Watched,
}

/// Writes `proposals` under `parent`, numbered from 1 in their order.
pub(super) async fn insert_proposals(
    tx: &mut Tx,
    table: ProposalTable,
    parent: i64,
    proposals: &[Proposal],
) -> Result<(), sqlx::Error> {
    let sql = match table {
        ProposalTable::Import => {
            "INSERT INTO import_proposals (draft_id, idx, sentence, owner, due, due_precision, due_phrase, recurrence,
                 owners, partners, deliverable, already_due)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        }
        ProposalTable::Watched => {
            "INSERT INTO watched_proposals (item_id, idx, sentence, owner, due, due_precision, due_phrase, recurrence,
                 owners, partners, deliverable, already_due)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        }
    };
    for (idx, p) in proposals.iter().enumerate() {
        on_tx!(&mut *tx, |c| sqlx::query(sql)
            .bind(parent)
            .bind(idx as i64 + 1)
            .bind(&p.sentence)
            .bind(&p.owner)
            .bind(codec::date(p.due.date))
            .bind(codec::text(p.due.precision))
            .bind(&p.due_phrase)
            .bind(p.recurrence.map(codec::text))
            .bind(codec::names(&p.owners))
            .bind(codec::names(&p.partners))
            .bind(&p.deliverable)
            .bind(p.already_due)
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(super) struct ProposalRow {
    sentence: String,
    owner: String,
    owners: String,
    partners: String,
    deliverable: String,
    already_due: bool,
    due: codec::Day,
    due_precision: String,
    due_phrase: String,
    recurrence: Option<String>,
}

impl ProposalRow {
    pub(super) fn into_proposal(self) -> Result<Proposal, Corrupt> {
        Ok(Proposal {
            sentence: self.sentence,
            owner: self.owner,
            owners: codec::parse_names(&self.owners)?,
            partners: codec::parse_names(&self.partners)?,
            deliverable: self.deliverable,
            already_due: self.already_due,
            due: Due { date: self.due.get(), precision: codec::parse_enum("due precision", &self.due_precision)? },
            due_phrase: self.due_phrase,
            recurrence: self.recurrence.as_deref().map(|r| codec::parse_enum("recurrence", r)).transpose()?,
        })
    }
}
