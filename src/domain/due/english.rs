//! English copies' month phrases, for seeds taken from a paper's English edition: "to be completed
//! in August 2025", "by August 2025", "before December 10, 2025", "in the first quarter of 2026";
//! and their year spans: "2028 - 2030 period" (the span's last year), "the 2026 operating plan".
//! Only whole phrases are read (a seed's `due_phrase`), after the Vietnamese rules found nothing;
//! year phrases ("by 2030", "in 2026") are the Vietnamese rules' own.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::{Due, DuePrecision, YEARS, end_of_month, end_of_quarter};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

static MONTH_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:in|by|before|until|from)\s+(?:the\s+end\s+of\s+)?(?P<m>{})(?:\s+(?P<d>\d{{1,2}}))?(?:,?\s+(?P<y>\d{{4}}))?\b",
        MONTHS.join("|")
    ))
    .expect("English month pattern compiles")
});

static QUARTER_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bin\s+the\s+(?P<q>first|second|third|fourth)\s+quarter\s+of\s+(?P<y>\d{4})\b")
        .expect("English quarter pattern compiles")
});

/// A span's or a yearly plan's last year: "2028 - 2030 period", "phase 2025-2027", "2026 work plan".
static YEAR_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:\d{4}\s*[-–]\s*(?P<y>\d{4})\s+(?:period|phase)|phase\s+\d{4}\s*[-–]\s*(?P<p>\d{4})|(?P<w>\d{4})\s+(?:operating|work|action)\s+(?:plan|programme|program))\b",
    )
    .expect("English year-span pattern compiles")
});

/// The due date an English phrase gives; a month without a year is in the publication year.
pub(super) fn english_due(phrase: &str, published: NaiveDate) -> Option<Due> {
    let year = |digits: Option<regex::Match>| match digits {
        None => Some(published.year()),
        Some(y) => y.as_str().parse().ok().filter(|y| YEARS.contains(y)),
    };
    if let Some(caps) = QUARTER_PHRASE.captures(phrase) {
        let q = ["first", "second", "third", "fourth"].iter().position(|w| caps["q"].eq_ignore_ascii_case(w))?;
        let date = end_of_quarter(year(caps.name("y"))?, u32::try_from(q).ok()? + 1)?;
        return Some(Due { date, precision: DuePrecision::Quarter });
    }
    if let Some(caps) = YEAR_SPAN.captures(phrase) {
        let last = caps.name("y").or(caps.name("p")).or(caps.name("w"));
        return Some(Due { date: end_of_month(year(last)?, 12)?, precision: DuePrecision::Year });
    }
    let caps = MONTH_PHRASE.captures(phrase)?;
    let month = u32::try_from(MONTHS.iter().position(|m| caps["m"].eq_ignore_ascii_case(m))?).ok()? + 1;
    let year = year(caps.name("y"))?;
    match caps.name("d") {
        Some(d) => {
            let date = NaiveDate::from_ymd_opt(year, month, d.as_str().parse().ok()?)?;
            Some(Due { date, precision: DuePrecision::Day })
        }
        None => Some(Due { date: end_of_month(year, month)?, precision: DuePrecision::Month }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(phrase: &str) -> Option<(NaiveDate, DuePrecision)> {
        english_due(phrase, NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()).map(|d| (d.date, d.precision))
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn english_months_quarters_and_days() {
        assert_eq!(read("to be completed in August 2025"), Some((d(2025, 8, 31), DuePrecision::Month)));
        assert_eq!(read("to be completed by August 2025"), Some((d(2025, 8, 31), DuePrecision::Month)));
        assert_eq!(read("to be completed in August"), Some((d(2025, 8, 31), DuePrecision::Month)));
        assert_eq!(read("before December 10, 2025"), Some((d(2025, 12, 10), DuePrecision::Day)));
        assert_eq!(read("in the first quarter of 2026"), Some((d(2026, 3, 31), DuePrecision::Quarter)));
        assert_eq!(read("February 2026"), None, "a month needs its lead word");
        assert_eq!(read("in Augusta 2025"), None);
        assert_eq!(read("before February 30, 2026"), None);
        assert_eq!(read("in June 1890"), None);
        assert_eq!(read("2028 - 2030 period"), Some((d(2030, 12, 31), DuePrecision::Year)));
        assert_eq!(read("Phase 2025 - 2027"), Some((d(2027, 12, 31), DuePrecision::Year)));
        assert_eq!(read("the 2026 operating plan"), Some((d(2026, 12, 31), DuePrecision::Year)));
        assert_eq!(read("the 2026 plan of the city"), None);
    }
}
