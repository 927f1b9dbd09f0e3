//! /metric on natural questions: the development set (tests/data/metric_questions.toml) run through
//! the same `metric::search` the bot and the CLI use, on the built-in seeds.

use crate::dev_set;

/// The top-1 accuracy measured (125 of 125); the test fails if it drops.
const MIN_TOP1: f64 = 1.0;
/// A wrong figure is worse than a clarifying answer: at most 2 per 40 questions.
const MAX_WRONG_PER_40: f64 = 2.0;

#[tokio::test]
async fn natural_questions_get_the_right_figure_first() {
    let questions = dev_set::questions();
    assert!(questions.len() >= 80, "{} questions", questions.len());
    let catalog = dev_set::seeded_catalog().await;
    let tally = dev_set::run(&catalog, &questions);
    let report = tally.misses.join("\n");
    eprintln!(
        "top-1 {}/{} ({:.1}%), wrong {} ({} with the right one offered), not found {}\n{report}",
        tally.right,
        tally.total(),
        100.0 * tally.top1(),
        tally.wrong,
        tally.wrong_but_offered,
        tally.not_found
    );
    assert!(tally.top1() >= MIN_TOP1, "top-1 {:.3} below {MIN_TOP1}:\n{report}", tally.top1());
    let allowed = MAX_WRONG_PER_40 * tally.total() as f64 / 40.0;
    assert!(tally.wrong as f64 <= allowed, "{} wrong answers, at most {allowed:.1}:\n{report}", tally.wrong);
}

#[test]
fn the_set_is_varied_in_language() {
    let questions = dev_set::questions();
    let vi = questions.iter().filter(|q| q.lang == "vi").count();
    let en = questions.iter().filter(|q| q.lang == "en").count();
    assert!(vi >= 60 && en >= 20, "{vi} vi, {en} en");
    let keys: std::collections::HashSet<&str> = questions.iter().map(|q| q.metric.as_str()).collect();
    assert!(keys.len() >= 50, "questions about {} metrics only", keys.len());
}

#[tokio::test]
async fn questions_about_nothing_the_bot_knows_find_nothing_but_offer_figures() {
    let catalog = dev_set::seeded_catalog().await;
    for q in ["thời tiết hôm nay", "giá vàng SJC", "giá xăng hôm nay", "kết quả bóng đá", "who won the football match"]
    {
        let answer = hanchot::domain::metric::search(&catalog.metrics, &catalog.metric_index, q);
        assert_eq!(answer.confidence, hanchot::domain::metric::Confidence::NotFound, "{q}");
        assert!(answer.matches.is_empty(), "{q}");
    }
    let answer = hanchot::domain::metric::search(&catalog.metrics, &catalog.metric_index, "vneld acounts");
    let first = answer.best().map(|m| &m.metric.key).or(answer.alternatives.first().map(|m| &m.key));
    assert_eq!(first.map(String::as_str), Some("eid-accounts"), "a typo still points at the figure");
}

#[tokio::test]
async fn every_metric_is_found_by_its_own_name() {
    let catalog = dev_set::seeded_catalog().await;
    for metric in &catalog.metrics {
        for name in [&metric.name_vi, &metric.name_en] {
            let answer = hanchot::domain::metric::search(&catalog.metrics, &catalog.metric_index, name);
            let best = answer.best().map(|m| m.metric.key.as_str());
            let offered = answer.alternatives.iter().any(|m| m.key == metric.key);
            assert!(best == Some(metric.key.as_str()) || offered, "{name:?} found {best:?}");
        }
    }
}
