//! Loading the whole knowledge base into a [`Catalog`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::FromRow;

use super::codec;
use super::dialect::{Dialect, on_db};
use super::{Result, Store, StoreError};
use crate::domain::catalog::{Catalog, Topic};
use crate::domain::due::Due;
use crate::domain::metric::{Metric, Observation, Scope};
use crate::domain::task::{CompletionSource, Directive, Source, Task};

#[derive(FromRow)]
struct SourceRow {
    id: i64,
    key: String,
    title: String,
    publisher: String,
    published: codec::Day,
    seed_file: String,
    url: String,
}

#[derive(FromRow)]
struct DirectiveRow {
    id: i64,
    key: String,
    code: Option<String>,
    name_vi: String,
    name_en: String,
    issued: Option<codec::Day>,
}

#[derive(FromRow)]
struct TaskRow {
    id: i64,
    seed_key: Option<String>,
    directive_id: Option<i64>,
    source_id: Option<i64>,
    title_vi: String,
    title_en: String,
    owner: String,
    owner_en: String,
    owners: String,
    partners: String,
    deliverable: String,
    accountable: String,
    due: codec::Day,
    due_precision: String,
    due_phrase: String,
    recurrence: Option<String>,
    status: String,
    keywords: String,
    completed_on: Option<codec::Day>,
    adjusted_due: Option<codec::Day>,
    completion_title: Option<String>,
    completion_url: Option<String>,
    completion_published: Option<codec::Day>,
}

#[derive(FromRow)]
struct MetricRow {
    id: i64,
    key: String,
    topic: String,
    name_vi: String,
    name_en: String,
    unit_vi: String,
    unit_en: String,
    measure: String,
    change_of: Option<String>,
}

#[derive(FromRow)]
struct ObservationRow {
    metric_id: i64,
    value: f64,
    upper: Option<f64>,
    out_of: Option<f64>,
    period: String,
    cumulative: bool,
    kind: String,
    qualifier: Option<String>,
    scope: String,
    note_vi: String,
    note_en: String,
    base: Option<String>,
    text_vi: String,
    text_en: String,
    source_id: i64,
}

fn corrupt(what: &str, id: i64, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what} {id}: {e}"))
}

impl Store {
    /// Reads every topic, metric (with figures) and task, ready to answer questions.
    #[tracing::instrument(skip_all, err)]
    pub async fn load_catalog(&self) -> Result<Catalog> {
        let sources: HashMap<i64, Arc<Source>> = on_db!(self.db(), |db| sqlx::query_as::<_, SourceRow>(
            "SELECT id, key, title, publisher, published, seed_file, url FROM sources"
        )
        .fetch_all(db)
        .await?)
        .into_iter()
        .map(|r| {
            let published = r.published.get();
            let source = Source {
                key: r.key,
                title: r.title,
                publisher: r.publisher,
                published,
                seed_file: r.seed_file,
                url: r.url,
            };
            Ok((r.id, Arc::new(source)))
        })
        .collect::<Result<_>>()?;
        let directives: HashMap<i64, Arc<Directive>> = on_db!(self.db(), |db| sqlx::query_as::<_, DirectiveRow>(
            "SELECT id, key, code, name_vi, name_en, issued FROM directives"
        )
        .fetch_all(db)
        .await?)
        .into_iter()
        .map(|r| {
            let issued = r.issued.map(codec::Day::get);
            let directive = Directive { key: r.key, code: r.code, name_vi: r.name_vi, name_en: r.name_en, issued };
            Ok((r.id, Arc::new(directive)))
        })
        .collect::<Result<_>>()?;

        let mut done: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        let mut completed: HashMap<i64, BTreeMap<NaiveDate, NaiveDate>> = HashMap::new();
        for (task_id, due, completed_on) in
            on_db!(self.db(), |db| sqlx::query_as::<_, (i64, codec::Day, Option<codec::Day>)>(
                "SELECT task_id, due, completed_on FROM occurrences_done",
            )
            .fetch_all(db)
            .await?)
        {
            let due = due.get();
            done.entry(task_id).or_default().push(due);
            if let Some(on) = completed_on {
                completed.entry(task_id).or_default().insert(due, on.get());
            }
        }
        let mut adjusted: HashMap<i64, BTreeMap<NaiveDate, NaiveDate>> = HashMap::new();
        for (task_id, occurrence, due) in on_db!(self.db(), |db| sqlx::query_as::<_, (i64, codec::Day, codec::Day)>(
            "SELECT task_id, occurrence, adjusted_due FROM occurrence_adjustments",
        )
        .fetch_all(db)
        .await?)
        {
            adjusted.entry(task_id).or_default().insert(occurrence.get(), due.get());
        }
        let tasks = on_db!(self.db(), |db| sqlx::query_as::<_, TaskRow>(
            "SELECT id, seed_key, directive_id, source_id, title_vi, title_en, owner, owner_en, owners, partners,
                    deliverable, accountable, due, due_precision, due_phrase, recurrence, status, keywords, completed_on,
                    adjusted_due, completion_title, completion_url, completion_published
             FROM tasks ORDER BY due, id",
        )
        .fetch_all(db)
        .await?)
        .into_iter()
        .map(|r| {
            let date = r.due.get();
            let completion_source = match (r.completion_title, r.completion_url, r.completion_published) {
                (Some(title), Some(url), Some(published)) => Some(CompletionSource {
                    title,
                    url,
                    published: published.get(),
                }),
                _ => None,
            };
            let precision = codec::parse_enum("due precision", &r.due_precision).map_err(|e| corrupt("task", r.id, e))?;
            let mut task = Task {
                id: r.id,
                key: r.seed_key,
                title_vi: r.title_vi,
                title_en: r.title_en,
                owner: r.owner,
                owner_en: r.owner_en,
                owners: codec::parse_names(&r.owners).map_err(|e| corrupt("task", r.id, e))?,
                partners: codec::parse_names(&r.partners).map_err(|e| corrupt("task", r.id, e))?,
                deliverable: r.deliverable,
                accountable: r.accountable,
                due: Due { date, precision },
                due_phrase: r.due_phrase,
                recurrence: r
                    .recurrence
                    .map(|text| codec::parse_enum("recurrence", &text))
                    .transpose()
                    .map_err(|e| corrupt("task", r.id, e))?,
                status: codec::parse_enum("status", &r.status).map_err(|e| corrupt("task", r.id, e))?,
                keywords: r.keywords,
                directive: r.directive_id.and_then(|id| directives.get(&id).cloned()),
                source: r.source_id.and_then(|id| sources.get(&id).cloned()),
                done_occurrences: done.remove(&r.id).unwrap_or_default(),
                completed_on: r.completed_on.map(codec::Day::get),
                occurrences_completed: completed.remove(&r.id).unwrap_or_default(),
                adjusted_due: r.adjusted_due.map(codec::Day::get),
                occurrences_adjusted: adjusted.remove(&r.id).unwrap_or_default(),
                completion_source,
                search_text: String::new(),
            };
            task.build_search_text();
            Ok(task)
        })
        .collect::<Result<Vec<_>>>()?;

        let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
        // The order the aliases were written in: SQLite's rowid, PostgreSQL's identity column.
        let aliases_sql = match self.dialect() {
            Dialect::Sqlite => "SELECT metric_id, alias FROM metric_aliases ORDER BY rowid",
            Dialect::Postgres => "SELECT metric_id, alias FROM metric_aliases ORDER BY position",
        };
        for (metric_id, alias) in
            on_db!(self.db(), |db| sqlx::query_as::<_, (i64, String)>(aliases_sql).fetch_all(db).await?)
        {
            aliases.entry(metric_id).or_default().push(alias);
        }
        let mut observations: HashMap<i64, Vec<Observation>> = HashMap::new();
        for r in on_db!(self.db(), |db| sqlx::query_as::<_, ObservationRow>(
            "SELECT metric_id, value, upper, out_of, period, cumulative, kind, qualifier, scope, note_vi, note_en,
                    base, text_vi, text_en, source_id
             FROM observations ORDER BY id",
        )
        .fetch_all(db)
        .await?)
        {
            let source = sources
                .get(&r.source_id)
                .cloned()
                .ok_or_else(|| corrupt("observation source", r.source_id, "missing"))?;
            observations.entry(r.metric_id).or_default().push(Observation {
                value: r.value,
                upper: r.upper,
                out_of: r.out_of,
                cumulative: r.cumulative,
                period: r.period.parse().map_err(|e| corrupt("observation of metric", r.metric_id, e))?,
                kind: codec::parse_enum("observation kind", &r.kind)
                    .map_err(|e| corrupt("observation of metric", r.metric_id, e))?,
                qualifier: r
                    .qualifier
                    .map(|q| codec::parse_enum("qualifier", &q))
                    .transpose()
                    .map_err(|e| corrupt("observation of metric", r.metric_id, e))?,
                scope: Scope::parse(&r.scope),
                note_vi: r.note_vi,
                note_en: r.note_en,
                base: r
                    .base
                    .map(|b| b.parse())
                    .transpose()
                    .map_err(|e| corrupt("observation of metric", r.metric_id, e))?,
                text_vi: r.text_vi,
                text_en: r.text_en,
                source,
            });
        }
        let metrics: Vec<Metric> = on_db!(self.db(), |db| sqlx::query_as::<_, MetricRow>(
            "SELECT m.id, m.key, m.topic, m.name_vi, m.name_en, m.unit_vi, m.unit_en, m.measure, m.change_of
             FROM metrics m LEFT JOIN topics t ON t.key = m.topic ORDER BY t.position, m.id",
        )
        .fetch_all(db)
        .await?)
        .into_iter()
        .map(|r| {
            let measure = codec::parse_enum("metric measure", &r.measure).map_err(|e| corrupt("metric", r.id, e))?;
            let mut metric = Metric {
                id: r.id,
                key: r.key,
                topic: r.topic,
                name_vi: r.name_vi,
                name_en: r.name_en,
                unit_vi: r.unit_vi,
                unit_en: r.unit_en,
                aliases: aliases.remove(&r.id).unwrap_or_default(),
                measure,
                change_of: r.change_of,
                observations: observations.remove(&r.id).unwrap_or_default(),
                phrases: Vec::new(),
            };
            metric.prepare();
            Ok(metric)
        })
        .collect::<Result<_>>()?;

        let topics = on_db!(self.db(), |db| sqlx::query_as::<_, (String, String, String)>(
            "SELECT key, name_vi, name_en FROM topics ORDER BY position, key",
        )
        .fetch_all(db)
        .await?)
        .into_iter()
        .map(|(key, name_vi, name_en)| Topic { key, name_vi, name_en })
        .collect();

        let metric_index = crate::domain::metric::MetricIndex::build(&metrics);
        Ok(Catalog { tasks, metrics, metric_index, topics })
    }
}

/// The catalog in memory, shared by the handlers and delivery: swapped whole when the tasks
/// change, so a reader keeps a consistent snapshot, with the store's count of task writes it was
/// read at. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct CatalogHandle(Arc<std::sync::RwLock<(u64, Arc<Catalog>)>>);

impl CatalogHandle {
    /// A catalog just read from `store`.
    pub fn new(store: &Store, catalog: Catalog) -> Self {
        Self(Arc::new(std::sync::RwLock::new((store.tasks_version(), Arc::new(catalog)))))
    }

    /// The current snapshot.
    pub fn get(&self) -> Arc<Catalog> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).1.clone()
    }

    /// Re-reads the catalog from `store`.
    pub async fn reload(&self, store: &Store) -> Result<()> {
        // Counted before reading: a write made during the read leaves the catalog stale.
        let version = store.tasks_version();
        let fresh = Arc::new(store.load_catalog().await?);
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = (version, fresh);
        Ok(())
    }

    /// The snapshot, re-read first if a write to tasks came after it (delivery, woken by that
    /// write, may run before the writer reloads).
    pub async fn fresh(&self, store: &Store) -> Result<Arc<Catalog>> {
        let read_at = self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        if read_at != store.tasks_version() {
            self.reload(store).await?;
        }
        Ok(self.get())
    }
}
