//! Use cases on tasks: add one, save the proposals of an import, mark done or open again, annotate.

use chrono::NaiveDate;

use super::{App, Change, Result};
use crate::domain::deadline::current_occurrence;
use crate::domain::extract::{Proposal, cleaned_proposal, due_in_range, storable};
use crate::domain::task::{EventKind, TaskEvent};
use crate::domain::text::clean;
use crate::store::{Actor, ItemOrigin, NewTask, StoreError};

/// Why a task given by hand was not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The due date is outside [`DUE_YEARS`](crate::domain::extract::DUE_YEARS).
    DueOutOfRange,
    /// Nothing readable is left of the title once cleaned.
    EmptyTitle,
}

/// What saving proposals did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Saved {
    pub added: usize,
    /// Proposals already stored by an earlier import of the same text.
    pub known: usize,
    /// Proposals not stored: a due date outside [`DUE_YEARS`](crate::domain::extract::DUE_YEARS) or nothing readable in the clause.
    pub refused: usize,
}

/// A task as it is stored: every text cleaned the one way ([`clean`]), whatever its path.
fn cleaned(task: &NewTask) -> NewTask {
    NewTask {
        title_vi: clean(&task.title_vi),
        owner: clean(&task.owner),
        owners: task.owners.iter().map(|o| clean(o)).collect(),
        partners: task.partners.iter().map(|o| clean(o)).collect(),
        deliverable: clean(&task.deliverable),
        due_phrase: clean(&task.due_phrase),
        ..task.clone()
    }
}

/// What `/done` or `/reopen` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Done, the work finished on that day.
    DoneOn(NaiveDate),
    Reopen,
}

/// What `/extend` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extended {
    NoSuchTask,
    /// Refused: the new date has already passed.
    BeforeToday,
    /// Refused: the new date comes before the original, so it would not extend anything.
    BeforeOriginal {
        original: NaiveDate,
    },
    /// Adjusted; `original` is the due date the directive gave (a recurring task's: the current
    /// occurrence's, by its rule), kept. `occurrence`: only that occurrence of a recurring task moved.
    Adjusted {
        original: NaiveDate,
        occurrence: bool,
    },
}

/// What `/done` or `/reopen` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    NoSuchTask,
    /// Refused: the day the work was finished has not come yet.
    CompletedInFuture,
    /// Refused: the work cannot have been finished before the task was given.
    CompletedBeforeAssigned {
        assigned: NaiveDate,
    },
    /// Done or reopened; for a monthly task, the occurrence it was about.
    Task {
        occurrence: Option<NaiveDate>,
    },
}

impl App {
    fn actor(&self, user_id: Option<u64>) -> Actor {
        Actor { user_id: user_id.and_then(|id| i64::try_from(id).ok()), at: self.clock.now() }
    }

    /// Adds a task by hand, its texts cleaned; returns its id, or why it was refused.
    pub async fn add_task(&self, task: &NewTask, user_id: Option<u64>) -> Result<Result<i64, Refused>> {
        let task = cleaned(task);
        if !due_in_range(task.due.date) {
            return Ok(Err(Refused::DueOutOfRange));
        }
        if task.title_vi.is_empty() {
            return Ok(Err(Refused::EmptyTitle));
        }
        let id = self.store.add_task(&task, self.actor(user_id), EventKind::Added).await?;
        self.changed(Change::Tasks).await?;
        // Only imports carry a key that can already be known; a hand-made task is always new.
        let id = id.ok_or_else(|| StoreError::Corrupt("a task added by hand was taken for a known import".into()))?;
        Ok(Ok(id))
    }

    /// Stores proposals found in a text, all in one transaction: every one or, when the database
    /// refuses one, none. One already stored (same clause) is not added twice.
    pub async fn save_proposals(&self, proposals: &[Proposal], user_id: Option<u64>) -> Result<Saved> {
        self.store_proposals(proposals, user_id, None, None).await
    }

    /// [`App::save_proposals`], closing the import draft `draft` as saved in the same transaction,
    /// each new task citing the watched item it came from, if any.
    pub(super) async fn store_proposals(
        &self,
        proposals: &[Proposal],
        user_id: Option<u64>,
        draft: Option<i64>,
        origin: Option<&ItemOrigin>,
    ) -> Result<Saved> {
        let mut saved = Saved::default();
        let mut tasks = Vec::with_capacity(proposals.len());
        for proposal in proposals {
            let proposal = cleaned_proposal(proposal);
            if storable(&proposal) {
                tasks.push(NewTask::imported(&proposal));
            } else {
                saved.refused += 1;
            }
        }
        let ids = self.store.add_tasks(&tasks, self.actor(user_id), EventKind::Imported, draft).await?;
        if let Some(origin) = origin {
            for id in ids.iter().flatten() {
                self.store.cite_origin(*id, origin).await?;
            }
        }
        saved.added = ids.iter().filter(|id| id.is_some()).count();
        saved.known = ids.len() - saved.added;
        self.changed(Change::Tasks).await?;
        Ok(saved)
    }

    /// Marks a task done on a day, or open again. A monthly task is marked one occurrence at a
    /// time: done marks this month's, reopen the latest marked done.
    pub async fn set_done(&self, id: i64, mark: Mark, user_id: Option<u64>, note: &str) -> Result<Changed> {
        let catalog = self.catalog();
        let Some(task) = catalog.task(id) else { return Ok(Changed::NoSuchTask) };
        let completed_on = match mark {
            Mark::DoneOn(day) if day > self.today() => return Ok(Changed::CompletedInFuture),
            Mark::DoneOn(day) => match task.assigned_on() {
                Some(assigned) if day < assigned => return Ok(Changed::CompletedBeforeAssigned { assigned }),
                _ => Some(day),
            },
            Mark::Reopen => None,
        };
        let occurrence = match (task.recurrence, mark) {
            (None, _) => None,
            (Some(_), Mark::DoneOn(_)) => Some(current_occurrence(task, self.today())),
            (Some(_), Mark::Reopen) => task.done_occurrences.iter().max().copied(),
        };
        self.store.set_done(id, completed_on, occurrence, self.actor(user_id), &clean(note)).await?;
        self.changed(Change::Tasks).await?;
        Ok(Changed::Task { occurrence })
    }

    /// Adjusts a deadline ("điều chỉnh thời hạn"): the original stays, on time is judged and
    /// reminders go out against the new date, and the history says who, when and why. For a
    /// recurring task, the current occurrence's deadline moves; the later ones keep the rule's.
    /// A new date already past, or before the original, is refused: neither extends anything.
    pub async fn extend(&self, id: i64, new_due: NaiveDate, user_id: Option<u64>, reason: &str) -> Result<Extended> {
        let catalog = self.catalog();
        let Some(task) = catalog.task(id) else { return Ok(Extended::NoSuchTask) };
        let occurrence = task.recurrence.map(|_| current_occurrence(task, self.today()));
        let original = occurrence.unwrap_or(task.due.date);
        if new_due < self.today() {
            return Ok(Extended::BeforeToday);
        }
        if new_due < original {
            return Ok(Extended::BeforeOriginal { original });
        }
        if !self.store.extend(id, occurrence, new_due, self.actor(user_id), &clean(reason)).await? {
            return Ok(Extended::NoSuchTask);
        }
        self.changed(Change::Tasks).await?;
        Ok(Extended::Adjusted { original, occurrence: occurrence.is_some() })
    }

    /// Adds a note (cleaned to one line) to a task's history; false when there is no such task.
    pub async fn note(&self, id: i64, user_id: Option<u64>, text: &str) -> Result<bool> {
        Ok(self.store.add_note(id, self.actor(user_id), &clean(text)).await?)
    }

    /// A task's history, oldest first.
    pub async fn task_events(&self, id: i64) -> Result<Vec<TaskEvent>> {
        Ok(self.store.task_events(id).await?)
    }
}
