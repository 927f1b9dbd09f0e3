//! The /metric development set (`tests/data/metric_questions.toml`) and how an answer is judged:
//! shared by `tests/metric_questions.rs` and the benchmark.

use std::path::Path;
use std::sync::Arc;

use hanchot::domain::catalog::Catalog;
use hanchot::domain::metric::{Confidence, MetricAnswer, search};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub q: String,
    pub lang: String,
    pub metric: String,
    pub value: f64,
    pub period: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub scope_missing: Option<String>,
}

#[derive(Deserialize)]
struct DevSet {
    questions: Vec<Question>,
}

pub fn questions() -> Vec<Question> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/metric_questions.toml");
    let text = std::fs::read_to_string(&path).expect("the development set is readable");
    toml::from_str::<DevSet>(&text).expect("the development set parses").questions
}

/// The built-in seeds as the bot loads them (the shared harness's app).
pub async fn seeded_catalog() -> Arc<Catalog> {
    crate::support::app_at(crate::support::TODAY).await.catalog()
}

/// How the first answer to a question fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The right metric, and its leading figure is the gold value, period and scope.
    Right,
    /// A figure, but not the right one; `offered` when the right metric is among the alternatives.
    Wrong {
        offered: bool,
    },
    NotFound,
}

pub fn judge(question: &Question, answer: &MetricAnswer) -> Outcome {
    let Some(best) = answer.best().filter(|_| answer.confidence != Confidence::NotFound) else {
        return Outcome::NotFound;
    };
    let right = best.metric.key == question.metric
        && best.lead.observations.iter().any(|o| {
            o.holds(question.value)
                && o.period.to_string() == question.period
                && o.scope.province() == question.scope.as_deref()
        })
        && best.lead.scope_missing == question.scope_missing;
    if right {
        Outcome::Right
    } else {
        Outcome::Wrong { offered: answer.alternatives.iter().any(|m| m.key == question.metric) }
    }
}

/// Right, wrong and not-found counts, and a line for each miss.
#[derive(Debug, Default)]
pub struct Tally {
    pub right: usize,
    pub wrong: usize,
    pub wrong_but_offered: usize,
    pub not_found: usize,
    pub misses: Vec<String>,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.right + self.wrong + self.not_found
    }

    pub fn top1(&self) -> f64 {
        self.right as f64 / self.total().max(1) as f64
    }
}

pub fn run(catalog: &Catalog, questions: &[Question]) -> Tally {
    let mut tally = Tally::default();
    for question in questions {
        let answer = search(&catalog.metrics, &catalog.metric_index, &question.q);
        let outcome = judge(question, &answer);
        match outcome {
            Outcome::Right => tally.right += 1,
            Outcome::Wrong { offered } => {
                tally.wrong += 1;
                tally.wrong_but_offered += usize::from(offered);
            }
            Outcome::NotFound => tally.not_found += 1,
        }
        if outcome != Outcome::Right {
            let got = answer.best().map(|m| {
                let values: Vec<String> =
                    m.lead.observations.iter().map(|o| format!("{} {}", o.value, o.period)).collect();
                format!("{} [{}] {:?}", m.metric.key, values.join(", "), answer.confidence)
            });
            tally.misses.push(format!(
                "{outcome:?}: {:?} wants {} {} {} — got {}",
                question.q,
                question.metric,
                question.value,
                question.period,
                got.unwrap_or_else(|| format!(
                    "nothing; offered {:?}",
                    answer.alternatives.iter().map(|m| &m.key).collect::<Vec<_>>()
                ))
            ));
        }
    }
    tally
}
