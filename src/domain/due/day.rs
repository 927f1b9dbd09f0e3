//! A word read as a calendar day, telling a day that does not exist ("2026-02-30") from a word
//! that is no date at all ("xong"), so that a slip is named rather than taken for a note.

use chrono::NaiveDate;

use super::YEARS;

/// What one word is, read as a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayWord {
    /// A day of the calendar within [`YEARS`].
    Day(NaiveDate),
    /// Shaped like a day ("30/02/2026", "2026-02-30", "1/1/1900") but no day a task can have.
    NoSuchDay,
    /// Not shaped like a day: a word, a month ("11/2026"), a year.
    NotADay,
}

/// Reads "15/11/2026", "15-11-2026", "15.11.2026" (day first) or "2026-11-15" (year first).
pub fn read_day(word: &str) -> DayWord {
    let parts: Vec<&str> = word.split(['/', '-', '.']).collect();
    let digits =
        |p: &str, len: std::ops::RangeInclusive<usize>| len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = match parts.as_slice() {
        [d, m, y] if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) => (*y, *m, *d),
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => (*y, *m, *d),
        _ => return DayWord::NotADay,
    };
    // Every part is one to four digits, so each parses.
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse(), d.parse()) else { return DayWord::NotADay };
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) if YEARS.contains(&y) => DayWord::Day(day),
        _ => DayWord::NoSuchDay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_both_orders_and_impossible_ones_named() {
        let day = |y, m, d| DayWord::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(read_day("15/11/2026"), day(2026, 11, 15));
        assert_eq!(read_day("5.1.2027"), day(2027, 1, 5));
        assert_eq!(read_day("2026-11-15"), day(2026, 11, 15));
        assert_eq!(read_day("29/02/2028"), day(2028, 2, 29));
        for slip in ["2026-02-30", "30/02/2026", "29/2/2027", "31/04/2026", "1/1/1900", "2026-13-01", "00/01/2026"] {
            assert_eq!(read_day(slip), DayWord::NoSuchDay, "{slip}");
        }
        for word in ["xong", "11/2026", "2026", "Q3/2026", "", "12/11/26", "2026-11-15x", "1/2/3"] {
            assert_eq!(read_day(word), DayWord::NotADay, "{word}");
        }
    }
}
