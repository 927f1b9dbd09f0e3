//! When digests are due: a cron schedule (the `cron` crate, 6 fields with seconds) read in a chat's
//! time zone, or a chat's own `HH:MM`.
//!
//! Mind the cron crate's day of week: 1 is Sunday, 7 is Saturday (names like `Mon-Fri` avoid doubt).

use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use cron::Schedule;

/// When a chat gets its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestTime {
    /// The configured schedule.
    Default,
    /// Every day at this local time.
    At(NaiveTime),
    Off,
}

/// Parses a cron expression of 6 fields (sec min hour day month weekday) or 7 (with year).
pub fn parse_cron(expression: &str) -> Result<Schedule, String> {
    Schedule::from_str(expression.trim()).map_err(|e| format!("invalid cron expression {expression:?}: {e}"))
}

/// The daily schedule for a local time.
pub fn daily_at(time: NaiveTime) -> Schedule {
    Schedule::from_str(&format!("{} {} {} * * *", time.second(), time.minute(), time.hour()))
        .expect("a daily schedule is valid cron")
}

/// The slots of `schedule` in `tz` after `from` and up to and including `to`, oldest first,
/// at most `limit` of them (a long outage must not plan thousands of slots).
pub fn slots_between(
    schedule: &Schedule,
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: usize,
) -> Vec<DateTime<Utc>> {
    schedule
        .after(&from.with_timezone(&tz))
        .map(|slot| slot.with_timezone(&Utc))
        .take_while(|slot| *slot <= to)
        .take(limit)
        .collect()
}

/// The next slot of `schedule` in `tz` after `after`.
pub fn next_slot(schedule: &Schedule, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    schedule.after(&after.with_timezone(&tz)).next().map(|slot| slot.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Asia::Ho_Chi_Minh;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_seven_oclock_schedule_is_seven_in_vietnam() {
        let schedule = parse_cron("0 0 7 * * *").unwrap();
        let slots = slots_between(&schedule, Ho_Chi_Minh, utc(2025, 6, 1, 0, 0), utc(2025, 6, 2, 12, 0), 10);
        assert_eq!(slots, vec![utc(2025, 6, 2, 0, 0)], "07:00 +07 is 00:00 UTC");
        let slots = slots_between(&schedule, Ho_Chi_Minh, utc(2025, 6, 2, 0, 0), utc(2025, 6, 3, 0, 0), 10);
        assert_eq!(slots, vec![utc(2025, 6, 3, 0, 0)], "after `from`, up to and including `to`");
    }

    #[test]
    fn day_of_week_one_is_sunday() {
        let sundays = parse_cron("0 0 7 * * 1").unwrap();
        let slot = next_slot(&sundays, Ho_Chi_Minh, utc(2025, 6, 2, 0, 0)).unwrap();
        assert_eq!(slot, utc(2025, 6, 8, 0, 0), "8 June 2025 was a Sunday");
        let weekdays = parse_cron("0 0 7 * * Mon-Fri").unwrap();
        assert_eq!(next_slot(&weekdays, Ho_Chi_Minh, utc(2025, 6, 6, 1, 0)).unwrap(), utc(2025, 6, 9, 0, 0));
    }

    #[test]
    fn a_chat_time_is_daily_and_slots_are_capped() {
        let schedule = daily_at(NaiveTime::from_hms_opt(6, 30, 0).unwrap());
        let slots = slots_between(&schedule, Ho_Chi_Minh, utc(2025, 1, 1, 0, 0), utc(2026, 1, 1, 0, 0), 5);
        assert_eq!(slots.len(), 5);
        assert_eq!(slots[0], utc(2025, 1, 1, 23, 30));
        assert!(parse_cron("every morning").is_err());
    }
}
