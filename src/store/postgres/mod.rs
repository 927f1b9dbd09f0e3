//! PostgreSQL: reaching the server the address names, its migrations (`migrations/postgres/`), and
//! the copy of a SQLite database into it (`copy`).

mod copy;

pub use copy::{Copied, TABLES, copy_from_sqlite};

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use super::migrate::POSTGRES;
use super::{Result, StoreError};
use crate::config::DatabaseUrl;

/// How long start-up waits for the server to answer: long enough for a busy one, short enough
/// that an address with a typo fails while the operator is still watching.
const CONNECT_WAIT: Duration = Duration::from_secs(10);

/// A pool on the server `url` names, with one connection made now: a server that cannot be
/// reached (or refuses the user) fails here, at start.
pub async fn connect(url: &DatabaseUrl) -> Result<PgPool> {
    let unreachable = |source| StoreError::Unreachable { shown: url.to_string(), source };
    let options = url.as_str().parse().map_err(unreachable)?;
    PgPoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .acquire_timeout(CONNECT_WAIT)
        .connect_with(options)
        .await
        .map_err(unreachable)
}

/// Applies the pending PostgreSQL migrations. sqlx takes an advisory lock for the length of the
/// run, so two processes starting at once apply each migration once.
pub async fn migrate(pool: &PgPool) -> Result<()> {
    POSTGRES.run(pool).await?;
    Ok(())
}
