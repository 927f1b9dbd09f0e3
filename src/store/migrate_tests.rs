//! Landed migrations stay as they landed; a database migrated at any landed version (or at the
//! edited 0010) starts and keeps its rows; every recurrence can be stored; two processes opening
//! one new database at the same moment both start.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use strum::IntoEnumIterator;

use super::{EDITED, MIGRATOR, to_hex};
use crate::domain::due::{Due, DuePrecision, Recurrence};
use crate::domain::task::EventKind;
use crate::store::{Actor, NewTask, Store};

const LANDED: &str = include_str!("../../migrations/landed.sha384");
const EDITED_0010: &str = include_str!("../../tests/data/migrations/0010_scheduled_reports.edited.sql");

fn landed() -> BTreeMap<i64, String> {
    LANDED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut fields = l.split_whitespace();
            let version = fields.next().and_then(|v| v.parse().ok()).expect("a version");
            (version, fields.next().expect("a checksum").to_owned())
        })
        .collect()
}

#[test]
fn landed_migrations_are_unchanged() {
    let landed = landed();
    for migration in MIGRATOR.iter() {
        let checksum = to_hex(&migration.checksum);
        match landed.get(&migration.version) {
            Some(listed) => assert_eq!(
                listed, &checksum,
                "migration {} ({}) differs from its landed text: write a new migration instead",
                migration.version, migration.description
            ),
            None => panic!("migration {} is not in migrations/landed.sha384: add its line", migration.version),
        }
    }
    for version in landed.keys() {
        assert!(MIGRATOR.iter().any(|m| m.version == *version), "landed migration {version} was removed");
    }
}

#[test]
fn the_edited_checksum_is_the_edited_text_s() {
    let edited = Migration::new(10, "x".into(), MigrationType::Simple, EDITED_0010.into(), false);
    assert_eq!(EDITED, &[(10, to_hex(&edited.checksum).as_str())]);
}

fn landed_migrations(through: i64) -> Vec<Migration> {
    MIGRATOR.iter().filter(|m| m.version <= through).cloned().collect()
}

/// A database file migrated with exactly `migrations`, holding one task with a history when the
/// schema has one.
async fn database_at(path: &Path, migrations: Vec<Migration>) {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let through = migrations.last().map(|m| m.version).unwrap_or(0);
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }.run(&pool).await.unwrap();
    sqlx::query("INSERT INTO tasks (id, title_vi, due, due_precision, recurrence) VALUES (7, 'Báo cáo', '2026-01-31', 'month', 'monthly')")
        .execute(&pool)
        .await
        .unwrap();
    if through >= 3 {
        sqlx::query("INSERT INTO task_events (task_id, at, kind) VALUES (7, '2026-01-01T00:00:00Z', 'added')")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO occurrences_done (task_id, due) VALUES (7, '2026-01-31')")
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
}

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(store.pool()).await.unwrap()
}

/// Every landed version, and 0010 as it was edited, migrates to the current schema with its rows.
#[tokio::test]
async fn a_database_migrated_at_any_landed_version_starts_with_its_rows() {
    let mut cases: Vec<(String, Vec<Migration>)> =
        (1..=10).map(|v| (format!("landed through {v}"), landed_migrations(v))).collect();
    let mut edited = landed_migrations(9);
    edited.push(Migration::new(10, "scheduled reports".into(), MigrationType::Simple, EDITED_0010.into(), false));
    cases.push(("0010 as edited".to_owned(), edited));
    for (name, migrations) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hanchot.db");
        let through = migrations.last().unwrap().version;
        database_at(&path, migrations).await;

        let store = Store::open(&url(&path)).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap();
        assert_eq!(count(&store, "SELECT MAX(version) FROM _sqlx_migrations").await, latest, "{name}");
        assert_eq!(count(&store, "SELECT COUNT(*) FROM tasks WHERE id = 7").await, 1, "{name}");
        if through >= 3 {
            // The rebuilt `tasks` deleted nothing that refers to it.
            assert_eq!(count(&store, "SELECT COUNT(*) FROM task_events WHERE task_id = 7").await, 1, "{name}");
            assert_eq!(count(&store, "SELECT COUNT(*) FROM occurrences_done WHERE task_id = 7").await, 1, "{name}");
        }
        assert_eq!(count(&store, "SELECT COUNT(*) FROM occurrence_adjustments").await, 0, "{name}");
        assert_eq!(count(&store, "SELECT COUNT(*) FROM pragma_foreign_key_check").await, 0, "{name}");
        // The foreign keys are back on after migrating: deleting the task deletes its history.
        sqlx::query("DELETE FROM tasks WHERE id = 7").execute(store.pool()).await.unwrap();
        if through >= 3 {
            assert_eq!(count(&store, "SELECT COUNT(*) FROM task_events").await, 0, "{name}");
        }
        store.pool().close().await;
        // And it starts again, unchanged.
        Store::open(&url(&path)).await.unwrap_or_else(|e| panic!("{name}, second start: {e}"));
    }
}

/// The user-edit trigger, dropped with the old table, is made again.
#[tokio::test]
async fn the_rebuilt_tasks_table_keeps_its_trigger() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    sqlx::query("INSERT INTO tasks (id, seed_key, title_vi, due, due_precision, seed_json) VALUES (1, 'k', 'a', '2026-01-31', 'day', '{}')")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE tasks SET title_vi = 'b' WHERE id = 1").execute(store.pool()).await.unwrap();
    assert_eq!(count(&store, "SELECT user_edited FROM tasks WHERE id = 1").await, 1);
}

#[tokio::test]
async fn every_recurrence_round_trips_through_the_store() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let actor = Actor { user_id: None, at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() };
    let due = Due { date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), precision: DuePrecision::Quarter };
    let tasks: Vec<NewTask> = Recurrence::iter()
        .map(|r| NewTask {
            title_vi: format!("Báo cáo {r}"),
            owner: "Sở Thông tin và Truyền thông".into(),
            deliverable: String::new(),
            due,
            due_phrase: r.to_string(),
            recurrence: Some(r),
            import_key: Some(format!("test:{r}")),
            owners: Vec::new(),
            partners: Vec::new(),
        })
        .collect();
    let ids = store.add_tasks(&tasks, actor, EventKind::Imported, None).await.unwrap();
    let catalog = store.load_catalog().await.unwrap();
    for (recurrence, id) in Recurrence::iter().zip(ids) {
        let task = catalog.task(id.expect("added")).expect("stored");
        assert_eq!(task.recurrence, Some(recurrence));
    }
}

/// A batch the database refuses part of stores none of it, and leaves the draft open.
#[tokio::test]
async fn a_refused_batch_stores_nothing() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let actor = Actor { user_id: None, at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() };
    let due = Due { date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), precision: DuePrecision::Day };
    let before = count(&store, "SELECT COUNT(*) FROM tasks").await;
    let good = NewTask {
        title_vi: "Một".into(),
        owner: String::new(),
        deliverable: String::new(),
        due,
        due_phrase: String::new(),
        recurrence: None,
        import_key: Some("one".into()),
        owners: Vec::new(),
        partners: Vec::new(),
    };
    // A trigger stands for any refusal the database may give (a CHECK, a full disk).
    sqlx::query("CREATE TRIGGER refuse BEFORE INSERT ON tasks WHEN NEW.title_vi = 'Hai' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        .execute(store.pool())
        .await
        .unwrap();
    let bad = NewTask { title_vi: "Hai".into(), import_key: Some("two".into()), ..good.clone() };
    let draft = store.create_draft(1, None, due.date, &[], actor.at).await.unwrap();
    let error = store.add_tasks(&[good, bad], actor, EventKind::Imported, Some(draft)).await.unwrap_err();
    assert!(error.to_string().contains("refused"), "{error}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tasks").await, before);
    assert!(store.draft_is_open(draft, 1).await.unwrap());
}

/// Two processes starting on one new database at the same moment: both start, nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_opening_one_new_database_at_once_both_start() {
    let seeds = std::sync::Arc::new(crate::seeds::SeedSet::builtin().unwrap());
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let start = |url: String, seeds: std::sync::Arc<crate::seeds::SeedSet>| async move {
        let store = Store::open(&url).await?;
        store.apply_seeds(&seeds, now).await?;
        Ok::<_, crate::store::StoreError>(store)
    };
    for round in 0..6 {
        let dir = tempfile::tempdir().unwrap();
        let url = url(&dir.path().join("hanchot.db"));
        // Joined in one task: each store runs its statements on its own SQLite worker thread.
        let (a, b) = tokio::join!(start(url.clone(), seeds.clone()), start(url.clone(), seeds.clone()));
        let a = a.unwrap_or_else(|e| panic!("round {round}, first: {e}"));
        b.unwrap_or_else(|e| panic!("round {round}, second: {e}"));
        assert_eq!(count(&a, "SELECT COUNT(*) FROM _sqlx_migrations").await, MIGRATOR.iter().count() as i64);
    }
}
