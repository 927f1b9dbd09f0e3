//! Deadlines as an iCalendar file (RFC 5545, written with the `icalendar` crate) for Google
//! Calendar and Outlook: one all-day event per task on its due date, the reminder lead times as
//! alarms, and UIDs that stay the same from one export to the next, so a re-import updates rather
//! than duplicates.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus};

use crate::domain::deadline::Listed;
use crate::domain::due::Recurrence;
use crate::domain::lang::Lang;
use crate::domain::task::{Status, Task};

/// A task's UID: its seed key where it has one (stable across databases), else its id.
pub fn uid(task: &Task) -> String {
    match &task.key {
        Some(key) => format!("{key}@hanchot"),
        None => format!("task-{}@hanchot", task.id),
    }
}

fn description(task: &Task, lang: Lang) -> String {
    let mut lines = Vec::new();
    let label = |vi: &str, en: &str| if lang == Lang::Vi { vi.to_owned() } else { en.to_owned() };
    if !task.owner(lang).is_empty() {
        lines.push(format!("{}: {}", label("Chủ trì", "Owner"), task.owner(lang)));
    }
    if !task.deliverable.is_empty() {
        lines.push(format!("{}: {}", label("Sản phẩm", "Deliverable"), task.deliverable));
    }
    if !task.accountable.is_empty() {
        lines.push(format!("{}: {}", label("Trách nhiệm", "Accountable"), task.accountable));
    }
    if !task.due_phrase.is_empty() {
        lines.push(format!("{}: {}", label("Thời hạn", "Due"), task.due_phrase));
    }
    if let Some(directive) = &task.directive {
        lines.push(format!("{}: {}", label("Văn bản", "Directive"), directive.name(lang)));
    }
    if let Some(source) = &task.source {
        lines.push(format!("{}: {} ({})", label("Nguồn", "Source"), source.title, source.citation(lang)));
    }
    lines.push(format!("{}: {}", label("Trạng thái", "Status"), task.status));
    lines.join("\n")
}

/// The calendar of `tasks`, with an alarm `remind_days` before each due date.
pub fn calendar(tasks: &[Listed], remind_days: &[u32], now: DateTime<Utc>, lang: Lang) -> String {
    let mut calendar = Calendar::new();
    calendar.name(if lang == Lang::Vi {
        "Hạn Chót — hạn chót chuyển đổi số"
    } else {
        "Hạn Chót — digital-transformation deadlines"
    });
    for listed in tasks {
        let task = listed.task;
        let mut event = Event::new();
        // A monthly task is one series, starting at its first due date.
        let start = if task.recurrence.is_some() { task.due.date } else { listed.due };
        event
            .uid(&uid(task))
            .timestamp(now)
            .summary(&format!("#{} {}", task.id, task.title(lang)))
            .description(&description(task, lang))
            .starts(start)
            .ends(start.succ_opt().unwrap_or(start))
            .status(if task.status == Status::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
        if task.recurrence == Some(Recurrence::Monthly) {
            event.add_property("RRULE", "FREQ=MONTHLY;BYMONTHDAY=-1");
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
