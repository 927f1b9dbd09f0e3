//! The store's behaviour on each database it runs on: every test here runs on SQLite (in memory)
//! and on a new PostgreSQL database when the test server is set (`support::postgres`).

mod catalog;
mod chats;
mod drafts;
mod lease;
mod outbox;
mod sources;

use hanchot::store::{Pool, Store};

/// The first column of every row `sql` gives, as text, on whichever database `store` is on.
pub async fn strings(store: &Store, sql: &str) -> Vec<String> {
    match store.db() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The one integer `sql` gives.
pub async fn number(store: &Store, sql: &str) -> i64 {
    match store.db() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs `sql` (a change no API of the store makes: a corrupt value, a clock moved back).
pub async fn execute(store: &Store, sql: &str) {
    match store.db() {
        Pool::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
        Pool::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
