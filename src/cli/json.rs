//! What `--json` prints: one typed shape per output. Fields are declared in alphabetical order,
//! the order the output has always had.

use serde::Serialize;

use crate::domain::deadline::Listed;
use crate::domain::extract::Proposal;
use crate::domain::lang::Lang;
use crate::domain::metric::{Confidence, Metric, MetricAnswer, Observation};
use crate::domain::report::{Counts, Report};
use crate::domain::standing::{self, State};

const DATE: &str = "%Y-%m-%d";

/// A task, as `deadlines --json` prints it.
#[derive(Debug, Serialize)]
pub struct TaskJson {
    accountable: String,
    /// The deadline `/extend` set, when it did; `due` is then this date.
    adjusted_due: Option<String>,
    /// When the work (this occurrence) was finished, when known.
    completed_on: Option<String>,
    /// Days late (done late) or overdue (not done); 0 otherwise.
    days_late: i64,
    days_left: i64,
    deliverable: String,
    directive: Option<String>,
    directive_name: Option<String>,
    due: String,
    due_phrase: String,
    due_precision: &'static str,
    id: i64,
    key: Option<String>,
    /// The due date the directive gave, kept when adjusted.
    original_due: String,
    overdue: bool,
    owner: String,
    owner_en: String,
    recurrence: Option<&'static str>,
    source: Option<String>,
    source_file: Option<String>,
    source_published: Option<String>,
    source_title: Option<String>,
    /// The address of the page the task was read from (a watched source's item).
    source_url: Option<String>,
    /// The official count's state: within_term, done_on_time, done_late, overdue, cancelled.
    state: State,
    status: &'static str,
    title: String,
    title_en: String,
}

impl From<&Listed<'_>> for TaskJson {
    fn from(listed: &Listed) -> Self {
        let task = listed.task;
        let today = listed.due - chrono::Duration::days(listed.days_left);
        let standing = standing::of_listed(listed, today);
        Self {
            accountable: task.accountable.clone(),
            adjusted_due: listed.adjusted_from().map(|_| listed.due.format(DATE).to_string()),
            completed_on: standing.completed_on().map(|d| d.format(DATE).to_string()),
            days_late: standing.days_late(),
            days_left: listed.days_left,
            deliverable: task.deliverable.clone(),
            directive: task
                .directive
                .as_ref()
                .map(|d| d.code.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| d.name_vi.clone())),
            directive_name: task.directive.as_ref().map(|d| d.name_vi.clone()),
            due: listed.due.format(DATE).to_string(),
            due_phrase: task.due_phrase.clone(),
            due_precision: task.due.precision.as_str(),
            id: task.id,
            key: task.key.clone(),
            original_due: listed.adjusted_from().unwrap_or(task.due.date).format(DATE).to_string(),
            overdue: listed.is_overdue(),
            owner: task.owner.clone(),
            owner_en: task.owner_en.clone(),
            recurrence: task.recurrence.map(|r| r.as_str()),
            source: task.source.as_ref().map(|s| s.citation(Lang::Vi)),
            source_file: task.source.as_ref().map(|s| s.seed_file.clone()),
            source_published: task.source.as_ref().map(|s| s.published.format(DATE).to_string()),
            source_title: task.source.as_ref().map(|s| s.title.clone()),
            source_url: task.source.as_ref().filter(|s| s.key.starts_with("http")).map(|s| s.key.clone()),
            state: standing.state(),
            status: task.status.as_str(),
            title: task.title_vi.clone(),
            title_en: task.title_en.clone(),
        }
    }
}

/// A proposal of `import --json`: the shape of a task, not yet stored.
#[derive(Debug, Serialize)]
pub struct ProposalJson<'a> {
    directive: Option<String>,
    due: String,
    due_phrase: &'a str,
    due_precision: &'static str,
    id: Option<i64>,
    owner: &'a str,
    recurrence: Option<&'static str>,
    source: &'a str,
    status: &'static str,
    title: &'a str,
}

impl<'a> ProposalJson<'a> {
    pub fn new(p: &'a Proposal, source: &'a str) -> Self {
        Self {
            directive: None,
            due: p.due.date.format(DATE).to_string(),
            due_phrase: &p.due_phrase,
            due_precision: p.due.precision.as_str(),
            id: None,
            owner: &p.owner,
            recurrence: p.recurrence.map(|r| r.as_str()),
            source,
            status: "open",
            title: &p.sentence,
        }
    }
}

/// One published figure of a metric.
#[derive(Debug, Serialize)]
pub struct ObservationJson<'a> {
    cumulative: bool,
    kind: &'static str,
    out_of: Option<f64>,
    period: String,
    qualifier: Option<&'static str>,
    /// "national", or the province the figure belongs to.
    scope: &'a str,
    source: String,
    source_file: &'a str,
    unit: &'a str,
    unit_en: &'a str,
    /// The top of a range ("8-10%"), when the figure is one.
    upper: Option<f64>,
    value: f64,
}

impl<'a> ObservationJson<'a> {
    fn new(obs: &'a Observation, metric: &'a Metric) -> Self {
        Self {
            cumulative: obs.cumulative,
            kind: obs.kind.as_str(),
            out_of: obs.out_of,
            period: obs.period.to_string(),
            qualifier: obs.qualifier.map(|q| q.as_str()),
            scope: obs.scope.province().unwrap_or("national"),
            source: obs.source.citation(Lang::Vi),
            source_file: &obs.source.seed_file,
            unit: &metric.unit_vi,
            unit_en: &metric.unit_en,
            upper: obs.upper,
            value: obs.value,
        }
    }
}

/// A metric: the figure for the asked period (or the latest), and every observation.
#[derive(Debug, Serialize)]
pub struct MetricJson<'a> {
    also: Vec<ObservationJson<'a>>,
    key: &'a str,
    kind: Option<&'static str>,
    name: &'a str,
    name_en: &'a str,
    observations: Vec<ObservationJson<'a>>,
    out_of: Option<f64>,
    period: Option<String>,
    qualifier: Option<&'static str>,
    score: f64,
    scope: Option<&'a str>,
    source: Option<String>,
    topic: &'a str,
    unit: &'a str,
    unit_en: &'a str,
    upper: Option<f64>,
    value: Option<f64>,
}

impl<'a> MetricJson<'a> {
    /// `headline`: the figures that answer the question, first the one to lead with.
    fn new(metric: &'a Metric, headline: &[&'a Observation], score: f64) -> Self {
        let lead = headline.first();
        Self {
            also: headline.iter().skip(1).map(|o| ObservationJson::new(o, metric)).collect(),
            key: &metric.key,
            kind: lead.map(|o| o.kind.as_str()),
            name: &metric.name_vi,
            name_en: &metric.name_en,
            observations: metric.observations.iter().map(|o| ObservationJson::new(o, metric)).collect(),
            out_of: lead.and_then(|o| o.out_of),
            period: lead.map(|o| o.period.to_string()),
            qualifier: lead.and_then(|o| o.qualifier.map(|q| q.as_str())),
            score: (score * 1000.0).round() / 1000.0,
            scope: lead.map(|o| o.scope.province().unwrap_or("national")),
            source: lead.map(|o| o.source.citation(Lang::Vi)),
            topic: &metric.topic,
            unit: &metric.unit_vi,
            unit_en: &metric.unit_en,
            upper: lead.and_then(|o| o.upper),
            value: lead.map(|o| o.value),
        }
    }
}

/// `metric --json`: the best matches first, how sure, the figures offered, and the suggestions.
#[derive(Debug, Serialize)]
pub struct MetricAnswerJson<'a> {
    /// The other figures offered as buttons (close ones, or the closest when nothing matched).
    alternatives: Vec<&'a str>,
    /// "clear", "close" or "not_found".
    confidence: &'static str,
    matches: Vec<MetricJson<'a>>,
    period: Option<String>,
    query: &'a str,
    /// The province the question named when only the national figure exists.
    scope_missing: Option<&'a str>,
    suggestions: Vec<&'a str>,
}

impl<'a> MetricAnswerJson<'a> {
    pub fn new(answer: &'a MetricAnswer<'a>, query: &'a str) -> Self {
        Self {
            alternatives: answer.alternatives.iter().map(|m| m.key.as_str()).collect(),
            confidence: match answer.confidence {
                Confidence::Clear => "clear",
                Confidence::Close => "close",
                Confidence::NotFound => "not_found",
            },
            matches: answer.matches.iter().map(|m| MetricJson::new(m.metric, &m.lead.observations, m.score)).collect(),
            period: answer.period.map(|p| p.to_string()),
            query,
            scope_missing: answer.scope_missing.as_deref(),
            suggestions: answer.suggestions.iter().map(|m| m.key.as_str()).collect(),
        }
    }
}

/// One owner's counts in `report --json`.
#[derive(Debug, Serialize)]
pub struct CountsJson<'a> {
    assigned: u32,
    cancelled: u32,
    done_late: u32,
    done_on_time: u32,
    done_rate: Option<f64>,
    due: u32,
    on_time_rate: Option<f64>,
    overdue: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_en: Option<&'a str>,
    within_term: u32,
}

impl<'a> CountsJson<'a> {
    fn new(c: &Counts, owner: Option<(&'a str, &'a str)>) -> Self {
        Self {
            assigned: c.assigned(),
            cancelled: c.cancelled,
            done_late: c.done_late,
            done_on_time: c.done_on_time,
            done_rate: c.done_rate(),
            due: c.due(),
            on_time_rate: c.on_time_rate(),
            overdue: c.overdue,
            owner: owner.map(|o| o.0),
            owner_en: owner.map(|o| o.1),
            within_term: c.within_term,
        }
    }
}

/// `report --json`: the day, the filter, the owners (most overdue first), the totals and how many
/// deadlines were adjusted.
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    adjusted: u32,
    as_of: String,
    filter: &'a str,
    owners: Vec<CountsJson<'a>>,
    totals: CountsJson<'a>,
}

impl<'a> ReportJson<'a> {
    pub fn new(report: &'a Report<'a>, filter: &'a str) -> Self {
        Self {
            adjusted: report.adjusted,
            as_of: report.as_of.format(DATE).to_string(),
            filter,
            owners: report.owners.iter().map(|o| CountsJson::new(&o.counts, Some((o.owner, o.owner_en)))).collect(),
            totals: CountsJson::new(&report.totals, None),
        }
    }
}
