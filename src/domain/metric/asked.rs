//! Reading a figure question: the period as people say it ("nửa đầu năm 2023", "cuối 2023",
//! "June 2023", "H1 2023"), what kind of figure it wants (a target, a running total, a regional
//! rank), the province it names, and its remaining words with the lexicon's equivalents.

use super::lexicon::{Lexicon, Phrase, TermKind, find, marked_words, mentions, phrase_words};
use super::periods::{self, Role};
use crate::domain::fold::fold;
use crate::domain::period::Period;

pub use super::periods::split_period;

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
    /// The period a comparison is measured from ("so với năm 2023", "compared with 2022").
    pub base: Option<Period>,
    /// It asks a change: a difference, places gained ("tăng bao nhiêu", "how many more", "up how
    /// many places"), or names a base to compare with.
    pub change: bool,
    /// `period` is a date the figure must be as of ("tính đến", "as of", "by"): the latest figure at
    /// or before its end answers.
    pub as_of: bool,
    /// It asks when something happened ("khi nào", "when"): an event answers.
    pub when: bool,
    /// It asks a number ("bao nhiêu", "how many"): an event never answers.
    pub count: bool,
    /// It asks a share ("tỷ lệ", "%"): only a figure in percent answers.
    pub share: bool,
    /// It asks for the whole country ("cả nước", "nationwide"): a province's figure never answers.
    pub national: bool,
    /// It names another country: every figure here is Vietnam's.
    pub abroad: bool,
    /// The base is the year before the figure asked ("so với năm ngoái", "than the year before").
    pub base_previous_year: bool,
    /// The base is the target ("so với mục tiêu"): the actual figure answers, beside its target.
    pub against_target: bool,
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
    /// The telling word right after "bao nhiêu", "how many": what is counted ("người" of "bao
    /// nhiêu người dùng", "điểm" of "bao nhiêu điểm wifi").
    pub counted: Option<String>,
}

/// Reads a question: what it asks for, and its words for matching.
pub fn read_question(question: &str, lexicon: &Lexicon) -> (Asked, QuestionWords) {
    let folded = fold(question);
    let all_words = phrase_words(&folded);
    let cue = |list: &[Phrase]| mentions(&all_words, list);
    let change = cue(&lexicon.cues.change);
    let (periods, rest) = periods::mentions(&folded, change);
    let role = |role: Role| periods.iter().find(|m| m.role == role).map(|m| m.period);
    let base = role(Role::Base);
    let as_of = role(Role::AsOf);
    let period = role(Role::Asked).or(as_of);
    let mut words = phrase_words(&rest);
    let base_previous_year = base.is_none()
        && lexicon
            .cues
            .previous_year
            .iter()
            .any(|said| find(&all_words, said).into_iter().any(|at| periods::compares(&all_words[..at])));
    let mut asked = Asked {
        period,
        base,
        change: change || base.is_some() || base_previous_year,
        base_previous_year,
        against_target: cue(&lexicon.cues.against_target),
        as_of: as_of.is_some() && role(Role::Asked).is_none(),
        when: cue(&lexicon.cues.when),
        count: cue(&lexicon.cues.count),
        share: cue(&lexicon.cues.share),
        national: cue(&lexicon.cues.national),
        abroad: cue(&lexicon.cues.abroad) || mentions(&marked_words(question), &lexicon.cues.abroad_marked),
        ..Asked::default()
    };

    // The province named is a scope, not a word of any metric's name.
    if let Some((at, len, name)) = lexicon
        .provinces
        .iter()
        .find_map(|(phrase, name)| find(&words, phrase).first().map(|&at| (at, phrase.len(), name.clone())))
    {
        words.drain(at..at + len);
        asked.province = Some(name);
    }
    // "so với mục tiêu" asks the actual figure, measured against the target.
    asked.target = mentions(&words, &lexicon.cues.target) && !asked.against_target;
    asked.cumulative = mentions(&words, &lexicon.cues.cumulative);
    asked.regional = mentions(&words, &lexicon.cues.regional);

    let mut read = vec![false; words.len()];
    let mut replaced = vec![false; words.len()];
    // The words that say what kind of figure is asked ("how many more", "khi nào", "nationwide")
    // are accounted for, though no metric's name holds them.
    let cues = &lexicon.cues;
    for list in [
        &cues.target,
        &cues.cumulative,
        &cues.regional,
        &cues.change,
        &cues.when,
        &cues.count,
        &cues.national,
        &cues.previous_year,
        &cues.against_target,
    ] {
        for said in list {
            for at in find(&words, said) {
                read[at..at + said.len()].iter_mut().for_each(|r| *r = true);
            }
        }
    }
    let counted = cues
        .count
        .iter()
        .flat_map(|said| find(&words, said).into_iter().map(move |at| at + said.len()))
        .min()
        .and_then(|after| {
            // The word right after: past a stop word, folding has blurred too much ("cơ sở" reads
            // as "có số").
            words.get(after).filter(|w| w.chars().all(char::is_alphabetic) && !lexicon.is_stopword(w))
        })
        .cloned();
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
    (asked, QuestionWords { words, read, replaced, meanings, units, counted })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(q: &str) -> Option<Period> {
        split_period(&fold(q)).0
    }

    #[test]
    fn what_a_question_asks_besides_the_figure() {
        let lexicon = Lexicon::builtin();
        let ask = |q: &str| read_question(q, &lexicon).0;
        let a = ask("tiện ích VNeID tăng bao nhiêu so với năm 2023");
        assert!(a.change && a.base == Some(Period::Year(2023)) && a.period.is_none(), "{a:?}");
        let a = ask("vietnam up how many spots in the e-government ranking");
        assert!(a.change && a.base.is_none(), "{a:?}");
        let a = ask("as of July 2023 how many community digital teams");
        assert!(a.as_of && a.period == Some(Period::Month(2023, 7)) && a.count, "{a:?}");
        let a = ask("5G thương mại hóa từ khi nào");
        assert!(a.when && !a.count, "{a:?}");
        assert!(ask("cả nước có bao nhiêu tổ công tác").national);
        assert!(ask("Thailand's internet speed ranking").abroad);
        assert!(ask("Lào xếp hạng chính phủ điện tử thứ mấy").abroad);
        assert!(!ask("lực lượng lao động số").abroad, "the lao of lao động is not Laos");
        assert!(!ask("tài khoản VNeID năm 2024").change);
        let a = ask("doanh thu 2025 tăng bao nhiêu so với năm ngoái");
        assert!(a.change && a.base_previous_year && a.base.is_none() && a.period == Some(Period::Year(2025)), "{a:?}");
        let a = ask("revenue in 2025 vs the year before");
        assert!(a.change && a.base_previous_year, "{a:?}");
        assert!(!ask("so với năm 2023 tăng bao nhiêu").base_previous_year, "a base named is that base");
        let a = ask("năm ngoái có bao nhiêu tài khoản VNeID");
        assert!(!a.base_previous_year && !a.change, "last year alone is no comparison: {a:?}");
        let a = ask("phủ sóng 5G hiện đạt bao nhiêu so với mục tiêu");
        assert!(a.against_target && !a.target && !a.change, "the actual figure, against its target: {a:?}");
        assert!(ask("mục tiêu phủ sóng 5G").target);
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
    fn what_is_counted_is_the_telling_word_right_after_how_many() {
        let lexicon = Lexicon::builtin();
        let counted = |q: &str| read_question(q, &lexicon).1.counted;
        assert_eq!(counted("có bao nhiêu điểm wifi công cộng").as_deref(), Some("diem"));
        assert_eq!(counted("how many foreign tech companies").as_deref(), Some("foreign"));
        assert_eq!(counted("bao nhiêu % cơ sở KCB").as_deref(), None, "the % is the share asked");
        assert_eq!(counted("tài khoản VNeID năm 2024"), None);
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
