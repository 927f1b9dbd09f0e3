//! Applying the migrations: with foreign keys off (a migration may rebuild a table others refer
//! to), after repairing the checksums of landed migrations that were edited, and again when
//! another process applied one at the same moment.

use sqlx::SqlitePool;
use sqlx::migrate::{MigrateError, Migrator};

use super::Result;

/// Every SQLite migration in `migrations/sqlite/`, built in.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Every PostgreSQL migration in `migrations/postgres/`, built in: the same schema in PostgreSQL's
/// types, one file for each SQLite migration after the first schema.
pub static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// Landed migrations that a later commit edited, and that are back to their landed text: the
/// version and the SHA-384 of the edited text. A database migrated while the edit was there
/// recorded that checksum; it gets the landed one, and a later migration makes what the edit
/// added when it is missing (0011 makes `occurrence_adjustments`).
pub const EDITED: &[(i64, &str)] =
    &[(10, "1039ec818b0c7279cbe7b229e726375d0b370941cb08753d4762bdc29f67d4efe5e07751c362b7fbbae10b5cc3ed87cd")];

/// Applies the pending migrations on one connection of `pool`.
pub async fn run(pool: &SqlitePool) -> Result<()> {
    let mut conn = pool.acquire().await?;
    repair_edited(&mut conn).await?;
    // Each retry follows progress by the other process (a migration it recorded): at most one
    // per migration.
    let races = MIGRATOR.iter().count();
    let mut attempt = 0;
    loop {
        // SQLite's procedure for rebuilding a table: foreign keys off outside the transaction
        // (sqlx opens one per migration), so that dropping the old table deletes nothing.
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
        let result = MIGRATOR.run(&mut *conn).await;
        sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
        match result {
            Err(MigrateError::ExecuteMigration(e, version))
                if attempt < races && applied_elsewhere(&mut conn, version).await? =>
            {
                tracing::info!(version, error = %e, "another process applied this migration first");
                attempt += 1;
            }
            // Both ran a migration whose text can run twice; the other recorded it first (and
            // this one's transaction, which would have recorded it, is rolled back).
            Err(MigrateError::Execute(e)) if attempt < races && e.to_string().contains("_sqlx_migrations.version") => {
                tracing::info!(error = %e, "another process applied a migration first");
                attempt += 1;
            }
            result => break result?,
        }
    }
    let broken: Vec<(String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check").fetch_all(&mut *conn).await?;
    if !broken.is_empty() {
        tracing::warn!(rows = broken.len(), first = ?broken.first(), "rows refer to rows that do not exist");
    }
    Ok(())
}

/// Whether `version` is recorded as applied: a process started at the same moment applied it
/// between our look at the list and our attempt.
async fn applied_elsewhere(conn: &mut sqlx::SqliteConnection, version: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE version = $1 AND success")
        .bind(version)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Gives a database that recorded an edited migration's checksum the landed one.
async fn repair_edited(conn: &mut sqlx::SqliteConnection) -> Result<()> {
    let table: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_one(&mut *conn)
            .await?;
    if table == 0 {
        return Ok(());
    }
    for (version, edited) in EDITED {
        let Some(landed) = MIGRATOR.iter().find(|m| m.version == *version) else { continue };
        let fixed = sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = $2 AND checksum = $3")
            .bind(&*landed.checksum)
            .bind(version)
            .bind(from_hex(edited))
            .execute(&mut *conn)
            .await?;
        if fixed.rows_affected() > 0 {
            tracing::info!(version, "the checksum of an edited migration is back to its landed text's");
        }
    }
    Ok(())
}

/// Bytes of a hex text (the constants above are well formed).
pub fn from_hex(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// Hex text of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[path = "migrate_tests.rs"]
mod tests;
