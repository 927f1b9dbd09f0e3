//! Raw SQL on whichever database a store is on, for what no API of the store does: a test's set-up
//! (thousands of subscriptions at once), a look at a table, a value made corrupt on purpose.
#![allow(dead_code)] // Each test binary uses some.

use hanchot::store::{Pool, Store};

/// `body` with `pool` the store's SQLite or PostgreSQL pool, compiled for each.
macro_rules! on_either {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store.db() {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

/// The first column of every row `sql` gives, as text.
pub async fn strings(store: &Store, sql: &str) -> Vec<String> {
    on_either!(store, |pool| sqlx::query_scalar(sql).fetch_all(pool).await).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The text of the first column of the row `sql` gives, if a row and not NULL.
pub async fn optional_string(store: &Store, sql: &str) -> Option<String> {
    let row: Option<Option<String>> = on_either!(store, |pool| sqlx::query_scalar(sql).fetch_optional(pool).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.flatten()
}

/// The one integer `sql` gives.
pub async fn number(store: &Store, sql: &str) -> i64 {
    on_either!(store, |pool| sqlx::query_scalar(sql).fetch_one(pool).await).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every row of `sql` as (text, optional text).
pub async fn pairs(store: &Store, sql: &str) -> Vec<(String, Option<String>)> {
    on_either!(store, |pool| sqlx::query_as(sql).fetch_all(pool).await).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs `sql`; returns the rows it changed.
pub async fn execute(store: &Store, sql: &str) -> u64 {
    on_either!(store, |pool| sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Subscribes private chats `1..=chats`, planned up to `now` (a broadcast's set-up, faster than
/// `/subscribe` a thousand times): a thousand rows a statement, in one transaction.
pub async fn subscribe_many(store: &Store, chats: usize, now: chrono::DateTime<chrono::Utc>) {
    let now = hanchot::store::timestamp(now);
    let ids: Vec<i64> = (1..=chats as i64).collect();
    on_either!(store, |pool| {
        let mut tx = pool.begin().await.unwrap();
        for chunk in ids.chunks(1000) {
            let mut chats = sqlx::QueryBuilder::new("INSERT INTO chats (chat_id, kind) ");
            chats.push_values(chunk, |mut row, id| {
                row.push_bind(*id).push_bind("private");
            });
            chats.build().execute(&mut *tx).await.unwrap();
            let mut subscriptions = sqlx::QueryBuilder::new("INSERT INTO subscriptions (chat_id, planned_through) ");
            subscriptions.push_values(chunk, |mut row, id| {
                row.push_bind(*id).push_bind(now);
            });
            subscriptions.build().execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    })
}
