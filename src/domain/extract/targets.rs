//! Deadlines a clause gives without a time phrase: the year of a target ("tăng trưởng năm 2026 đạt
//! 14,5%", "Năm 2026, tỷ lệ … đạt tối thiểu 60%") and a deadline by reference ("cùng thời hạn",
//! "cùng thời hạn với nhiệm vụ tại mục 2").

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::super::due::{Due, DuePrecision, FoundDue};
use super::lexicon::strip_tones;

/// Words that make a clause a target: a level to reach, a share, a rate.
const TARGET_WORDS: &[&str] =
    &["dat ", "phan dau", "chiem ", "toi thieu", "it nhat", "tang truong", "chi tieu", "muc tieu", "ty le", "ty trong"];

/// "năm 2026", not "từ năm 2006", "năm học 2025-2026" or "đến năm 2030" (a long-range target the
/// time phrases read).
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bnam (\d{4})\b").expect("year pattern compiles"));

/// How many years ahead a target's year may be.
const YEARS_AHEAD: i32 = 5;

/// The end of the year a target names, with the span of "năm 2026"; `None` when the clause is no
/// target or its year is past. A list's frame may name its targets' year without a figure ("Giao
/// chỉ tiêu năm 2026:").
pub fn target_year(clause: &str, published: NaiveDate, frame: bool) -> Option<FoundDue> {
    let (plain, origin) = strip_tones(clause);
    let lower = plain.to_lowercase();
    if lower.len() != plain.len() || !TARGET_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    // "đạt" (reach), not "đất" (land): compared toned when the text has its marks.
    let toned = plain != clause;
    let reaches = if toned { clause.to_lowercase().contains("đạt ") } else { lower.contains(" dat ") };
    let measured =
        lower.contains('%') || reaches || frame && (lower.contains("chi tieu") || lower.contains("muc tieu"));
    if !measured {
        return None;
    }
    for caps in YEAR.captures_iter(&lower) {
        let whole = caps.get(0)?;
        let before = lower[..whole.start()].trim_end();
        if ["tu", "den", "sau", "truoc", "cua"].iter().any(|w| before.ends_with(w)) {
            continue;
        }
        let year: i32 = caps[1].parse().ok()?;
        if year < published.year() || year > published.year() + YEARS_AHEAD {
            continue;
        }
        let date = NaiveDate::from_ymd_opt(year, 12, 31)?;
        let span = origin[whole.start()]..origin[whole.end()];
        return Some(FoundDue { due: Due { date, precision: DuePrecision::Year }, recurrence: None, span });
    }
    None
}

/// What "cùng thời hạn" refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SameAs {
    /// The item before.
    Previous,
    /// The numbered item: "mục 2", "nhiệm vụ 3", "điểm b".
    Item(String),
}

static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"cung thoi han(?: hoan thanh)?(?: voi)?(?: (?:cac )?nhiem vu)?(?: tai)? (?:muc|diem|nhiem vu|so) ([0-9a-z]{1,2})\b")
        .expect("reference pattern compiles")
});

pub fn same_deadline(clause: &str) -> Option<SameAs> {
    let lower = strip_tones(clause).0.to_lowercase();
    if !lower.contains("cung thoi han") {
        return None;
    }
    Some(match ITEM.captures(&lower) {
        Some(caps) => SameAs::Item(caps[1].to_owned()),
        None => SameAs::Previous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_target_of_a_year_is_due_at_its_end() {
        let found = target_year("tăng trưởng kinh tế số năm 2026 đạt 14,5%", d(2026, 1, 9), false).unwrap();
        assert_eq!((found.due.date, found.due.precision), (d(2026, 12, 31), DuePrecision::Year));
        assert!(target_year("Năm 2026, tỷ lệ hồ sơ đạt tối thiểu 60%", d(2026, 1, 16), false).is_some());
        assert!(target_year("nam 2026 phan dau 80% ho so truc tuyen", d(2026, 1, 19), false).is_some());
    }

    #[test]
    fn past_years_spans_and_plain_mentions_are_no_targets() {
        assert!(target_year("Năm 2025, tỷ lệ đạt 36,8%", d(2026, 1, 9), false).is_none(), "a past year");
        assert!(target_year("số hóa văn bằng từ năm 2006 đạt 90%", d(2026, 5, 4), false).is_none());
        assert!(target_year("Ngày 19 tháng 9 năm 2025, họp về dữ liệu đất đai", d(2025, 9, 24), false).is_none());
        assert!(target_year("Giao chỉ tiêu năm 2026 cho các sở", d(2026, 3, 24), false).is_none());
        assert!(target_year("Giao chỉ tiêu năm 2026:", d(2026, 3, 24), true).is_some());
        assert!(target_year("dự án khởi công mới năm 2027", d(2026, 5, 6), false).is_none(), "not a target");
    }

    #[test]
    fn a_deadline_by_reference_names_the_item() {
        assert_eq!(same_deadline("cùng thời hạn, hoàn thành liên thông"), Some(SameAs::Previous));
        assert_eq!(same_deadline("cùng thời hạn với nhiệm vụ tại mục 2"), Some(SameAs::Item("2".into())));
        assert_eq!(same_deadline("hoàn thành trước ngày 30/6"), None);
    }
}
