//! What `--json` prints: one typed shape per output. Fields are declared in alphabetical order,
//! the order the output has always had.

mod figures;
mod tasks;

pub use figures::{FigureJson, MetricAnswerJson, MetricListJson};
pub use tasks::{ProposalJson, ReportJson, TaskJson};

/// How a day is written in every output.
const DATE: &str = "%Y-%m-%d";
