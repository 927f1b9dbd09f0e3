//! The catalog as BM25 sees it: each metric's names and aliases, with what the lexicon says they
//! mean, as words and word pairs; built once per catalog load.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Metric;
use super::lexicon::{Lexicon, find, mentions, phrase_words};

/// BM25's term-frequency saturation and length normalisation. Names and aliases repeat a metric's
/// words by design, so frequency saturates early; length matters less than in prose.
pub(super) const K1: f64 = 1.2;
pub(super) const B: f64 = 0.5;
/// Weight of a unit's words ("tài khoản", "% GDP") against a name's.
const UNIT_WEIGHT: f64 = 0.5;

/// The catalog as BM25 sees it, built once per catalog load.
#[derive(Debug, Clone)]
pub struct MetricIndex {
    pub(super) lexicon: Arc<Lexicon>,
    /// For each term (word or "word word" pair), the metrics holding it and how often (weighted).
    pub(super) postings: HashMap<String, Vec<(usize, f64)>>,
    pub(super) lengths: Vec<f64>,
    pub(super) average_length: f64,
    /// Single words by first letter, to correct a typo against.
    pub(super) vocabulary: HashMap<char, Vec<String>>,
    /// Whether each metric is a rank within a region (its name says "Đông Nam Á").
    pub(super) regional: Vec<bool>,
    /// Each metric's names and aliases as their telling words, to see how much of a name a
    /// question says: "thành viên tổ công nghệ số" says all of one name of the members, and not
    /// the "tăng thêm" of the members added.
    pub(super) names: Vec<Vec<Vec<String>>>,
    /// Each metric's unit words, both languages ("usd", "%", "tai", "khoan").
    pub(super) units: Vec<HashSet<String>>,
    /// The folded words of the catalog's names in one language only: Vietnamese names and aliases
    /// with tone marks, and English names.
    pub(super) names_vi_only: HashSet<String>,
    pub(super) names_en_only: HashSet<String>,
}

impl Default for MetricIndex {
    fn default() -> Self {
        Self::with_lexicon(&[], Lexicon::builtin())
    }
}

/// The terms of a run of words: the telling words, and each pair of neighbours unless both are
/// stop words.
pub(super) fn terms(words: &[String], lexicon: &Lexicon, weight: f64, out: &mut HashMap<String, f64>) {
    for (i, w) in words.iter().enumerate() {
        if !lexicon.is_stopword(w) {
            *out.entry(w.clone()).or_default() += weight;
        }
        if let Some(next) = words.get(i + 1)
            && !(lexicon.is_stopword(w) && lexicon.is_stopword(next))
        {
            *out.entry(format!("{w} {next}")).or_default() += weight;
        }
    }
}

/// English plurals fold onto their singular ("accounts" → "account") and British spellings onto
/// American ones ("specialised", "centre", "licence"), on both sides of the match; Vietnamese
/// syllables never end in s nor hold these letter runs.
pub(super) fn stem(word: &str) -> String {
    let word = match word.strip_suffix('s') {
        Some(stemmed) if word.len() > 3 && !word.ends_with("ss") => stemmed,
        _ => word,
    };
    if word.len() <= 4 || !word.is_ascii() {
        return word.to_owned();
    }
    let word = word.replace("ise", "ize").replace("yse", "yze").replace("licence", "license");
    let word = match word.strip_suffix("ntre") {
        Some(head) => format!("{head}nter"),
        None => word,
    };
    // A verb's past form meets its plain one ("offered", "offer"; "issued", "issue"): a final
    // "ed" or "e" goes, but not the "eed" of "speed".
    let bare = match word.strip_suffix("ed") {
        Some(head) if !head.ends_with('e') && head.len() > 3 => head,
        _ => word.strip_suffix('e').filter(|h| h.len() > 3).unwrap_or(&word),
    };
    bare.to_owned()
}

pub(super) fn stemmed(words: &[String]) -> Vec<String> {
    words.iter().map(|w| stem(w)).collect()
}

/// A phrase's words with what the lexicon says they mean, as runs to take terms from.
fn runs_of(text: &str, lexicon: &Lexicon) -> Vec<Vec<String>> {
    let words = phrase_words(text);
    let mut runs = vec![stemmed(&words)];
    for term in &lexicon.terms {
        if !term.means.is_empty() && term.says.iter().any(|s| !find(&words, s).is_empty()) {
            runs.push(stemmed(&term.means));
        }
    }
    runs
}

impl MetricIndex {
    pub fn build(metrics: &[Metric]) -> Self {
        Self::with_lexicon(metrics, Lexicon::builtin())
    }

    pub fn with_lexicon(metrics: &[Metric], lexicon: Arc<Lexicon>) -> Self {
        let mut postings: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
        let mut lengths = Vec::with_capacity(metrics.len());
        let mut regional = Vec::with_capacity(metrics.len());
        let mut names_of = Vec::with_capacity(metrics.len());
        let mut units = Vec::with_capacity(metrics.len());
        for (i, metric) in metrics.iter().enumerate() {
            let mut tf: HashMap<String, f64> = HashMap::new();
            let key_words = metric.key.replace('-', " ");
            let names = [&metric.name_vi, &metric.name_en, &key_words].into_iter().chain(&metric.aliases);
            let mut telling = Vec::new();
            for name in names {
                let words: Vec<String> =
                    stemmed(&phrase_words(name)).into_iter().filter(|w| !lexicon.is_stopword(w)).collect();
                if !words.is_empty() {
                    telling.push(words);
                }
                for run in runs_of(name, &lexicon) {
                    terms(&run, &lexicon, 1.0, &mut tf);
                }
            }
            for unit in [&metric.unit_vi, &metric.unit_en] {
                for run in runs_of(unit, &lexicon) {
                    terms(&run, &lexicon, UNIT_WEIGHT, &mut tf);
                }
            }
            lengths.push(tf.values().sum());
            for (term, f) in tf {
                postings.entry(term).or_default().push((i, f));
            }
            let title = phrase_words(&format!("{} {}", metric.name_vi, metric.name_en));
            regional.push(mentions(&title, &lexicon.cues.regional));
            names_of.push(telling);
            units.push(phrase_words(&format!("{} {}", metric.unit_vi, metric.unit_en)).into_iter().collect());
        }
        let average_length = if lengths.is_empty() { 1.0 } else { lengths.iter().sum::<f64>() / lengths.len() as f64 };
        let mut vocabulary: HashMap<char, Vec<String>> = HashMap::new();
        for term in postings.keys().filter(|t| !t.contains(' ') && t.chars().count() >= 3) {
            if let Some(first) = term.chars().next() {
                vocabulary.entry(first).or_default().push(term.clone());
            }
        }
        let mut vi: HashSet<String> = HashSet::new();
        let mut en: HashSet<String> = HashSet::new();
        for metric in metrics {
            let marked = metric.aliases.iter().filter(|a| !a.is_ascii());
            vi.extend([&metric.name_vi].into_iter().chain(marked).flat_map(|n| phrase_words(n)));
            en.extend(phrase_words(&metric.name_en));
        }
        let names_vi_only = vi.difference(&en).cloned().collect();
        let names_en_only = en.difference(&vi).cloned().collect();
        Self {
            lexicon,
            postings,
            lengths,
            average_length,
            vocabulary,
            regional,
            names: names_of,
            units,
            names_vi_only,
            names_en_only,
        }
    }

    pub(super) fn metric_count(&self) -> f64 {
        self.lengths.len() as f64
    }

    pub(super) fn idf(&self, term: &str) -> Option<f64> {
        let df = self.postings.get(term)?.len() as f64;
        Some((1.0 + (self.metric_count() - df + 0.5) / (df + 0.5)).ln())
    }

    /// The idf of a word no metric holds: the rarest there could be.
    pub(super) fn unknown_idf(&self) -> f64 {
        (1.0 + (self.metric_count() + 0.5) / 0.5).ln()
    }

    /// What `question` asks besides which metric (period, target, running total, region, province),
    /// read with this index's lexicon: for answering an alternative the user tapped, with
    /// [`super::lead`], as the question asked.
    pub fn asked(&self, question: &str) -> super::Asked {
        super::read_question(question, &self.lexicon).0
    }

    /// Whether metric `i` holds `term`.
    pub(super) fn holds(&self, i: usize, term: &str) -> bool {
        self.postings.get(term).is_some_and(|p| p.binary_search_by_key(&i, |&(m, _)| m).is_ok())
    }

    /// How much of its best-said name the question says (0..=1), weighted by rarity.
    pub(super) fn name_said(&self, metric: usize, query: &HashSet<&str>) -> f64 {
        let weight = |w: &String| self.idf(w).unwrap_or(0.0);
        self.names[metric]
            .iter()
            .map(|name| {
                let all: f64 = name.iter().map(weight).sum();
                let said: f64 = name.iter().filter(|w| query.contains(w.as_str())).map(weight).sum();
                if all > 0.0 { said / all } else { 0.0 }
            })
            .fold(0.0, f64::max)
    }

    /// A word no metric holds, corrected to the one it most likely misspells ("vneld" → "vneid"):
    /// same first letter, one edit away, the most common such word.
    pub(super) fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        if len < 4 || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let first = word.chars().next()?;
        self.vocabulary
            .get(&first)?
            .iter()
            .filter(|v| v.chars().count().abs_diff(len) <= 1 && strsim::osa_distance(word, v) == 1)
            .max_by_key(|v| (self.postings[*v].len(), std::cmp::Reverse((*v).clone())))
            .cloned()
    }
}
