//! PostgreSQL's schema against SQLite's: the same tables and columns, the same rule for edited
//! seeded tasks, migrations that two processes may run at once, one counterpart for each SQLite
//! migration, and a SQLite database copied in whole. Each test has a database of its own.

use std::collections::BTreeSet;

use hanchot::store::migrate::{MIGRATOR, POSTGRES};
use hanchot::store::postgres::{self, Copied};
use hanchot::store::{Dialect, PlanRecord, Planned, Store, StoreError};
use sqlx::PgPool;

use crate::support::{self, postgres::fresh_database};

/// The SQLite migrations the first PostgreSQL file (`0001_schema.sql`) stands for.
const IN_THE_FIRST_SCHEMA: i64 = 17;

/// Columns PostgreSQL has and SQLite does not: `rowid` kept the aliases' order there.
const POSTGRES_ONLY: &[(&str, &str)] = &[("metric_aliases", "position")];

async fn migrated(test: &str) -> Option<PgPool> {
    let url = fresh_database(test).await?;
    let pool = postgres::connect(&url.parse().unwrap()).await.unwrap();
    postgres::migrate(&pool).await.unwrap();
    Some(pool)
}

#[test]
fn every_sqlite_migration_after_the_first_schema_has_a_postgres_counterpart() {
    let sqlite: BTreeSet<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    let postgres: BTreeSet<i64> = POSTGRES.iter().map(|m| m.version).collect();
    for version in sqlite.iter().filter(|v| **v > IN_THE_FIRST_SCHEMA) {
        assert!(
            postgres.contains(version),
            "SQLite migration {version} has no file of that number in migrations/postgres/"
        );
    }
    for version in &postgres {
        assert!(*version == 1 || sqlite.contains(version), "PostgreSQL migration {version} has no SQLite migration");
    }
}

#[tokio::test]
async fn the_postgres_schema_has_every_table_and_column_of_sqlite_s() {
    let Some(pool) = migrated("schema_columns").await else { return };
    let sqlite = Store::open("sqlite::memory:").await.unwrap();
    let sqlite: BTreeSet<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(sqlite.pool())
    .await
    .unwrap()
    .into_iter()
    .collect();
    let postgres: BTreeSet<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .filter(|(table, column): &(String, String)| !POSTGRES_ONLY.contains(&(table.as_str(), column.as_str())))
    .collect();
    assert!(sqlite.len() > 200, "SQLite's schema was read: {} columns", sqlite.len());
    let missing: Vec<_> = sqlite.difference(&postgres).collect();
    let extra: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing on PostgreSQL: {missing:?}; only there: {extra:?}");
}

#[tokio::test]
async fn postgres_marks_a_seeded_task_a_user_edited_as_sqlite_does() {
    let Some(pool) = migrated("user_edited").await else { return };
    sqlx::query(
        "INSERT INTO tasks (id, seed_key, title_vi, due, due_precision, seed_json) VALUES
         (1, 'seeded', 'Báo cáo', DATE '2026-12-31', 'day', '{}'), (2, NULL, 'Việc', DATE '2026-12-31', 'day', NULL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    const SEEDED: i64 = 1;
    const TYPED: i64 = 2;
    let edited = |id: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, bool>("SELECT user_edited FROM tasks WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // Seeding writes the seed entry with the fields: the task stays the seed's.
    sqlx::query("UPDATE tasks SET title_vi = 'Báo cáo quý', seed_json = '{\"v\":2}' WHERE id = 1")
        .execute(&pool)
        .await
        .unwrap();
    assert!(!edited(SEEDED).await, "a seeding pass is no user's edit");
    sqlx::query("UPDATE tasks SET status = 'done' WHERE id = 1").execute(&pool).await.unwrap();
    assert!(!edited(SEEDED).await, "marking it done edits no seeded field");
    sqlx::query("UPDATE tasks SET due = DATE '2027-01-31' WHERE id = 1").execute(&pool).await.unwrap();
    assert!(edited(SEEDED).await, "a user moved a seeded task's due date");
    sqlx::query("UPDATE tasks SET title_vi = 'Việc khác' WHERE id = 2").execute(&pool).await.unwrap();
    assert!(!edited(TYPED).await, "a task with no seed entry is not marked");
}

#[tokio::test]
async fn two_processes_migrating_one_new_postgres_database_at_once_both_succeed() {
    let Some(url) = fresh_database("migrate_race").await else { return };
    let url: hanchot::config::DatabaseUrl = url.parse().unwrap();
    let (a, b) = (postgres::connect(&url).await.unwrap(), postgres::connect(&url).await.unwrap());
    let (first, second) = tokio::join!(postgres::migrate(&a), postgres::migrate(&b));
    first.unwrap();
    second.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&a).await.unwrap();
    assert_eq!(applied, POSTGRES.iter().count() as i64);
}

#[tokio::test]
async fn a_postgres_address_opens_the_store_on_postgres_migrated_and_a_second_open_finds_it_so() {
    let Some(url) = fresh_database("opened").await else { return };
    let store = Store::open(&url).await.expect("the store opens on PostgreSQL");
    assert_eq!(store.dialect(), Dialect::Postgres);
    store.ping().await.unwrap();
    let again = Store::open(&url).await.expect("a second process opens it too");
    assert_eq!(again.dialect(), Dialect::Postgres);
}

#[tokio::test]
async fn a_sqlite_database_copied_into_an_empty_postgres_keeps_every_row_and_a_second_copy_is_refused() {
    let Some(url) = fresh_database("copy").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = support::app_with(support::config_in(dir.path()), support::TODAY).await;
    let now = app.clock.now();
    support::subscribe_many(&app.store, 30, now - chrono::Duration::days(2)).await;
    let planned = support::preview(&app, now - chrono::Duration::days(2), 48).await;
    assert!(!planned.is_empty(), "digests were planned");
    let by_chat: Vec<Vec<Planned>> =
        (1..=30).map(|c| planned.iter().filter(|p| p.chat_id == c).cloned().collect()).collect();
    let plans: Vec<PlanRecord> = by_chat
        .iter()
        .enumerate()
        .map(|(i, rows)| PlanRecord { chat_id: i as i64 + 1, planned: rows, planned_through: now, next_slot_at: None })
        .collect();
    app.store.record_plans(&plans, now).await.unwrap();
    app.store.inbox_put(7, "message", "{\"update_id\":7}", now).await.unwrap();
    let sqlite = app.store.pool();

    let tables: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(sqlite)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(tables, postgres::TABLES.iter().map(|t| t.to_string()).collect(), "every table is copied");

    let target = postgres::connect(&url.parse().unwrap()).await.unwrap();
    let copied = postgres::copy_from_sqlite(sqlite, &target).await.unwrap();
    for Copied { table, rows } in &copied {
        let in_sqlite: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(sqlite).await.unwrap();
        assert_eq!(*rows, in_sqlite, "{table}");
    }
    let rows = |table: &str| copied.iter().find(|c| c.table == table).unwrap().rows;
    assert!(rows("tasks") >= 20 && rows("observations") > 0 && rows("metric_aliases") > 0, "{copied:?}");
    assert!(rows("outbox") >= 30 && rows("subscriptions") == 30 && rows("inbox") == 1, "{copied:?}");

    // Values keep their meaning in PostgreSQL's types.
    let (key, scheduled): (String, String) =
        sqlx::query_as("SELECT key, scheduled_at FROM outbox ORDER BY id LIMIT 1").fetch_one(sqlite).await.unwrap();
    let copied_at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT scheduled_at FROM outbox WHERE key = $1")
        .bind(&key)
        .fetch_one(&target)
        .await
        .unwrap();
    assert_eq!(copied_at, hanchot::store::parse_timestamp(&scheduled).unwrap());
    let (id, due): (i64, String) =
        sqlx::query_as("SELECT id, due FROM tasks ORDER BY id DESC LIMIT 1").fetch_one(sqlite).await.unwrap();
    let copied_due: chrono::NaiveDate =
        sqlx::query_scalar("SELECT due FROM tasks WHERE id = $1").bind(id).fetch_one(&target).await.unwrap();
    assert_eq!(copied_due.to_string(), due);
    let aliases: Vec<String> =
        sqlx::query_scalar("SELECT alias FROM metric_aliases ORDER BY rowid").fetch_all(sqlite).await.unwrap();
    let copied_aliases: Vec<String> =
        sqlx::query_scalar("SELECT alias FROM metric_aliases ORDER BY position").fetch_all(&target).await.unwrap();
    assert_eq!(copied_aliases, aliases, "the aliases keep their order");
    // The next id given is past every copied one.
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO tasks (title_vi, due, due_precision) VALUES ('Mới', DATE '2027-01-01', 'day') RETURNING id",
    )
    .fetch_one(&target)
    .await
    .unwrap();
    assert!(next > id, "new id {next} after the copied {id}");

    let error = postgres::copy_from_sqlite(sqlite, &target).await.expect_err("a second copy is refused");
    assert!(matches!(error, StoreError::TargetNotEmpty { .. }), "{error}");
    let tasks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks").fetch_one(&target).await.unwrap();
    assert_eq!(tasks, rows("tasks") + 1, "nothing was added by the refused copy");
}

#[tokio::test]
async fn migrate_db_copies_the_bot_s_database_and_refuses_to_copy_twice() {
    let Some(url) = fresh_database("migrate_db").await else { return };
    let dir = tempfile::tempdir().unwrap();
    assert!(support::hanchot(dir.path(), &["deadlines"]).status.success(), "the SQLite database is made");
    let output = support::hanchot(dir.path(), &["migrate-db", "--to", &url, "--json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let copied: serde_json::Value = serde_json::from_str(&support::stdout(&output)).unwrap();
    let tasks = copied.as_array().unwrap().iter().find(|t| t["table"] == "tasks").unwrap()["rows"].as_i64().unwrap();
    assert!(tasks >= 20, "{copied}");
    let output = support::hanchot(dir.path(), &["migrate-db", "--to", &url]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not empty") && stderr.contains("sources has"), "{stderr}");
}
