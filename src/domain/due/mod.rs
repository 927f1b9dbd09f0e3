//! Due dates: the last day a task may be done, its precision, and recurring tasks' occurrences.
//!
//! A directive rarely says a day: "trong tháng 6/2025" means "by the end of June 2025", so every due
//! date is the *last* day the phrase allows, kept with its precision and the phrase it came from
//! (see `shared/GLOSSARY.md`). The Vietnamese phrase rules are in `phrases`, English copies' month
//! phrases in `english`.

mod day;
mod english;
mod phrases;
mod recurrence;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fold::fold;

pub use day::{DayWord, read_day};
pub use phrases::{FoundDue, Reading, find_due};
pub use recurrence::{Recurrence, monthly_occurrence_in, next_monthly_occurrence};

/// Reads a whole time phrase such as a seed's `due_phrase` or a table's date cell: the Vietnamese
/// rules first, then an English copy's month or quarter ("to be completed in August 2025").
pub fn parse_due_phrase(phrase: &str, published: NaiveDate) -> Option<(Due, Option<Recurrence>)> {
    phrases::parse_due_phrase(phrase, published)
        .or_else(|| english::english_due(phrase, published).map(|due| (due, None)))
}

/// How exact a due date is: "1/7/2025" is a day, "tháng 6/2025" a month.
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
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum DuePrecision {
    Day,
    Month,
    Quarter,
    Half,
    Year,
}

impl DuePrecision {
    /// Its stored and printed text ("day", "month"…).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A due date: the last day allowed, and how exact it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Due {
    pub date: NaiveDate,
    pub precision: DuePrecision,
}

/// The years a due date may fall in: anything else is a typing or OCR slip, not a deadline.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The last day of `month` in `year`, or `None` for a month that does not exist.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(Months::new(1))?.pred_opt()
}

/// The last day of the quarter `q` (1–4) of `year`.
pub fn end_of_quarter(year: i32, quarter: u32) -> Option<NaiveDate> {
    if !(1..=4).contains(&quarter) {
        return None;
    }
    end_of_month(year, quarter * 3)
}

/// The quarter a folded token names: a Roman numeral ("iii") or a digit ("3"). The one reader of
/// quarters for due dates, `/deadlines` filters and metric periods.
pub fn quarter_number(token: &str) -> Option<u32> {
    match token.trim() {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// Reads a compact due date as typed in `/add`: `15/10/2026` (day), `10/2026` (month), `Q3/2026`
/// or `quý III/2026` (quarter), `H1/2027` (half), `2026` (year). Years outside 2000–2100 are refused.
pub fn parse_due_token(token: &str) -> Option<Due> {
    let folded = fold(token.trim());
    let parts: Vec<&str> = folded.split(['/', '-', '.']).collect();
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| YEARS.contains(y));
    let (date, precision) = match parts.as_slice() {
        [d, m, y] => (NaiveDate::from_ymd_opt(year(y)?, m.parse().ok()?, d.parse().ok()?)?, DuePrecision::Day),
        [q, y] if q.starts_with("quy") => {
            (end_of_quarter(year(y)?, quarter_number(q.trim_start_matches("quy"))?)?, DuePrecision::Quarter)
        }
        [q, y] if q.starts_with('q') => {
            (end_of_quarter(year(y)?, quarter_number(q.trim_start_matches('q'))?)?, DuePrecision::Quarter)
        }
        [h, y] if h.starts_with('h') => {
            let month = match &h[1..] {
                "1" => 6,
                "2" => 12,
                _ => return None,
            };
            (end_of_month(year(y)?, month)?, DuePrecision::Half)
        }
        [m, y] => (end_of_month(year(y)?, m.parse().ok()?)?, DuePrecision::Month),
        [y] => (end_of_month(year(y)?, 12)?, DuePrecision::Year),
        _ => return None,
    };
    Some(Due { date, precision })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn compact_due_dates_for_add() {
        let due = |t| parse_due_token(t).map(|d| (d.date, d.precision));
        assert_eq!(due("15/10/2026"), Some((d(2026, 10, 15), DuePrecision::Day)));
        assert_eq!(due("10/2026"), Some((d(2026, 10, 31), DuePrecision::Month)));
        assert_eq!(due("Q3/2026"), Some((d(2026, 9, 30), DuePrecision::Quarter)));
        assert_eq!(due("quý III/2026"), Some((d(2026, 9, 30), DuePrecision::Quarter)));
        assert_eq!(due("H1/2027"), Some((d(2027, 6, 30), DuePrecision::Half)));
        assert_eq!(due("2026"), Some((d(2026, 12, 31), DuePrecision::Year)));
        assert_eq!(due("2/2028"), Some((d(2028, 2, 29), DuePrecision::Month)));
        for bad in ["31/2/2026", "13/2026", "Q5/2026", "mai", "", "10/20266", "1/1/1900", "2101"] {
            assert_eq!(due(bad), None, "{bad}");
        }
    }

    #[test]
    fn quarters_read_as_roman_numerals_or_digits() {
        assert_eq!(quarter_number("iv"), Some(4));
        assert_eq!(quarter_number("2"), Some(2));
        assert_eq!(quarter_number("v"), None);
    }
}
