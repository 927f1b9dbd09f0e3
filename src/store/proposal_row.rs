//! A proposal as the tables of proposals under review store it (`import_proposals`,
//! `watched_proposals`): one row shape, read one way.

use super::codec::{self, Corrupt};
use crate::domain::due::Due;
use crate::domain::extract::Proposal;

#[derive(sqlx::FromRow)]
pub(super) struct ProposalRow {
    sentence: String,
    owner: String,
    owners: String,
    partners: String,
    deliverable: String,
    already_due: bool,
    due: String,
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
            due: Due {
                date: codec::parse_date(&self.due)?,
                precision: codec::parse_enum("due precision", &self.due_precision)?,
            },
            due_phrase: self.due_phrase,
            recurrence: self.recurrence.as_deref().map(|r| codec::parse_enum("recurrence", r)).transpose()?,
        })
    }
}
