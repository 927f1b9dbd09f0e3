//! /metric on the second development set (tests/data/figure_questions.toml, issue 21): comparisons
//! and changes, dates "as of", quarters and months, events, provinces without a figure, refusals
//! and English, judged by metric, period, scope and intent; and on the set held apart from it
//! (tests/data/figure_questions_held.toml), which no rule was tuned on; and on round five's two
//! held-apart sets (figure_questions_held2.toml, written before its rules; figure_questions_held3.toml,
//! written after the first of them).

use crate::dev_set::{self, Intent, Question, Tally};

/// The floors of a set: the rates measured on it (see BENCHMARKS.md); the test fails if they drop.
struct Floors {
    right: f64,
    wrong: f64,
    refusals: f64,
}

/// Issue 21's "done when" on the team's own set: ≥ 95% right, ≤ 2% wrong, refusals ≥ 90% right.
const ISSUE: Floors = Floors { right: 0.95, wrong: 0.02, refusals: 0.90 };
/// The development set, 350 questions: measured 344 right (98.3%), 6 wrong (1.7%), refusals 60/65
/// after round five (343, 7 and 60/65 before).
const DEV: Floors = Floors { right: 0.98, wrong: 0.02, refusals: 0.92 };
/// The held-apart set of round four, 57 questions: measured 54 right (94.7%), 3 wrong (5.3%),
/// refusals 11/14 after round five; 51 right, 4 wrong, 2 not found and 10/14 before it.
const HELD: Floors = Floors { right: 0.94, wrong: 0.06, refusals: 0.78 };
/// The held-apart set of round five, 93 questions written before its rules: 85 right (91.4%), 7
/// wrong, refusals 19/22 before them; all 93 after (its misses were seen, so this is optimistic).
const UNSEEN: Floors = Floors { right: 0.97, wrong: 0.02, refusals: 0.95 };
/// The second held-apart set of round five, 40 questions written after its first rules and never
/// tuned on: 37 right on main, 38 (95.0%), 2 wrong (5.0%), refusals 11/12 after.
const UNSEEN_AFTER: Floors = Floors { right: 0.94, wrong: 0.06, refusals: 0.9 };

async fn holds(name: &str, questions: &[Question], floors: &Floors) -> Tally {
    let catalog = dev_set::seeded_catalog().await;
    let tally = dev_set::run(&catalog, questions);
    let report = tally.misses.join("\n");
    eprintln!(
        "{name}: right {}/{} ({:.1}%), wrong {} ({:.1}%), not found {}, refusals right {}/{}\n  {}\n{report}",
        tally.right,
        tally.total(),
        100.0 * tally.top1(),
        tally.wrong,
        100.0 * tally.wrong_rate(),
        tally.not_found,
        tally.refusals_right,
        tally.refusals,
        tally.categories_line()
    );
    assert!(tally.top1() >= floors.right, "{name}: right {:.3} below {}:\n{report}", tally.top1(), floors.right);
    assert!(
        tally.wrong_rate() <= floors.wrong,
        "{name}: wrong {:.3} above {}:\n{report}",
        tally.wrong_rate(),
        floors.wrong
    );
    assert!(
        tally.refusals_rate() >= floors.refusals,
        "{name}: refusals {:.3} below {}:\n{report}",
        tally.refusals_rate(),
        floors.refusals
    );
    tally
}

#[tokio::test]
async fn figure_questions_are_answered_right_and_refused_honestly() {
    let tally = holds("development set", &dev_set::figure_questions(), &DEV).await;
    assert!(tally.top1() >= ISSUE.right && tally.wrong_rate() <= ISSUE.wrong, "issue 21's rates");
    assert!(tally.refusals_rate() >= ISSUE.refusals, "issue 21's refusals");
}

#[tokio::test]
async fn the_held_apart_questions_are_answered_right_and_refused_honestly() {
    holds("held-apart set", &dev_set::held_figure_questions(), &HELD).await;
}

#[tokio::test]
async fn the_questions_of_round_five_held_apart_are_answered_right_and_refused_honestly() {
    holds("round-five held-apart set", &dev_set::unseen_figure_questions(), &UNSEEN).await;
}

#[tokio::test]
async fn the_questions_written_after_the_first_rules_of_round_five_are_answered_right() {
    holds("round-five second held-apart set", &dev_set::unseen_figure_questions_after(), &UNSEEN_AFTER).await;
}

#[test]
fn the_set_is_broad() {
    let questions = dev_set::figure_questions();
    let count = |intent: Intent| questions.iter().filter(|q| q.intent == intent).count();
    assert!(questions.len() >= 300, "{} questions", questions.len());
    assert!(count(Intent::Refuse) >= 60, "{} refusals", count(Intent::Refuse));
    assert!(count(Intent::Change) >= 50, "{} changes", count(Intent::Change));
    assert!(questions.iter().filter(|q| q.lang == "en").count() >= 60);
    assert!(questions.iter().all(|q| q.intent == Intent::Refuse || q.metric.is_some()), "gold names a metric");
    let held = dev_set::held_figure_questions();
    assert!(held.len() >= 50, "{} held apart", held.len());
    assert!(held.iter().all(|h| questions.iter().all(|q| q.q != h.q)), "the held-apart set is apart");
    let unseen: Vec<_> =
        dev_set::unseen_figure_questions().into_iter().chain(dev_set::unseen_figure_questions_after()).collect();
    assert!(dev_set::unseen_figure_questions().len() >= 60, "round five holds at least 60 apart");
    let seen = |u: &dev_set::Question| questions.iter().chain(&held).any(|q| q.q == u.q);
    assert!(!unseen.iter().any(seen), "round five's held-apart sets are apart");
    assert!(unseen.iter().all(|q| q.intent == Intent::Refuse || q.metric.is_some()), "gold names a metric");
}
