//! Finding the metric a question asks for: BM25 over the catalog's names and aliases, words and
//! word pairs, after the lexicon; then how sure the answer is.
//!
//! BM25 is written here rather than taken from a crate: the catalog is a few dozen to a few
//! thousand short documents, the tokens are folded Vietnamese syllables plus their pairs (which no
//! search crate's analyser produces), and the whole ranking is some sixty lines that tests pin down.
//! Word pairs matter because Vietnamese words are syllables: "kinh tế" and "tế số" say more than
//! "kinh", "tế" and "số" apart, and "tỷ trọng" is not "trong" (in) once tone marks are folded.

use std::collections::HashSet;

use super::asked::{Asked, read_question};
use super::both::second;
use super::change::{Change, Resolved, previous_year, resolve};
use super::index::{B, K1, MetricIndex, stem};
use super::intent::intent_factor;
use super::lead::{Lead, Refusal, lead};
use super::query::query_terms;
use super::{Metric, ObservationKind};
use crate::domain::fold::fold;
use crate::domain::period::Period;

/// How much saying all of one of a metric's names counts against BM25's sum over its words: a
/// name half said scores 1 - NAME_WEIGHT / 2 of one fully said.
const NAME_WEIGHT: f64 = 0.5;
/// How much a unit the question names ("bao nhiêu tỷ đô") favours a metric counted in it.
const UNIT_FACTOR: f64 = 1.4;
/// Below this share of the question's telling words, a metric is a suggestion, not an answer.
pub const MIN_COVERAGE: f64 = 0.3;
/// The share needed when the question says a word no figure's name holds.
pub const MIN_COVERAGE_UNHEARD: f64 = 0.6;
/// From this share up, and well ahead of the next, the best metric is clearly the answer.
const CLEAR_COVERAGE: f64 = 0.5;
/// A figure ruled out by the share or negation asked, holding the question's rarest word and at
/// least this share of the best remaining one's coverage, is what the question was about.
const RULED_OUT_SHARE: f64 = 0.5;
/// How much more of the question a close metric must explain to lead over the best.
const COVERAGE_LEAD: f64 = 0.2;
/// A metric scoring at least this share of the best is a close alternative.
const CLOSE_RATIO: f64 = 0.8;
/// How many close alternatives to offer, and how many matches to keep.
const MAX_ALTERNATIVES: usize = 3;
const MAX_MATCHES: usize = 10;
/// How many of the best by BM25 alone are judged further (names said, units, intent, coverage):
/// those judgements move a score by a factor of about three at most, far less than the gap between
/// the leaders and the rest of thousands of metrics.
const RESCORED: usize = 64;

/// A telling word of the question, its idf, and its pairs with each neighbour in the question
/// ("w n", "n w", n).
type Telling<'q> = (&'q str, f64, Vec<(String, String, &'q str)>);

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
    /// The change asked, when the question asks one and the best match gives it.
    pub change: Option<Change<'a>>,
    /// Why the best match has no figure that answers: the reply says so, and what it has instead.
    pub refusal: Option<Refusal>,
    /// The question's telling words that no figure's name holds ("wifi" of "điểm wifi miễn phí").
    pub unheard: Vec<String>,
    /// A second figure the question names, joined by "và", "and" ("tỷ trọng KTS và doanh thu
    /// KTS"): answered beside the best, with what the whole question asks.
    pub also: Option<MetricMatch<'a>>,
}

impl<'a> MetricAnswer<'a> {
    /// The best match, if the question found one.
    pub fn best(&self) -> Option<&MetricMatch<'a>> {
        self.matches.first()
    }
}

/// Finds the metrics a question asks for, best first, and the figures that answer it.
/// `index` is [`MetricIndex::build`] of `metrics`.
pub fn search<'a>(metrics: &'a [Metric], index: &MetricIndex, question: &str) -> MetricAnswer<'a> {
    let mut answer = find(metrics, index, question, Reading::Question);
    answer.also = second(metrics, index, question, &answer);
    answer
}

/// [`search`] of one part of a question, without looking for a second figure in it.
pub(super) fn search_part<'a>(metrics: &'a [Metric], index: &MetricIndex, part: &str) -> MetricAnswer<'a> {
    find(metrics, index, part, Reading::Question)
}

/// [`search`] for the words around a number in a text, which say more than their figure's name
/// ("tính đến giữa năm 2025, hơn 83,5 triệu người đã đăng ký"): a word no name holds is not what
/// they ask about.
pub fn search_passage<'a>(metrics: &'a [Metric], index: &MetricIndex, passage: &str) -> MetricAnswer<'a> {
    find(metrics, index, passage, Reading::Passage)
}

/// What the searched words are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Question,
    Passage,
}

fn find<'a>(metrics: &'a [Metric], index: &MetricIndex, question: &str, reading: Reading) -> MetricAnswer<'a> {
    let (asked, words) = read_question(question, &index.lexicon);
    let query = query_terms(question, &words, index);

    // BM25 over every metric holding a term; the finer judgements below only for the leaders.
    let mut scores = vec![0.0; index.lengths.len()];
    let mut touched: Vec<usize> = Vec::new();
    for term in &query.terms {
        let (Some(idf), Some(postings)) = (index.idf(term), index.postings.get(term)) else { continue };
        for &(i, tf) in postings {
            if scores[i] == 0.0 {
                touched.push(i);
            }
            let norm = 1.0 - B + B * index.lengths[i] / index.average_length;
            scores[i] += idf * tf * (K1 + 1.0) / (tf + K1 * norm);
        }
    }
    touched.retain(|&i| i < metrics.len() && scores[i] > 0.0);
    if touched.len() > RESCORED {
        touched.select_nth_unstable_by(RESCORED - 1, |a, b| scores[*b].total_cmp(&scores[*a]));
        touched.truncate(RESCORED);
    }

    let known: Vec<Telling> = query
        .known
        .iter()
        .filter_map(|w| {
            let pairs = query
                .neighbours
                .get(w)
                .map(|next| next.iter().map(|n| (format!("{w} {n}"), format!("{n} {w}"), n.as_str())).collect())
                .unwrap_or_default();
            index.idf(w).map(|idf| (w.as_str(), idf, pairs))
        })
        .collect();
    let total: f64 = known.iter().map(|(_, idf, _)| idf).sum::<f64>() + query.unknown as f64 * index.unknown_idf();
    // The words asking a target ("mục tiêu") are explained by a metric's targets.
    let target_words: HashSet<&str> = match asked.target || asked.against_target {
        true => index.lexicon.cues.target.iter().flatten().map(String::as_str).collect(),
        false => HashSet::new(),
    };
    let has_target = |i: usize| metrics[i].observations.iter().any(|o| o.kind == ObservationKind::Target);
    let coverage = |i: usize| {
        let held: f64 = known
            .iter()
            .filter(|(w, _, _)| index.holds(i, w) || (target_words.contains(w) && has_target(i)))
            .map(|(_, idf, pairs)| {
                // A syllable of another word ("tiết" of "thời tiết" in "tiết kiệm") counts half: its
                // neighbours in the question are in none of this metric's names, alone or with it.
                let isolated = !pairs.is_empty()
                    && pairs.iter().all(|(after, before, n)| {
                        !index.holds(i, n) && !index.holds(i, after) && !index.holds(i, before)
                    });
                if isolated { idf / 2.0 } else { *idf }
            })
            .sum();
        if total > 0.0 { held / total } else { 0.0 }
    };

    let said: HashSet<&str> = query.terms.iter().filter(|t| !t.contains(' ')).map(String::as_str).collect();
    let mut scored: Vec<(usize, f64, f64)> = touched
        .into_iter()
        .map(|i| {
            let name = NAME_WEIGHT * index.name_said(i, &said) + (1.0 - NAME_WEIGHT);
            let unit = if words.units.iter().any(|u| index.units[i].contains(u)) { UNIT_FACTOR } else { 1.0 };
            (i, scores[i] * name * unit * intent_factor(&metrics[i], index.regional[i], &asked), coverage(i))
        })
        .collect();
    // "chưa có", "not met": only a figure with a name that negates too answers, and a question
    // without a negation is never answered by a figure whose every name negates.
    // "tỷ lệ", "%": a count or a sum is not the share asked.
    let unfiltered: Vec<usize> = scored.iter().map(|&(i, _, _)| i).collect();
    if asked.share {
        scored.retain(|&(i, _, _)| metrics[i].unit_vi.contains('%') || metrics[i].unit_en.contains('%'));
    }
    if let Some(negated) = index.lexicon.negation(question) {
        scored.retain(|&(i, _, _)| metrics[i].names().any(|name| index.lexicon.negates(name) == negated));
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| metrics[a.0].key.cmp(&metrics[b.0].key)));

    // Among the close, one explaining clearly more of the question leads ("core digital economy
    // share" is the core industries' share, not the whole digital economy's).
    if let Some(&(_, top, covered)) = scored.first()
        && let Some(at) = scored.iter().position(|&(_, s, c)| s >= CLOSE_RATIO * top && c >= covered + COVERAGE_LEAD)
    {
        let picked = scored.remove(at);
        scored.insert(0, picked);
    }

    // A word no figure's name holds ("wifi", "smartphone") may be what the question is about:
    // then more of the question must be explained for a figure to answer it.
    let strict = reading == Reading::Question && !query.unheard.is_empty();
    let min_coverage = if strict { MIN_COVERAGE_UNHEARD } else { MIN_COVERAGE };
    // The question's rarest word names a figure that the share or negation asked ruled out ("chữ
    // ký" of "tỷ lệ người dân có chữ ký số", a count): what is left answers lesser words, so
    // nothing answers, and the figure ruled out is offered.
    let rarest = known
        .iter()
        .filter(|(w, _, _)| !target_words.contains(w))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(w, _, _)| *w);
    let left = scored.first().map_or(0.0, |&(_, _, c)| c);
    let ruled_out: Vec<usize> = match rarest {
        Some(w) if scored.first().is_none_or(|&(i, _, _)| !index.holds(i, w)) => unfiltered
            .iter()
            .copied()
            .filter(|&i| index.holds(i, w) && scored.iter().all(|&(s, _, _)| s != i))
            .filter(|&i| coverage(i) >= RULED_OUT_SHARE * left)
            .collect(),
        _ => Vec::new(),
    };
    // What the question counts is a word no figure's name holds ("how many foreign companies"):
    // a figure sharing its other words counts something else.
    let miscounted = reading == Reading::Question
        && words.counted.as_deref().is_some_and(|c| query.unheard.iter().any(|u| stem(&fold(u)) == stem(c)));
    let found = !miscounted && ruled_out.is_empty() && scored.first().is_some_and(|&(_, _, c)| c >= min_coverage);
    if !found {
        let mut closest: Vec<&Metric> = ruled_out
            .iter()
            .map(|&i| &metrics[i])
            .chain(scored.iter().map(|&(i, _, _)| &metrics[i]))
            .take(MAX_ALTERNATIVES)
            .collect();
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
            change: None,
            refusal: None,
            unheard: query.unheard,
            also: None,
        };
    }

    let best_score = scored[0].1;
    let mut matches: Vec<MetricMatch<'a>> = scored
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
    // "So với năm ngoái" is one year for every figure compared: the year before the best's.
    let mut asked = asked;
    if asked.base.is_none() {
        asked.base = previous_year(metrics, matches[0].metric, &asked);
    }
    let Resolved { mut change, mut refusal, .. } = resolve(metrics, matches[0].metric, &asked, &words.units);
    // A change asked that the best cannot give, and another that covers half the question in the
    // unit asked can ("tỷ trọng KTS 2024 so với 2021" is the share's change, not the growth
    // rate's): the one that answers leads.
    if asked.change && change.is_none() && matches!(refusal, Some(Refusal::NoChange | Refusal::Period(_))) {
        let counted_in = |m: &Metric| {
            let units = format!("{} {}", m.unit_vi, m.unit_en).to_lowercase();
            words.units.is_empty() || words.units.iter().any(|u| units.contains(u.as_str()))
        };
        let answering = matches
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, m)| m.coverage >= CLEAR_COVERAGE && counted_in(m.metric))
            .find_map(|(at, m)| {
                let r = resolve(metrics, m.metric, &asked, &words.units);
                r.change.map(|c| (at, c))
            });
        if let Some((at, found)) = answering {
            let picked = matches.remove(at);
            matches.insert(0, picked);
            (change, refusal) = (Some(found), None);
        }
    }
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
    let mut scope_missing = matches[0].lead.scope_missing.clone();
    if change.as_ref().is_some_and(|c| c.to.scope.province().is_some()) {
        scope_missing = None;
    }
    MetricAnswer {
        period: asked.period,
        asked,
        matches,
        confidence,
        alternatives,
        suggestions: Vec::new(),
        scope_missing,
        change,
        refusal,
        unheard: query.unheard,
        also: None,
    }
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
#[path = "search_tests.rs"]
mod tests;
