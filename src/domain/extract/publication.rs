//! The date a text was published or signed, read from its top lines, never from a deadline there.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::super::due::YEARS;
use super::super::fold::fold;

/// "13/07/2023", "13-7-2023", "ngày 13 tháng 7 năm 2023".
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})\b|\bngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})\b",
    )
    .expect("date pattern compiles")
});

/// A date that is a deadline or a span, not a publication: "trước ngày 10/12/2025", "từ 1/7/2025".
fn follows_a_deadline_word(before: &str) -> bool {
    const DEADLINE: &[&str] =
        &["truoc", "cham nhat", "han", "den", "tu", "trong", "hoan thanh", "ke tu", "ket thuc", "dien ra", "hieu luc"];
    let folded = fold(before);
    let tail = folded.trim_end().trim_end_matches("ngay").trim_end().trim_end_matches(':').trim_end();
    DEADLINE
        .iter()
        .any(|w| tail.ends_with(w) && tail[..tail.len() - w.len()].ends_with([' ', ',', '(', '-']) || tail == *w)
}

/// How sure a date is the publication date: a byline ("Thứ năm - 13/07/2023 07:48"), a place and
/// date ("Hà Nội, ngày 20 tháng 8 năm 2026"), a posting mark ("Cập nhật", "Đăng"); else a plain date.
fn looks_like_a_dateline(line: &str, before: &str) -> bool {
    let folded = fold(line);
    let has_time = line.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit() && c != ':');
        w.len() >= 4 && w.contains(':') && w.split(':').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    let marks = [
        "thu hai",
        "thu ba",
        "thu tu",
        "thu nam",
        "thu sau",
        "thu bay",
        "chu nhat",
        "cap nhat",
        "dang luc",
        "ngay dang",
        "gmt",
    ];
    has_time || marks.iter().any(|m| folded.contains(m)) || fold(before).trim_end().ends_with(',')
}

/// The publication date a text shows near its top (its first ten lines): a dateline first, else the
/// first date that is not a deadline. `None` when there is none: the caller asks, or uses today.
pub fn publication_date(text: &str) -> Option<NaiveDate> {
    let mut plain = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(10) {
        for caps in DATE.captures_iter(line) {
            let whole = caps.get(0)?;
            let before = &line[..whole.start()];
            if follows_a_deadline_word(before) {
                continue;
            }
            let part = |a: &str, b: &str| caps.name(a).or(caps.name(b)).and_then(|m| m.as_str().parse::<u32>().ok());
            let (Some(d), Some(m), Some(y)) = (part("d", "d2"), part("m", "m2"), part("y", "y2")) else { continue };
            let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d).filter(|_| YEARS.contains(&(y as i32))) else {
                continue;
            };
            if looks_like_a_dateline(line, before) {
                return Some(date);
            }
            plain.get_or_insert(date);
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_publication_date_is_read_from_the_top() {
        assert_eq!(publication_date("Tiêu đề\n\nThứ năm - 13/07/2023 07:48\nNội dung"), Some(d(2023, 7, 13)));
        assert_eq!(publication_date("Không có ngày"), None);
        assert_eq!(publication_date("CHỈ THỊ\nHà Nội, ngày 20 tháng 8 năm 2026\n"), Some(d(2026, 8, 20)));
    }

    #[test]
    fn a_deadline_in_the_headline_is_not_the_publication_date() {
        let text = "Hoàn thành kết nối dữ liệu trước ngày 10/12/2025\n25/11/2025 09:15\nThủ tướng yêu cầu…";
        assert_eq!(publication_date(text), Some(d(2025, 11, 25)));
        let text = "Áp dụng từ 1/1/2026 quy trình mới\nNội dung không có ngày";
        assert_eq!(publication_date(text), None);
    }
}
