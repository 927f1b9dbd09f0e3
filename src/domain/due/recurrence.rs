//! Recurring tasks ("hằng tháng", "hằng quý", "định kỳ 6 tháng", "hằng năm"): each occurrence falls
//! on the last day of its month, quarter, half-year or year, from the first due date on.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::end_of_month;

/// How often a task repeats.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Recurrence {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Recurrence {
    /// Its stored and printed text ("monthly", "half-yearly"…).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Months between two occurrences.
    pub fn months(self) -> u32 {
        match self {
            Self::Monthly => 1,
            Self::Quarterly => 3,
            Self::HalfYearly => 6,
            Self::Yearly => 12,
        }
    }

    /// The iCalendar rule of the series: the last day of every month, or of every 3, 6 or 12 months
    /// counted from the first occurrence (which is itself the last day of a period).
    pub fn rrule(self) -> String {
        match self {
            Self::Monthly => "FREQ=MONTHLY;BYMONTHDAY=-1".to_owned(),
            other => format!("FREQ=MONTHLY;INTERVAL={};BYMONTHDAY=-1", other.months()),
        }
    }

    /// The last day of the period (month, quarter, half, year) that holds `day`: where a task
    /// first found on `day` is first due.
    pub fn period_end(self, day: NaiveDate) -> NaiveDate {
        let span = self.months();
        let month = (day.month0() / span + 1) * span;
        end_of_month(day.year(), month).unwrap_or(day)
    }

    /// The first occurrence on or after `day`, for a task first due on `first`.
    pub fn next_on_or_after(self, first: NaiveDate, day: NaiveDate) -> NaiveDate {
        if day <= first {
            return first;
        }
        // Occurrences are the ends of periods aligned on `first`'s month, `months()` apart.
        let span = self.months() as i32;
        let months_from_first = (day.year() - first.year()) * 12 + day.month() as i32 - first.month() as i32;
        let steps = (months_from_first + span - 1).div_euclid(span);
        let mut candidate = self.nth(first, steps);
        if candidate < day {
            candidate = self.nth(first, steps + 1);
        }
        candidate
    }

    /// The `n`th occurrence after `first` (0 is `first`).
    fn nth(self, first: NaiveDate, n: i32) -> NaiveDate {
        let month0 = first.year() * 12 + first.month0() as i32 + n * self.months() as i32;
        end_of_month(month0.div_euclid(12), month0.rem_euclid(12) as u32 + 1).unwrap_or(first)
    }

    /// The first occurrence within `from..=to`, if any.
    pub fn occurrence_between(self, first: NaiveDate, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        let next = self.next_on_or_after(first, from);
        (next <= to).then_some(next)
    }
}

/// The day a monthly task is next due on or after `today`, starting from its first due date.
pub fn next_monthly_occurrence(first: NaiveDate, today: NaiveDate) -> NaiveDate {
    Recurrence::Monthly.next_on_or_after(first, today)
}

/// The monthly occurrence that falls in the month of `day`, if the task had started by then.
pub fn monthly_occurrence_in(first: NaiveDate, year: i32, month: u32) -> Option<NaiveDate> {
    let end = end_of_month(year, month)?;
    (end >= first).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn monthly_occurrences_roll_forward() {
        let first = d(2025, 3, 31);
        assert_eq!(next_monthly_occurrence(first, d(2025, 1, 5)), first);
        assert_eq!(next_monthly_occurrence(first, d(2026, 11, 22)), d(2026, 11, 30));
        assert_eq!(monthly_occurrence_in(first, 2025, 6), Some(d(2025, 6, 30)));
        assert_eq!(monthly_occurrence_in(first, 2025, 2), None);
    }

    #[test]
    fn quarterly_half_yearly_and_yearly_tasks_fall_at_their_periods_end() {
        let q = Recurrence::Quarterly;
        assert_eq!(q.period_end(d(2026, 8, 20)), d(2026, 9, 30));
        assert_eq!(q.next_on_or_after(d(2026, 9, 30), d(2026, 10, 1)), d(2026, 12, 31));
        assert_eq!(q.next_on_or_after(d(2026, 9, 30), d(2027, 2, 14)), d(2027, 3, 31));
        assert_eq!(q.next_on_or_after(d(2026, 9, 30), d(2026, 12, 31)), d(2026, 12, 31));
        let h = Recurrence::HalfYearly;
        assert_eq!(h.period_end(d(2026, 3, 2)), d(2026, 6, 30));
        assert_eq!(h.next_on_or_after(d(2026, 6, 30), d(2026, 7, 1)), d(2026, 12, 31));
        let y = Recurrence::Yearly;
        assert_eq!(y.period_end(d(2026, 3, 2)), d(2026, 12, 31));
        assert_eq!(y.next_on_or_after(d(2026, 12, 31), d(2028, 1, 1)), d(2028, 12, 31));
        assert_eq!(q.occurrence_between(d(2026, 9, 30), d(2027, 1, 1), d(2027, 1, 31)), None);
        assert_eq!(q.occurrence_between(d(2026, 9, 30), d(2027, 1, 1), d(2027, 3, 31)), Some(d(2027, 3, 31)));
    }

    #[test]
    fn recurrences_round_trip_through_their_stored_text() {
        for r in [Recurrence::Monthly, Recurrence::Quarterly, Recurrence::HalfYearly, Recurrence::Yearly] {
            assert_eq!(r.as_str().parse::<Recurrence>(), Ok(r));
        }
    }
}
