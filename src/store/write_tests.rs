//! Write transactions under concurrent writers: why [`super::Tx::begin`] takes the lock first.

use sqlx::{Connection, Executor};

/// Reads in `tx`, lets another connection write meanwhile, then writes in `tx`.
async fn read_then_write(store: &super::Store, url: &str, immediate: bool) -> Result<(), sqlx::Error> {
    let mut tx =
        if immediate { store.pool().begin_with("BEGIN IMMEDIATE").await? } else { store.pool().begin().await? };
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM chats").fetch_one(&mut *tx).await?;
    let url = url.to_owned();
    let other = tokio::spawn(async move {
        let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
        other.execute("PRAGMA busy_timeout = 5000").await.unwrap();
        other.execute("INSERT INTO chats (chat_id, kind) VALUES (9, 'private')").await.unwrap();
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let wrote = sqlx::query("INSERT INTO chats (chat_id, kind) VALUES (8, 'private')").execute(&mut *tx).await;
    let committed = match wrote {
        Ok(_) => tx.commit().await,
        Err(error) => Err(error),
    };
    other.await.unwrap();
    committed
}

#[tokio::test]
async fn a_transaction_that_reads_then_writes_waits_its_turn_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = super::Store::open(&url).await.unwrap();
    // What a plain BEGIN does when another connection commits between the read and the write.
    assert!(read_then_write(&store, &url, false).await.is_err(), "SQLite refuses the stale snapshot's write");
    sqlx::query("DELETE FROM chats").execute(store.pool()).await.unwrap();
    read_then_write(&store, &url, true).await.expect("BEGIN IMMEDIATE holds the lock from the start");
}
