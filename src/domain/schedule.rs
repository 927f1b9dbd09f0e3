//! When digests are due: a cron schedule (the `cron` crate, 6 fields with seconds) read in a chat's
//! time zone, or a chat's own `HH:MM`. Both are read once (the configured expression when the
//! configuration loads, a chat's time when its settings are read) into [`Slots`], which answers
//! "the next times after t in zone z" without parsing or allocating again.
//!
//! Mind the cron crate's day of week: 1 is Sunday, 7 is Saturday (names like `Mon-Fri` avoid doubt).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use cron::Schedule;
use serde::{Deserialize, Serialize};

/// When a chat gets its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestTime {
    /// The configured schedule.
    Default,
    /// Every day at this local time.
    At(NaiveTime),
    Off,
}

/// A cron expression, parsed when it is read: configuration holds this, never the string.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cron {
    expression: String,
    schedule: Schedule,
}

impl Cron {
    pub fn as_str(&self) -> &str {
        &self.expression
    }

    pub fn slots(&self) -> Slots<'_> {
        Slots::Cron(&self.schedule)
    }
}

impl FromStr for Cron {
    type Err = String;

    fn from_str(expression: &str) -> Result<Self, String> {
        Ok(Self { expression: expression.trim().to_owned(), schedule: parse_cron(expression)? })
    }
}

impl TryFrom<String> for Cron {
    type Error = String;

    fn try_from(expression: String) -> Result<Self, String> {
        expression.parse()
    }
}

impl From<Cron> for String {
    fn from(cron: Cron) -> Self {
        cron.expression
    }
}

impl PartialEq for Cron {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression
    }
}

impl PartialEq<&str> for Cron {
    fn eq(&self, other: &&str) -> bool {
        self.expression == *other
    }
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expression)
    }
}

/// Parses a cron expression of 6 fields (sec min hour day month weekday) or 7 (with year).
pub fn parse_cron(expression: &str) -> Result<Schedule, String> {
    Schedule::from_str(expression.trim()).map_err(|e| format!("invalid cron expression {expression:?}: {e}"))
}

/// The times a chat's messages follow: the configured cron (borrowed, never cloned) or every day
/// at a local time.
#[derive(Debug, Clone, Copy)]
pub enum Slots<'a> {
    Cron(&'a Schedule),
    Daily(NaiveTime),
}

impl<'a> Slots<'a> {
    /// The slots strictly after `from`, in `tz`, oldest first.
    pub fn after(self, tz: Tz, from: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + 'a {
        let mut cron = match self {
            Slots::Cron(schedule) => Some(schedule.after(&from.with_timezone(&tz))),
            Slots::Daily(_) => None,
        };
        let mut day = Some(from.with_timezone(&tz).date_naive());
        std::iter::from_fn(move || match (self, cron.as_mut()) {
            (_, Some(slots)) => slots.next().map(|slot| slot.with_timezone(&Utc)),
            (Slots::Daily(time), None) => loop {
                let date: NaiveDate = day?;
                day = date.succ_opt();
                // A local time that does not exist that day (a clock moved forward) is skipped.
                if let Some(slot) = tz.from_local_datetime(&date.and_time(time)).earliest() {
                    let slot = slot.with_timezone(&Utc);
                    if slot > from {
                        return Some(slot);
                    }
                }
            },
            (Slots::Cron(_), None) => None,
        })
    }
}

/// The slots of `slots` in `tz` after `from` and up to and including `to`, oldest first,
/// at most `limit` of them (a long outage must not plan thousands of slots).
pub fn slots_between(
    slots: Slots<'_>,
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: usize,
) -> Vec<DateTime<Utc>> {
    slots.after(tz, from).take_while(|slot| *slot <= to).take(limit).collect()
}

/// The next slot of `slots` in `tz` after `after`.
pub fn next_slot(slots: Slots<'_>, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    slots.after(tz, after).next()
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
        let slots =
            slots_between(Slots::Cron(&schedule), Ho_Chi_Minh, utc(2025, 6, 1, 0, 0), utc(2025, 6, 2, 12, 0), 10);
        assert_eq!(slots, vec![utc(2025, 6, 2, 0, 0)], "07:00 +07 is 00:00 UTC");
        let slots =
            slots_between(Slots::Cron(&schedule), Ho_Chi_Minh, utc(2025, 6, 2, 0, 0), utc(2025, 6, 3, 0, 0), 10);
        assert_eq!(slots, vec![utc(2025, 6, 3, 0, 0)], "after `from`, up to and including `to`");
    }

    #[test]
    fn day_of_week_one_is_sunday() {
        let sundays = parse_cron("0 0 7 * * 1").unwrap();
        let slot = next_slot(Slots::Cron(&sundays), Ho_Chi_Minh, utc(2025, 6, 2, 0, 0)).unwrap();
        assert_eq!(slot, utc(2025, 6, 8, 0, 0), "8 June 2025 was a Sunday");
        let weekdays = parse_cron("0 0 7 * * Mon-Fri").unwrap();
        assert_eq!(
            next_slot(Slots::Cron(&weekdays), Ho_Chi_Minh, utc(2025, 6, 6, 1, 0)).unwrap(),
            utc(2025, 6, 9, 0, 0)
        );
    }

    #[test]
    fn a_chat_time_is_daily_and_slots_are_capped() {
        let schedule = Slots::Daily(NaiveTime::from_hms_opt(6, 30, 0).unwrap());
        let slots = slots_between(schedule, Ho_Chi_Minh, utc(2025, 1, 1, 0, 0), utc(2026, 1, 1, 0, 0), 5);
        assert_eq!(slots.len(), 5);
        assert_eq!(slots[0], utc(2025, 1, 1, 23, 30));
        assert!(parse_cron("every morning").is_err());
    }

    #[test]
    fn a_daily_time_gives_the_slots_its_cron_would_in_every_zone() {
        let from = utc(2026, 1, 1, 0, 0);
        let to = utc(2027, 1, 1, 0, 0);
        for tz in [Ho_Chi_Minh, chrono_tz::Europe::Berlin, chrono_tz::America::New_York, chrono_tz::Pacific::Auckland] {
            for (h, m) in [(0, 0), (6, 30), (12, 5), (23, 59)] {
                let time = NaiveTime::from_hms_opt(h, m, 0).unwrap();
                let cron = parse_cron(&format!("0 {m} {h} * * *")).unwrap();
                let daily = slots_between(Slots::Daily(time), tz, from, to, 1000);
                let by_cron = slots_between(Slots::Cron(&cron), tz, from, to, 1000);
                assert_eq!(daily, by_cron, "{tz} {time}");
                assert!(daily.len() >= 364, "{tz} {time}: {}", daily.len());
            }
        }
    }

    #[test]
    fn a_cron_is_read_once_and_written_back_as_it_was_given() {
        let cron: Cron = " 0 30 6 * * Mon-Fri ".parse().unwrap();
        assert_eq!(cron.to_string(), "0 30 6 * * Mon-Fri");
        let next = next_slot(cron.slots(), Ho_Chi_Minh, utc(2026, 12, 4, 0, 0)).unwrap();
        assert_eq!(next, utc(2026, 12, 6, 23, 30), "Friday 4 December 2026 is past 06:30; next is Monday");
        assert!("every morning".parse::<Cron>().unwrap_err().contains("every morning"));
    }
}
