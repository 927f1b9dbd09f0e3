//! Instants, days and times of day as each database keeps them: SQLite as the codec's text (fixed
//! width, so text order is time order), PostgreSQL in its own `timestamptz`, `date` and `time`.
//!
//! Bind one of these wrappers and read it back with the same type, and one query serves both
//! databases; binding the codec's text to a PostgreSQL `timestamptz` column would be an error.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef, Postgres};
use sqlx::sqlite::{Sqlite, SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Type};

use super::codec;

/// An instant: `timestamptz`, or RFC 3339 text in UTC with milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At(pub DateTime<Utc>);

/// A day: `date`, or ISO 8601 text (`2025-06-30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

/// A local time of day: `time`, or `07:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(pub NaiveTime);

/// The impls for one wrapper: its text through the codec on SQLite, chrono's own on PostgreSQL.
macro_rules! stored_as {
    ($wrapper:ident, $inner:ty, $write:path, $read:path) => {
        impl Type<Sqlite> for $wrapper {
            fn type_info() -> SqliteTypeInfo {
                <String as Type<Sqlite>>::type_info()
            }

            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <String as Type<Sqlite>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Sqlite> for $wrapper {
            fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
                <String as Encode<'q, Sqlite>>::encode($write(self.0), buf)
            }
        }

        impl<'r> Decode<'r, Sqlite> for $wrapper {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<'r, Sqlite>>::decode(value)?;
                Ok(Self($read(text)?))
            }
        }

        impl Type<Postgres> for $wrapper {
            fn type_info() -> PgTypeInfo {
                <$inner as Type<Postgres>>::type_info()
            }

            fn compatible(ty: &PgTypeInfo) -> bool {
                <$inner as Type<Postgres>>::compatible(ty)
            }
        }

        impl Encode<'_, Postgres> for $wrapper {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <$inner as Encode<Postgres>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> Decode<'r, Postgres> for $wrapper {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok(Self(<$inner as Decode<'r, Postgres>>::decode(value)?))
            }
        }

        impl From<$wrapper> for $inner {
            fn from(value: $wrapper) -> Self {
                value.0
            }
        }
    };
}

stored_as!(At, DateTime<Utc>, codec::timestamp_text, codec::parse_timestamp);
stored_as!(Day, NaiveDate, codec::date_text, codec::parse_date);
stored_as!(TimeOfDay, NaiveTime, codec::clock_time_text, codec::parse_clock_time);

impl At {
    pub fn get(self) -> DateTime<Utc> {
        self.0
    }
}

impl Day {
    pub fn get(self) -> NaiveDate {
        self.0
    }
}

impl TimeOfDay {
    pub fn get(self) -> NaiveTime {
        self.0
    }
}
