//! The one clock. Everything that asks "what time is it?" asks this, so `--at` and the tests can
//! fix or move time.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    /// A time that only moves when told to.
    Manual(Mutex<DateTime<Utc>>),
}

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Source::System))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Source::Manual(Mutex::new(at))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => Utc::now(),
            Source::Manual(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// Today's date in `tz`.
    pub fn today(&self, tz: Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }

    /// Moves a manual clock to `at`; a system clock cannot be moved.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Source::Manual(now) = &*self.0 {
            *now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
    }
}

/// Reads an `--at` value in `tz`: `YYYY-MM-DD` (midnight), `YYYY-MM-DDTHH:MM[:SS]` or
/// `YYYY-MM-DD HH:MM[:SS]` (local), or RFC 3339 with an offset.
pub fn parse_at(text: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let local = if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        date.and_time(NaiveTime::MIN)
    } else {
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .ok_or_else(|| format!("{text:?} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"))?
    };
    tz.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| format!("{text:?} does not exist in {tz}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Ho_Chi_Minh;

    #[test]
    fn a_date_is_local_midnight() {
        let at = parse_at("2025-06-02", Ho_Chi_Minh).unwrap();
        assert_eq!(at.to_rfc3339(), "2025-06-01T17:00:00+00:00");
        let clock = Clock::fixed(at);
        assert_eq!(clock.today(Ho_Chi_Minh), NaiveDate::from_ymd_opt(2025, 6, 2).unwrap());
    }

    #[test]
    fn times_and_offsets_are_read() {
        assert_eq!(parse_at("2025-06-02T07:30", Ho_Chi_Minh).unwrap().to_rfc3339(), "2025-06-02T00:30:00+00:00");
        assert_eq!(
            parse_at("2025-06-02T07:30:00+07:00", Ho_Chi_Minh).unwrap().to_rfc3339(),
            "2025-06-02T00:30:00+00:00"
        );
        assert!(parse_at("02/06/2025", Ho_Chi_Minh).is_err());
        assert!(parse_at("2025-02-30", Ho_Chi_Minh).is_err());
    }

    #[test]
    fn a_manual_clock_moves_only_when_set() {
        let start = parse_at("2025-01-01", Ho_Chi_Minh).unwrap();
        let clock = Clock::fixed(start);
        assert_eq!(clock.now(), start);
        let later = parse_at("2025-01-02", Ho_Chi_Minh).unwrap();
        clock.clone().set(later);
        assert_eq!(clock.now(), later, "clones share one time");
    }
}
