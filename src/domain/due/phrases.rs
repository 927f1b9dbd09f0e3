//! The Vietnamese time phrases of directives, read as due dates: "trong tháng 6/2025", "trước
//! 15/10", "trong 30 ngày kể từ ngày ký", "hằng quý", "đến năm 2030"…
//!
//! The patterns run on folded text ("tháng" is "thang"), mapped back to the original by offsets.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::{Captures, Regex};

use super::super::fold::{fold, fold_with_offsets};
use super::{Due, DuePrecision, Recurrence, YEARS, end_of_month, end_of_quarter, quarter_number};

/// A time phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDue {
    pub due: Due,
    pub recurrence: Option<Recurrence>,
    /// Byte range of the phrase in the original text.
    pub span: Range<usize>,
}

/// How strictly to read a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The text is known to be a time phrase (a seed's `due_phrase`, a table's date column): a bare
    /// "năm 2025", "Quý II" or "15/10/2026" is a due date.
    Phrase,
    /// The text is a sentence: only phrases that read as deadlines count.
    Sentence,
}

/// What a rule builds from its captures.
enum Built {
    Due(Due),
    Recurring(Recurrence),
}

type Build = fn(&Captures, NaiveDate) -> Option<Built>;

struct Rule {
    pattern: Regex,
    build: Build,
    /// Only when the whole text is known to be a time phrase.
    phrase_only: bool,
    /// The phrase gives no year: it is the publication year, or the next one for early months
    /// named late in the year ("trong tháng 1" written in November).
    yearless: bool,
    /// "đến năm 2030" is a target, unless it is part of a programme's name.
    long_range: bool,
    /// A month phrase right after a day's number is part of a full date.
    after_a_day_number_is_a_date: bool,
}

fn num(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

/// The year a phrase names: digits within 2000–2100, or "nay"/nothing (the publication year).
fn year_of(caps: &Captures, published: NaiveDate) -> Option<i32> {
    match caps.name("y").map(|m| m.as_str()) {
        None | Some("nay") => Some(published.year()),
        Some(digits) => digits.parse().ok().filter(|y| YEARS.contains(y)),
    }
}

fn due(date: NaiveDate, precision: DuePrecision) -> Option<Built> {
    Some(Built::Due(Due { date, precision }))
}

fn day(caps: &Captures, published: NaiveDate) -> Option<Built> {
    due(NaiveDate::from_ymd_opt(year_of(caps, published)?, num(caps, "m")?, num(caps, "d")?)?, DuePrecision::Day)
}

fn month(caps: &Captures, published: NaiveDate) -> Option<Built> {
    due(end_of_month(year_of(caps, published)?, num(caps, "m")?)?, DuePrecision::Month)
}

fn quarter(caps: &Captures, published: NaiveDate) -> Option<Built> {
    due(end_of_quarter(year_of(caps, published)?, quarter_number(&caps["q"])?)?, DuePrecision::Quarter)
}

fn half(caps: &Captures, published: NaiveDate) -> Option<Built> {
    let month = if &caps["h"] == "dau" { 6 } else { 12 };
    due(end_of_month(year_of(caps, published)?, month)?, DuePrecision::Half)
}

fn year(caps: &Captures, published: NaiveDate) -> Option<Built> {
    due(end_of_month(year_of(caps, published)?, 12)?, DuePrecision::Year)
}

/// "trong 30 ngày kể từ ngày 1/9/2025" (that day + 30), "trong 15 ngày làm việc kể từ ngày ký"
/// (the document's date + 15 working days).
fn relative(caps: &Captures, published: NaiveDate) -> Option<Built> {
    let anchor = match caps.name("d") {
        Some(_) => NaiveDate::from_ymd_opt(year_of(caps, published)?, num(caps, "m")?, num(caps, "d")?)?,
        None => published,
    };
    let n = num(caps, "n")?;
    let date = if caps.name("work").is_some() {
        let mut date = anchor;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt()?;
            if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        date
    } else {
        anchor.checked_add_days(Days::new(u64::from(n)))?
    };
    due(date, DuePrecision::Day)
}

// Words that open a deadline, folded. "hằng"/"hàng" both fold to "hang".
const LEAD: &str = r"(?:(?:hoan thanh|phan dau|ke|den|tu|truoc|cham nhat la|cham nhat|vao|trong|het|cuoi|den het|den cuoi|cung trong|ngay trong)\s+)*";
const REQUIRED_LEAD: &str = r"(?:(?:hoan thanh|den|truoc|cham nhat la|cham nhat|trong|het|cuoi|den het|den cuoi)\s+)+";
// A day's lead follows a space or punctuation, never a slash: "40-KH/TU ngày 27/02/2026" is a number.
const DAY_LEAD: &str = r"(?:^|[\s(,:;])(?:(?:tu|truoc|cham nhat la|cham nhat|den|ke tu|hoan thanh|xong|thoi han hoan thanh|thoi han|han chot|han)\b\s*:?\s*)+";
const YEAR: &str = r"(?P<y>\d{4}|nay)";
const DMY: &str = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})\b";

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |pattern: &str, build: Build| Rule {
        pattern: Regex::new(pattern).expect("due-date pattern compiles"),
        build,
        phrase_only: false,
        yearless: false,
        long_range: false,
        after_a_day_number_is_a_date: false,
    };
    let recurring = |pattern: &str, build: Build| rule(pattern, build);
    let yearless = |pattern: &str, build: Build| Rule { yearless: true, ..rule(pattern, build) };
    let phrase = |pattern: &str, build: Build, is_yearless: bool| Rule {
        phrase_only: true,
        yearless: is_yearless,
        ..rule(pattern, build)
    };
    vec![
        // Recurring tasks, most frequent first: "báo cáo định kỳ hằng quý, hằng năm" is quarterly.
        recurring(r"\b(?:dinh ky\s+|thuong ky\s+)?hang thang\b", |_, _| Some(Built::Recurring(Recurrence::Monthly))),
        recurring(r"\b(?:dinh ky\s+)?hang quy\b|\bdinh ky (?:theo )?quy\b", |_, _| {
            Some(Built::Recurring(Recurrence::Quarterly))
        }),
        recurring(r"\bdinh ky (?:6|sau) thang\b|\b(?:6|sau) thang (?:mot|1) lan\b|\bhang (?:6|sau) thang\b", |_, _| {
            Some(Built::Recurring(Recurrence::HalfYearly))
        }),
        recurring(r"\bdinh ky (?:hang )?nam\b|\bhang nam\b", |_, _| Some(Built::Recurring(Recurrence::Yearly))),
        // "trong 30 ngày kể từ ngày 1/9/2025", "trong vòng 15 ngày làm việc kể từ ngày ký".
        rule(
            &format!(
                r"\btrong (?:vong |thoi han )?(?P<n>\d{{1,3}}) ngay(?P<work> lam viec)?,?\s+(?:ke tu|tinh tu) (?:ngay\s+)?(?:{DMY}|ky|ban hanh|van ban nay|thong bao nay)"
            ),
            relative,
        ),
        // "từ ngày 1/7/2025", "trước 15/10/2025", "Thời hạn hoàn thành: 15/10/2025".
        rule(&format!(r"{DAY_LEAD}(?:ngay\s+)?{DMY}"), day),
        // "trước ngày 15 tháng 10 năm 2026".
        rule(&format!(r"{DAY_LEAD}ngay\s+(?P<d>\d{{1,2}})\s+thang\s+(?P<m>\d{{1,2}})\s+nam\s+(?P<y>\d{{4}})\b"), day),
        // "trước 20/9", "chậm nhất ngày 20-9": the publication year.
        yearless(
            r"(?:^|[\s(,:;])(?:(?:truoc|cham nhat la|cham nhat|han chot|thoi han hoan thanh|thoi han|han|tu|hoan thanh truoc)\b\s*:?\s*)+(?:ngay\s+)?(?P<d>\d{1,2})\s*[/\-]\s*(?P<m>\d{1,2})\b",
            day,
        ),
        // "6 tháng đầu năm 2027", "6 tháng cuối năm nay".
        rule(&format!(r"\b{LEAD}6 thang (?P<h>dau|cuoi) nam\s+{YEAR}\b"), half),
        yearless(&format!(r"\b{REQUIRED_LEAD}6 thang (?P<h>dau|cuoi) nam\b"), half),
        // "trong quý III/2026", "quý 3 năm 2026"; "trong quý IV" (this year).
        rule(&format!(r"\b{LEAD}quy\s+(?P<q>iv|iii|ii|i|[1-4])\s*(?:[/.\-]\s*|nam\s+){YEAR}\b"), quarter),
        yearless(&format!(r"\b{REQUIRED_LEAD}quy\s+(?P<q>iv|iii|ii|i|[1-4])\b"), quarter),
        // "trong tháng 9/2026", "tháng 9 năm 2026", "tháng 6 năm nay"; "trong tháng 11" (this year).
        Rule {
            after_a_day_number_is_a_date: true,
            ..rule(&format!(r"\b{LEAD}thang\s+(?P<m>\d{{1,2}})\s*(?:[/.\-]\s*|\s+nam\s+){YEAR}\b"), month)
        },
        yearless(&format!(r"\b{REQUIRED_LEAD}thang\s+(?P<m>1[0-2]|0?[1-9])\b"), month),
        // "cuối năm 2026", "đến hết năm 2026", "trong năm 2026", "cuối năm nay".
        rule(&format!(r"\b{LEAD}(?:cuoi|het|trong|truoc)\s+nam\s+{YEAR}\b"), year),
        // "đến năm 2030", "phấn đấu đến năm 2045": a long-range target.
        Rule { long_range: true, ..rule(r"\b(?:phan dau\s+)?den nam\s+(?P<y>\d{4})\b", year) },
        // A table's date column or a seed's phrase: "Năm 2025", "Quý II", "Tháng 9", "15/10/2026".
        phrase(&format!(r"\b{LEAD}nam\s+{YEAR}\b"), year, false),
        // A range's last year, and English seeds: "giai đoạn 2025 - 2027", "For 2025-2027", "by 2030".
        phrase(r"\b(?:by|for|in|giai doan)\s+(?:\d{4}\s*[-–]\s*)?(?P<y>\d{4})\b", year, false),
        phrase(r"^\s*(?P<y>\d{4})\s*$", year, false),
        phrase(&format!(r"(?:^|\s)(?:ngay\s+)?{DMY}"), day, false),
        phrase(r"\bquy\s+(?P<q>iv|iii|ii|i|[1-4])\b", quarter, true),
        phrase(r"\bthang\s+(?P<m>1[0-2]|0?[1-9])\b", month, true),
    ]
});

/// A yearless date, or a full one with digits after it ("20/9/2025" is not "20/9"): the rule with
/// the year has read it, or it is not a date.
fn continues_as_a_number(rest: &str) -> bool {
    let mut chars = rest.chars();
    // "từ 8-10%", "từ 5-7 ngày" are ranges, not dates.
    const UNITS: &[&str] = &["nam", "ngay", "thang", "trieu", "nghin", "ty", "lan", "gio", "diem", "%"];
    let next_word = rest.trim_start().split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or("");
    matches!((chars.next(), chars.next()), (Some('/' | '.' | '-'), Some(c)) if c.is_ascii_digit())
        || rest.starts_with(char::is_alphanumeric)
        || rest.starts_with('%')
        || UNITS.contains(&next_word)
}

/// "đến năm 2030" in "Chiến lược … đến năm 2025, tầm nhìn đến năm 2030" names a programme.
fn names_a_programme(before: &str, after: &str) -> bool {
    const NAME_WORDS: &[&str] = &[
        "tam nhin",
        "dinh huong",
        "giai doan",
        "chien luoc",
        "chuong trinh",
        "de an",
        "ke hoach",
        "quy hoach",
        "nghi quyet so",
        "quyet dinh so",
    ];
    let window: String = before.chars().rev().take(90).collect::<Vec<_>>().into_iter().rev().collect();
    let after = after.trim_start_matches([' ', ',']);
    NAME_WORDS.iter().any(|w| window.contains(w)) || after.starts_with("tam nhin") || after.starts_with("dinh huong")
}

/// Toned lead words: a folded "tu" may be "tử" (a syllable of the task), not "từ".
const TONED_LEADS: &[&str] = &[
    "từ",
    "trước",
    "chậm",
    "nhất",
    "là",
    "đến",
    "vào",
    "kể",
    "hoàn",
    "thành",
    "trong",
    "hết",
    "cuối",
    "phấn",
    "đấu",
    "cũng",
    "ngày",
    "thời",
    "hạn",
    "chót",
    "xong",
    "định",
    "kỳ",
    "hằng",
    "hàng",
    "thường",
];

/// Moves `span.start` past leading words that fold like a lead word but are not one in the original.
fn trim_false_leads(text: &str, mut start: usize, end: usize) -> usize {
    while let Some(word) = text[start..end].split_whitespace().next() {
        let lower = word.to_lowercase();
        let ascii_lead = lower.is_ascii() && TONED_LEADS.iter().any(|l| fold(l) == lower);
        let folded_is_lead = TONED_LEADS.iter().any(|l| fold(l) == fold(&lower));
        if !folded_is_lead || ascii_lead || TONED_LEADS.contains(&lower.as_str()) {
            break;
        }
        let offset = text[start..end].find(word).unwrap_or(0) + word.len();
        start += offset;
        start += text[start..end].len() - text[start..end].trim_start().len();
    }
    start
}

/// Whether `before` ends with a day's number ("ngày 24"), not a year ("năm 2027 trong tháng 9").
fn ends_with_a_day_number(before: &str) -> bool {
    let digits = before.trim_end().chars().rev().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits)
}

/// Finds the deadline phrase in `text`. `published` anchors "năm nay", yearless dates, relative
/// deadlines and the first occurrence of recurring tasks.
///
/// When several phrases occur, the first rule in priority order wins (a recurrence over the dates
/// beside it, a day over a month), and within a rule the last occurrence, since Vietnamese
/// directives put the deadline at the end of the clause.
pub fn find_due(text: &str, published: NaiveDate, reading: Reading) -> Option<FoundDue> {
    let (folded, origin) = fold_with_offsets(text);
    for rule in RULES.iter() {
        if rule.phrase_only && reading == Reading::Sentence {
            continue;
        }
        let found = rule
            .pattern
            .captures_iter(&folded)
            .filter_map(|caps| {
                let whole = caps.get(0)?;
                if rule.yearless && continues_as_a_number(&folded[whole.end()..]) {
                    return None;
                }
                // "ngày 24 tháng 9 năm 2025" is a day's date (a document's, a meeting's), not "tháng 9";
                // with a lead word between ("trường 7 trong tháng 9/2027") the number is no day.
                if rule.after_a_day_number_is_a_date
                    && folded[whole.start()..].starts_with("thang")
                    && ends_with_a_day_number(&folded[..whole.start()])
                {
                    return None;
                }
                if rule.long_range
                    && reading == Reading::Sentence
                    && names_a_programme(&folded[..whole.start()], &folded[whole.end()..])
                {
                    return None;
                }
                let (due, recurrence) = match (rule.build)(&caps, published)? {
                    Built::Due(mut due) => {
                        if rule.yearless {
                            due = roll_yearless(due, &caps, published, rule.build)?;
                        }
                        (due, None)
                    }
                    Built::Recurring(r) => {
                        if r == Recurrence::Yearly
                            && reading == Reading::Sentence
                            && !is_a_recurring_duty(&folded, whole.as_str())
                        {
                            return None;
                        }
                        (Due { date: r.period_end(published), precision: precision_of(r) }, Some(r))
                    }
                };
                let leading =
                    whole.as_str().len() - whole.as_str().trim_start_matches(|c: char| !c.is_alphanumeric()).len();
                let end = origin[whole.end()];
                let start = trim_false_leads(text, origin[whole.start() + leading], end);
                Some(FoundDue { due, recurrence, span: start..end })
            })
            .last();
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A first occurrence is as exact as the period it ends.
fn precision_of(recurrence: Recurrence) -> DuePrecision {
    match recurrence {
        Recurrence::Monthly => DuePrecision::Month,
        Recurrence::Quarterly => DuePrecision::Quarter,
        Recurrence::HalfYearly => DuePrecision::Half,
        Recurrence::Yearly => DuePrecision::Year,
    }
}

/// "hằng năm" is also a rate ("tăng trưởng bình quân 20% hằng năm"): it is a duty when it says
/// "định kỳ" or the clause reports, updates or reviews something.
fn is_a_recurring_duty(folded_clause: &str, phrase: &str) -> bool {
    const DUTIES: &[&str] =
        &["bao cao", "cap nhat", "tong ket", "so ket", "danh gia", "cong bo", "ra soat", "kiem tra", "to chuc"];
    phrase.starts_with("dinh ky") || DUTIES.iter().any(|w| folded_clause.contains(w))
}

/// "trong tháng 1" written in November is next January: press copy drops the year of the coming one.
fn roll_yearless(due: Due, caps: &Captures, published: NaiveDate, build: Build) -> Option<Due> {
    let late_in_year = published.month() >= 10;
    let early_date = due.date.month() <= 3;
    if due.date < published && late_in_year && early_date {
        let next_year = published.with_day(1)?.with_month(1)?.with_year(published.year() + 1)?;
        if let Some(Built::Due(rolled)) = build(caps, next_year) {
            return Some(rolled);
        }
    }
    Some(due)
}

/// Reads a whole time phrase such as a seed's `due_phrase` or a table's date cell.
pub fn parse_due_phrase(phrase: &str, published: NaiveDate) -> Option<(Due, Option<Recurrence>)> {
    find_due(phrase, published, Reading::Phrase).map(|f| (f.due, f.recurrence))
}

#[cfg(test)]
#[path = "phrases_tests.rs"]
mod tests;
