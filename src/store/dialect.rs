//! The two databases behind one store: the pool and the write transaction of each, and the two
//! macros a query runs through, [`on_db`] and [`on_tx`], which compile its code once per database.
//!
//! The SQL is shared wherever the two agree (placeholders are `$1`, `$2`…, which SQLite reads
//! too; flags are compared with `TRUE`/`FALSE`); where they do not, the query asks
//! [`Store::dialect`](super::Store::dialect) and writes each. Values SQLite keeps as text are
//! bound through [`super::stored`].

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

use super::Result;

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// `column` as a term's left side that SQLite's planner will not answer from an index
    /// (`+column`). Without statistics SQLite takes an equality on an indexed column for a
    /// selective one: it walked every pending row of the ready index to claim a few ids, and every
    /// active subscription to update a chunk of them. PostgreSQL plans from its statistics, and
    /// reads the column as it is.
    pub fn unindexed(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("+{column}"),
            Self::Postgres => column.to_owned(),
        }
    }
}

/// The pool of the database the address named.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub fn dialect(&self) -> Dialect {
        match self {
            Self::Sqlite(_) => Dialect::Sqlite,
            Self::Postgres(_) => Dialect::Postgres,
        }
    }

    pub async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

/// The key of the transaction-scoped advisory lock every write transaction takes on PostgreSQL
/// ("hanchot" in ASCII, truncated): one write transaction at a time, as SQLite has it, so a
/// transaction that reads and then writes sees no other's write in between. Single statements
/// (claims, marks, the lease) do not take it: each is atomic on its rows.
const WRITE_LOCK: i64 = 0x0068_616e_6368_6f74;

/// A write transaction on either database.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// SQLite starts a plain `BEGIN` as a reader: one that reads and then writes, while another
    /// connection committed in between, fails at once with SQLITE_BUSY (its snapshot is stale, so
    /// waiting cannot help); `BEGIN IMMEDIATE` waits its turn (the busy timeout) instead.
    /// PostgreSQL's transaction takes [`WRITE_LOCK`] first, and waits its turn the same way.
    pub async fn begin(pool: &Pool) -> Result<Self> {
        Ok(match pool {
            Pool::Sqlite(pool) => Self::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
                Self::Postgres(tx)
            }
        })
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// `on_db!(pool, |db| body)`: `body` with `db` the pool of the store's database (`&SqlitePool`
/// or `&PgPool`). The body is compiled for each, so everything it binds and reads must be a type
/// both databases know (integers, text, floats, `bool`, and [`super::stored`]'s wrappers), and
/// what it gives back the same type for both: end an `execute` with `.rows_affected()`, read a
/// row into a `FromRow` type or a tuple.
macro_rules! on_db {
    ($pool:expr, |$db:ident| $body:expr) => {
        match $pool {
            $crate::store::dialect::Pool::Sqlite($db) => $body,
            $crate::store::dialect::Pool::Postgres($db) => $body,
        }
    };
    // `|db, DB|`: `DB` names the database type too (`sqlx::QueryBuilder::<DB>::new`).
    ($pool:expr, |$db:ident, $ty:ident| $body:expr) => {
        match $pool {
            $crate::store::dialect::Pool::Sqlite($db) => {
                #[allow(dead_code)]
                type $ty = sqlx::Sqlite;
                $body
            }
            $crate::store::dialect::Pool::Postgres($db) => {
                #[allow(dead_code)]
                type $ty = sqlx::Postgres;
                $body
            }
        }
    };
}

/// `on_tx!(tx, |c| body)`: `body` with `c` the connection of the write transaction `tx`
/// (a `&mut Tx`).
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::store::dialect::Tx::Sqlite(transaction) => {
                let $c = &mut **transaction;
                $body
            }
            $crate::store::dialect::Tx::Postgres(transaction) => {
                let $c = &mut **transaction;
                $body
            }
        }
    };
    ($tx:expr, |$c:ident, $ty:ident| $body:expr) => {
        match $tx {
            $crate::store::dialect::Tx::Sqlite(transaction) => {
                #[allow(dead_code)]
                type $ty = sqlx::Sqlite;
                let $c = &mut **transaction;
                $body
            }
            $crate::store::dialect::Tx::Postgres(transaction) => {
                #[allow(dead_code)]
                type $ty = sqlx::Postgres;
                let $c = &mut **transaction;
                $body
            }
        }
    };
}

pub(crate) use {on_db, on_tx};
