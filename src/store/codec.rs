//! One codec for what SQLite stores: timestamps, dates, times of day, reminder days and enum text.
//!
//! Stored text is written only by this module, so it is decoded strictly: anything else in a
//! column is corrupt data ([`Corrupt`]), never a user's mistake. User input has its own, forgiving
//! parsers in `domain/`.
//!
//! An enum is stored as its strum text. To store a new one, derive
//! `strum::{Display, EnumString, IntoStaticStr, EnumIter}` with `#[strum(serialize_all = "lowercase")]`
//! (or `#[strum(serialize = "...")]` on a variant), bind `codec::text(value)`, read it back with
//! `codec::parse_enum("what", &text)`, and add one line to the round-trip test below.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use strum::IntoEnumIterator;

use super::StoreError;
pub use super::stored::{At, Day, TimeOfDay};

/// A stored value this codec did not write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {text:?}: {reason}")]
pub struct Corrupt {
    what: &'static str,
    text: String,
    reason: String,
}

impl Corrupt {
    fn new(what: &'static str, text: &str, reason: impl std::fmt::Display) -> Self {
        Self { what, text: text.to_owned(), reason: reason.to_string() }
    }
}

impl From<Corrupt> for StoreError {
    fn from(e: Corrupt) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// An instant to bind: see [`At`].
pub fn timestamp(at: DateTime<Utc>) -> At {
    At(at)
}

/// Timestamps are fixed-width RFC 3339 in UTC with milliseconds, so that text order is time order.
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads any RFC 3339 timestamp: older rows written by SQLite's `strftime` have no milliseconds.
/// Also reads what SQLite's own `datetime('now')` writes (`2026-11-20 10:00:00`, UTC) and a bare
/// day (midnight UTC), which rows written by hand or by old defaults may hold.
pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, Corrupt> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).or_else(|e| {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
            .map(|t| t.and_utc())
            .or_else(|_| NaiveDate::parse_from_str(text, DATE).map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()))
            .map_err(|_| Corrupt::new("timestamp", text, e))
    })
}

const DATE: &str = "%Y-%m-%d";

/// A day to bind: see [`Day`].
pub fn date(day: NaiveDate) -> Day {
    Day(day)
}

/// Dates are ISO 8601 (`2025-06-30`): text order is date order.
pub fn date_text(day: NaiveDate) -> String {
    day.format(DATE).to_string()
}

/// A list of names (owners, partners) as a JSON array.
pub fn names(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

pub fn parse_names(text: &str) -> Result<Vec<String>, Corrupt> {
    serde_json::from_str(text).map_err(|e| Corrupt::new("names", text, e))
}

pub fn parse_date(text: &str) -> Result<NaiveDate, Corrupt> {
    NaiveDate::parse_from_str(text, DATE).map_err(|e| Corrupt::new("date", text, e))
}

const CLOCK: &str = "%H:%M";

/// A time of day to bind: see [`TimeOfDay`].
pub fn clock_time(at: NaiveTime) -> TimeOfDay {
    TimeOfDay(at)
}

/// A chat's own digest time, local: `07:30`.
pub fn clock_time_text(at: NaiveTime) -> String {
    at.format(CLOCK).to_string()
}

pub fn parse_clock_time(text: &str) -> Result<NaiveTime, Corrupt> {
    NaiveTime::parse_from_str(text, CLOCK).map_err(|e| Corrupt::new("time of day", text, e))
}

/// Time zones by IANA name.
pub fn timezone(tz: Tz) -> &'static str {
    tz.name()
}

pub fn parse_timezone(text: &str) -> Result<Tz, Corrupt> {
    text.parse().map_err(|e| Corrupt::new("time zone", text, e))
}

/// Reminder lead days as the chat chose them, largest first: `30,7,1,0`.
pub fn remind_days(days: &[u32]) -> String {
    days.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// Reads back exactly what [`remind_days`] wrote; the limits of `/remind` were checked when the
/// days were typed, and are not re-judged here.
pub fn parse_remind_days(text: &str) -> Result<Vec<u32>, Corrupt> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',').map(|day| day.parse().map_err(|e| Corrupt::new("reminder days", text, e))).collect()
}

/// An enum whose variants are stored as text; strum's derives give both directions.
pub trait StoredEnum: Copy + Into<&'static str> + IntoEnumIterator {}

impl<T: Copy + Into<&'static str> + IntoEnumIterator> StoredEnum for T {}

/// The stored text of a variant.
pub fn text<T: StoredEnum>(value: T) -> &'static str {
    value.into()
}

/// The variant stored as exactly `stored`: no aliases, no case folding, unlike a user's input.
pub fn parse_enum<T: StoredEnum>(what: &'static str, stored: &str) -> Result<T, Corrupt> {
    T::iter().find(|v| text(*v) == stored).ok_or_else(|| Corrupt::new(what, stored, "unknown value"))
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use super::*;
    use crate::domain::due::{DuePrecision, Recurrence};
    use crate::domain::lang::Lang;
    use crate::domain::metric::{ObservationKind, Qualifier};
    use crate::domain::report_schedule::ReportEvery;
    use crate::domain::task::{EventKind, Status};
    use crate::store::{ChatKind, DeliveryKind, OutboxStatus};

    /// Every variant is stored as the text the migrations' CHECK constraints allow, and reads back
    /// as itself.
    fn round_trips<T: StoredEnum + PartialEq + Debug>(stored: &[&str]) {
        let texts: Vec<&str> = T::iter().map(text).collect();
        assert_eq!(texts, stored, "the stored text of {}", std::any::type_name::<T>());
        for value in T::iter() {
            assert_eq!(parse_enum::<T>("value", text(value)), Ok(value));
        }
        assert!(parse_enum::<T>("value", "no such value").is_err());
    }

    #[test]
    fn every_stored_enum_round_trips_through_its_text() {
        round_trips::<Status>(&["open", "done", "cancelled"]);
        round_trips::<EventKind>(&["added", "imported", "done", "reopened", "note", "extended"]);
        round_trips::<Lang>(&["vi", "en"]);
        round_trips::<ChatKind>(&["private", "group", "supergroup", "channel"]);
        round_trips::<DeliveryKind>(&["digest", "reminder", "report"]);
        round_trips::<OutboxStatus>(&["pending", "sending", "sent", "failed", "skipped"]);
        round_trips::<ReportEvery>(&["month", "week"]);
        round_trips::<DuePrecision>(&["day", "month", "quarter", "half", "year"]);
        round_trips::<Recurrence>(&["monthly", "quarterly", "half-yearly", "yearly"]);
        round_trips::<ObservationKind>(&["actual", "target"]);
        round_trips::<Qualifier>(&["over", "about", "nearly"]);
    }

    #[test]
    fn stored_enum_text_is_exact_unlike_user_input() {
        assert_eq!("English".parse::<Lang>(), Ok(Lang::En), "a user may type a language's name");
        assert!(parse_enum::<Lang>("language", "English").is_err());
        assert!(parse_enum::<Status>("status", "Open").is_err());
    }

    #[test]
    fn timestamps_keep_their_stored_format_and_read_older_rows() {
        let at = DateTime::parse_from_rfc3339("2025-06-02T00:30:00.250+07:00").unwrap().with_timezone(&Utc);
        assert_eq!(timestamp_text(at), "2025-06-01T17:30:00.250Z");
        assert_eq!(parse_timestamp(&timestamp_text(at)), Ok(at));
        // What SQLite's strftime('%Y-%m-%dT%H:%M:%SZ') wrote before the app's clock did.
        let older = parse_timestamp("2025-06-01T17:30:00Z").unwrap();
        assert_eq!(timestamp_text(older), "2025-06-01T17:30:00.000Z");
        assert!(parse_timestamp("01/06/2025").is_err());
    }

    #[test]
    fn dates_times_and_zones_round_trip() {
        let day = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        assert_eq!(date_text(day), "2025-06-30");
        assert_eq!(parse_date("2025-06-30"), Ok(day));
        assert!(parse_date("30/06/2025").is_err());
        let seven_thirty = NaiveTime::from_hms_opt(7, 30, 0).unwrap();
        assert_eq!(clock_time_text(seven_thirty), "07:30");
        assert_eq!(parse_clock_time("07:30"), Ok(seven_thirty));
        assert!(parse_clock_time("7h30").is_err());
        assert_eq!(parse_timezone(timezone(chrono_tz::Asia::Bangkok)), Ok(chrono_tz::Asia::Bangkok));
        assert!(parse_timezone("Mars/Olympus").is_err());
    }

    #[test]
    fn stored_reminder_days_read_back_exactly_and_corrupt_ones_are_errors() {
        for days in [vec![30, 7, 1, 0], vec![0], vec![365, 100], vec![]] {
            assert_eq!(parse_remind_days(&remind_days(&days)), Ok(days));
        }
        for corrupt in ["30;7", "a,b", "30,,7", " 7", "-1"] {
            let error = parse_remind_days(corrupt).unwrap_err();
            assert!(error.to_string().starts_with("reminder days"), "{corrupt}: {error}");
        }
    }
}
