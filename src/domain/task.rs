//! Sources, directives and their dated tasks: the "5 rõ" of each assignment.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::due::{Due, Recurrence};
use super::fold::fold;
use super::lang::Lang;

/// Where a fact comes from: a published article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub key: String,
    pub title: String,
    pub publisher: String,
    pub published: NaiveDate,
    pub seed_file: String,
    /// Where it can be read (http or https); empty when no address is known.
    pub url: String,
}

impl Source {
    /// The address, when one is known.
    pub fn address(&self) -> Option<&str> {
        Some(self.url.as_str()).filter(|u| !u.is_empty())
    }

    /// "VOV, 06/02/2025" or "VOV, 6 Feb 2025".
    pub fn citation(&self, lang: Lang) -> String {
        let date = super::period::Period::Day(self.published).label(lang);
        format!("{}, {date}", self.publisher)
    }
}

/// The later report that says a task was done: its title, address and publication date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionSource {
    pub title: String,
    pub url: String,
    pub published: NaiveDate,
}

/// A directive or a committee session's conclusions, which assign tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub key: String,
    pub code: Option<String>,
    pub name_vi: String,
    pub name_en: String,
    /// The day it was signed, when known.
    pub issued: Option<NaiveDate>,
}

impl Directive {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_vi,
        }
    }
}

/// Where a task stands. Overdue is not a status: it is "open" and past due.
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
pub enum Status {
    Open,
    Done,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A dated task with the directives' "5 rõ": who (owner), what (title), by when (due),
/// which deliverable and who is accountable. Empty strings where the text says nothing.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: i64,
    pub key: Option<String>,
    pub title_vi: String,
    pub title_en: String,
    /// The owners joined by ", " (as listings show them).
    pub owner: String,
    pub owner_en: String,
    /// Each body that must act; an addressee list is one. Empty for a task without an owner.
    pub owners: Vec<String>,
    /// The bodies that work with them ("phối hợp với …").
    pub partners: Vec<String>,
    pub deliverable: String,
    pub accountable: String,
    pub due: Due,
    pub due_phrase: String,
    pub recurrence: Option<Recurrence>,
    pub status: Status,
    pub keywords: String,
    pub directive: Option<Arc<Directive>>,
    pub source: Option<Arc<Source>>,
    /// For a monthly task: the occurrences already done.
    pub done_occurrences: Vec<NaiveDate>,
    /// When the work was finished, as `/done` recorded it: the task's own (one-off task), or each
    /// occurrence's, keyed by the occurrence's due date (monthly task). Missing for work marked
    /// done before completion dates were kept.
    pub completed_on: Option<NaiveDate>,
    pub occurrences_completed: std::collections::BTreeMap<NaiveDate, NaiveDate>,
    /// A deadline adjusted by `/extend`: the original `due` is kept; on time is judged, and
    /// reminders go out, against this one.
    pub adjusted_due: Option<NaiveDate>,
    /// A recurring task's occurrences whose deadline `/extend` adjusted: the occurrence's date by the
    /// rule → its adjusted date. The other occurrences keep the rule's dates.
    pub occurrences_adjusted: std::collections::BTreeMap<NaiveDate, NaiveDate>,
    /// For a task known done from a later report (seeded), that report.
    pub completion_source: Option<CompletionSource>,
    /// Everything a search may match, folded once when the task is loaded.
    pub search_text: String,
}

/// What happened to a task, for its history.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::EnumIter,
)]
#[strum(serialize_all = "lowercase")]
pub enum EventKind {
    Added,
    Imported,
    Done,
    Reopened,
    Note,
    /// The deadline was adjusted (`/extend`); the event's `new_due` holds the new date.
    Extended,
}

/// One entry of a task's history: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    /// Telegram user id; `None` from the command line.
    pub user_id: Option<i64>,
    pub kind: EventKind,
    pub occurrence: Option<NaiveDate>,
    pub note: String,
    /// For an adjustment: the due date it set.
    pub new_due: Option<NaiveDate>,
}

impl Task {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.title_en.is_empty() => &self.title_en,
            _ => &self.title_vi,
        }
    }

    pub fn owner(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.owner_en.is_empty() => &self.owner_en,
            _ => &self.owner,
        }
    }

    /// Each owner: `owners`, or the `owner` alone for a task stored without the list.
    pub fn owner_list(&self) -> Vec<&str> {
        if self.owners.is_empty() {
            Some(self.owner.as_str()).filter(|o| !o.is_empty()).into_iter().collect()
        } else {
            self.owners.iter().map(String::as_str).collect()
        }
    }

    /// The day the task was given: its directive's date, else the day its source was published.
    /// `None` for a task added by hand, which has neither.
    pub fn assigned_on(&self) -> Option<NaiveDate> {
        self.directive.as_ref().and_then(|d| d.issued).or(self.source.as_ref().map(|s| s.published))
    }

    /// The due date a one-off task is judged against: the adjusted one when `/extend` set one.
    pub fn judged_due(&self) -> NaiveDate {
        self.adjusted_due.unwrap_or(self.due.date)
    }

    /// The date an occurrence (its date by the rule; a one-off task's due date) is judged, listed
    /// and reminded against: the adjusted one when `/extend` set one.
    pub fn due_of(&self, occurrence: NaiveDate) -> NaiveDate {
        match self.recurrence {
            None => self.judged_due(),
            Some(_) => self.occurrences_adjusted.get(&occurrence).copied().unwrap_or(occurrence),
        }
    }

    /// Builds the folded text searches run against: titles, owners, keywords, directive and source.
    pub fn build_search_text(&mut self) {
        let mut parts = vec![
            self.title_vi.as_str(),
            self.title_en.as_str(),
            self.owner.as_str(),
            self.owner_en.as_str(),
            self.deliverable.as_str(),
            self.accountable.as_str(),
            self.keywords.as_str(),
        ];
        if let Some(directive) = &self.directive {
            parts.extend([directive.name_vi.as_str(), directive.name_en.as_str()]);
            parts.extend(directive.code.as_deref());
        }
        if let Some(source) = &self.source {
            parts.push(source.publisher.as_str());
        }
        self.search_text = fold(&parts.join(" \u{1f} "));
    }
}

#[cfg(test)]
impl Task {
    /// A task for the unit tests of the modules that list, digest and remind.
    pub fn sample(id: i64, title: &str, owner: &str, due: Due, status: Status) -> Self {
        let mut task = Self {
            id,
            key: None,
            title_vi: title.into(),
            title_en: String::new(),
            owner: owner.into(),
            owner_en: String::new(),
            owners: Vec::new(),
            partners: Vec::new(),
            deliverable: String::new(),
            accountable: String::new(),
            due,
            due_phrase: String::new(),
            recurrence: None,
            status,
            keywords: String::new(),
            directive: None,
            source: None,
            done_occurrences: Vec::new(),
            completed_on: None,
            occurrences_completed: Default::default(),
            occurrences_adjusted: Default::default(),
            adjusted_due: None,
            completion_source: None,
            search_text: String::new(),
        };
        task.build_search_text();
        task
    }
}
