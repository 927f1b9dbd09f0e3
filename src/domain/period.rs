//! The period a figure is for: a year, a half, a quarter, a month or a day.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::due::{end_of_month, end_of_quarter};
use super::lang::Lang;

/// A period such as `2024`, `2022-H1`, `2026-Q3`, `2023-06` or `2023-06-30`, or `unstated` for a
/// figure whose source gives no date (Project 06's 40 million accounts target): a date we would
/// have to guess is a date we would state wrongly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    Half(i32, u32),
    Quarter(i32, u32),
    Month(i32, u32),
    Day(NaiveDate),
    Unstated,
}

impl Period {
    /// The period's year; none for an unstated one.
    pub fn year(self) -> Option<i32> {
        match self {
            Self::Year(y) | Self::Half(y, _) | Self::Quarter(y, _) | Self::Month(y, _) => Some(y),
            Self::Day(d) => Some(d.year()),
            Self::Unstated => None,
        }
    }

    /// The first day of the period.
    pub fn start(self) -> NaiveDate {
        let first = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("period months are valid");
        match self {
            Self::Year(y) => first(y, 1),
            Self::Half(y, h) => first(y, if h == 1 { 1 } else { 7 }),
            Self::Quarter(y, q) => first(y, q * 3 - 2),
            Self::Month(y, m) => first(y, m),
            Self::Day(d) => d,
            // Sorts an undated figure after every dated one.
            Self::Unstated => NaiveDate::MAX,
        }
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        let valid = "period months are valid";
        match self {
            Self::Year(y) => end_of_month(y, 12).expect(valid),
            Self::Half(y, h) => end_of_month(y, if h == 1 { 6 } else { 12 }).expect(valid),
            Self::Quarter(y, q) => end_of_quarter(y, q).expect(valid),
            Self::Month(y, m) => end_of_month(y, m).expect(valid),
            Self::Day(d) => d,
            Self::Unstated => NaiveDate::MAX,
        }
    }

    /// Whether this period lies within `other` ("2022-H1" within "2022"); an unstated period lies
    /// within none and holds none.
    pub fn within(self, other: Period) -> bool {
        self != Self::Unstated && other != Self::Unstated && other.start() <= self.start() && self.end() <= other.end()
    }

    /// Whether the two periods share a day.
    pub fn overlaps(self, other: Period) -> bool {
        self.within(other) || other.within(self)
    }

    /// How the period reads to a person.
    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Year(y), _) => y.to_string(),
            (Self::Half(y, 1), Lang::Vi) => format!("6 tháng đầu năm {y}"),
            (Self::Half(y, _), Lang::Vi) => format!("6 tháng cuối năm {y}"),
            (Self::Half(y, h), Lang::En) => format!("H{h} {y}"),
            (Self::Quarter(y, q), Lang::Vi) => format!("quý {}/{y}", ["I", "II", "III", "IV"][q as usize - 1]),
            (Self::Quarter(y, q), Lang::En) => format!("Q{q} {y}"),
            (Self::Month(y, m), Lang::Vi) => format!("tháng {m}/{y}"),
            (Self::Month(y, m), Lang::En) => format!("{} {y}", month_name_en(m)),
            (Self::Day(d), Lang::Vi) => d.format("%d/%m/%Y").to_string(),
            (Self::Day(d), Lang::En) => format!("{} {} {}", d.day(), &month_name_en(d.month())[..3], d.year()),
            (Self::Unstated, Lang::Vi) => "không nêu thời điểm".to_owned(),
            (Self::Unstated, Lang::En) => "no date given".to_owned(),
        }
    }
}

pub fn month_name_en(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// How an unstated period is written in seeds and stored.
const UNSTATED: &str = "unstated";

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y}"),
            Self::Half(y, h) => write!(f, "{y}-H{h}"),
            Self::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y}-{m:02}"),
            Self::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Self::Unstated => f.write_str(UNSTATED),
        }
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("period {s:?} is not YYYY, YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-MM-DD or {UNSTATED}");
        if s.trim() == UNSTATED {
            return Ok(Self::Unstated);
        }
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next().and_then(|y| y.parse().ok()).ok_or_else(bad)?;
        let period = match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => Self::Year(year),
            (Some(h), None, _) if h.starts_with(['H', 'h']) => match h[1..].parse() {
                Ok(n @ 1..=2) => Self::Half(year, n),
                _ => return Err(bad()),
            },
            (Some(q), None, _) if q.starts_with(['Q', 'q']) => match q[1..].parse() {
                Ok(n @ 1..=4) => Self::Quarter(year, n),
                _ => return Err(bad()),
            },
            (Some(m), None, _) => match m.parse() {
                Ok(n @ 1..=12) => Self::Month(year, n),
                _ => return Err(bad()),
            },
            (Some(m), Some(d), None) => {
                let date = NaiveDate::from_ymd_opt(year, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
                Self::Day(date.ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        };
        Ok(period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_round_trip() {
        for text in ["2024", "2022-H1", "2026-Q3", "2023-06", "2023-06-30", "unstated"] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn malformed_periods_are_refused() {
        for text in ["", "20x4", "2024-H3", "2024-Q5", "2024-13", "2024-02-30", "2024-1-2-3"] {
            assert!(text.parse::<Period>().is_err(), "{text} parsed");
        }
    }

    #[test]
    fn bounds_and_containment() {
        let h1: Period = "2022-H1".parse().unwrap();
        assert_eq!(h1.end(), NaiveDate::from_ymd_opt(2022, 6, 30).unwrap());
        assert!(h1.within(Period::Year(2022)));
        assert!(!Period::Year(2022).within(h1));
        assert!(Period::Month(2023, 6).within(Period::Half(2023, 1)));
        assert!(!Period::Unstated.overlaps(Period::Year(2025)), "an undated figure is no year's figure");
        assert!(Period::Unstated.end() > Period::Year(2030).end(), "undated figures sort last");
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(Period::Half(2022, 1).label(Lang::Vi), "6 tháng đầu năm 2022");
        assert_eq!(Period::Half(2022, 1).label(Lang::En), "H1 2022");
        assert_eq!(Period::Quarter(2026, 3).label(Lang::Vi), "quý III/2026");
        assert_eq!(Period::Month(2023, 6).label(Lang::En), "June 2023");
    }
}
