//! The tasks as `deadlines`, `import` and `report` print them with `--json`.

use serde::Serialize;

use crate::domain::deadline::Listed;
use crate::domain::extract::Proposal;
use crate::domain::lang::Lang;
use crate::domain::report::{Counts, Report};
use crate::domain::standing::{self, State};
use crate::domain::task::CompletionSource;

use super::DATE;

/// A task, as `deadlines --json` prints it.
#[derive(Debug, Serialize)]
pub struct TaskJson {
    accountable: String,
    /// The deadline `/extend` set, when it did; `due` is then this date.
    adjusted_due: Option<String>,
    /// When the work (this occurrence) was finished, when known.
    completed_on: Option<String>,
    /// The later report that says the task was done (seeded), when one does.
    completion_source: Option<CompletionJson>,
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
    /// Each body that must act.
    owners: Vec<String>,
    /// The bodies that work with them.
    partners: Vec<String>,
    recurrence: Option<&'static str>,
    source: Option<String>,
    source_file: Option<String>,
    source_published: Option<String>,
    source_title: Option<String>,
    /// Where the source can be read (http or https), when known.
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
            completion_source: task.completion_source.as_ref().map(CompletionJson::from),
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
            owners: task.owner_list().into_iter().map(str::to_owned).collect(),
            partners: task.partners.clone(),
            recurrence: task.recurrence.map(|r| r.as_str()),
            source: task.source.as_ref().map(|s| s.citation(Lang::Vi)),
            source_file: task.source.as_ref().map(|s| s.seed_file.clone()),
            source_published: task.source.as_ref().map(|s| s.published.format(DATE).to_string()),
            source_title: task.source.as_ref().map(|s| s.title.clone()),
            source_url: task.source.as_ref().and_then(|s| s.address()).map(str::to_owned),
            state: standing.state(),
            status: task.status.as_str(),
            title: task.title_vi.clone(),
            title_en: task.title_en.clone(),
        }
    }
}

/// The report a task's completion comes from.
#[derive(Debug, Serialize)]
pub struct CompletionJson {
    date: String,
    title: String,
    url: String,
}

impl From<&CompletionSource> for CompletionJson {
    fn from(c: &CompletionSource) -> Self {
        Self { date: c.published.format(DATE).to_string(), title: c.title.clone(), url: c.url.clone() }
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
    owners: &'a [String],
    partners: &'a [String],
    deliverable: &'a str,
    /// The date was already past when the text was published.
    already_due: bool,
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
            owners: &p.owners,
            partners: &p.partners,
            deliverable: &p.deliverable,
            already_due: p.already_due,
            recurrence: p.recurrence.map(|r| r.as_str()),
            source,
            status: "open",
            title: &p.sentence,
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
