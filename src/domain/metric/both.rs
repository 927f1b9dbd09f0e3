//! A question naming two figures joined by "và", "and" ("tỷ trọng KTS và doanh thu KTS 2024"):
//! the part the best figure does not explain is searched alone, and its figure answered beside it.

use super::Metric;
use super::index::MetricIndex;
use super::lead::lead;
use super::lexicon::find;
use super::search::{Confidence, MetricAnswer, MetricMatch, search_part};
use crate::domain::fold::fold;

/// How close the best figure must score (and as much as it explain) on the other part to be its
/// answer too.
const CLOSE: f64 = 0.8;
/// How much of a part its own figure must explain to be answered.
const EXPLAINED: f64 = 0.5;

/// The second figure `question` names beside `whole`'s best, if it joins two.
pub(super) fn second<'a>(
    metrics: &'a [Metric],
    index: &MetricIndex,
    question: &str,
    whole: &MetricAnswer<'a>,
) -> Option<MetricMatch<'a>> {
    let first = whole.best()?.metric;
    if whole.change.is_some() || whole.refusal.is_some() {
        return None;
    }
    // Split as typed, so that each part keeps its tone marks and dates ("6/2023").
    let words: Vec<&str> = question.split_whitespace().collect();
    let folded: Vec<String> =
        words.iter().map(|w| fold(w).trim_matches(|c: char| !c.is_alphanumeric()).to_owned()).collect();
    let (at, len) = index
        .lexicon
        .cues
        .join
        .iter()
        .filter_map(|said| find(&folded, said).first().map(|&at| (at, said.len())))
        .min()?;
    let (before, after) = (words[..at].join(" "), words[at + len..].join(" "));
    if before.trim().is_empty() || after.trim().is_empty() {
        return None;
    }
    let explains_first = |part: &MetricAnswer| part.best().is_some_and(|m| std::ptr::eq(m.metric, first));
    let parts = [search_part(metrics, index, &before), search_part(metrics, index, &after)];
    let other = match (explains_first(&parts[0]), explains_first(&parts[1])) {
        (true, false) => &parts[1],
        (false, true) => &parts[0],
        _ => return None,
    };
    let found = other.best().filter(|m| other.confidence != Confidence::NotFound && m.coverage >= EXPLAINED)?;
    // A part the best figure explains as well is one of its own words ("phần mềm và dịch vụ CNTT").
    let as_well = |m: &MetricMatch| m.score >= CLOSE * found.score && m.coverage >= found.coverage;
    if other.matches.iter().any(|m| std::ptr::eq(m.metric, first) && as_well(m)) {
        return None;
    }
    let metric = found.metric;
    let lead = lead(metric, &whole.asked);
    (!lead.observations.is_empty()).then_some(MetricMatch {
        metric,
        score: found.score,
        coverage: found.coverage,
        lead,
    })
}
