//! The /metric development sets and how an answer is judged: `tests/data/metric_questions.toml`
//! (issue 9: gold as the value) and `tests/data/figure_questions.toml` (issue 21: gold as the
//! metric, period, scope and intent, so that newer figures do not break it). Shared by
//! `tests/it/metric_questions.rs`, `tests/it/figure_questions.rs` and the benchmark.

use std::path::Path;
use std::sync::Arc;

use hanchot::domain::catalog::Catalog;
use hanchot::domain::metric::{Confidence, Measure, Metric, MetricAnswer, Observation, ObservationKind, search};
use hanchot::domain::period::Period;
use serde::Deserialize;

/// What a question asks for, as its gold says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Intent {
    /// A figure.
    #[default]
    Value,
    /// A change: computed from two figures, or a stored one.
    Change,
    /// A dated event.
    Event,
    /// A period shorter than any figure: the longer one said as such, or a refusal.
    Broader,
    /// No such figure: the honest answer says so.
    Refuse,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub q: String,
    pub lang: String,
    #[serde(default)]
    pub metric: Option<String>,
    /// The gold value (the first set only).
    #[serde(default)]
    pub value: Option<f64>,
    /// The period of the figure that answers; "latest" for the metric's newest.
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub intent: Intent,
    /// For a change: the period it is measured from.
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub scope_missing: Option<String>,
    /// "target" when the target answers.
    #[serde(default)]
    pub kind: Option<String>,
    /// Whether the running total answers.
    #[serde(default)]
    pub cumulative: Option<bool>,
}

#[derive(Deserialize)]
struct DevSet {
    questions: Vec<Question>,
}

fn read(file: &str) -> Vec<Question> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file);
    let text = std::fs::read_to_string(&path).expect("the development set is readable");
    toml::from_str::<DevSet>(&text).unwrap_or_else(|e| panic!("{file} parses: {e}")).questions
}

/// The first set (issue 9), gold as values.
pub fn questions() -> Vec<Question> {
    read("metric_questions.toml")
}

/// The second set (issue 21), gold as metric, period and intent.
pub fn figure_questions() -> Vec<Question> {
    read("figure_questions.toml")
}

/// The held-apart questions of round four: measured, never tuned on.
pub fn held_figure_questions() -> Vec<Question> {
    read("figure_questions_held.toml")
}

/// The held-apart questions of round five: written before its rules, never tuned on.
pub fn unseen_figure_questions() -> Vec<Question> {
    read("figure_questions_held2.toml")
}

/// The second held-apart part of round five: written after its first rules, measured once before the rest.
pub fn unseen_figure_questions_after() -> Vec<Question> {
    read("figure_questions_held3.toml")
}

/// The built-in seeds as the bot loads them (the shared harness's app).
pub async fn seeded_catalog() -> Arc<Catalog> {
    crate::support::app_at(crate::support::TODAY).await.catalog()
}

/// How the first answer to a question fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The right figure (or the honest refusal).
    Right,
    /// A figure, but not the right one (or one given where none exists); `offered` when the right
    /// metric is among the alternatives.
    Wrong { offered: bool },
    /// Nothing found, for a question that has an answer.
    NotFound,
}

/// The newest period of `metric`'s figures of the kind and place asked.
fn latest(metric: &Metric, target: bool, scope: Option<&str>) -> Option<Period> {
    metric
        .observations
        .iter()
        .filter(|o| (o.kind == ObservationKind::Target) == target && o.scope.province() == scope)
        .map(|o| o.period)
        .filter(|p| *p != Period::Unstated)
        .max_by_key(|p| (p.end(), std::cmp::Reverse(p.start())))
}

/// Whether `obs` of `metric` is the figure the gold names (period, place, kind, running total).
fn is_gold(question: &Question, metric: &Metric, obs: &Observation) -> bool {
    let target = question.kind.as_deref() == Some("target");
    let period = match question.period.as_deref() {
        Some("latest") => latest(metric, target, question.scope.as_deref()).map(|p| p.to_string()),
        other => other.map(str::to_owned),
    };
    question.value.is_none_or(|v| obs.holds(v))
        && period.is_none_or(|p| obs.period.to_string() == p)
        && obs.scope.province() == question.scope.as_deref()
        && (question.value.is_some() || (obs.kind == ObservationKind::Target) == target)
        && question.cumulative.is_none_or(|c| c == obs.cumulative)
}

pub fn judge(question: &Question, answer: &MetricAnswer) -> Outcome {
    let refused = answer.confidence == Confidence::NotFound || answer.refusal.is_some();
    let offered = || question.metric.as_ref().is_some_and(|k| answer.alternatives.iter().any(|m| &m.key == k));
    let wrong = || Outcome::Wrong { offered: offered() };
    if question.intent == Intent::Refuse {
        return if refused { Outcome::Right } else { wrong() };
    }
    if refused {
        let honest = question.intent == Intent::Broader && answer.refusal.is_some();
        return if honest {
            Outcome::Right
        } else if answer.confidence == Confidence::NotFound {
            Outcome::NotFound
        } else {
            wrong()
        };
    }
    let Some(best) = answer.best() else { return Outcome::NotFound };
    let key = question.metric.as_deref().unwrap_or_default();
    let right = match question.intent {
        Intent::Change => answer.change.as_ref().is_some_and(|c| {
            c.metric.key == key
                && is_gold(question, c.metric, c.to)
                && question.base.as_deref().is_none_or(|b| {
                    let base: Period = b.parse().expect("a gold base is a period");
                    c.base().is_some_and(|cb| cb == base || cb.end() == base.end())
                })
        }),
        // A figure asked that the answer gives as a stored change ("tăng bao nhiêu %" of a growth rate).
        Intent::Value if answer.change.as_ref().is_some_and(|c| c.from.is_none()) => {
            answer.change.as_ref().is_some_and(|c| c.metric.key == key && is_gold(question, c.metric, c.to))
        }
        intent => {
            answer.change.is_none()
                && best.metric.key == key
                && best.lead.scope_missing == question.scope_missing
                && best.lead.observations.iter().any(|o| is_gold(question, best.metric, o))
                && (intent != Intent::Event || best.metric.measure == Measure::Event)
                && (intent != Intent::Broader || best.lead.broader.is_some())
        }
    };
    if right { Outcome::Right } else { wrong() }
}

/// Right, wrong and not-found counts, refusals apart, and a line for each miss.
#[derive(Debug, Default)]
pub struct Tally {
    pub right: usize,
    pub wrong: usize,
    pub wrong_but_offered: usize,
    pub not_found: usize,
    pub refusals: usize,
    pub refusals_right: usize,
    pub misses: Vec<String>,
    /// Per category (see [`Question::categories`]): right, wrong, total.
    pub by_category: std::collections::BTreeMap<&'static str, (usize, usize, usize)>,
}

impl Question {
    /// What it asks, for the per-category figures: "lookup", "comparison" (a change from a base
    /// named), "change" (none named) or "refusal"; and its language.
    pub fn categories(&self) -> [&'static str; 2] {
        let kind = match self.intent {
            Intent::Refuse => "refusal",
            Intent::Change if self.base.is_some() => "comparison",
            Intent::Change => "change",
            Intent::Value | Intent::Event | Intent::Broader => "lookup",
        };
        [kind, if self.lang == "en" { "English" } else { "Vietnamese" }]
    }
}

impl Tally {
    /// One line of right/wrong per category, for the test's report and BENCHMARKS.md.
    pub fn categories_line(&self) -> String {
        self.by_category
            .iter()
            .map(|(name, (right, wrong, total))| format!("{name} {right}/{total} right, {wrong} wrong"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn total(&self) -> usize {
        self.right + self.wrong + self.not_found
    }

    pub fn top1(&self) -> f64 {
        self.right as f64 / self.total().max(1) as f64
    }

    pub fn wrong_rate(&self) -> f64 {
        self.wrong as f64 / self.total().max(1) as f64
    }

    pub fn refusals_rate(&self) -> f64 {
        self.refusals_right as f64 / self.refusals.max(1) as f64
    }
}

fn describe(answer: &MetricAnswer) -> String {
    if let Some(c) = &answer.change {
        return format!("change of {} to {} from {:?}", c.metric.key, c.to.period, c.base().map(|b| b.to_string()));
    }
    if let Some(r) = &answer.refusal {
        return format!("refusal {r:?} of {}", answer.best().map_or("-", |m| m.metric.key.as_str()));
    }
    match answer.best() {
        Some(m) => {
            let values: Vec<String> = m.lead.observations.iter().map(|o| format!("{} {}", o.value, o.period)).collect();
            format!("{} [{}] {:?} coverage {:.2}", m.metric.key, values.join(", "), answer.confidence, m.coverage)
        }
        None => format!("nothing; offered {:?}", answer.alternatives.iter().map(|m| &m.key).collect::<Vec<_>>()),
    }
}

pub fn run(catalog: &Catalog, questions: &[Question]) -> Tally {
    let mut tally = Tally::default();
    for question in questions {
        let answer = search(&catalog.metrics, &catalog.metric_index, &question.q);
        let outcome = judge(question, &answer);
        if question.intent == Intent::Refuse {
            tally.refusals += 1;
            tally.refusals_right += usize::from(outcome == Outcome::Right);
        }
        match outcome {
            Outcome::Right => tally.right += 1,
            Outcome::Wrong { offered } => {
                tally.wrong += 1;
                tally.wrong_but_offered += usize::from(offered);
            }
            Outcome::NotFound => tally.not_found += 1,
        }
        for category in question.categories() {
            let entry = tally.by_category.entry(category).or_default();
            entry.0 += usize::from(outcome == Outcome::Right);
            entry.1 += usize::from(matches!(outcome, Outcome::Wrong { .. }));
            entry.2 += 1;
        }
        if outcome != Outcome::Right {
            tally.misses.push(format!(
                "{outcome:?}: {:?} wants {:?} {} {} {} — got {}",
                question.q,
                question.intent,
                question.metric.as_deref().unwrap_or("-"),
                question.period.as_deref().unwrap_or("-"),
                question.base.as_deref().unwrap_or(""),
                describe(&answer)
            ));
        }
    }
    tally
}
