//! Finding the metric a question asks for: BM25 over the catalog's names and aliases, words and
//! word pairs, after the lexicon; then how sure the answer is.
//!
//! BM25 is written here rather than taken from a crate: the catalog is a few dozen to a few
//! thousand short documents, the tokens are folded Vietnamese syllables plus their pairs (which no
//! search crate's analyser produces), and the whole ranking is some sixty lines that tests pin down.
//! Word pairs matter because Vietnamese words are syllables: "kinh tế" and "tế số" say more than
//! "kinh", "tế" and "số" apart, and "tỷ trọng" is not "trong" (in) once tone marks are folded.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::asked::{Asked, QuestionWords, read_question};
use super::lead::{Lead, lead};
use super::lexicon::{Lexicon, find, mentions, phrase_words};
use super::{Metric, ObservationKind};
use crate::domain::period::Period;

/// BM25's term-frequency saturation and length normalisation. Names and aliases repeat a metric's
/// words by design, so frequency saturates early; length matters less than in prose.
const K1: f64 = 1.2;
const B: f64 = 0.5;
/// How much saying all of one of a metric's names counts against BM25's sum over its words: a
/// name half said scores 1 - NAME_WEIGHT / 2 of one fully said.
const NAME_WEIGHT: f64 = 0.5;
/// How much a unit the question names ("bao nhiêu tỷ đô") favours a metric counted in it.
const UNIT_FACTOR: f64 = 1.4;
/// Weight of a unit's words ("tài khoản", "% GDP") against a name's.
const UNIT_WEIGHT: f64 = 0.5;
/// Below this share of the question's telling words, a metric is a suggestion, not an answer.
pub const MIN_COVERAGE: f64 = 0.3;
/// From this share up, and well ahead of the next, the best metric is clearly the answer.
const CLEAR_COVERAGE: f64 = 0.5;
/// A metric scoring at least this share of the best is a close alternative.
const CLOSE_RATIO: f64 = 0.8;
/// How many close alternatives to offer, and how many matches to keep.
const MAX_ALTERNATIVES: usize = 3;
const MAX_MATCHES: usize = 10;

/// How sure the answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// The best match is clearly best: answer it.
    Clear,
    /// Answer the best, and offer [`MetricAnswer::alternatives`] as buttons.
    Close,
    /// Nothing shares a telling word: offer [`MetricAnswer::alternatives`] (the closest figures).
    NotFound,
}

/// A metric that matched a question, with how well and the figures that answer it.
#[derive(Debug, Clone)]
pub struct MetricMatch<'a> {
    pub metric: &'a Metric,
    /// BM25 with the intent adjustments; comparable within one question only.
    pub score: f64,
    /// The share (0..=1) of the question's telling words, weighted by rarity, this metric holds.
    pub coverage: f64,
    /// The figures that answer the question, and whether a named province had to fall back.
    pub lead: Lead<'a>,
}

/// What a `/metric` question resolved to.
#[derive(Debug, Clone)]
pub struct MetricAnswer<'a> {
    /// The period the question named, if any.
    pub period: Option<Period>,
    /// Everything the question asked besides the metric: period, target, total, region, province.
    pub asked: Asked,
    /// Matching metrics, best first; empty when `confidence` is `NotFound`.
    pub matches: Vec<MetricMatch<'a>>,
    pub confidence: Confidence,
    /// `Close`: the other close metrics to offer (the best is `matches[0]`); `NotFound`: the closest
    /// metrics to offer; `Clear`: none.
    pub alternatives: Vec<&'a Metric>,
    /// The same as `alternatives` when nothing was found (kept for the renderers written before).
    pub suggestions: Vec<&'a Metric>,
    /// The best match's fallback: the question named this province and only national figures exist.
    pub scope_missing: Option<String>,
}

impl<'a> MetricAnswer<'a> {
    /// The best match, if the question found one.
    pub fn best(&self) -> Option<&MetricMatch<'a>> {
        self.matches.first()
    }
}

/// The catalog as BM25 sees it, built once per catalog load.
#[derive(Debug, Clone)]
pub struct MetricIndex {
    lexicon: Arc<Lexicon>,
    /// For each term (word or "word word" pair), the metrics holding it and how often (weighted).
    postings: HashMap<String, Vec<(usize, f64)>>,
    lengths: Vec<f64>,
    average_length: f64,
    /// Single words by first letter, to correct a typo against.
    vocabulary: HashMap<char, Vec<String>>,
    /// Whether each metric is a rank within a region (its name says "Đông Nam Á").
    regional: Vec<bool>,
    /// Each metric's names and aliases as their telling words, to see how much of a name a
    /// question says: "thành viên tổ công nghệ số" says all of one name of the members, and not
    /// the "tăng thêm" of the members added.
    names: Vec<Vec<Vec<String>>>,
    /// Each metric's unit words, both languages ("usd", "%", "tai", "khoan").
    units: Vec<HashSet<String>>,
}

impl Default for MetricIndex {
    fn default() -> Self {
        Self::with_lexicon(&[], Lexicon::builtin())
    }
}

/// The terms of a run of words: the telling words, and each pair of neighbours unless both are
/// stop words.
fn terms(words: &[String], lexicon: &Lexicon, weight: f64, out: &mut HashMap<String, f64>) {
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

/// English plurals fold onto their singular ("accounts" → "account"); Vietnamese syllables never end in s.
fn stem(word: &str) -> String {
    match word.strip_suffix('s') {
        Some(stemmed) if word.len() > 3 && !word.ends_with("ss") => stemmed.to_owned(),
        _ => word.to_owned(),
    }
}

fn stemmed(words: &[String]) -> Vec<String> {
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
        Self { lexicon, postings, lengths, average_length, vocabulary, regional, names: names_of, units }
    }

    fn metric_count(&self) -> f64 {
        self.lengths.len() as f64
    }

    fn idf(&self, term: &str) -> Option<f64> {
        let df = self.postings.get(term)?.len() as f64;
        Some((1.0 + (self.metric_count() - df + 0.5) / (df + 0.5)).ln())
    }

    /// The idf of a word no metric holds: the rarest there could be.
    fn unknown_idf(&self) -> f64 {
        (1.0 + (self.metric_count() + 0.5) / 0.5).ln()
    }

    /// Whether metric `i` holds `term`.
    fn holds(&self, i: usize, term: &str) -> bool {
        self.postings.get(term).is_some_and(|p| p.binary_search_by_key(&i, |&(m, _)| m).is_ok())
    }

    /// How much of its best-said name the question says (0..=1), weighted by rarity.
    fn name_said(&self, metric: usize, query: &HashSet<&str>) -> f64 {
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
    fn correct(&self, word: &str) -> Option<String> {
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

/// The question's terms for scoring, and the telling words its coverage is measured on.
struct QueryTerms {
    terms: Vec<String>,
    /// Telling single words, each once: known ones and unknown ones apart.
    known: Vec<String>,
    unknown: usize,
    /// The telling words next to each word of the question, as typed.
    neighbours: HashMap<String, Vec<String>>,
}

fn query_terms(words: &QuestionWords, index: &MetricIndex) -> QueryTerms {
    let lexicon = &index.lexicon;
    let mut corrected: Vec<String> = Vec::with_capacity(words.words.len());
    let mut unknown = HashSet::new();
    for ((word, &read), &replaced) in words.words.iter().zip(&words.read).zip(&words.replaced) {
        if replaced {
            continue;
        }
        let word = stem(word);
        if read || lexicon.is_stopword(&word) || index.postings.contains_key(&word) {
            corrected.push(word);
        } else if let Some(fixed) = index.correct(&word) {
            // Scored as the word it misspells, but not counted as said: a question of typos
            // alone is offered its closest figures rather than answered.
            unknown.insert(fixed.clone());
            corrected.push(fixed);
        } else {
            if word.chars().any(char::is_alphabetic) {
                unknown.insert(word.clone());
            }
            corrected.push(word);
        }
    }
    let mut neighbours: HashMap<String, Vec<String>> = HashMap::new();
    let telling = |w: &String| !lexicon.is_stopword(w) && w.chars().any(char::is_alphabetic);
    for pair in corrected.windows(2) {
        if telling(&pair[0]) && telling(&pair[1]) {
            neighbours.entry(pair[0].clone()).or_default().push(pair[1].clone());
            neighbours.entry(pair[1].clone()).or_default().push(pair[0].clone());
        }
    }
    let mut weights = HashMap::new();
    terms(&corrected, lexicon, 1.0, &mut weights);
    for meaning in &words.meanings {
        terms(&stemmed(meaning), lexicon, 1.0, &mut weights);
    }
    let mut terms: Vec<String> = weights.into_keys().collect();
    terms.sort_unstable();
    let known: Vec<String> = terms
        .iter()
        .filter(|t| !t.contains(' ') && index.postings.contains_key(*t) && !unknown.contains(*t))
        .cloned()
        .collect();
    // A word the lexicon read stands for its meaning: it is not an unknown word.
    let read_words: HashSet<String> =
        words.words.iter().zip(&words.read).filter(|(_, r)| **r).map(|(w, _)| stem(w)).collect();
    let unknown = unknown.iter().filter(|w| !read_words.contains(*w)).count();
    QueryTerms { terms, known, unknown, neighbours }
}

/// Finds the metrics a question asks for, best first, and the figures that answer it.
/// `index` is [`MetricIndex::build`] of `metrics`.
pub fn search<'a>(metrics: &'a [Metric], index: &MetricIndex, question: &str) -> MetricAnswer<'a> {
    let (asked, words) = read_question(question, &index.lexicon);
    let query = query_terms(&words, index);

    let mut scores: HashMap<usize, f64> = HashMap::new();
    for term in &query.terms {
        let (Some(idf), Some(postings)) = (index.idf(term), index.postings.get(term)) else { continue };
        for &(i, tf) in postings {
            let norm = 1.0 - B + B * index.lengths[i] / index.average_length;
            *scores.entry(i).or_default() += idf * tf * (K1 + 1.0) / (tf + K1 * norm);
        }
    }
    let total: f64 =
        query.known.iter().filter_map(|w| index.idf(w)).sum::<f64>() + query.unknown as f64 * index.unknown_idf();
    let coverage = |i: usize| {
        let held: f64 = query
            .known
            .iter()
            .filter(|w| index.holds(i, w))
            .filter_map(|w| {
                // A syllable of another word ("tiết" of "thời tiết" in "tiết kiệm") counts half: its
                // neighbours in the question are in none of this metric's names, alone or with it.
                let isolated = query.neighbours.get(w).is_some_and(|next| {
                    next.iter().all(|n| {
                        !index.holds(i, n)
                            && !index.holds(i, &format!("{w} {n}"))
                            && !index.holds(i, &format!("{n} {w}"))
                    })
                });
                index.idf(w).map(|idf| if isolated { idf / 2.0 } else { idf })
            })
            .sum();
        if total > 0.0 { held / total } else { 0.0 }
    };

    let said: HashSet<&str> = query.terms.iter().filter(|t| !t.contains(' ')).map(String::as_str).collect();
    let mut scored: Vec<(usize, f64, f64)> = scores
        .into_iter()
        .filter(|(i, _)| *i < metrics.len())
        .map(|(i, s)| {
            let name = NAME_WEIGHT * index.name_said(i, &said) + (1.0 - NAME_WEIGHT);
            let unit = if words.units.iter().any(|u| index.units[i].contains(u)) { UNIT_FACTOR } else { 1.0 };
            (i, s * name * unit * intent_factor(&metrics[i], index.regional[i], &asked), coverage(i))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| metrics[a.0].key.cmp(&metrics[b.0].key)));

    let found = scored.first().is_some_and(|&(_, _, c)| c >= MIN_COVERAGE);
    if !found {
        let mut closest: Vec<&Metric> = scored.iter().take(MAX_ALTERNATIVES).map(|&(i, _, _)| &metrics[i]).collect();
        if closest.is_empty() {
            closest = spelling_neighbours(metrics, &words.words);
        }
        return MetricAnswer {
            period: asked.period,
            asked,
            matches: Vec::new(),
            confidence: Confidence::NotFound,
            suggestions: closest.clone(),
            alternatives: closest,
            scope_missing: None,
        };
    }

    let best_score = scored[0].1;
    let matches: Vec<MetricMatch<'a>> = scored
        .iter()
        .filter(|&&(_, _, c)| c >= MIN_COVERAGE)
        .take(MAX_MATCHES)
        .map(|&(i, score, coverage)| MetricMatch {
            metric: &metrics[i],
            score,
            coverage,
            lead: lead(&metrics[i], &asked),
        })
        .collect();
    let close: Vec<&Metric> = matches
        .iter()
        .skip(1)
        .filter(|m| m.score >= CLOSE_RATIO * best_score)
        .take(MAX_ALTERNATIVES)
        .map(|m| m.metric)
        .collect();
    let (confidence, alternatives) = if close.is_empty() && matches[0].coverage >= CLEAR_COVERAGE {
        (Confidence::Clear, Vec::new())
    } else if close.is_empty() {
        // Half the question unexplained: answer, but offer the next ones too.
        (Confidence::Close, matches.iter().skip(1).take(MAX_ALTERNATIVES - 1).map(|m| m.metric).collect())
    } else {
        (Confidence::Close, close)
    };
    let scope_missing = matches[0].lead.scope_missing.clone();
    MetricAnswer {
        period: asked.period,
        asked,
        matches,
        confidence,
        alternatives,
        suggestions: Vec::new(),
        scope_missing,
    }
}

/// How much what the question asks besides words favours a metric: a regional rank only when a
/// region is named; a metric with a target when a target is asked; one with a figure for the
/// period, the province or the running total asked.
fn intent_factor(metric: &Metric, regional: bool, asked: &Asked) -> f64 {
    let mut factor = match (asked.regional, regional) {
        (true, true) => 1.6,
        (false, true) => 0.6,
        _ => 1.0,
    };
    let has = |f: &dyn Fn(&super::Observation) -> bool| metric.observations.iter().any(f);
    if asked.target && has(&|o| o.kind == ObservationKind::Target) {
        factor *= 1.2;
    }
    if let Some(period) = asked.period
        && has(&|o| o.period.overlaps(period))
    {
        factor *= 1.2;
    }
    if let Some(province) = &asked.province
        && metric.has_province(&crate::domain::fold::fold(province))
    {
        factor *= 1.2;
    }
    if asked.cumulative && has(&|o| o.cumulative) {
        factor *= 1.1;
    }
    factor
}

/// The metrics whose names look most like the question's words, for a question that shares no
/// word with any: "vneld acounts" still points at VNeID.
fn spelling_neighbours<'a>(metrics: &'a [Metric], words: &[String]) -> Vec<&'a Metric> {
    if words.is_empty() {
        return Vec::new();
    }
    let joined = words.join(" ");
    let mut by_spelling: Vec<(f64, &Metric)> = metrics
        .iter()
        .map(|m| {
            let best = m
                .phrases
                .iter()
                .map(|p| {
                    let whole = strsim::jaro_winkler(&joined, &p.join(" "));
                    let per_word = words
                        .iter()
                        .map(|q| p.iter().map(|w| strsim::jaro_winkler(q, w)).fold(0.0, f64::max))
                        .sum::<f64>()
                        / words.len() as f64;
                    whole.max(per_word)
                })
                .fold(0.0, f64::max);
            (best, m)
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    by_spelling.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    by_spelling.into_iter().take(MAX_ALTERNATIVES).map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::catalog;
    use super::*;

    fn ask<'a>(metrics: &'a [Metric], q: &str) -> MetricAnswer<'a> {
        search(metrics, &MetricIndex::build(metrics), q)
    }

    fn best(metrics: &[Metric], q: &str) -> Option<String> {
        ask(metrics, q).best().map(|m| m.metric.key.clone())
    }

    #[test]
    fn vietnamese_with_and_without_tone_marks_find_the_same_metric() {
        let metrics = catalog();
        for q in ["tài khoản VNeID", "tai khoan vneid", "định danh điện tử", "dinh danh"] {
            assert_eq!(best(&metrics, q).as_deref(), Some("vneid"), "{q}");
        }
    }

    #[test]
    fn question_words_do_not_push_the_right_metric_down() {
        let metrics = catalog();
        for q in [
            "có bao nhiêu tài khoản định danh điện tử được kích hoạt rồi vậy",
            "how many e-ID accounts are there in Vietnam so far",
            "KTS chiếm bao nhiêu % GDP nam 2024",
        ] {
            let answer = ask(&metrics, q);
            assert_ne!(answer.confidence, Confidence::NotFound, "{q}");
            assert!(["vneid", "de-share"].contains(&answer.matches[0].metric.key.as_str()), "{q}");
        }
    }

    #[test]
    fn members_are_not_teams() {
        let metrics = catalog();
        assert_eq!(best(&metrics, "có bao nhiêu người tham gia tổ công nghệ số").as_deref(), Some("members"));
        assert_eq!(best(&metrics, "bao nhiêu tổ công nghệ số cộng đồng").as_deref(), Some("teams"));
    }

    #[test]
    fn a_regional_rank_is_not_the_world_rank() {
        let metrics = catalog();
        assert_eq!(best(&metrics, "VN xếp thứ mấy về chính phủ điện tử trong ĐNÁ").as_deref(), Some("egdi-sea"));
        assert_eq!(best(&metrics, "e-government rank in Southeast Asia").as_deref(), Some("egdi-sea"));
        assert_eq!(best(&metrics, "Vietnam's rank in the UN e-government index").as_deref(), Some("egdi"));
    }

    #[test]
    fn a_province_question_flags_a_missing_provincial_figure() {
        let metrics = catalog();
        let answer = ask(&metrics, "thành viên tổ công nghệ số ở Sơn La");
        assert_eq!(answer.matches[0].metric.key, "members");
        assert_eq!(answer.scope_missing.as_deref(), Some("Sơn La"));
        let answer = ask(&metrics, "thành viên tổ công nghệ số ở Hà Giang");
        assert_eq!(answer.matches[0].lead.observations[0].value, 12131.0);
        assert_eq!(answer.scope_missing, None);
    }

    #[test]
    fn english_questions_find_the_metric_and_the_period() {
        let metrics = catalog();
        let answer = ask(&metrics, "digital economy share of GDP 2024");
        assert_eq!(answer.matches[0].metric.key, "de-share");
        assert_eq!(answer.period, Some(Period::Year(2024)));
        assert_eq!(answer.matches[0].lead.observations.len(), 1);
        assert_eq!(answer.matches[0].lead.observations[0].value, 18.3);
    }

    #[test]
    fn a_half_year_question_gets_the_half_year_figure() {
        let metrics = catalog();
        for q in ["tỷ trọng kinh tế số 6 tháng đầu năm 2022", "digital economy share H1 2022", "KTS nửa đầu năm 2022"]
        {
            let answer = ask(&metrics, q);
            assert_eq!(answer.period, Some(Period::Half(2022, 1)), "{q}");
            assert_eq!(answer.matches[0].lead.observations[0].value, 10.41, "{q}");
        }
    }

    #[test]
    fn unknown_questions_get_the_closest_figures_not_an_answer() {
        let metrics = catalog();
        let answer = ask(&metrics, "giá vàng SJC hôm nay");
        assert!(answer.matches.is_empty());
        assert_eq!(answer.confidence, Confidence::NotFound);
        let answer = ask(&metrics, "vneld acounts");
        assert_eq!(
            answer.best().map(|m| m.metric.key.as_str()).or(answer.alternatives.first().map(|m| m.key.as_str())),
            Some("vneid"),
            "a typo is corrected or suggested"
        );
    }

    #[test]
    fn a_clear_question_is_clear_and_a_vague_one_offers_alternatives() {
        let metrics = catalog();
        let answer = ask(&metrics, "thành viên tổ công nghệ số cộng đồng");
        assert_eq!(answer.confidence, Confidence::Clear);
        assert!(answer.alternatives.is_empty());
        let answer = ask(&metrics, "kế hoạch chuyển đổi số");
        assert_eq!(answer.confidence, Confidence::Close, "the ministries' or the provinces'?");
        let offered: Vec<&str> = answer
            .matches
            .iter()
            .take(1)
            .map(|m| m.metric.key.as_str())
            .chain(answer.alternatives.iter().map(|m| m.key.as_str()))
            .collect();
        assert!(offered.contains(&"plans-ministries") && offered.contains(&"plans-provinces"), "{offered:?}");
    }

    #[test]
    fn series_is_ordered_by_period() {
        let metrics = catalog();
        let periods: Vec<String> = metrics[0].observations.iter().map(|o| o.period.to_string()).collect();
        assert_eq!(periods, vec!["2021", "2022-H1", "2024", "2025"]);
    }
}
