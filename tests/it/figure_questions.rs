//! /metric on the second development set (tests/data/figure_questions.toml, issue 21): comparisons
//! and changes, dates "as of", quarters and months, events, provinces without a figure, refusals
//! and English, judged by metric, period, scope and intent.

use crate::dev_set::{self, Intent};

/// Measured on the set (230/241 right, 10 wrong, 39/46 refusals right); the test fails if they
/// drop. The goals are 2% wrong and 90% of refusals: the misses left are weak matches of
/// questions about things the bot has no figure for (see BENCHMARKS.md).
/// 95.4% on its branch, 94.6% once merged with the figures of 2025-2026 (issue 19).
const MIN_RIGHT: f64 = 0.946;
/// 4.1% on its branch, 5.4% once merged with the figures of 2025-2026 (issue 19).
const MAX_WRONG: f64 = 0.055;
const MIN_REFUSALS_RIGHT: f64 = 0.84;

#[tokio::test]
async fn figure_questions_are_answered_right_and_refused_honestly() {
    let questions = dev_set::figure_questions();
    let catalog = dev_set::seeded_catalog().await;
    let tally = dev_set::run(&catalog, &questions);
    let report = tally.misses.join("\n");
    eprintln!(
        "right {}/{} ({:.1}%), wrong {} ({:.1}%), not found {}, refusals right {}/{}\n{report}",
        tally.right,
        tally.total(),
        100.0 * tally.top1(),
        tally.wrong,
        100.0 * tally.wrong_rate(),
        tally.not_found,
        tally.refusals_right,
        tally.refusals
    );
    assert!(tally.top1() >= MIN_RIGHT, "right {:.3} below {MIN_RIGHT}:\n{report}", tally.top1());
    assert!(tally.wrong_rate() <= MAX_WRONG, "wrong {:.3} above {MAX_WRONG}:\n{report}", tally.wrong_rate());
    assert!(tally.refusals_rate() >= MIN_REFUSALS_RIGHT, "refusals {:.3}:\n{report}", tally.refusals_rate());
}

#[test]
fn the_set_is_broad() {
    let questions = dev_set::figure_questions();
    let count = |intent: Intent| questions.iter().filter(|q| q.intent == intent).count();
    assert!(questions.len() >= 200, "{} questions", questions.len());
    assert!(count(Intent::Refuse) >= 30, "{} refusals", count(Intent::Refuse));
    assert!(count(Intent::Change) >= 30, "{} changes", count(Intent::Change));
    assert!(questions.iter().filter(|q| q.lang == "en").count() >= 20);
    assert!(questions.iter().all(|q| q.intent == Intent::Refuse || q.metric.is_some()), "gold names a metric");
}
