//! Moving to PostgreSQL: every row of a SQLite database copied into an empty PostgreSQL one, each
//! value read through the codec and written in PostgreSQL's own type, then the rows counted on
//! both sides. A target that holds any row is refused: nothing is merged or overwritten.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use sqlx::postgres::Postgres;
use sqlx::{PgPool, QueryBuilder, Row, SqlitePool};
use tokio_stream::StreamExt;

use super::super::codec::{self, Corrupt};
use super::super::{Result, StoreError};

/// Every table, parents before the tables that refer to them.
pub const TABLES: &[&str] = &[
    "sources",
    "directives",
    "topics",
    "metrics",
    "metric_aliases",
    "observations",
    "chats",
    "subscriptions",
    "tasks",
    "occurrences_done",
    "occurrence_adjustments",
    "task_events",
    "watched_sources",
    "watched_items",
    "watched_proposals",
    "watched_health_notes",
    "import_drafts",
    "import_proposals",
    "outbox_bodies",
    "outbox",
    "sender_lease",
    "inbox",
    "service_values",
    "calendar_tokens",
    "calendar_revisions",
];

/// Rows per INSERT: at most 18 columns, far below PostgreSQL's 65,535 parameters.
const ROWS_PER_INSERT: usize = 500;

/// What was copied: each table's rows, the same count on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copied {
    pub table: &'static str,
    pub rows: i64,
}

/// A column as PostgreSQL types it, read from SQLite's text, integer or real.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Boolean,
    Real,
    Date,
    Instant,
    TimeOfDay,
    Text,
}

impl Kind {
    fn of(postgres_type: &str) -> Self {
        match postgres_type {
            "bigint" | "integer" | "smallint" => Self::Integer,
            "boolean" => Self::Boolean,
            "double precision" | "real" => Self::Real,
            "date" => Self::Date,
            "timestamp with time zone" => Self::Instant,
            "time without time zone" => Self::TimeOfDay,
            _ => Self::Text,
        }
    }

    /// The column as SQLite gives it to this kind: stored integers and reals are cast, as SQLite's
    /// typing lets a REAL column hold an integer.
    fn select(self, column: &str) -> String {
        match self {
            Self::Integer | Self::Boolean => format!("CAST(\"{column}\" AS INTEGER)"),
            Self::Real => format!("CAST(\"{column}\" AS REAL)"),
            _ => format!("\"{column}\""),
        }
    }
}

enum Value {
    Integer(Option<i64>),
    Boolean(Option<bool>),
    Real(Option<f64>),
    Date(Option<NaiveDate>),
    Instant(Option<DateTime<Utc>>),
    TimeOfDay(Option<NaiveTime>),
    Text(Option<String>),
}

fn read(row: &sqlx::sqlite::SqliteRow, i: usize, kind: Kind) -> std::result::Result<Value, sqlx::Error> {
    fn parsed<T>(text: Option<String>, parse: fn(&str) -> std::result::Result<T, Corrupt>) -> Result<Option<T>> {
        text.as_deref().map(parse).transpose().map_err(Into::into)
    }
    let text = |row: &sqlx::sqlite::SqliteRow| row.try_get::<Option<String>, _>(i);
    let corrupt = |e: StoreError| sqlx::Error::Decode(e.to_string().into());
    Ok(match kind {
        Kind::Integer => Value::Integer(row.try_get(i)?),
        Kind::Boolean => Value::Boolean(row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)),
        Kind::Real => Value::Real(row.try_get(i)?),
        Kind::Date => Value::Date(parsed(text(row)?, codec::parse_date).map_err(corrupt)?),
        Kind::Instant => Value::Instant(parsed(text(row)?, codec::parse_timestamp).map_err(corrupt)?),
        Kind::TimeOfDay => Value::TimeOfDay(parsed(text(row)?, codec::parse_clock_time).map_err(corrupt)?),
        Kind::Text => Value::Text(text(row)?),
    })
}

fn bind(values: &mut sqlx::query_builder::Separated<'_, '_, Postgres, &'static str>, value: Value) {
    match value {
        Value::Integer(v) => values.push_bind(v),
        Value::Boolean(v) => values.push_bind(v),
        Value::Real(v) => values.push_bind(v),
        Value::Date(v) => values.push_bind(v),
        Value::Instant(v) => values.push_bind(v),
        Value::TimeOfDay(v) => values.push_bind(v),
        Value::Text(v) => values.push_bind(v),
    };
}

/// The columns of `table` both databases have, with PostgreSQL's type of each.
async fn columns(sqlite: &SqlitePool, postgres: &PgPool, table: &str) -> Result<Vec<(String, Kind)>> {
    let in_sqlite: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(table).fetch_all(sqlite).await?;
    let in_postgres: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(postgres)
    .await?;
    Ok(in_postgres.into_iter().filter(|(name, _)| in_sqlite.contains(name)).map(|(n, t)| (n, Kind::of(&t))).collect())
}

async fn count_sqlite(pool: &SqlitePool, table: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\"")).fetch_one(pool).await?)
}

async fn count_postgres(pool: &PgPool, table: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\"")).fetch_one(pool).await?)
}

/// Copies every row of `sqlite` into `postgres` (migrated first), in one transaction: a failure
/// leaves the target as empty as it was. Refuses a target that holds any row.
pub async fn copy_from_sqlite(sqlite: &SqlitePool, postgres: &PgPool) -> Result<Vec<Copied>> {
    super::migrate(postgres).await?;
    for table in TABLES {
        let rows = count_postgres(postgres, table).await?;
        if rows > 0 {
            return Err(StoreError::TargetNotEmpty { table, rows });
        }
    }
    let mut tx = postgres.begin().await?;
    for table in TABLES {
        let columns = columns(sqlite, postgres, table).await?;
        let names: Vec<String> = columns.iter().map(|(name, _)| format!("\"{name}\"")).collect();
        let select: Vec<String> = columns.iter().map(|(name, kind)| kind.select(name)).collect();
        // rowid order: the order rows were written in, which some reads (aliases) keep.
        let sql = format!("SELECT {} FROM \"{table}\" ORDER BY rowid", select.join(", "));
        let mut rows = sqlx::query(&sql).fetch(sqlite);
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_INSERT);
        loop {
            let row = rows.next().await.transpose()?;
            if let Some(row) = &row {
                let values = (0..columns.len()).map(|i| read(row, i, columns[i].1)).collect::<Result<_, _>>();
                batch.push(values.map_err(|e| StoreError::Corrupt(format!("{table}: {e}")))?);
            }
            if batch.len() == ROWS_PER_INSERT || (row.is_none() && !batch.is_empty()) {
                let mut insert =
                    QueryBuilder::<Postgres>::new(format!("INSERT INTO \"{table}\" ({}) ", names.join(", ")));
                insert.push_values(batch.drain(..), |mut values, row| {
                    for value in row {
                        bind(&mut values, value);
                    }
                });
                insert.build().execute(&mut *tx).await?;
            }
            if row.is_none() {
                break;
            }
        }
        // Rows kept their ids: the next id given is past the largest.
        if columns.iter().any(|(name, _)| name == "id") {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 0) + 1, false)
                 FROM \"{table}\" WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"
            ))
            .fetch_all(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    let mut copied = Vec::new();
    for table in TABLES {
        let (from, to) = (count_sqlite(sqlite, table).await?, count_postgres(postgres, table).await?);
        if from != to {
            return Err(StoreError::CopyCounts { table, sqlite: from, postgres: to });
        }
        copied.push(Copied { table, rows: to });
    }
    Ok(copied)
}
