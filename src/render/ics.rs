//! Deadlines as an iCalendar file (RFC 5545, written with the `icalendar` crate) for Google
//! Calendar and Outlook: one all-day event per task on its due date, the reminder lead times as
//! alarms, and UIDs that stay the same from one export to the next, so a re-import updates rather
//! than duplicates.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus};

use super::i18n::texts;
use super::tasks::standing;
use crate::domain::deadline::Listed;
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::task::{Status, Task};

/// A task's UID: its seed key where it has one (stable across databases), else its id.
pub fn uid(task: &Task) -> String {
    match &task.key {
        Some(key) => format!("{key}@hanchot"),
        None => format!("task-{}@hanchot", task.id),
    }
}

fn description(listed: &Listed, lang: Lang) -> String {
    let t = texts(lang);
    let task = listed.task;
    let mut lines = Vec::new();
    if !task.owner(lang).is_empty() {
        lines.push(format!("{}: {}", t.ics_owner, task.owner(lang)));
    }
    if !task.deliverable.is_empty() {
        lines.push(format!("{}: {}", t.ics_deliverable, task.deliverable));
    }
    if !task.accountable.is_empty() {
        lines.push(format!("{}: {}", t.ics_accountable, task.accountable));
    }
    if !task.due_phrase.is_empty() {
        lines.push(format!("{}: {}", t.ics_due, task.due_phrase));
    }
    if let Some(directive) = &task.directive {
        lines.push(format!("{}: {}", t.ics_directive, directive.name(lang)));
    }
    if let Some(source) = &task.source {
        lines.push(format!("{}: {} ({})", t.ics_source, source.title, source.citation(lang)));
    }
    if let Some(original) = task.adjusted_due.map(|_| task.due.date).filter(|_| task.recurrence.is_none()) {
        lines.push(format!("{}: {}", t.ics_original_due, Period::Day(original).label(lang)));
    }
    // The state the official reports count, as of the day the file was made.
    lines.push(format!("{}: {}", t.ics_status, strip_tags(&standing(listed, lang))));
    lines.join("\n")
}

/// The calendar of `tasks`, with an alarm `remind_days` before each due date.
pub fn calendar(tasks: &[Listed], remind_days: &[u32], now: DateTime<Utc>, lang: Lang) -> String {
    let mut calendar = Calendar::new();
    calendar.name(texts(lang).ics_name);
    for listed in tasks {
        let task = listed.task;
        let mut event = Event::new();
        // A recurring task is one series, starting at its first due date.
        let start = if task.recurrence.is_some() { task.due.date } else { listed.due };
        event
            .uid(&uid(task))
            .timestamp(now)
            .summary(&format!("#{} {}", task.id, task.title(lang)))
            .description(&description(listed, lang))
            .starts(start)
            .ends(start.succ_opt().unwrap_or(start))
            .status(if task.status == Status::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
        if let Some(recurrence) = task.recurrence {
            event.add_property("RRULE", recurrence.rrule());
        }
        if task.status == Status::Open {
            for &days in remind_days {
                event.alarm(Alarm::display(task.title(lang), -Duration::days(i64::from(days))));
            }
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// Calendar descriptions are plain text; the standing words may carry HTML entities or tags.
fn strip_tags(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}
