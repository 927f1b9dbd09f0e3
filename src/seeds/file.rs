//! What a seed file holds: its source, directives, tasks, topics, metrics and observations, as
//! they are written in TOML (unknown fields refused).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::due::{DuePrecision, Recurrence};
use crate::domain::metric::{Measure, ObservationKind, Qualifier};
use crate::domain::task::Status;

/// TOML dates (`published = 2025-02-06`) arrive as TOML datetimes, not strings: read them as such.
mod toml_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, de::Error};

    fn convert<E: Error>(value: toml::value::Datetime) -> Result<NaiveDate, E> {
        match (value.date, value.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| E::custom(format!("{value} is not a date"))),
            _ => Err(E::custom(format!("{value} is not a plain date (YYYY-MM-DD)"))),
        }
    }

    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        convert(toml::value::Datetime::deserialize(d)?)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<toml::value::Datetime>::deserialize(d)?.map(convert).transpose()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSeed {
    pub key: String,
    pub title: String,
    pub publisher: String,
    #[serde(deserialize_with = "toml_date::required")]
    pub published: NaiveDate,
    /// The article's copy in shared/seed-articles, for the first seeds; empty for the others.
    #[serde(default)]
    pub file: String,
    /// Where the article can be read (http or https).
    #[serde(default)]
    pub url: String,
}

/// A later report saying a task was done: what it is called, where, and when it was published.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompletionSeed {
    pub title: String,
    pub url: String,
    #[serde(deserialize_with = "toml_date::required")]
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DirectiveSeed {
    pub key: String,
    #[serde(default)]
    pub code: Option<String>,
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default, deserialize_with = "toml_date::optional")]
    pub issued: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSeed {
    pub key: String,
    pub directive: String,
    pub title_vi: String,
    #[serde(default)]
    pub title_en: String,
    /// One owner (older seeds, and seeds of one body).
    #[serde(default)]
    pub owner: String,
    /// Several owners, each a body; an addressee list is one.
    #[serde(default)]
    pub owners: Vec<String>,
    /// The bodies that work with the owners ("phối hợp với …"), never in `owner`.
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub owner_en: String,
    #[serde(default)]
    pub deliverable: String,
    #[serde(default)]
    pub accountable: String,
    #[serde(deserialize_with = "toml_date::required")]
    pub due: NaiveDate,
    pub precision: DuePrecision,
    pub due_phrase: String,
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// When a later report says the work was finished; the task is then done.
    #[serde(default, deserialize_with = "toml_date::optional", skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<NaiveDate>,
    /// That report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_source: Option<CompletionSeed>,
}

impl TaskSeed {
    /// The owners, from `owners` or, when it is empty, `owner`.
    pub fn owner_list(&self) -> Vec<String> {
        if self.owners.is_empty() {
            Some(self.owner.trim().to_owned()).filter(|o| !o.is_empty()).into_iter().collect()
        } else {
            self.owners.clone()
        }
    }

    /// The owners as one line, as `owner` is stored.
    pub fn joined_owner(&self) -> String {
        self.owner_list().join(", ")
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSeed {
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSeed {
    pub key: String,
    pub topic: String,
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub unit_vi: String,
    #[serde(default)]
    pub unit_en: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `event` for a metric of dated events (a launch, a law passed); a level otherwise.
    #[serde(default, skip_serializing_if = "Measure::is_level")]
    pub measure: Measure,
    /// For a metric of changes (places gained, members added): the key of the metric it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_of: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationSeed {
    pub metric: String,
    /// The figure; an event (with `text_vi`) needs none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The high end of a range ("8-10%": value 8, upper 10).
    #[serde(default)]
    pub upper: Option<f64>,
    #[serde(default)]
    pub out_of: Option<f64>,
    pub period: String,
    /// A running total up to the end of `period`, not what happened within it.
    #[serde(default)]
    pub cumulative: bool,
    pub kind: ObservationKind,
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub note_vi: String,
    #[serde(default)]
    pub note_en: String,
    /// For a stored change ("tăng 15 bậc so với năm 2022"): the period it is measured from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// For an event: what happened ("chính thức thương mại hóa dịch vụ 5G").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text_vi: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text_en: String,
}

/// One seed file: any of the sections may be present.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    #[serde(skip)]
    pub name: String,
    #[serde(default)]
    pub source: Option<SourceSeed>,
    #[serde(default)]
    pub directives: Vec<DirectiveSeed>,
    #[serde(default)]
    pub tasks: Vec<TaskSeed>,
    #[serde(default)]
    pub topics: Vec<TopicSeed>,
    #[serde(default)]
    pub metrics: Vec<MetricSeed>,
    #[serde(default)]
    pub observations: Vec<ObservationSeed>,
}
