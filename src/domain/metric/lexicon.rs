//! The reviewed lexicon (`seeds/lexicon.toml`): stop words, abbreviations, synonyms, number words,
//! intent cues and provinces, folded once when loaded.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::domain::fold::{fold, words};

/// The lexicon compiled into the binary.
const BUILTIN_TEXT: &str = include_str!("../../../seeds/lexicon.toml");

static BUILTIN: LazyLock<Arc<Lexicon>> =
    LazyLock::new(|| Arc::new(Lexicon::parse(BUILTIN_TEXT).expect("seeds/lexicon.toml is checked by its tests")));

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("lexicon: {0}")]
    Invalid(String),
}

/// What kind of equivalence an entry records; kept for review, the search treats them alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    Abbreviation,
    Synonym,
    Informal,
    Number,
}

/// Folded words, as a phrase to find in a question.
pub type Phrase = Vec<String>;

/// One way of saying a thing: any of `says`, meaning the words of `means` (none for words such as
/// "bn" that only stand for "how many").
#[derive(Debug, Clone)]
pub struct Term {
    pub kind: TermKind,
    pub says: Vec<Phrase>,
    pub means: Phrase,
}

/// Words that say what kind of figure is wanted.
#[derive(Debug, Clone, Default)]
pub struct Cues {
    pub target: Vec<Phrase>,
    pub cumulative: Vec<Phrase>,
    pub regional: Vec<Phrase>,
    /// A change: "tăng bao nhiêu", "how many more", "up how many places".
    pub change: Vec<Phrase>,
    /// A date asked: "khi nào", "when".
    pub when: Vec<Phrase>,
    /// A share asked: "tỷ lệ", "phần trăm", "%".
    pub share: Vec<Phrase>,
    /// A number asked: "bao nhiêu", "how many".
    pub count: Vec<Phrase>,
    /// The whole country: "cả nước", "nationwide".
    pub national: Vec<Phrase>,
    /// The year before as a comparison's base: "so với năm ngoái", "than the year before".
    pub previous_year: Vec<Phrase>,
    /// The target as a comparison's base: "so với mục tiêu", "against the target".
    pub against_target: Vec<Phrase>,
    /// Words joining two figures in one question: "và", "and".
    pub join: Vec<Phrase>,
    /// Words that negate: "chưa", "không", "not", "unmet", lower-case with their tone marks; those
    /// of `yes_no` also close a yes/no question ("có ... không").
    pub negation: Vec<String>,
    pub yes_no: Vec<String>,
    /// Another country named: "Thailand"; names with tone marks are matched with them ("Lào" is
    /// not the "lao" of "lao động"), as lower-case words, in `abroad_marked`.
    pub abroad: Vec<Phrase>,
    pub abroad_marked: Vec<Phrase>,
}

#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub stopwords: HashSet<String>,
    /// The question words of each language alone (folded; "the" of "thế" is neither's).
    pub question_words_vi: HashSet<String>,
    pub question_words_en: HashSet<String>,
    pub terms: Vec<Term>,
    pub cues: Cues,
    /// Each province's folded words, and its name as written.
    pub provinces: Vec<(Phrase, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    stopwords: StopwordsFile,
    cues: CuesFile,
    #[serde(default)]
    terms: Vec<TermFile>,
    provinces: ProvincesFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StopwordsFile {
    vi: Vec<String>,
    en: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesFile {
    target: Vec<String>,
    cumulative: Vec<String>,
    regional: Vec<String>,
    #[serde(default)]
    change: Vec<String>,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    share: Vec<String>,
    #[serde(default)]
    count: Vec<String>,
    #[serde(default)]
    national: Vec<String>,
    #[serde(default)]
    previous_year: Vec<String>,
    #[serde(default)]
    against_target: Vec<String>,
    #[serde(default)]
    join: Vec<String>,
    #[serde(default)]
    negation: Vec<String>,
    #[serde(default)]
    yes_no: Vec<String>,
    #[serde(default)]
    abroad: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    kind: TermKind,
    says: Vec<String>,
    means: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvincesFile {
    names: Vec<String>,
    /// Other spellings (English, without tone marks or spaces) and the name they stand for.
    #[serde(default)]
    spellings: std::collections::BTreeMap<String, String>,
}

fn phrases(list: &[String]) -> Result<Vec<Phrase>, LexiconError> {
    list.iter()
        .map(|s| {
            let w = phrase_words(s);
            if w.is_empty() { Err(LexiconError::Invalid(format!("{s:?} has no words"))) } else { Ok(w) }
        })
        .collect()
}

/// A phrase's folded words; "%" counts as a word so that "% GDP" can be said.
pub fn phrase_words(text: &str) -> Phrase {
    let spaced = text.replace('%', " % ");
    let mut out = Vec::new();
    for part in spaced.split_whitespace() {
        if part == "%" {
            out.push("%".to_owned());
        } else {
            out.extend(words(part));
        }
    }
    out
}

impl Lexicon {
    /// The lexicon compiled into the binary.
    pub fn builtin() -> Arc<Lexicon> {
        BUILTIN.clone()
    }

    pub fn parse(text: &str) -> Result<Self, LexiconError> {
        let file: LexiconFile = toml::from_str(text)?;
        let folded = |list: &[String]| list.iter().flat_map(|w| phrase_words(w)).collect::<HashSet<String>>();
        let (vi, en) = (folded(&file.stopwords.vi), folded(&file.stopwords.en));
        let stopwords: HashSet<String> = vi.union(&en).cloned().collect();
        let question_words_vi = vi.difference(&en).cloned().collect();
        let question_words_en = en.difference(&vi).cloned().collect();
        let terms = file
            .terms
            .iter()
            .map(|t| Ok(Term { kind: t.kind, says: phrases(&t.says)?, means: phrase_words(&t.means) }))
            .collect::<Result<Vec<_>, LexiconError>>()?;
        let cues = Cues {
            target: phrases(&file.cues.target)?,
            cumulative: phrases(&file.cues.cumulative)?,
            regional: phrases(&file.cues.regional)?,
            change: phrases(&file.cues.change)?,
            when: phrases(&file.cues.when)?,
            share: phrases(&file.cues.share)?,
            count: phrases(&file.cues.count)?,
            national: phrases(&file.cues.national)?,
            previous_year: phrases(&file.cues.previous_year)?,
            against_target: phrases(&file.cues.against_target)?,
            join: phrases(&file.cues.join)?,
            negation: file.cues.negation.iter().flat_map(|w| marked_words(w)).collect(),
            yes_no: file.cues.yes_no.iter().flat_map(|w| marked_words(w)).collect(),
            abroad: phrases(&file.cues.abroad.iter().filter(|a| a.is_ascii()).cloned().collect::<Vec<_>>())?,
            abroad_marked: file.cues.abroad.iter().filter(|a| !a.is_ascii()).map(|a| marked_words(a)).collect(),
        };
        let mut provinces: Vec<(Phrase, String)> =
            file.provinces.names.iter().map(|n| (phrase_words(n), n.clone())).collect();
        provinces.extend(file.provinces.spellings.iter().map(|(said, name)| (phrase_words(said), name.clone())));
        Ok(Self { stopwords, question_words_vi, question_words_en, terms, cues, provinces })
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// Whether `text` negates: a negation word, unless it only closes a yes/no question (last, or
    /// after "hay"/"or"). Read with tone marks, since the "chữa" of "khám chữa bệnh" is not "chưa":
    /// none when the text says a negation word without them ("chi tieu chua dat"), which may be
    /// either.
    pub fn negation(&self, text: &str) -> Option<bool> {
        let words = marked_words(text);
        let closes = |i: usize| i + 1 == words.len() || (i > 0 && ["hay", "or"].contains(&words[i - 1].as_str()));
        let mut unsure = false;
        for (i, w) in words.iter().enumerate() {
            if self.cues.yes_no.contains(w) && closes(i) {
                continue;
            }
            if self.cues.negation.contains(w) {
                return Some(true);
            }
            unsure |= w.is_ascii() && self.cues.negation.iter().any(|n| !n.is_ascii() && fold(n) == *w);
        }
        if unsure { None } else { Some(false) }
    }

    /// Whether `text` surely negates (see [`Lexicon::negation`]).
    pub fn negates(&self, text: &str) -> bool {
        self.negation(text) == Some(true)
    }
}

/// Lower-case words keeping their tone marks, in composed form.
pub fn marked_words(text: &str) -> Phrase {
    use unicode_normalization::UnicodeNormalization;
    let composed: String = text.nfc().collect::<String>().to_lowercase();
    composed.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The start of every occurrence of `phrase` in `tokens`.
pub fn find(tokens: &[String], phrase: &[String]) -> Vec<usize> {
    if phrase.is_empty() || phrase.len() > tokens.len() {
        return Vec::new();
    }
    (0..=tokens.len() - phrase.len()).filter(|&i| tokens[i..i + phrase.len()] == *phrase).collect()
}

/// Whether any of `phrases` occurs in `tokens`.
pub fn mentions(tokens: &[String], phrases: &[Phrase]) -> bool {
    phrases.iter().any(|p| !find(tokens, p).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Arc<Lexicon> {
        Lexicon::builtin()
    }

    fn means_of(said: &str) -> Vec<String> {
        let said = phrase_words(said);
        lexicon().terms.iter().filter(|t| t.says.contains(&said)).flat_map(|t| t.means.clone()).collect()
    }

    #[test]
    fn the_builtin_lexicon_parses_and_is_folded() {
        let lex = lexicon();
        assert!(lex.terms.len() > 50, "{} terms", lex.terms.len());
        assert!(lex.is_stopword("nhieu") && lex.is_stopword("duoc") && lex.is_stopword("many"));
        assert!(lex.provinces.iter().any(|(words, name)| words == &["ha", "giang"] && name == "Hà Giang"));
    }

    #[test]
    fn administrative_abbreviations_expand_to_what_the_names_say() {
        assert_eq!(means_of("KTS"), phrase_words("kinh tế số"));
        assert_eq!(means_of("CĐS"), phrase_words("chuyển đổi số"));
        assert_eq!(means_of("cds"), phrase_words("chuyển đổi số"), "without tone marks too");
        assert_eq!(means_of("TTHC"), phrase_words("thủ tục hành chính"));
        assert_eq!(means_of("ĐNÁ"), phrase_words("Đông Nam Á"));
        assert_eq!(means_of("KH&CN"), phrase_words("khoa học và công nghệ"));
        assert!(means_of("DVCTT").starts_with(&phrase_words("dịch vụ công trực tuyến")));
    }

    #[test]
    fn synonyms_informal_english_and_number_words_are_recorded() {
        assert_eq!(means_of("người tham gia"), phrase_words("thành viên"));
        assert!(means_of("dead zones").contains(&"lom".to_owned()));
        assert!(means_of("savings").contains(&"tiet".to_owned()));
        assert!(means_of("ppl").contains(&"people".to_owned()));
        assert_eq!(means_of("tỷ đô"), vec!["usd"]);
        assert!(means_of("nghìn tỷ đồng").contains(&"vnd".to_owned()));
        assert!(means_of("bn").is_empty(), "'bn' only stands for 'how many'");
    }

    #[test]
    fn no_stop_word_is_a_word_the_lexicon_expands_to() {
        // A stop word in a `means` would be dropped again before matching: the entry would be dead.
        let lex = lexicon();
        for term in &lex.terms {
            let meaningful = term.means.iter().filter(|w| !lex.is_stopword(w)).count();
            assert!(term.means.is_empty() || meaningful > 0, "{:?} means only stop words", term.says);
        }
    }

    #[test]
    fn intent_cues_cover_both_languages() {
        let lex = lexicon();
        let has = |list: &[Phrase], text: &str| mentions(&phrase_words(text), list);
        assert!(has(&lex.cues.target, "chỉ tiêu là bao nhiêu") && has(&lex.cues.target, "supposed to use"));
        assert!(has(&lex.cues.cumulative, "lũy kế") && has(&lex.cues.cumulative, "in total"));
        assert!(has(&lex.cues.regional, "trong ĐNÁ") && has(&lex.cues.regional, "in Southeast Asia"));
        assert!(!has(&lex.cues.regional, "xếp hạng thế giới"));
    }

    #[test]
    fn a_malformed_lexicon_is_refused_with_the_reason() {
        assert!(Lexicon::parse("[stopwords]\nvi = []\n").is_err());
        let empty_phrase = BUILTIN_TEXT.replace("says = [\"KTS\"]", "says = [\"--\"]");
        assert!(matches!(Lexicon::parse(&empty_phrase), Err(LexiconError::Invalid(_))));
    }
}
