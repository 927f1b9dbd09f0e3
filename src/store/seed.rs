//! Applying seed files to the database, idempotently.
//!
//! Each seeded row remembers the seed entry it came from (`seed_json`): an unchanged entry is skipped,
//! an edited one updates its row, and rows or fields users own (status, user edits, rows they added)
//! are never touched. Everything is applied in one transaction: a broken seed changes nothing.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Tx;
use super::codec::{self, timestamp};
use super::dialect::on_tx;
use super::{Result, Store, StoreError};
use crate::domain::task::Status;
use crate::seeds::{ObservationSeed, SeedSet, TaskSeed};

/// What one application of the seeds did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeedReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl SeedReport {
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.removed > 0
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("seed entries serialise")
}

/// Where an upsert left a row.
enum Outcome {
    Inserted,
    Updated,
    Unchanged,
}

impl SeedReport {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Inserted => self.inserted += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

async fn exists(tx: &mut Tx, table: &str, key: &str) -> Result<bool> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE key = $1");
    let count: i64 = on_tx!(&mut *tx, |c| sqlx::query_scalar(&sql).bind(key).fetch_one(c).await?);
    Ok(count > 0)
}

/// Counts an upsert: inserted when the key was new, updated when it changed a row.
fn upserted(existed: bool, rows_affected: u64) -> Outcome {
    match (existed, rows_affected) {
        (false, _) => Outcome::Inserted,
        (true, 0) => Outcome::Unchanged,
        (true, _) => Outcome::Updated,
    }
}

async fn id_of(tx: &mut Tx, table: &str, key: &str) -> Result<Option<i64>> {
    let sql = format!("SELECT id FROM {table} WHERE key = $1");
    Ok(on_tx!(&mut *tx, |c| sqlx::query_scalar(&sql).bind(key).fetch_optional(c).await?))
}

impl Store {
    /// Applies a set of seed files. References (a task's directive, a figure's metric) may point at
    /// rows of other files or of earlier seeds. `now` is when rows it writes were created or updated.
    #[tracing::instrument(skip_all, err)]
    pub async fn apply_seeds(&self, seeds: &SeedSet, now: DateTime<Utc>) -> Result<SeedReport> {
        let _ring = self.ring_tasks_changed();
        let now = timestamp(now);
        let mut tx = self.write().await?;
        let mut report = SeedReport::default();

        for (position, topic) in seeds.files.iter().flat_map(|f| &f.topics).enumerate() {
            let existed = exists(&mut tx, "topics", &topic.key).await?;
            let result = on_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO topics (key, name_vi, name_en, position) VALUES ($1, $2, $3, $4)
                 ON CONFLICT(key) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                     position = excluded.position
                 WHERE (topics.name_vi, topics.name_en, topics.position)
                     IS DISTINCT FROM (excluded.name_vi, excluded.name_en, excluded.position)",
            )
            .bind(&topic.key)
            .bind(&topic.name_vi)
            .bind(&topic.name_en)
            .bind(position as i64)
            .execute(c)
            .await?
            .rows_affected());
            report.count(upserted(existed, result));
        }

        for metric in seeds.files.iter().flat_map(|f| &f.metrics) {
            let seed_json = json(metric);
            let existing: Option<(i64, Option<String>)> =
                on_tx!(&mut tx, |c| sqlx::query_as("SELECT id, seed_json FROM metrics WHERE key = $1")
                    .bind(&metric.key)
                    .fetch_optional(c)
                    .await?);
            let id = match existing {
                Some((_, Some(stored))) if stored == seed_json => {
                    report.count(Outcome::Unchanged);
                    continue;
                }
                Some((id, _)) => {
                    on_tx!(&mut tx, |c| {
                        sqlx::query(
                        "UPDATE metrics SET topic = $1, name_vi = $2, name_en = $3, unit_vi = $4, unit_en = $5, seed_json = $6,
                             measure = $7, change_of = $8
                         WHERE id = $9",
                    )
                    .bind(&metric.topic)
                    .bind(&metric.name_vi)
                    .bind(&metric.name_en)
                    .bind(&metric.unit_vi)
                    .bind(&metric.unit_en)
                    .bind(&seed_json)
                    .bind(codec::text(metric.measure))
                    .bind(&metric.change_of)
                    .bind(id)
                    .execute(c)
                    .await?.rows_affected()
                    });
                    on_tx!(&mut tx, |c| sqlx::query("DELETE FROM metric_aliases WHERE metric_id = $1")
                        .bind(id)
                        .execute(c)
                        .await?
                        .rows_affected());
                    report.count(Outcome::Updated);
                    id
                }
                None => {
                    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
                        "INSERT INTO metrics (key, topic, name_vi, name_en, unit_vi, unit_en, seed_json, measure, change_of)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    )
                    .bind(&metric.key)
                    .bind(&metric.topic)
                    .bind(&metric.name_vi)
                    .bind(&metric.name_en)
                    .bind(&metric.unit_vi)
                    .bind(&metric.unit_en)
                    .bind(&seed_json)
                    .bind(codec::text(metric.measure))
                    .bind(&metric.change_of)
                    .fetch_one(c)
                    .await)
                    .map_err(|e| StoreError::Seed(format!("metric {}: {e} (is its topic defined?)", metric.key)))?;
                    report.count(Outcome::Inserted);
                    id
                }
            };
            for alias in &metric.aliases {
                on_tx!(&mut tx, |c| sqlx::query(
                    "INSERT INTO metric_aliases (metric_id, alias) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                )
                .bind(id)
                .bind(alias)
                .execute(c)
                .await?
                .rows_affected());
            }
        }

        for source in seeds.files.iter().filter_map(|f| f.source.as_ref()) {
            let published = codec::date(source.published);
            let existed = exists(&mut tx, "sources", &source.key).await?;
            let result = on_tx!(&mut tx, |c| {
                sqlx::query(
                "INSERT INTO sources (key, title, publisher, published, seed_file, url) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT(key) DO UPDATE SET title = excluded.title, publisher = excluded.publisher,
                     published = excluded.published, seed_file = excluded.seed_file, url = excluded.url
                 WHERE (sources.title, sources.publisher, sources.published, sources.seed_file, sources.url)
                     IS DISTINCT FROM (excluded.title, excluded.publisher, excluded.published, excluded.seed_file, excluded.url)",
            )
            .bind(&source.key)
            .bind(&source.title)
            .bind(&source.publisher)
            .bind(published)
            .bind(&source.file)
            .bind(&source.url)
            .execute(c)
            .await?.rows_affected()
            });
            report.count(upserted(existed, result));
        }

        for file in &seeds.files {
            let source_id = match &file.source {
                Some(s) => id_of(&mut tx, "sources", &s.key).await?,
                None => None,
            };
            for directive in &file.directives {
                let existed = exists(&mut tx, "directives", &directive.key).await?;
                let result = on_tx!(&mut tx, |c| sqlx::query(
                    "INSERT INTO directives (key, code, name_vi, name_en, issuer, issued, source_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT(key) DO UPDATE SET code = excluded.code, name_vi = excluded.name_vi,
                         name_en = excluded.name_en, issuer = excluded.issuer, issued = excluded.issued,
                         source_id = excluded.source_id
                     WHERE (directives.code, directives.name_vi, directives.name_en, directives.issuer,
                            directives.issued, directives.source_id)
                         IS DISTINCT FROM (excluded.code, excluded.name_vi, excluded.name_en, excluded.issuer,
                                 excluded.issued, excluded.source_id)",
                )
                .bind(&directive.key)
                .bind(&directive.code)
                .bind(&directive.name_vi)
                .bind(&directive.name_en)
                .bind(&directive.issuer)
                .bind(directive.issued.map(codec::date))
                .bind(source_id)
                .execute(c)
                .await?
                .rows_affected());
                report.count(upserted(existed, result));
            }
        }

        for file in &seeds.files {
            let Some(source) = &file.source else { continue };
            let source_id = id_of(&mut tx, "sources", &source.key).await?.expect("sources were inserted above");
            for task in &file.tasks {
                let directive_id = id_of(&mut tx, "directives", &task.directive).await?.ok_or_else(|| {
                    StoreError::Seed(format!(
                        "{}: task {} names unknown directive {:?}",
                        file.name, task.key, task.directive
                    ))
                })?;
                let outcome = upsert_task(&mut tx, task, directive_id, source_id, &now).await?;
                let completed = apply_completion(&mut tx, task).await?;
                report.count(match outcome {
                    Outcome::Unchanged if completed => Outcome::Updated,
                    outcome => outcome,
                });
            }
            report.removed +=
                sync_observations(&mut tx, &file.name, &file.observations, source_id, &mut report).await?;
        }

        tx.commit().await?;
        Ok(report)
    }
}

/// Inserts a seeded task or brings its row up to date with the seed, in one statement. A row is
/// left alone when its seed entry is unchanged, and when a user edited it (`user_edited`, set by
/// the trigger of migration 0006): their version wins over the seed's. Status is the users' to
/// change: seeding sets it only on a new row.
async fn upsert_task(
    tx: &mut Tx,
    task: &TaskSeed,
    directive_id: i64,
    source_id: i64,
    now: &codec::At,
) -> Result<Outcome> {
    let existed: i64 = on_tx!(&mut *tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE seed_key = $1")
        .bind(&task.key)
        .fetch_one(c)
        .await?);
    let result = on_tx!(&mut *tx, |c| sqlx::query(
        "INSERT INTO tasks (seed_key, directive_id, source_id, title_vi, title_en, owner, owner_en, deliverable,
             accountable, due, due_precision, due_phrase, recurrence, status, keywords, seed_json, created_at,
             updated_at, owners, partners)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19)
         ON CONFLICT(seed_key) DO UPDATE SET directive_id = excluded.directive_id, source_id = excluded.source_id,
             title_vi = excluded.title_vi, title_en = excluded.title_en, owner = excluded.owner,
             owner_en = excluded.owner_en, deliverable = excluded.deliverable, accountable = excluded.accountable,
             due = excluded.due, due_precision = excluded.due_precision, due_phrase = excluded.due_phrase,
             recurrence = excluded.recurrence, keywords = excluded.keywords, seed_json = excluded.seed_json,
             owners = excluded.owners, partners = excluded.partners,
             updated_at = excluded.updated_at
         WHERE NOT tasks.user_edited AND tasks.seed_json IS DISTINCT FROM excluded.seed_json",
    )
    .bind(&task.key)
    .bind(directive_id)
    .bind(source_id)
    .bind(&task.title_vi)
    .bind(&task.title_en)
    .bind(task.joined_owner())
    .bind(&task.owner_en)
    .bind(&task.deliverable)
    .bind(&task.accountable)
    .bind(codec::date(task.due))
    .bind(codec::text(task.precision))
    .bind(&task.due_phrase)
    .bind(task.recurrence.map(codec::text))
    .bind(codec::text(task.status.unwrap_or(Status::Open)))
    .bind(task.keywords.join(", "))
    .bind(json(task))
    .bind(now)
    .bind(codec::names(&task.owner_list()))
    .bind(codec::names(&task.partners))
    .execute(c)
    .await?
    .rows_affected());
    Ok(upserted(existed > 0, result))
}

/// Marks a seeded task done when its seed says a later report found it done, unless its status is
/// already the users': a task someone marked done or reopened (an event in its history), or not
/// open, keeps what they set. Returns whether it changed the row.
async fn apply_completion(tx: &mut Tx, task: &TaskSeed) -> Result<bool> {
    let (Some(on), Some(report)) = (task.completed_on, &task.completion_source) else { return Ok(false) };
    let result = on_tx!(&mut *tx, |c| {
        sqlx::query(
        "UPDATE tasks SET status = 'done', completed_on = $2, completion_title = $3, completion_url = $4,
             completion_published = $5
         WHERE seed_key = $1 AND recurrence IS NULL
           AND ((status = 'open' AND completed_on IS NULL) OR (status = 'done' AND completion_title IS NOT NULL))
           AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = tasks.id AND e.kind IN ('done', 'reopened'))
           AND (completed_on, completion_title, completion_url, completion_published) IS DISTINCT FROM ($2, $3, $4, $5)",
    )
    .bind(&task.key)
    .bind(codec::date(on))
    .bind(&report.title)
    .bind(&report.url)
    .bind(codec::date(report.date))
    .execute(c)
    .await?.rows_affected()
    });
    Ok(result > 0)
}

/// Makes the seeded figures of one source exactly those of its seed file: figures have no key of
/// their own, so an edited figure is the old one removed and the new one added. Returns how many
/// were removed; figures users added are left alone.
async fn sync_observations(
    tx: &mut Tx,
    file: &str,
    observations: &[ObservationSeed],
    source_id: i64,
    report: &mut SeedReport,
) -> Result<usize> {
    let mut wanted = HashSet::new();
    for obs in observations {
        let seed_json = json(obs);
        wanted.insert(seed_json.clone());
        let metric_id = id_of(tx, "metrics", &obs.metric)
            .await?
            .ok_or_else(|| StoreError::Seed(format!("{file}: observation names unknown metric {:?}", obs.metric)))?;
        let result = on_tx!(&mut *tx, |c| sqlx::query(
            "INSERT INTO observations (metric_id, value, out_of, period, kind, qualifier, scope, note_vi, note_en,
                 source_id, seed_json, upper, cumulative, base, text_vi, text_en)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT(source_id, seed_json) WHERE seed_json IS NOT NULL DO NOTHING",
        )
        .bind(metric_id)
        .bind(obs.value.unwrap_or_default())
        .bind(obs.out_of)
        .bind(&obs.period)
        .bind(codec::text(obs.kind))
        .bind(obs.qualifier.map(codec::text))
        .bind(&obs.scope)
        .bind(&obs.note_vi)
        .bind(&obs.note_en)
        .bind(source_id)
        .bind(&seed_json)
        .bind(obs.upper)
        .bind(obs.cumulative)
        .bind(&obs.base)
        .bind(&obs.text_vi)
        .bind(&obs.text_en)
        .execute(c)
        .await?
        .rows_affected());
        report.count(if result == 0 { Outcome::Unchanged } else { Outcome::Inserted });
    }
    let stored: Vec<(i64, String)> = on_tx!(&mut *tx, |c| sqlx::query_as(
        "SELECT id, seed_json FROM observations WHERE source_id = $1 AND seed_json IS NOT NULL"
    )
    .bind(source_id)
    .fetch_all(c)
    .await?);
    let mut removed = 0;
    for (id, seed_json) in stored {
        if !wanted.contains(&seed_json) {
            on_tx!(&mut *tx, |c| sqlx::query("DELETE FROM observations WHERE id = $1")
                .bind(id)
                .execute(c)
                .await?
                .rows_affected());
            removed += 1;
        }
    }
    Ok(removed)
}
