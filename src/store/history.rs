//! Changing tasks: adding one, marking it done or open again, notes; each change is an event with
//! the user who made it.

use chrono::{DateTime, NaiveDate, Utc};

use super::Tx;
use super::codec::{self, timestamp};
use super::dialect::{on_db, on_tx};
use super::{Result, Store};
use crate::domain::due::{Due, Recurrence};
use crate::domain::task::{EventKind, Status, TaskEvent};

/// A task a user adds (by hand or by importing a text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub title_vi: String,
    pub owner: String,
    pub owners: Vec<String>,
    pub partners: Vec<String>,
    pub deliverable: String,
    pub due: Due,
    pub due_phrase: String,
    pub recurrence: Option<Recurrence>,
    /// For an import: what the task came from, so that importing it again adds nothing.
    pub import_key: Option<String>,
}

impl NewTask {
    /// A task proposed by the extraction of a text, remembered by its clause.
    pub fn imported(p: &crate::domain::extract::Proposal) -> Self {
        Self {
            title_vi: p.sentence.clone(),
            owner: p.owner.clone(),
            owners: p.owners.clone(),
            partners: p.partners.clone(),
            deliverable: p.deliverable.clone(),
            due: p.due,
            due_phrase: p.due_phrase.clone(),
            recurrence: p.recurrence,
            import_key: Some(p.import_key()),
        }
    }
}

/// Who made a change, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub at: DateTime<Utc>,
}

impl Store {
    async fn record_event(
        tx: &mut Tx,
        task_id: i64,
        actor: Actor,
        kind: EventKind,
        occurrence: Option<NaiveDate>,
        note: &str,
    ) -> Result<()> {
        Self::record_event_with_due(tx, task_id, actor, kind, occurrence, note, None).await
    }

    async fn record_event_with_due(
        tx: &mut Tx,
        task_id: i64,
        actor: Actor,
        kind: EventKind,
        occurrence: Option<NaiveDate>,
        note: &str,
        new_due: Option<NaiveDate>,
    ) -> Result<()> {
        on_tx!(&mut *tx, |c| {
            sqlx::query(
            "INSERT INTO task_events (task_id, at, user_id, kind, occurrence, note, new_due) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(task_id)
        .bind(timestamp(actor.at))
        .bind(actor.user_id)
        .bind(codec::text(kind))
        .bind(occurrence.map(codec::date))
        .bind(note)
        .bind(new_due.map(codec::date))
        .execute(c)
        .await?.rows_affected()
        });
        Ok(())
    }

    /// Adds a task; `None` when a task with the same import key exists already.
    #[tracing::instrument(skip_all, err)]
    pub async fn add_task(&self, task: &NewTask, actor: Actor, kind: EventKind) -> Result<Option<i64>> {
        let ids = self.add_tasks(std::slice::from_ref(task), actor, kind, None).await?;
        Ok(ids.into_iter().next().flatten())
    }

    /// Adds tasks in one transaction: every one, or none when any fails. Each is `None` when a
    /// task with the same import key exists already. With `draft`, that import draft is closed as
    /// saved in the same transaction, so a failed save leaves it open as it was.
    #[tracing::instrument(skip_all, err, fields(tasks = tasks.len()))]
    pub async fn add_tasks(
        &self,
        tasks: &[NewTask],
        actor: Actor,
        kind: EventKind,
        draft: Option<i64>,
    ) -> Result<Vec<Option<i64>>> {
        let _ring = self.ring_tasks_changed();
        let mut tx = self.write().await?;
        let at = timestamp(actor.at);
        let mut ids = Vec::with_capacity(tasks.len());
        for task in tasks {
            let id: Option<i64> = on_tx!(&mut tx, |c| {
                sqlx::query_scalar(
                "INSERT INTO tasks (title_vi, owner, deliverable, due, due_precision, due_phrase, recurrence, import_key,
                      created_at, updated_at, owners, partners)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT(import_key) WHERE import_key IS NOT NULL DO NOTHING RETURNING id",
            )
            .bind(&task.title_vi)
            .bind(&task.owner)
            .bind(&task.deliverable)
            .bind(codec::date(task.due.date))
            .bind(codec::text(task.due.precision))
            .bind(&task.due_phrase)
            .bind(task.recurrence.map(codec::text))
            .bind(&task.import_key)
            .bind(at)
            .bind(at)
            .bind(codec::names(&task.owners))
            .bind(codec::names(&task.partners))
            .fetch_optional(c)
            .await?
            });
            if let Some(id) = id {
                Self::record_event(&mut tx, id, actor, kind, None, "").await?;
            }
            ids.push(id);
        }
        if let Some(draft) = draft {
            on_tx!(&mut tx, |c| sqlx::query(
                "UPDATE import_drafts SET status = 'saved', awaiting = NULL WHERE id = $1"
            )
            .bind(draft)
            .execute(c)
            .await?
            .rows_affected());
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Marks a task done (or, for a monthly task, its `occurrence`) on `completed_on`, or open
    /// again when `completed_on` is `None`. Returns false when there is no such task.
    #[tracing::instrument(skip_all, err)]
    pub async fn set_done(
        &self,
        task_id: i64,
        completed_on: Option<NaiveDate>,
        occurrence: Option<NaiveDate>,
        actor: Actor,
        note: &str,
    ) -> Result<bool> {
        let _ring = self.ring_tasks_changed();
        let done = completed_on.is_some();
        let completed = completed_on.map(codec::date);
        let mut tx = self.write().await?;
        let exists: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE id = $1")
            .bind(task_id)
            .fetch_one(c)
            .await?);
        if exists == 0 {
            return Ok(false);
        }
        match occurrence {
            Some(due) => {
                let due = codec::date(due);
                if done {
                    on_tx!(&mut tx, |c| sqlx::query(
                        "INSERT INTO occurrences_done (task_id, due, completed_on) VALUES ($1, $2, $3)
                         ON CONFLICT(task_id, due) DO UPDATE SET completed_on = excluded.completed_on",
                    )
                    .bind(task_id)
                    .bind(due)
                    .bind(completed)
                    .execute(c)
                    .await?
                    .rows_affected());
                } else {
                    on_tx!(&mut tx, |c| sqlx::query("DELETE FROM occurrences_done WHERE task_id = $1 AND due = $2")
                        .bind(task_id)
                        .bind(due)
                        .execute(c)
                        .await?
                        .rows_affected());
                }
            }
            None => {
                let status = if done { Status::Done } else { Status::Open };
                on_tx!(&mut tx, |c| sqlx::query(
                    "UPDATE tasks SET status = $1, completed_on = $2, updated_at = $3 WHERE id = $4"
                )
                .bind(codec::text(status))
                .bind(completed)
                .bind(timestamp(actor.at))
                .bind(task_id)
                .execute(c)
                .await?
                .rows_affected());
            }
        }
        let kind = if done { EventKind::Done } else { EventKind::Reopened };
        Self::record_event(&mut tx, task_id, actor, kind, occurrence, note).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adjusts a task's deadline to `new_due`, keeping the original, with the reason in its
    /// history. Returns false when there is no such task.
    #[tracing::instrument(skip_all, err)]
    pub async fn extend(
        &self,
        task_id: i64,
        occurrence: Option<NaiveDate>,
        new_due: NaiveDate,
        actor: Actor,
        reason: &str,
    ) -> Result<bool> {
        let _ring = self.ring_tasks_changed();
        let mut tx = self.write().await?;
        // A recurring task's occurrence moves alone; a one-off task's deadline is the task's.
        let touched = on_tx!(&mut tx, |c| sqlx::query(if occurrence.is_some() {
            "UPDATE tasks SET updated_at = $1 WHERE id = $2"
        } else {
            "UPDATE tasks SET adjusted_due = $3, updated_at = $1 WHERE id = $2"
        })
        .bind(timestamp(actor.at))
        .bind(task_id)
        .bind(codec::date(new_due))
        .execute(c)
        .await?
        .rows_affected());
        if touched == 0 {
            return Ok(false);
        }
        if let Some(occurrence) = occurrence {
            on_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO occurrence_adjustments (task_id, occurrence, adjusted_due) VALUES ($1, $2, $3)
                 ON CONFLICT(task_id, occurrence) DO UPDATE SET adjusted_due = excluded.adjusted_due",
            )
            .bind(task_id)
            .bind(codec::date(occurrence))
            .bind(codec::date(new_due))
            .execute(c)
            .await?
            .rows_affected());
        }
        Self::record_event_with_due(&mut tx, task_id, actor, EventKind::Extended, occurrence, reason, Some(new_due))
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds a note to a task's history. Returns false when there is no such task.
    #[tracing::instrument(skip_all, err)]
    pub async fn add_note(&self, task_id: i64, actor: Actor, note: &str) -> Result<bool> {
        let mut tx = self.write().await?;
        let exists: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE id = $1")
            .bind(task_id)
            .fetch_one(c)
            .await?);
        if exists == 0 {
            return Ok(false);
        }
        Self::record_event(&mut tx, task_id, actor, EventKind::Note, None, note).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A task's history, oldest first.
    pub async fn task_events(&self, task_id: i64) -> Result<Vec<TaskEvent>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            at: codec::At,
            user_id: Option<i64>,
            kind: String,
            occurrence: Option<codec::Day>,
            note: String,
            new_due: Option<codec::Day>,
        }
        let rows: Vec<Row> = on_db!(self.db(), |db| {
            sqlx::query_as(
            "SELECT at, user_id, kind, occurrence, note, new_due FROM task_events WHERE task_id = $1 ORDER BY at, id",
        )
        .bind(task_id)
        .fetch_all(db)
        .await?
        });
        rows.into_iter()
            .map(|Row { at, user_id, kind, occurrence, note, new_due }| {
                Ok(TaskEvent {
                    at: at.get(),
                    user_id,
                    kind: codec::parse_enum("task event", &kind)?,
                    occurrence: occurrence.map(codec::Day::get),
                    note,
                    new_due: new_due.map(codec::Day::get),
                })
            })
            .collect()
    }
}
