//! PostgreSQL's schema against SQLite's: the same tables and columns, the same rule for edited
//! seeded tasks, migrations that two processes may run at once, and one counterpart for each
//! SQLite migration. Each test has a database of its own on the test server.

use std::collections::BTreeSet;

use hanchot::store::migrate::{MIGRATOR, POSTGRES};
use hanchot::store::{Store, StoreError, postgres};
use sqlx::PgPool;

use crate::support::postgres::fresh_database;

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
async fn a_postgres_that_answers_is_reached_and_then_refused_while_the_store_runs_on_sqlite() {
    let Some(url) = fresh_database("refused").await else { return };
    let error = Store::open(&url).await.expect_err("refused, not opened on another database");
    assert!(matches!(error, StoreError::PostgresNotYet { .. }), "{error}");
    assert!(error.to_string().contains("HANCHOT_DATABASE_URL"), "{error}");
}
