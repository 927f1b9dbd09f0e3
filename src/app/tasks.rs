//! Use cases on tasks: add one, save the proposals of an import, mark done or open again, annotate.

use chrono::NaiveDate;

use super::{App, Change, Result};
use crate::domain::deadline::occurrence;
use crate::domain::extract::Proposal;
use crate::domain::task::{EventKind, TaskEvent};
use crate::store::{Actor, NewTask, StoreError};

/// What saving proposals did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Saved {
    pub added: usize,
    /// Proposals already stored by an earlier import of the same text.
    pub known: usize,
}

/// What `/done` or `/reopen` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    NoSuchTask,
    /// Done or reopened; for a monthly task, the occurrence it was about.
    Task {
        occurrence: Option<NaiveDate>,
    },
}

impl App {
    fn actor(&self, user_id: Option<u64>) -> Actor {
        Actor { user_id: user_id.and_then(|id| i64::try_from(id).ok()), at: self.clock.now() }
    }

    /// Adds a task by hand; returns its id.
    pub async fn add_task(&self, task: &NewTask, user_id: Option<u64>) -> Result<i64> {
        let id = self.store.add_task(task, self.actor(user_id), EventKind::Added).await?;
        self.changed(Change::Tasks).await?;
        // Only imports carry a key that can already be known; a hand-made task is always new.
        id.ok_or_else(|| StoreError::Corrupt("a task added by hand was taken for a known import".into()).into())
    }

    /// Stores proposals found in a text; one already stored (same clause) is not added twice.
    pub async fn save_proposals(&self, proposals: &[Proposal], user_id: Option<u64>) -> Result<Saved> {
        let actor = self.actor(user_id);
        let mut saved = Saved::default();
        for proposal in proposals {
            match self.store.add_task(&NewTask::imported(proposal), actor, EventKind::Imported).await? {
                Some(_) => saved.added += 1,
                None => saved.known += 1,
            }
        }
        self.changed(Change::Tasks).await?;
        Ok(saved)
    }

    /// Marks a task done, or open again. A monthly task is marked one occurrence at a time: done
    /// marks this month's, reopen the latest marked done.
    pub async fn set_done(&self, id: i64, done: bool, user_id: Option<u64>, note: &str) -> Result<Changed> {
        let catalog = self.catalog();
        let Some(task) = catalog.task(id) else { return Ok(Changed::NoSuchTask) };
        let occurrence = match (task.recurrence, done) {
            (None, _) => None,
            (Some(_), true) => Some(occurrence(task, self.today())),
            (Some(_), false) => task.done_occurrences.iter().max().copied(),
        };
        self.store.set_done(id, done, occurrence, self.actor(user_id), note).await?;
        self.changed(Change::Tasks).await?;
        Ok(Changed::Task { occurrence })
    }

    /// Adds a note to a task's history; false when there is no such task.
    pub async fn note(&self, id: i64, user_id: Option<u64>, text: &str) -> Result<bool> {
        Ok(self.store.add_note(id, self.actor(user_id), text).await?)
    }

    /// A task's history, oldest first.
    pub async fn task_events(&self, id: i64) -> Result<Vec<TaskEvent>> {
        Ok(self.store.task_events(id).await?)
    }
}
