//! `migrate-db`: this SQLite database copied into an empty PostgreSQL one, the counts checked.

use std::process::ExitCode;

use anyhow::Context;

use super::{out, usage_error};
use crate::config::{Config, DatabaseUrl};
use crate::store::{Store, postgres};

pub async fn run(config: &Config, to: &str, json: bool) -> anyhow::Result<ExitCode> {
    let target = match to.parse::<DatabaseUrl>() {
        Ok(url @ DatabaseUrl::Postgres(_)) => url,
        _ => return Ok(usage_error(&format!("--to: expected a postgres://user@host/db address, not {to:?}"))),
    };
    if !matches!(config.database_url.parse(), Ok(DatabaseUrl::Sqlite(_))) {
        return Ok(usage_error(
            "migrate-db copies from SQLite: set database_url (HANCHOT_DATABASE_URL) to the sqlite:// file",
        ));
    }
    let source = Store::open(&config.database_url).await.context("cannot open the SQLite database")?;
    let pool = postgres::connect(&target).await?;
    let copied = postgres::copy_from_sqlite(source.pool(), &pool)
        .await
        .with_context(|| format!("nothing copied to {target}"))?;
    pool.close().await;
    if json {
        out!("{}", serde_json::to_string_pretty(&copied)?);
    } else {
        for table in &copied {
            out!("{:<24} {:>10}", table.table, table.rows);
        }
        let rows: i64 = copied.iter().map(|t| t.rows).sum();
        out!("copied {rows} rows in {} tables to {target}; the counts match", copied.len());
    }
    Ok(ExitCode::SUCCESS)
}
