//! Everything the bot knows, in memory: tasks, metrics and topics, loaded from the database.
//!
//! Questions are answered from this snapshot rather than by querying SQLite each time, so a command
//! costs a scan of folded strings, not a round trip; writes go to the database and then reload it.

use super::lang::Lang;
use super::metric::{Metric, MetricIndex};
use super::task::Task;

/// A topic that groups metrics for `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
}

impl Topic {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Vi => &self.name_vi,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub tasks: Vec<Task>,
    pub metrics: Vec<Metric>,
    /// Built from `metrics` when the catalog is loaded.
    pub metric_index: MetricIndex,
    pub topics: Vec<Topic>,
}

impl Catalog {
    pub fn task(&self, id: i64) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
}
