//! Reading a figure question: the period as people say it ("nửa đầu năm 2023", "cuối 2023",
//! "June 2023", "H1 2023"), what kind of figure it wants (a target, a running total, a regional
//! rank), the province it names, and its remaining words with the lexicon's equivalents.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::lexicon::{Lexicon, Phrase, TermKind, find, mentions, phrase_words};
use crate::domain::fold::fold;
use crate::domain::period::Period;

/// What a question asks for, besides which metric.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked {
    /// The period it names, if any ("giữa năm 2023" is the first half of 2023).
    pub period: Option<Period>,
    /// It asks for a target ("mục tiêu", "chỉ tiêu", "supposed to").
    pub target: bool,
    /// It asks for a running total ("lũy kế", "so far", "in total").
    pub cumulative: bool,
    /// It asks for a rank within a region ("trong ĐNÁ", "in ASEAN").
    pub regional: bool,
    /// The province it names, as the lexicon writes it.
    pub province: Option<String>,
}

/// A question's words once the period and province are taken out.
#[derive(Debug, Clone, Default)]
pub struct QuestionWords {
    /// The remaining folded words, in order.
    pub words: Vec<String>,
    /// Whether each of `words` was read by a lexicon entry (so it is accounted for even when no
    /// metric name uses it: "bn", "KTS").
    pub read: Vec<bool>,
    /// Whether each of `words` was read by an entry that stands for other words (an abbreviation,
    /// informal or number word): its meaning is matched instead, so the "tỷ" of "tỷ USD" is not
    /// the "tỷ" of "tỷ trọng". Synonyms keep their own words.
    pub replaced: Vec<bool>,
    /// What the lexicon entries that matched mean, one phrase each.
    pub meanings: Vec<Phrase>,
    /// The units the question names through number words ("tỷ đô" is USD, "%" a share).
    pub units: Vec<String>,
}

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

fn quarter(c: &Captures) -> Option<Period> {
    Some(Period::Quarter(year(c)?, crate::domain::due::quarter_number(c.name("q")?.as_str())?))
}

/// Period phrases of folded questions, most specific first. "cuối năm 2023" and "end of 2023" are
/// the year (a figure "by the end of 2023" is that year's); "giữa năm" and "mid-2023" are the first
/// half, which holds a June figure and a half-year one alike.
static PERIOD_PATTERNS: LazyLock<Vec<(Regex, BuildPeriod)>> = LazyLock::new(|| {
    let p = |pattern: String, build: BuildPeriod| (Regex::new(&pattern).expect("valid period pattern"), build);
    vec![
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
        p(format!(r"\b(?:thang )?(?P<m>1[0-2]|0?[1-9])\s*(?:/|-|\.|\s+nam\s+)\s*{YEAR}\b"), month),
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

/// Reads a question: what it asks for, and its words for matching.
pub fn read_question(question: &str, lexicon: &Lexicon) -> (Asked, QuestionWords) {
    let (period, rest) = split_period(&fold(question));
    let mut words = phrase_words(&rest);
    let mut asked = Asked { period, ..Asked::default() };

    // The province named is a scope, not a word of any metric's name.
    if let Some((at, len, name)) = lexicon
        .provinces
        .iter()
        .find_map(|(phrase, name)| find(&words, phrase).first().map(|&at| (at, phrase.len(), name.clone())))
    {
        words.drain(at..at + len);
        asked.province = Some(name);
    }
    asked.target = mentions(&words, &lexicon.cues.target);
    asked.cumulative = mentions(&words, &lexicon.cues.cumulative);
    asked.regional = mentions(&words, &lexicon.cues.regional);

    let mut read = vec![false; words.len()];
    let mut replaced = vec![false; words.len()];
    let mut meanings = Vec::new();
    let mut units = Vec::new();
    for term in &lexicon.terms {
        let mut matched = false;
        for said in &term.says {
            for at in find(&words, said) {
                read[at..at + said.len()].iter_mut().for_each(|r| *r = true);
                if term.kind != TermKind::Synonym {
                    replaced[at..at + said.len()].iter_mut().for_each(|r| *r = true);
                }
                matched = true;
            }
        }
        if matched && !term.means.is_empty() {
            if term.kind == TermKind::Number {
                units.extend(term.means.iter().cloned());
            }
            meanings.push(term.means.clone());
        }
    }
    (asked, QuestionWords { words, read, replaced, meanings, units })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(q: &str) -> Option<Period> {
        split_period(&fold(q)).0
    }

    #[test]
    fn periods_as_people_say_them() {
        let h1 = Some(Period::Half(2023, 1));
        for q in [
            "nửa đầu năm 2023",
            "6 tháng đầu năm 2023",
            "sáu tháng đầu 2023",
            "giữa năm 2023",
            "H1 2023",
            "h1/2023",
            "2023-H1",
            "first half of 2023",
            "mid-2023",
        ] {
            assert_eq!(period(q), h1, "{q}");
        }
        for q in ["cuối 2023", "cuối năm 2023", "đến hết năm 2023", "by end of 2023", "end-2023", "năm 2023", "in 2023"]
        {
            assert_eq!(period(q), Some(Period::Year(2023)), "{q}");
        }
        for q in ["June 2023", "jun 2023", "tháng 6/2023", "tháng 6 năm 2023", "6/2023"] {
            assert_eq!(period(q), Some(Period::Month(2023, 6)), "{q}");
        }
        assert_eq!(period("6 tháng cuối năm 2022"), Some(Period::Half(2022, 2)));
        assert_eq!(period("quý III/2026"), Some(Period::Quarter(2026, 3)));
        assert_eq!(period("Q3 2026"), Some(Period::Quarter(2026, 3)));
        assert_eq!(period("đến nay"), None, "'so far' names no period: the latest figure answers");
    }

    #[test]
    fn the_period_phrase_leaves_the_rest_of_the_question() {
        let (p, rest) = split_period(&fold("KTS chiếm bao nhiêu % GDP nam 2024"));
        assert_eq!(p, Some(Period::Year(2024)));
        assert!(!rest.contains("2024") && !rest.contains("nam ") && rest.contains("gdp"), "{rest}");
    }

    #[test]
    fn intent_and_province_are_read_from_the_words() {
        let lexicon = Lexicon::builtin();
        let (asked, _) = read_question("chỉ tiêu tài khoản định danh theo Đề án 06 là bao nhiêu", &lexicon);
        assert!(asked.target && !asked.cumulative && !asked.regional);
        let (asked, _) = read_question("lũy kế số TTHC đã đơn giản hóa", &lexicon);
        assert!(asked.cumulative && !asked.target);
        let (asked, _) = read_question("VN xếp thứ mấy về chính phủ điện tử trong ĐNÁ", &lexicon);
        assert!(asked.regional);
        let (asked, words) = read_question("có bao nhiêu thành viên tổ công nghệ số ở Hà Giang", &lexicon);
        assert_eq!(asked.province.as_deref(), Some("Hà Giang"));
        assert!(!words.words.contains(&"giang".to_owned()), "the province is not a word to match");
    }

    #[test]
    fn lexicon_entries_add_what_the_words_mean() {
        let lexicon = Lexicon::builtin();
        let (_, words) = read_question("KTS chiếm bao nhiêu % GDP", &lexicon);
        assert!(words.meanings.contains(&phrase_words("kinh tế số")));
        let kts = words.words.iter().position(|w| w == "kts").unwrap();
        assert!(words.read[kts], "an abbreviation read by the lexicon is accounted for");
    }
}
