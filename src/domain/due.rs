//! Due dates and their precision, read from Vietnamese time phrases.
//!
//! A directive rarely says a day: "trong tháng 6/2025" means "by the end of June 2025", so every due
//! date is the *last* day the phrase allows, kept with its precision and the phrase it came from
//! (see `shared/GLOSSARY.md`).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::fold::fold;

/// How exact a due date is: "1/7/2025" is a day, "tháng 6/2025" a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DuePrecision {
    Day,
    Month,
    Quarter,
    Half,
    Year,
}

impl DuePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Half => "half",
            Self::Year => "year",
        }
    }
}

impl fmt::Display for DuePrecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DuePrecision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(Self::Day),
            "month" => Ok(Self::Month),
            "quarter" => Ok(Self::Quarter),
            "half" => Ok(Self::Half),
            "year" => Ok(Self::Year),
            other => Err(format!("unknown due precision {other:?}")),
        }
    }
}

/// A repeating task ("hằng tháng", "định kỳ hàng tháng").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recurrence {
    Monthly,
}

impl Recurrence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
        }
    }
}

impl FromStr for Recurrence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "monthly" => Ok(Self::Monthly),
            other => Err(format!("unknown recurrence {other:?}")),
        }
    }
}

/// A due date: the last day allowed, and how exact it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Due {
    pub date: NaiveDate,
    pub precision: DuePrecision,
}

/// A time phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDue {
    pub due: Due,
    pub recurrence: Option<Recurrence>,
    /// Byte range of the phrase in the original text.
    pub span: Range<usize>,
}

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

/// The day a monthly task is next due on or after `today`, starting from its first due date.
pub fn next_monthly_occurrence(first: NaiveDate, today: NaiveDate) -> NaiveDate {
    if today <= first {
        return first;
    }
    end_of_month(today.year(), today.month()).unwrap_or(today)
}

/// The monthly occurrence that falls in the month of `day`, if the task had started by then.
pub fn monthly_occurrence_in(first: NaiveDate, year: i32, month: u32) -> Option<NaiveDate> {
    let end = end_of_month(year, month)?;
    (end >= first).then_some(end)
}

/// How strictly to read a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The text is known to be a time phrase (a seed's `due_phrase`): a bare "năm 2025" is a year.
    Phrase,
    /// The text is a sentence: only phrases that read as deadlines count.
    Sentence,
}

/// Builds a due date from a rule's captures and the publication year.
type BuildDue = fn(&regex::Captures, i32) -> Option<(Due, Option<Recurrence>)>;

struct Rule {
    pattern: Regex,
    build: BuildDue,
    phrase_only: bool,
}

fn num(caps: &regex::Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

/// The year a phrase names: a number, or "nay" (this year: the publication year).
fn year_of(caps: &regex::Captures, this_year: i32) -> Option<i32> {
    match caps.name("y").map(|m| m.as_str()) {
        None | Some("nay") => Some(this_year),
        Some(digits) => digits.parse().ok(),
    }
}

fn roman(quarter: &str) -> Option<u32> {
    match quarter {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

fn due(date: NaiveDate, precision: DuePrecision) -> Option<(Due, Option<Recurrence>)> {
    Some((Due { date, precision }, None))
}

// The patterns run on folded text ("tháng" is "thang", "năm nay" is "nam nay").
const YEAR: &str = r"(?P<y>\d{4}|nay)";
const LEAD: &str =
    r"(?:(?:hoan thanh|phan dau|ke|den|tu|truoc|cham nhat la|cham nhat|vao|trong|het|cuoi|den het|den cuoi)\s+)*";

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |pattern: String, build, phrase_only| Rule {
        pattern: Regex::new(&pattern).expect("due-date pattern compiles"),
        build,
        phrase_only,
    };
    vec![
        // "định kỳ hàng tháng", "hằng tháng": monthly, first due at the end of the publication month.
        rule(
            r"\b(?:dinh ky\s+|thuong ky\s+)?hang thang\b".to_owned(),
            |_, this_year| {
                // The month is filled in by the caller, which knows the publication date.
                let date = end_of_month(this_year, 1)?;
                Some((Due { date, precision: DuePrecision::Month }, Some(Recurrence::Monthly)))
            },
            false,
        ),
        // "từ ngày 1/7/2025", "trước ngày 15/10/2026", "chậm nhất ngày 20/11/2026".
        rule(
            r"(?:^|\s)(?:(?:tu|truoc|cham nhat|den|vao|ke tu|hoan thanh)\s+)+ngay\s+(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})\b".to_owned(),
            |c, _| due(NaiveDate::from_ymd_opt(num(c, "y")? as i32, num(c, "m")?, num(c, "d")?)?, DuePrecision::Day),
            false,
        ),
        // "trước ngày 15 tháng 10 năm 2026".
        rule(
            r"(?:^|\s)(?:(?:tu|truoc|cham nhat|den|vao|ke tu|hoan thanh)\s+)+ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})\b".to_owned(),
            |c, _| due(NaiveDate::from_ymd_opt(num(c, "y")? as i32, num(c, "m")?, num(c, "d")?)?, DuePrecision::Day),
            false,
        ),
        // "6 tháng đầu năm 2027", "6 tháng cuối năm nay".
        rule(
            format!(r"\b{LEAD}6 thang (?P<h>dau|cuoi) nam(?:\s+{YEAR})?\b"),
            |c, this_year| {
                let year = year_of(c, this_year)?;
                let month = if &c["h"] == "dau" { 6 } else { 12 };
                due(end_of_month(year, month)?, DuePrecision::Half)
            },
            false,
        ),
        // "trong quý III/2026", "quý 3 năm 2026".
        rule(
            format!(r"\b{LEAD}quy\s+(?P<q>iv|iii|ii|i|[1-4])\s*(?:[/.\-]\s*|nam\s+){YEAR}\b"),
            |c, this_year| due(end_of_quarter(year_of(c, this_year)?, roman(&c["q"])?)?, DuePrecision::Quarter),
            false,
        ),
        // "trong tháng 9/2026", "tháng 9 năm 2026", "tháng 6 năm nay".
        rule(
            format!(r"\b{LEAD}thang\s+(?P<m>\d{{1,2}})\s*(?:[/.\-]\s*(?P<y>\d{{4}})|\s+nam\s+(?P<y2>\d{{4}}|nay))\b"),
            |c, this_year| {
                let year = match (c.name("y"), c.name("y2").map(|m| m.as_str())) {
                    (Some(y), _) => y.as_str().parse().ok()?,
                    (None, Some("nay")) => this_year,
                    (None, Some(y)) => y.parse().ok()?,
                    (None, None) => return None,
                };
                due(end_of_month(year, num(c, "m")?)?, DuePrecision::Month)
            },
            false,
        ),
        // "cuối năm 2026", "đến hết năm 2026", "trong năm 2026", "cuối năm nay".
        rule(
            format!(r"\b{LEAD}(?:cuoi|het|trong|truoc)\s+nam\s+{YEAR}\b"),
            |c, this_year| due(end_of_month(year_of(c, this_year)?, 12)?, DuePrecision::Year),
            false,
        ),
        // A bare "năm 2025" is a year only when the text is known to be a time phrase.
        rule(
            format!(r"\b{LEAD}nam\s+{YEAR}\b"),
            |c, this_year| due(end_of_month(year_of(c, this_year)?, 12)?, DuePrecision::Year),
            true,
        ),
    ]
});

/// Folds `text` char by char, remembering where each folded byte came from, so that a match in the
/// folded text can be mapped back to the original.
fn fold_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (start, ch) in text.char_indices() {
        let mut buf = [0u8; 4];
        for out in fold(ch.encode_utf8(&mut buf)).chars() {
            for _ in 0..out.len_utf8() {
                origin.push(start);
            }
            folded.push(out);
        }
    }
    origin.push(text.len());
    (folded, origin)
}

/// Finds the deadline phrase in `text`. `published` anchors "năm nay" and monthly tasks.
///
/// When several phrases occur, the first rule in priority order wins (a recurring "hàng tháng" over
/// the dates beside it, a day over a month), and within a rule the last occurrence, since Vietnamese
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
                let (mut due, recurrence) = (rule.build)(&caps, published.year())?;
                if recurrence.is_some() {
                    due.date = end_of_month(published.year(), published.month())?;
                }
                // Day rules match the space before their first word (there is no look-behind).
                let leading = whole.as_str().len() - whole.as_str().trim_start().len();
                let span = origin[whole.start() + leading]..origin[whole.end()];
                Some(FoundDue { due, recurrence, span })
            })
            .last();
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Reads a whole time phrase such as a seed's `due_phrase`.
pub fn parse_due_phrase(phrase: &str, published: NaiveDate) -> Option<(Due, Option<Recurrence>)> {
    find_due(phrase, published, Reading::Phrase).map(|f| (f.due, f.recurrence))
}

/// Reads a compact due date as typed in `/add`: `15/10/2026` (day), `10/2026` (month), `Q3/2026`
/// or `quý III/2026` (quarter), `H1/2027` (half), `2026` (year).
pub fn parse_due_token(token: &str) -> Option<Due> {
    let folded = fold(token.trim());
    let parts: Vec<&str> = folded.split(['/', '-', '.']).collect();
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
    let (date, precision) = match parts.as_slice() {
        [d, m, y] => (NaiveDate::from_ymd_opt(year(y)?, m.parse().ok()?, d.parse().ok()?)?, DuePrecision::Day),
        [q, y] if q.starts_with('q') => {
            (end_of_quarter(year(y)?, roman(q.trim_start_matches('q'))?)?, DuePrecision::Quarter)
        }
        [q, y] if q.starts_with("quy") => {
            (end_of_quarter(year(y)?, roman(q.trim_start_matches("quy").trim())?)?, DuePrecision::Quarter)
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

    #[test]
    fn compact_due_dates_for_add() {
        let due = |t| parse_due_token(t).map(|d| (d.date, d.precision));
        assert_eq!(due("15/10/2026"), Some((d(2026, 10, 15), DuePrecision::Day)));
        assert_eq!(due("10/2026"), Some((d(2026, 10, 31), DuePrecision::Month)));
        assert_eq!(due("Q3/2026"), Some((d(2026, 9, 30), DuePrecision::Quarter)));
        assert_eq!(due("quý III/2026"), None, "a space splits the token: `quý` alone is not a date");
        assert_eq!(due("H1/2027"), Some((d(2027, 6, 30), DuePrecision::Half)));
        assert_eq!(due("2026"), Some((d(2026, 12, 31), DuePrecision::Year)));
        assert_eq!(due("2/2028"), Some((d(2028, 2, 29), DuePrecision::Month)));
        for bad in ["31/2/2026", "13/2026", "Q5/2026", "mai", "", "10/20266"] {
            assert_eq!(due(bad), None, "{bad}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn parse(phrase: &str) -> (NaiveDate, DuePrecision) {
        let (due, _) = parse_due_phrase(phrase, d(2025, 3, 18)).unwrap_or_else(|| panic!("no due in {phrase:?}"));
        (due.date, due.precision)
    }

    #[test]
    fn month_phrases_mean_the_end_of_the_month() {
        assert_eq!(parse("trong tháng 6/2025"), (d(2025, 6, 30), DuePrecision::Month));
        assert_eq!(parse("đến tháng 6/2025"), (d(2025, 6, 30), DuePrecision::Month));
        assert_eq!(parse("hoàn thành trong tháng 7/2023"), (d(2023, 7, 31), DuePrecision::Month));
        assert_eq!(parse("trong tháng 8/ 2025"), (d(2025, 8, 31), DuePrecision::Month));
        assert_eq!(parse("tháng 9 năm 2026"), (d(2026, 9, 30), DuePrecision::Month));
    }

    #[test]
    fn this_year_is_the_publication_year() {
        assert_eq!(parse("hoàn thành trong tháng 6 năm nay"), (d(2025, 6, 30), DuePrecision::Month));
        let (due, _) = parse_due_phrase("cuối năm nay", d(2026, 12, 31)).unwrap();
        assert_eq!(due.date, d(2026, 12, 31));
        let (due, _) = parse_due_phrase("trong tháng 2 năm nay", d(2027, 1, 2)).unwrap();
        assert_eq!(due.date, d(2027, 2, 28));
    }

    #[test]
    fn february_ends_on_the_29th_in_leap_years() {
        assert_eq!(parse("trong tháng 2/2028").0, d(2028, 2, 29));
        assert_eq!(parse("trong tháng 2/2027").0, d(2027, 2, 28));
        assert_eq!(parse("trong tháng 2/2100").0, d(2100, 2, 28));
    }

    #[test]
    fn day_phrases_are_exact() {
        assert_eq!(parse("từ ngày 1/7/2025"), (d(2025, 7, 1), DuePrecision::Day));
        assert_eq!(parse("trước ngày 15/10/2026"), (d(2026, 10, 15), DuePrecision::Day));
        assert_eq!(parse("chậm nhất ngày 20/11/2026"), (d(2026, 11, 20), DuePrecision::Day));
        assert_eq!(parse("trước ngày 15 tháng 10 năm 2026"), (d(2026, 10, 15), DuePrecision::Day));
    }

    #[test]
    fn impossible_days_are_not_dates() {
        assert!(parse_due_phrase("trước ngày 31/2/2026", d(2026, 1, 1)).is_none());
        assert!(parse_due_phrase("trong tháng 13/2026", d(2026, 1, 1)).is_none());
    }

    #[test]
    fn year_quarter_and_half_phrases() {
        assert_eq!(parse("cuối năm 2025"), (d(2025, 12, 31), DuePrecision::Year));
        assert_eq!(parse("đến hết năm 2026"), (d(2026, 12, 31), DuePrecision::Year));
        assert_eq!(parse("trong năm 2026"), (d(2026, 12, 31), DuePrecision::Year));
        assert_eq!(parse("Năm 2025"), (d(2025, 12, 31), DuePrecision::Year));
        assert_eq!(parse("trong quý III/2026"), (d(2026, 9, 30), DuePrecision::Quarter));
        assert_eq!(parse("quý 1 năm 2027"), (d(2027, 3, 31), DuePrecision::Quarter));
        assert_eq!(parse("6 tháng đầu năm 2027"), (d(2027, 6, 30), DuePrecision::Half));
        assert_eq!(parse("6 tháng cuối năm 2026"), (d(2026, 12, 31), DuePrecision::Half));
    }

    #[test]
    fn monthly_tasks_start_in_the_publication_month() {
        let (due, recurrence) = parse_due_phrase("định kỳ hàng tháng", d(2025, 3, 18)).unwrap();
        assert_eq!(recurrence, Some(Recurrence::Monthly));
        assert_eq!(due.date, d(2025, 3, 31));
        let (_, recurrence) = parse_due_phrase("hằng tháng", d(2025, 3, 18)).unwrap();
        assert_eq!(recurrence, Some(Recurrence::Monthly));
    }

    #[test]
    fn a_prefix_must_be_a_word_of_its_own() {
        let text = "Kế hoạch số 40-KH/TU ngày 27/02/2026 về tổ chức giải báo chí";
        assert!(find_due(text, d(2026, 3, 1), Reading::Sentence).is_none());
        let found = find_due("áp dụng từ ngày 1/1/2027", d(2026, 3, 1), Reading::Sentence).unwrap();
        assert_eq!(found.due.date, d(2027, 1, 1));
        assert_eq!(&"áp dụng từ ngày 1/1/2027"[found.span], "từ ngày 1/1/2027");
    }

    #[test]
    fn a_bare_year_in_a_sentence_is_not_a_deadline() {
        let text = "Năm 2024, Quốc hội đã ban hành Luật Dữ liệu";
        assert!(find_due(text, d(2025, 2, 6), Reading::Sentence).is_none());
        assert!(find_due("Nghị định số 130/2018/NĐ-CP ngày 27/9/2018", d(2023, 7, 13), Reading::Sentence).is_none());
    }

    #[test]
    fn the_span_points_into_the_original_text() {
        let text = "Số hóa dữ liệu đất đai trong tháng 6/2025.";
        let found = find_due(text, d(2025, 3, 18), Reading::Sentence).unwrap();
        assert_eq!(&text[found.span], "trong tháng 6/2025");
    }

    #[test]
    fn monthly_occurrences_roll_forward() {
        let first = d(2025, 3, 31);
        assert_eq!(next_monthly_occurrence(first, d(2025, 1, 5)), first);
        assert_eq!(next_monthly_occurrence(first, d(2026, 11, 22)), d(2026, 11, 30));
        assert_eq!(monthly_occurrence_in(first, 2025, 6), Some(d(2025, 6, 30)));
        assert_eq!(monthly_occurrence_in(first, 2025, 2), None);
    }
}
