//! Deadlines as an iCalendar file (RFC 5545, written with the `icalendar` crate) for Google
//! Calendar and Outlook: one all-day event per task on its due date, the reminder lead times as
//! alarms, and UIDs that stay the same from one export to the next, so a re-import updates rather
//! than duplicates.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Property};

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
    if !task.partners.is_empty() {
        lines.push(format!("{}: {}", t.ics_partners, task.partners.join(", ")));
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
    calendar_with(tasks, remind_days, now, lang, &|_| None)
}

/// An event's revision in a calendar served at an address: `SEQUENCE`, and `LAST-MODIFIED`
/// (also its `DTSTAMP`, so that the same revision is the same text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revised {
    pub sequence: u32,
    pub modified_at: DateTime<Utc>,
}

/// [`calendar`], each task's events with the revision `revision` gives it.
pub fn calendar_with(
    tasks: &[Listed],
    remind_days: &[u32],
    now: DateTime<Utc>,
    lang: Lang,
    revision: &dyn Fn(&Task) -> Option<Revised>,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(texts(lang).ics_name);
    for listed in tasks {
        let task = listed.task;
        let revised = revision(task);
        let stamp = revised.map_or(now, |r| r.modified_at);
        let mut event = Event::new();
        // A recurring task is one series, starting at its first due date.
        let start = if task.recurrence.is_some() { task.due.date } else { listed.due };
        event
            .uid(&uid(task))
            .timestamp(stamp)
            .summary(&format!("#{} {}", task.id, task.title(lang)))
            .description(&description(listed, lang))
            .starts(start)
            .ends(start.succ_opt().unwrap_or(start))
            .status(if task.status == Status::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
        if let Some(url) = task.source.as_ref().and_then(|s| s.address()) {
            event.url(url);
        }
        if let Some(recurrence) = task.recurrence {
            event.add_property("RRULE", recurrence.rrule());
        }
        if let Some(revised) = revised {
            event.sequence(revised.sequence).last_modified(revised.modified_at);
        }
        if task.status == Status::Open {
            for &days in remind_days {
                event.alarm(alarm(task, lang, days, None, stamp));
            }
        }
        calendar.push(event.done());
        // An occurrence of the series whose deadline `/extend` moved: the same UID with the
        // occurrence's date by the rule as RECURRENCE-ID replaces that one occurrence (RFC 5545).
        for (&occurrence, &adjusted) in task.recurrence.and(Some(&task.occurrences_adjusted)).into_iter().flatten() {
            let mut moved = Event::new();
            let mut recurrence_id = Property::new("RECURRENCE-ID", occurrence.format("%Y%m%d").to_string());
            recurrence_id.add_parameter("VALUE", "DATE");
            if let Some(revised) = revised {
                moved.sequence(revised.sequence).last_modified(revised.modified_at);
            }
            moved
                .uid(&uid(task))
                .timestamp(stamp)
                .append_property(recurrence_id)
                .summary(&format!("#{} {}", task.id, task.title(lang)))
                .description(&format!(
                    "{}\n{}: {}",
                    description(listed, lang),
                    texts(lang).ics_original_due,
                    Period::Day(occurrence).label(lang)
                ))
                .starts(adjusted)
                .ends(adjusted.succ_opt().unwrap_or(adjusted));
            if task.status == Status::Open {
                for &days in remind_days {
                    moved.alarm(alarm(task, lang, days, Some(occurrence), stamp));
                }
            }
            calendar.push(moved.done());
        }
    }
    calendar.done().to_string()
}

/// A reminder `days` before the event, with a UID of its own that stays the same from one
/// export to the next (the crate would draw a random one), so that the same calendar is the same text.
/// An alarm `days` before the task's (or the occurrence's) due date, stamped `stamp` like its event:
/// left unstamped, the icalendar crate would write the machine's time, and the same calendar
/// would differ from one second to the next.
fn alarm(task: &Task, lang: Lang, days: u32, occurrence: Option<chrono::NaiveDate>, stamp: DateTime<Utc>) -> Alarm {
    let mut alarm = Alarm::display(task.title(lang), -Duration::days(i64::from(days)));
    let of = occurrence.map(|day| format!("-{}", day.format("%Y%m%d"))).unwrap_or_default();
    alarm.uid(&format!("{}{of}-alarm-{days}", uid(task))).timestamp(stamp);
    alarm
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

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::domain::due::{Due, DuePrecision, Recurrence};

    #[test]
    fn an_extended_occurrence_of_a_series_is_moved_by_its_recurrence_id() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let due = Due { date: d(1, 31), precision: DuePrecision::Month };
        let mut task = Task::sample(18, "Cập nhật kết quả giao ban", "Bộ Công an", due, Status::Open);
        task.recurrence = Some(Recurrence::Monthly);
        task.occurrences_adjusted.insert(d(11, 30), d(12, 10));
        let listed = Listed { task: &task, due: d(12, 10), days_left: 18 };
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        let ics = calendar(&[listed], &[7], now, Lang::Vi);
        let unfolded = ics.replace("\r\n ", "");
        let events: Vec<&str> = unfolded.split("BEGIN:VEVENT").skip(1).collect();
        assert_eq!(events.len(), 2, "the series and the moved occurrence: {ics}");
        assert!(events[0].contains("RRULE:FREQ=MONTHLY") && events[0].contains("DTSTART;VALUE=DATE:20260131"), "{ics}");
        let moved = events[1];
        assert!(moved.contains("RECURRENCE-ID;VALUE=DATE:20261130"), "{ics}");
        assert!(moved.contains("DTSTART;VALUE=DATE:20261210") && !moved.contains("RRULE"), "{ics}");
        assert!(moved.contains("BEGIN:VALARM"), "reminded before the new date: {ics}");
        let uid = |event: &str| event.lines().find(|l| l.starts_with("UID:")).map(str::to_owned);
        assert_eq!(uid(events[0]), uid(moved), "one series");
    }

    #[test]
    fn every_stamp_in_a_calendar_is_the_clocks_never_the_machines() {
        let due = Due { date: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(), precision: DuePrecision::Day };
        let task = Task::sample(7, "Ban hành kế hoạch", "Bộ Tài chính", due, Status::Open);
        let listed = || Listed { task: &task, due: due.date, days_left: 119 };
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 1, 0, 0).unwrap();
        let ics = calendar(&[listed()], &[7, 1], now, Lang::Vi);
        let stamps: Vec<&str> = ics.lines().filter(|l| l.starts_with("DTSTAMP:")).collect();
        assert_eq!(stamps.len(), 3, "the event and its two alarms: {ics}");
        assert!(stamps.iter().all(|l| *l == "DTSTAMP:20261202T010000Z"), "every stamp is the clock's: {ics}");
    }
}
