//! The periods a question names, and what each is to the question: the period asked, the base
//! of a comparison ("so với năm 2023", "compared with 2022", "từ 6/2022 đến 6/2023") or a date the
//! figure must be as of ("tính đến tháng 7/2023", "as of July 2023", "by end of 2023").

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::{Captures, Regex};

use crate::domain::period::Period;

/// Builds the period a question names from a pattern's captures.
type BuildPeriod = fn(&Captures) -> Option<Period>;

const YEAR: &str = r"(?P<y>(?:19|20)\d{2})";

fn year(c: &Captures) -> Option<i32> {
    c.name("y")?.as_str().parse().ok()
}

fn first_half(c: &Captures) -> Option<Period> {
    Some(Period::Half(year(c)?, 1))
}

fn second_half(c: &Captures) -> Option<Period> {
    Some(Period::Half(year(c)?, 2))
}

fn whole_year(c: &Captures) -> Option<Period> {
    Some(Period::Year(year(c)?))
}

fn month(c: &Captures) -> Option<Period> {
    let m: u32 = c.name("m")?.as_str().parse().ok()?;
    (1..=12).contains(&m).then_some(Period::Month(year(c)?, m))
}

fn month_named(c: &Captures) -> Option<Period> {
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let name = c.name("n")?.as_str();
    let m = NAMES.iter().position(|n| name.starts_with(n))? as u32 + 1;
    Some(Period::Month(year(c)?, m))
}

fn day(c: &Captures) -> Option<Period> {
    let (d, m) = (c.name("d")?.as_str().parse().ok()?, c.name("m")?.as_str().parse().ok()?);
    NaiveDate::from_ymd_opt(year(c)?, m, d).map(Period::Day)
}

fn quarter_named(c: &Captures) -> Option<Period> {
    let q = match c.name("o")?.as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        _ => 4,
    };
    Some(Period::Quarter(year(c)?, q))
}

fn quarter(c: &Captures) -> Option<Period> {
    Some(Period::Quarter(year(c)?, crate::domain::due::quarter_number(c.name("q")?.as_str())?))
}

/// Period phrases of folded questions, most specific first. "cuối năm 2023" and "end of 2023" are
/// the year (a figure "by the end of 2023" is that year's); "giữa năm" and "mid-2023" are the first
/// half, which holds a June figure and a half-year one alike.
static PERIOD_PATTERNS: LazyLock<Vec<(Regex, BuildPeriod)>> = LazyLock::new(|| {
    let p = |pattern: String, build: BuildPeriod| (Regex::new(&pattern).expect("valid period pattern"), build);
    vec![
        p(
            format!(r"\b(?:ngay )?(?P<d>3[01]|[12]\d|0?[1-9])\s*[/\-\.]\s*(?P<m>1[0-2]|0?[1-9])\s*[/\-\.]\s*{YEAR}\b"),
            day,
        ),
        p(format!(r"\b(?:6|sau) thang dau(?: nam)?(?: nam)? {YEAR}\b"), first_half),
        p(format!(r"\b(?:nua|nuu) dau(?: nam)?(?: nam)? {YEAR}\b"), first_half),
        p(format!(r"\b(?:6|sau) thang cuoi(?: nam)?(?: nam)? {YEAR}\b"), second_half),
        p(format!(r"\bnua cuoi(?: nam)? {YEAR}\b"), second_half),
        p(format!(r"\b(?:giua|khoang giua) (?:nam )?{YEAR}\b"), first_half),
        p(format!(r"\b(?:first|1st) half(?: of)?(?: the year)? {YEAR}\b"), first_half),
        p(format!(r"\b(?:second|2nd) half(?: of)? {YEAR}\b"), second_half),
        p(format!(r"\bmid(?:dle)?[ \-]?(?:year )?(?:of )?{YEAR}\b"), first_half),
        p(format!(r"\bh(?P<h>[12])[ /\-]?{YEAR}\b"), |c| if &c["h"] == "1" { first_half(c) } else { second_half(c) }),
        p(format!(r"\b{YEAR}[ /\-]?h(?P<h>[12])\b"), |c| if &c["h"] == "1" { first_half(c) } else { second_half(c) }),
        p(format!(r"\b(?:quy|q)\s*(?P<q>iv|iii|ii|i|[1-4])\s*[/\- ]\s*(?:nam )?{YEAR}\b"), quarter),
        p(format!(r"\b{YEAR}[ /\-]?q(?P<q>[1-4])\b"), quarter),
        p(
            format!(
                r"\b(?:the )?(?P<o>first|1st|second|2nd|third|3rd|fourth|4th|last) quarter(?: of)?(?: the year)? {YEAR}\b"
            ),
            quarter_named,
        ),
        p(format!(r"\b(?:thang |t)?(?P<m>1[0-2]|0?[1-9])\s*(?:/|-|\.|\s+nam\s+)\s*{YEAR}\b"), month),
        p(
            format!(
                r"\b(?:in |by )?(?P<n>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?(?: of)? {YEAR}\b"
            ),
            month_named,
        ),
        p(format!(r"\b(?:cuoi|het|den het|den cuoi|tinh den cuoi)(?: nam)? {YEAR}\b"), whole_year),
        p(format!(r"\b(?:by |at )?(?:the )?(?:end|close)(?: of)?(?: the year)? {YEAR}\b"), whole_year),
        p(format!(r"\b(?:year[ \-]end|end[ \-]year) {YEAR}\b"), whole_year),
        p(format!(r"\b(?:nam |in |for |year )?{YEAR}\b"), whole_year),
    ]
});

/// Takes the period out of a folded question: "kinh te so nam 2024" → (Some(2024), "kinh te so ").
pub fn split_period(folded: &str) -> (Option<Period>, String) {
    for (pattern, build) in PERIOD_PATTERNS.iter() {
        if let Some(caps) = pattern.captures(folded)
            && let Some(period) = build(&caps)
        {
            let whole = caps.get(0).expect("group 0 always matches");
            let rest = format!("{} {}", &folded[..whole.start()], &folded[whole.end()..]);
            return (Some(period), rest);
        }
    }
    (None, folded.to_owned())
}

/// What a period is to the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The period asked: its figure answers.
    Asked,
    /// The period a comparison is measured from.
    Base,
    /// A date the figure must be as of: the latest figure at or before it answers.
    AsOf,
}

/// A period the question names, with its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub period: Period,
    pub role: Role,
}

/// Words before a period that make it the base of a comparison.
const BASE_CUES: &[&[&str]] = &[
    &["so", "voi"],
    &["so", "cung", "ky"],
    &["compared", "with"],
    &["compared", "to"],
    &["than"],
    &["hon"],
    &["between"],
    &["since"],
    &["ke", "tu"],
    &["tu"],
    &["from"],
    &["vs"],
    &["versus"],
    &["against"],
    &["over"],
    &["on"],
];
/// Words before (or opening) a period that make it a date the figure must be as of.
const AS_OF_CUES: &[&[&str]] = &[
    &["tinh", "den"],
    &["tinh", "toi"],
    &["cho", "den"],
    &["den"],
    &["toi"],
    &["as", "of"],
    &["as", "at"],
    &["up", "to"],
    &["by"],
    &["until"],
    &["till"],
    &["through"],
];
/// Words between a cue and its period that change nothing: "so với (cuối) năm 2022", "than (in) 2022".
const FILLER: &[&str] = &[
    "cuoi", "het", "nam", "thang", "quy", "ngay", "giua", "the", "end", "of", "in", "at", "mid", "year", "cung", "ky",
];

/// The folded words of `text` with their byte ranges.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// The cue of `cues` that `words` (before a period, filler dropped) end with: how many words it has.
fn cue_before(words: &[&str], cues: &[&[&str]]) -> Option<usize> {
    cues.iter().filter(|cue| words.ends_with(cue)).map(|cue| cue.len()).max()
}

/// Whether the folded words before a phrase end with a comparison's cue ("so với", "than", "vs"):
/// "so với năm ngoái" compares with last year, "năm ngoái" alone names it.
pub(super) fn compares(before: &[String]) -> bool {
    let words: Vec<&str> = before.iter().map(String::as_str).collect();
    cue_before(&words, BASE_CUES).is_some()
}

/// Every period a folded question names, in order, with its role; and the question with the
/// periods and their cue words taken out. `change_asked`: the question asks a change, so that a
/// bare "on"/"over" before a period is a base ("up 7 places on 2023").
pub fn mentions(folded: &str, change_asked: bool) -> (Vec<Mention>, String) {
    let mut masked = folded.to_owned();
    let mut found: Vec<(usize, usize, Period)> = Vec::new();
    'search: loop {
        for (pattern, build) in PERIOD_PATTERNS.iter() {
            for caps in pattern.captures_iter(&masked) {
                if let Some(period) = build(&caps) {
                    let whole = caps.get(0).expect("group 0 always matches");
                    found.push((whole.start(), whole.end(), period));
                    let blank = " ".repeat(whole.end() - whole.start());
                    masked.replace_range(whole.start()..whole.end(), &blank);
                    continue 'search;
                }
            }
        }
        break;
    }
    found.sort_by_key(|&(start, _, _)| start);
    let mut mentions = Vec::new();
    for &(start, end, period) in &found {
        let opening = &folded[start..end];
        let spans: Vec<(usize, usize)> = word_spans(&masked[..start]);
        let base_cues: Vec<&[&str]> =
            BASE_CUES.iter().copied().filter(|c| change_asked || !matches!(c, ["on"] | ["over"])).collect();
        // The cue right before the period, or before the filler between them ("as of (the end of)").
        let mut before: Vec<(usize, usize)> = spans.clone();
        let mut role: Option<(Role, usize)>;
        loop {
            let words: Vec<&str> = before.iter().map(|&(s, e)| &masked[s..e]).collect();
            role = cue_before(&words, &base_cues)
                .map(|n| (Role::Base, n))
                .or_else(|| cue_before(&words, AS_OF_CUES).map(|n| (Role::AsOf, n)));
            if role.is_some() || !before.last().is_some_and(|&(s, e)| FILLER.contains(&&masked[s..e])) {
                break;
            }
            before.pop();
        }
        if role.is_none() && ["den ", "tinh den", "by ", "cho den"].iter().any(|c| opening.starts_with(c)) {
            role = Some((Role::AsOf, 0));
        }
        // The cue words say what the period is, not which figure: they leave the question too.
        if let Some((_, n)) = role {
            let cut = &before[before.len() - n..];
            if let (Some(&(s, _)), Some(&(_, e))) = (cut.first(), cut.last()) {
                masked.replace_range(s..e, &" ".repeat(e - s));
            }
        }
        mentions.push(Mention { period, role: role.map_or(Role::Asked, |(r, _)| r) });
    }
    (mentions, masked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fold::fold;

    fn read(q: &str) -> Vec<Mention> {
        let folded = fold(q);
        let change = ["tang", "more", "up", "added"].iter().any(|w| folded.contains(w));
        mentions(&folded, change).0
    }

    fn m(period: &str, role: Role) -> Mention {
        Mention { period: period.parse().unwrap(), role }
    }

    #[test]
    fn a_comparison_names_its_base() {
        assert_eq!(read("có thêm bao nhiêu tổ so với năm 2023"), vec![m("2023", Role::Base)]);
        assert_eq!(read("so với cuối 2022 tăng thêm bao nhiêu"), vec![m("2022", Role::Base)]);
        assert_eq!(read("tăng thêm bao nhiêu so với T12/2021"), vec![m("2021-12", Role::Base)]);
        assert_eq!(read("2024 compared with 2021"), vec![m("2024", Role::Asked), m("2021", Role::Base)]);
        assert_eq!(
            read("more in mid-2023 than in mid-2022"),
            vec![m("2023-H1", Role::Asked), m("2022-H1", Role::Base)]
        );
        assert_eq!(
            read("từ 6/2022 đến 6/2023 tăng bao nhiêu"),
            vec![m("2022-06", Role::Base), m("2023-06", Role::AsOf)]
        );
        assert_eq!(read("services added on 2023"), vec![m("2023", Role::Base)]);
    }

    #[test]
    fn as_of_a_date() {
        assert_eq!(read("tính đến tháng 7/2023 có bao nhiêu tổ"), vec![m("2023-07", Role::AsOf)]);
        assert_eq!(read("as of July 2023"), vec![m("2023-07", Role::AsOf)]);
        assert_eq!(read("as of September 2022, how fast"), vec![m("2022-09", Role::AsOf)]);
        assert_eq!(read("in the second quarter of 2024"), vec![m("2024-Q2", Role::Asked)]);
        assert_eq!(read("by end of 2023"), vec![m("2023", Role::AsOf)]);
        assert_eq!(read("tính đến 31/12/2022"), vec![m("2022-12-31", Role::AsOf)]);
        assert_eq!(read("kinh tế số năm 2024"), vec![m("2024", Role::Asked)], "số is not a cue");
    }

    #[test]
    fn cue_words_leave_the_question() {
        let (_, rest) = mentions(&fold("tiện ích VNeID tăng bao nhiêu so với năm 2023"), true);
        assert!(!rest.contains("so voi") && !rest.contains("2023") && rest.contains("tien ich"), "{rest}");
    }
}
