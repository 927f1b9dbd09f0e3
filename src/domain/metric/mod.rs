//! The programme's official figures: metrics, their observations, and where each figure applies.
//!
//! Finding the metric a question asks for is [`search`]; choosing which of its figures answers the
//! question (period, target or actual, cumulative or one year, national or a province) is [`lead`].

mod asked;
mod both;
mod button;
mod change;
mod index;
mod intent;
mod language;
mod lead;
mod lexicon;
mod periods;
mod query;
mod search;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::fold::words;
use super::lang::Lang;
use super::period::Period;
use super::task::Source;

pub use asked::{Asked, read_question, split_period};
pub use button::MetricButton;
pub use change::{Change, Resolved, change, resolve};
pub use index::MetricIndex;
pub use language::question_language;
pub use lead::{Lead, Refusal, lead};
pub use lexicon::{Lexicon, LexiconError, TermKind};
pub use search::{Confidence, MetricAnswer, MetricMatch, search, search_passage};

/// An actual figure or a target.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum ObservationKind {
    Actual,
    Target,
}

impl ObservationKind {
    /// Its stored and printed text.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How the source hedged a figure: "trên 60 triệu" is over, "ước 10,41%" about, "gần 8 triệu" nearly.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Qualifier {
    Over,
    About,
    Nearly,
}

impl Qualifier {
    /// Its stored and printed text.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a metric's figures are: a level (a count, a share, a rank) or a dated event (a launch, a
/// law passed), whose figure is a text and never a count.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Measure {
    #[default]
    Level,
    Event,
}

impl Measure {
    pub fn is_level(&self) -> bool {
        *self == Self::Level
    }
}

/// Where a figure applies: the whole country, or one province (stored as "" or the province's name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    #[default]
    National,
    Province(String),
}

impl Scope {
    /// Reads the stored form: "" is national, anything else a province's name.
    pub fn parse(stored: &str) -> Self {
        match stored.trim() {
            "" => Self::National,
            name => Self::Province(name.to_owned()),
        }
    }

    /// The province, for a provincial figure.
    pub fn province(&self) -> Option<&str> {
        match self {
            Self::National => None,
            Self::Province(name) => Some(name),
        }
    }

    pub fn is_national(&self) -> bool {
        *self == Self::National
    }

    /// The stored form ("" for national).
    pub fn as_stored(&self) -> &str {
        self.province().unwrap_or("")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_stored())
    }
}

/// One published figure of a metric.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The figure, or the low end of a range ("8-10%" is 8 with `upper` 10).
    pub value: f64,
    /// The high end of a range the source gave ("tăng trưởng 8-10%").
    pub upper: Option<f64>,
    pub out_of: Option<f64>,
    pub period: Period,
    /// A running total up to the end of `period` ("898/1.084 thủ tục" simplified in all), as opposed
    /// to what happened within the period ("313 thủ tục" in 2024 alone).
    pub cumulative: bool,
    pub kind: ObservationKind,
    pub qualifier: Option<Qualifier>,
    pub scope: Scope,
    pub note_vi: String,
    pub note_en: String,
    /// For a stored change ("tăng 15 bậc so với 2022"), the period it is measured from.
    pub base: Option<Period>,
    /// For an event, what happened, in both languages ("chính thức thương mại hóa 5G").
    pub text_vi: String,
    pub text_en: String,
    pub source: Arc<Source>,
}

impl Observation {
    pub fn note(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.note_en.is_empty() => &self.note_en,
            _ => &self.note_vi,
        }
    }

    /// An event's text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.text_en.is_empty() => &self.text_en,
            _ => &self.text_vi,
        }
    }

    /// The same fact as `other`: one figure, period, kind, scope and range, whoever published it.
    pub fn same_fact(&self, other: &Observation) -> bool {
        self.period == other.period
            && self.kind == other.kind
            && self.scope == other.scope
            && self.cumulative == other.cumulative
            && self.holds(other.value)
            && self.upper == other.upper
            && self.out_of == other.out_of
            && self.text_vi == other.text_vi
    }

    /// Whether `value` (as a gold answer or a user's number) is this figure: equal, or within its range.
    pub fn holds(&self, value: f64) -> bool {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        close(self.value, value) || self.upper.is_some_and(|u| close(u, value))
    }
}

/// A metric, with its figures ordered by period (then actual before target).
#[derive(Debug, Clone)]
pub struct Metric {
    pub id: i64,
    pub key: String,
    pub topic: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit_vi: String,
    pub unit_en: String,
    pub aliases: Vec<String>,
    /// A level or an event.
    pub measure: Measure,
    /// For a metric of changes (places gained, members added), the key of the metric it changes.
    pub change_of: Option<String>,
    pub observations: Vec<Observation>,
    /// The folded words of each name and alias, computed once when loaded.
    pub phrases: Vec<Vec<String>>,
}

impl Metric {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_vi,
        }
    }

    pub fn unit(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.unit_en.is_empty() => &self.unit_en,
            _ => &self.unit_vi,
        }
    }

    /// Its names in both languages, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [&self.name_vi, &self.name_en].into_iter().chain(&self.aliases).map(String::as_str)
    }

    /// A ranking ("hạng 71/193", "top 10"): a smaller number is better, and its scope is a country,
    /// not "the whole country".
    pub fn is_rank(&self) -> bool {
        ["hạng", "top"].contains(&self.unit_vi.trim()) || ["rank", "top"].contains(&self.unit_en.trim())
    }

    /// Orders the figures and folds the names, once, after loading.
    pub fn prepare(&mut self) {
        self.observations.sort_by_key(|o| {
            (o.period.end(), o.period.start(), o.kind == ObservationKind::Target, !o.cumulative, !o.scope.is_national())
        });
        let names = [&self.name_vi, &self.name_en, &self.key].into_iter().chain(self.aliases.iter());
        self.phrases = names.map(|n| words(n)).filter(|w| !w.is_empty()).collect();
    }

    /// The figure to lead with when nothing but a period is asked: see [`lead`].
    pub fn headline(&self, period: Option<Period>) -> Vec<&Observation> {
        lead(self, &Asked { period, ..Asked::default() }).observations
    }

    /// Whether any figure applies to `province` (folded name).
    pub fn has_province(&self, folded_province: &str) -> bool {
        self.observations.iter().any(|o| o.scope.province().is_some_and(|p| super::fold::fold(p) == folded_province))
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
