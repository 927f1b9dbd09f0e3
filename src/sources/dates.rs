//! Dates as the portals write them in their feeds: RFC 822 with "+07", "GMT+7" or a named zone,
//! RFC 3339, and `11/29/2026 3:05:00 PM` with no zone at all, which is Vietnam's time.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

/// Forms without a zone, read in Vietnam's time.
const LOCAL_FORMATS: &[&str] = &[
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%a, %d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M:%S",
];

/// Date-only forms, midnight in Vietnam.
const DATE_FORMATS: &[&str] = &["%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d"];

/// Reads a feed's timestamp however it is written; `None` when it is no date at all.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if let Ok(at) = DateTime::parse_from_rfc2822(text) {
        return Some(at.with_timezone(&Utc));
    }
    let (rest, offset) = split_zone(text);
    let rest = rest.trim().trim_end_matches(',');
    // "Sat, 29 Nov 2026 15:05:00" read without its weekday: a wrong weekday is not worth a miss.
    let rest = rest.split_once(", ").filter(|(day, _)| day.len() <= 4).map_or(rest, |(_, r)| r);
    let local = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(rest, f).ok())
        .or_else(|| DATE_FORMATS.iter().find_map(|f| NaiveDate::parse_from_str(rest, f).ok()).map(midnight))?;
    match offset {
        Some(offset) => offset.from_local_datetime(&local).single().map(|at| at.with_timezone(&Utc)),
        None => Ho_Chi_Minh.from_local_datetime(&local).earliest().map(|at| at.with_timezone(&Utc)),
    }
}

/// The day a timestamp falls on in Vietnam.
pub fn vietnam_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Ho_Chi_Minh).date_naive()
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// Splits a trailing zone off: "+07", "+0700", "+07:00", "GMT+7", "UTC+07:00", "GMT", "UTC", "ICT".
fn split_zone(text: &str) -> (&str, Option<FixedOffset>) {
    let Some((head, last)) = text.rsplit_once(' ') else { return (text, None) };
    let upper = last.to_ascii_uppercase();
    let named = match upper.as_str() {
        "GMT" | "UTC" | "UT" | "Z" => Some(0),
        "ICT" => Some(7 * 3600),
        _ => None,
    };
    if let Some(seconds) = named {
        return (head, FixedOffset::east_opt(seconds));
    }
    let numeric = upper.strip_prefix("GMT").or_else(|| upper.strip_prefix("UTC")).unwrap_or(&upper);
    match offset_of(numeric) {
        Some(offset) => (head, Some(offset)),
        None => (text, None),
    }
}

/// "+7", "+07", "+0700", "+07:00", "-05".
fn offset_of(text: &str) -> Option<FixedOffset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = if digits.len() <= 2 { (&digits[..], "0") } else { digits.split_at(digits.len() - 2) };
    let seconds = hours.parse::<i32>().ok()? * 3600 + minutes.parse::<i32>().ok()? * 60;
    if seconds > 14 * 3600 {
        return None;
    }
    FixedOffset::east_opt(sign * seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> String {
        parse_timestamp(text).map(|at| at.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn the_portals_zones_are_read() {
        assert_eq!(utc("Sat, 29 Nov 2026 15:05:00 +07"), "2026-11-29T08:05");
        assert_eq!(utc("Sat, 29 Nov 2026 15:05:00 GMT+7"), "2026-11-29T08:05");
        assert_eq!(utc("Sat, 29 Nov 2026 15:05:00 +0700"), "2026-11-29T08:05");
        assert_eq!(utc("Sat, 29 Nov 2026 15:05:00 UTC+07:00"), "2026-11-29T08:05");
        assert_eq!(utc("Sat, 29 Nov 2026 08:05:00 GMT"), "2026-11-29T08:05");
        assert_eq!(utc("2026-11-29T15:05:00+07:00"), "2026-11-29T08:05");
        // A wrong weekday is the portal's slip, not a reason to lose the date.
        assert_eq!(utc("Mon, 29 Nov 2026 15:05:00 +07"), "2026-11-29T08:05");
    }

    #[test]
    fn no_zone_is_vietnams_time() {
        assert_eq!(utc("11/29/2026 3:05:00 PM"), "2026-11-29T08:05");
        assert_eq!(utc("11/29/2026 12:30:00 AM"), "2026-11-28T17:30");
        assert_eq!(utc("2026-11-29 15:05:00"), "2026-11-29T08:05");
        assert_eq!(utc("29/11/2026 15:05"), "2026-11-29T08:05");
        assert_eq!(parse_timestamp("11/29/2026 3:05:00 PM").map(vietnam_day), NaiveDate::from_ymd_opt(2026, 11, 29));
        // Late at night in Vietnam is still that day there, though the previous one in UTC.
        assert_eq!(parse_timestamp("01/12/2026 6:30:00 AM").map(vietnam_day), NaiveDate::from_ymd_opt(2026, 1, 12));
    }

    #[test]
    fn what_is_no_date_is_none() {
        for text in ["", "hôm qua", "32/13/2026", "Sat, 29 Nov 2026 15:05:00 +99", "+07"] {
            assert_eq!(utc(text), "none", "{text}");
        }
    }
}
