//! When a chat's scheduled report (`/report monthly`, `/report weekly`) goes out: at the first of
//! the chat's digest slots in each month (or ISO week), read in the chat's time zone.

use super::deadline::{DeadlineFilter, FilterError, parse_filter};
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::schedule::{Slots, next_slot};

/// How often a chat gets the report.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum ReportEvery {
    /// The first digest slot of each month (the 1st at 07:00 by default).
    Month,
    /// The first digest slot of each ISO week (Monday at 07:00 by default).
    Week,
}

/// A chat's scheduled report: how often, and for which tasks (the words `/report` takes; "" for
/// all), read once into the filter it means.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportSchedule {
    pub every: ReportEvery,
    pub filter: String,
    #[serde(skip)]
    pub tasks: DeadlineFilter,
}

impl ReportSchedule {
    /// The report `every` month or week on the tasks `filter` names; refused when it does not read.
    pub fn new(every: ReportEvery, filter: String) -> Result<Self, FilterError> {
        Ok(Self { tasks: parse_filter(&filter)?, every, filter })
    }
}

/// What turning a chat's scheduled report on or off did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportChange {
    /// On, with the chat's subscription.
    On,
    /// On, and the chat, which was not subscribed, now gets the report alone.
    OnAlone,
    /// Off; the subscription goes on.
    Off,
    /// Off, and the chat, which got the report alone, is no longer subscribed.
    OffAlone,
    /// Off already: nothing changed.
    WasOff,
}

impl ReportEvery {
    /// The first day of the period that holds `day`.
    pub fn period_start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Month => day.with_day(1).expect("every month has a first day"),
            Self::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
        }
    }

    /// The first day of the period after the one that holds `day`.
    fn next_period_start(self, day: NaiveDate) -> NaiveDate {
        let start = self.period_start(day);
        match self {
            Self::Month => start.checked_add_months(chrono::Months::new(1)).expect("a date far from the end of time"),
            Self::Week => start + Days::new(7),
        }
    }

    /// The period's name in an outbox key: "2026-12", "2026-W49" (ISO week-numbering year).
    pub fn period_key(self, day: NaiveDate) -> String {
        match self {
            Self::Month => day.format("%Y-%m").to_string(),
            Self::Week => day.format("%G-W%V").to_string(),
        }
    }
}

/// The first slot of `schedule` in the period that starts on `start` (local), if it falls inside it.
fn first_slot_from(schedule: Slots<'_>, tz: Tz, start: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = start.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Where a time zone skips midnight (a daylight-saving change), the day starts at the next hour.
    let local = tz
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(midnight + Duration::hours(1))).earliest())?;
    next_slot(schedule, tz, local.with_timezone(&Utc) - Duration::seconds(1))
}

/// Whether `slot` (one of `schedule`'s, in `tz`) is the first of its month or week: the one the
/// report goes out at. A schedule that skips days (weekdays only) sends it at its first slot of
/// the period, whatever day that is.
pub fn is_report_slot(schedule: Slots<'_>, tz: Tz, slot: DateTime<Utc>, every: ReportEvery) -> bool {
    let start = every.period_start(slot.with_timezone(&tz).date_naive());
    first_slot_from(schedule, tz, start) == Some(slot)
}

/// The next slot after `now` at which the report goes out.
pub fn next_report_slot(schedule: Slots<'_>, tz: Tz, now: DateTime<Utc>, every: ReportEvery) -> Option<DateTime<Utc>> {
    let mut start = every.period_start(now.with_timezone(&tz).date_naive());
    // A schedule that fires in some months only (a yearly cron) finds its slot within a few years.
    for _ in 0..64 {
        let next = every.next_period_start(start);
        let inside = |slot: &DateTime<Utc>| *slot > now && slot.with_timezone(&tz).date_naive() < next;
        if let Some(slot) = first_slot_from(schedule, tz, start).filter(inside) {
            return Some(slot);
        }
        start = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::{Slots, parse_cron, slots_between};
    use chrono_tz::Asia::Ho_Chi_Minh;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_report_filter_is_read_once_and_one_that_does_not_read_is_refused() {
        let report = ReportSchedule::new(ReportEvery::Month, "quý 1/2027".to_owned()).unwrap();
        assert!(matches!(report.tasks, DeadlineFilter::Within(_)), "{report:?}");
        assert!(ReportSchedule::new(ReportEvery::Week, "13/2025".to_owned()).is_err());
    }

    #[test]
    fn the_monthly_report_goes_at_the_first_digest_slot_of_each_month() {
        let daily = parse_cron("0 0 7 * * *").unwrap();
        let daily = Slots::Cron(&daily);
        let slots = slots_between(daily, Ho_Chi_Minh, utc(2026, 11, 25, 0, 0), utc(2027, 1, 10, 0, 0), 100);
        let reports: Vec<_> =
            slots.into_iter().filter(|s| is_report_slot(daily, Ho_Chi_Minh, *s, ReportEvery::Month)).collect();
        assert_eq!(reports, vec![utc(2026, 12, 1, 0, 0), utc(2027, 1, 1, 0, 0)], "07:00 +07 on the 1st");
        let next = next_report_slot(daily, Ho_Chi_Minh, utc(2026, 11, 22, 3, 0), ReportEvery::Month);
        assert_eq!(next, Some(utc(2026, 12, 1, 0, 0)));
        let at_the_slot = next_report_slot(daily, Ho_Chi_Minh, utc(2026, 12, 1, 0, 0), ReportEvery::Month);
        assert_eq!(at_the_slot, Some(utc(2027, 1, 1, 0, 0)), "strictly after now");
    }

    #[test]
    fn a_weekday_schedule_sends_the_report_on_the_first_weekday_and_weeks_start_on_monday() {
        let weekdays = parse_cron("0 30 7 * * Mon-Fri").unwrap();
        let weekdays = Slots::Cron(&weekdays);
        // 1 August 2026 is a Saturday: the first slot of August is Monday the 3rd.
        let slots = slots_between(weekdays, Ho_Chi_Minh, utc(2026, 7, 30, 0, 0), utc(2026, 8, 12, 0, 0), 100);
        let monthly: Vec<_> =
            slots.iter().copied().filter(|s| is_report_slot(weekdays, Ho_Chi_Minh, *s, ReportEvery::Month)).collect();
        assert_eq!(monthly, vec![utc(2026, 8, 3, 0, 30)]);
        let weekly: Vec<_> =
            slots.iter().copied().filter(|s| is_report_slot(weekdays, Ho_Chi_Minh, *s, ReportEvery::Week)).collect();
        assert_eq!(weekly, vec![utc(2026, 8, 3, 0, 30), utc(2026, 8, 10, 0, 30)], "Mondays");
        assert_eq!(ReportEvery::Week.period_key(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()), "2026-W53");
        assert_eq!(ReportEvery::Month.period_key(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()), "2027-01");
    }

    #[test]
    fn a_schedule_that_skips_months_reports_in_the_months_it_fires() {
        let quarterly = parse_cron("0 0 7 1 1,4,7,10 *").unwrap();
        let next = next_report_slot(Slots::Cron(&quarterly), Ho_Chi_Minh, utc(2026, 11, 22, 0, 0), ReportEvery::Month);
        assert_eq!(next, Some(utc(2027, 1, 1, 0, 0)));
    }
}
