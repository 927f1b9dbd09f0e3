//! Task commands: listing (`/deadlines`), one task (`/deadline`), the calendar (`/ics`), and the
//! changes only the bot's admins may make (`/add`, `/done`, `/reopen`, `/note`, `/extend`).

use super::message::{Incoming, Reply, html};
use crate::app::{App, Changed, Extended, Mark, Refused};
use crate::domain::deadline::{DeadlineFilter, FilterError, Listed, occurrence, parse_filter, select};
use crate::domain::due::{DayWord, parse_due_token, read_day};
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::text::truncate;
use crate::render::{self, escape, fill, texts};
use crate::store::NewTask;

/// The longest task title `/add` accepts.
pub const MAX_TITLE_CHARS: usize = 300;

/// Reads "12" or "#12", and the words after it.
fn task_id(argument: &str) -> Option<(i64, &str)> {
    let (first, rest) = argument.trim().split_once(char::is_whitespace).unwrap_or((argument.trim(), ""));
    first.trim_start_matches('#').parse().ok().filter(|id| *id > 0).map(|id| (id, rest.trim()))
}

/// The filter of `/deadlines` or `/ics`, or the reply explaining what is wrong with it.
pub(super) fn filter_or_reply(argument: &str, lang: Lang) -> Result<DeadlineFilter, Vec<Reply>> {
    parse_filter(argument).map_err(|FilterError::MalformedPeriod(arg)| {
        html(fill(texts(lang).malformed_period, &[("arg", &escape(&arg))]))
    })
}

/// `/deadlines [filter]`.
pub fn deadlines(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let filter = match filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let today = app.today();
    let catalog = app.catalog();
    let sections = select(&catalog.tasks, &filter, today);
    html(render::deadlines(&sections, &filter, today, lang))
}

/// `/ics [filter]`: the tasks `/deadlines` would list with the same filter, as a calendar file.
pub fn ics(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let filter = match filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let catalog = app.catalog();
    let tasks: Vec<Listed> = select(&catalog.tasks, &filter, app.today()).into_iter().flat_map(|s| s.items).collect();
    let calendar = render::ics::calendar(&tasks, &app.config.remind_days, app.clock.now(), lang);
    vec![Reply::Document {
        name: "hanchot-deadlines.ics".to_owned(),
        bytes: calendar.into_bytes(),
        caption: fill(texts(lang).ics_caption, &[("n", &tasks.len().to_string())]),
    }]
}

/// One task's card, or `None` when there is no such task.
async fn card_text(app: &App, id: i64, lang: Lang) -> anyhow::Result<Option<String>> {
    let catalog = app.catalog();
    let Some(task) = catalog.task(id) else { return Ok(None) };
    let today = app.today();
    let due = occurrence(task, today);
    let listed = Listed { task, due, days_left: (due - today).num_days() };
    let events = app.task_events(id).await?;
    Ok(Some(render::tasks::card(&listed, &events, app.config.timezone, lang)))
}

fn no_such_task(id: i64, lang: Lang) -> Vec<Reply> {
    html(fill(texts(lang).no_such_task, &[("id", &id.to_string())]))
}

/// `/deadline <id>`.
pub async fn card(app: &App, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let Some((id, _)) = task_id(argument) else {
        return Ok(html(fill(texts(lang).id_usage, &[("command", "/deadline")])));
    };
    Ok(match card_text(app, id, lang).await? {
        Some(card) => html(card),
        None => no_such_task(id, lang),
    })
}

/// `/add <due> <owner> | <task>`.
pub async fn add(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let Some((left, title)) = argument.split_once('|') else { return Ok(html(t.add_usage)) };
    let title = title.trim();
    let (due_text, owner) = left.trim().split_once(char::is_whitespace).unwrap_or((left.trim(), ""));
    if title.is_empty() || due_text.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Ok(html(t.add_usage));
    }
    let bad_due = || html(fill(t.add_bad_due, &[("due", &escape(&truncate(due_text, 40)))]));
    let Some(due) = parse_due_token(due_text) else { return Ok(bad_due()) };
    let task = NewTask {
        title_vi: title.to_owned(),
        owner: owner.trim().to_owned(),
        owners: Some(owner.trim().to_owned()).filter(|o| !o.is_empty()).into_iter().collect(),
        partners: Vec::new(),
        deliverable: String::new(),
        due,
        due_phrase: due_text.to_owned(),
        recurrence: None,
        import_key: None,
    };
    let id = match app.add_task(&task, incoming.user_id).await? {
        Ok(id) => id,
        Err(Refused::DueOutOfRange) => return Ok(bad_due()),
        Err(Refused::EmptyTitle) => return Ok(html(t.add_usage)),
    };
    let mut reply = fill(t.added, &[("id", &id.to_string())]);
    reply.push_str("\n\n");
    reply.push_str(&card_text(app, id, lang).await?.unwrap_or_default());
    Ok(html(reply))
}

/// `/done <id> [note]` and `/reopen <id> [note]`.
pub async fn set_done(
    app: &App,
    incoming: &Incoming,
    argument: &str,
    done: bool,
    lang: Lang,
) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let command = if done { "/done" } else { "/reopen" };
    let Some((id, rest)) = task_id(argument) else { return Ok(html(fill(t.id_usage, &[("command", command)]))) };
    // "/done 12 15/11/2026 note": a day first is when the work was finished; else today.
    let (completed_on, note) = match split_day(rest) {
        Err(NoSuchDay(word)) if done => return Ok(no_such_day(word, lang)),
        Ok(Some((day, note))) if done => (day, note),
        _ => (app.today(), rest),
    };
    let mark = if done { Mark::DoneOn(completed_on) } else { Mark::Reopen };
    let date = Period::Day(completed_on).label(lang);
    let occurrence = match app.set_done(id, mark, incoming.user_id, note).await? {
        Changed::NoSuchTask => return Ok(no_such_task(id, lang)),
        Changed::CompletedInFuture => return Ok(html(fill(t.done_future, &[("date", &date)]))),
        Changed::CompletedBeforeAssigned { assigned } => {
            let assigned = Period::Day(assigned).label(lang);
            let vars = [("date", date.as_str()), ("id", &id.to_string()), ("assigned", &assigned)];
            return Ok(html(fill(t.done_before_assigned, &vars)));
        }
        Changed::Task { occurrence } => occurrence,
    };
    let id = id.to_string();
    Ok(html(match (done, occurrence) {
        (true, Some(date)) => fill(t.marked_done_occurrence, &[("id", &id), ("date", &Period::Day(date).label(lang))]),
        (true, None) => fill(t.marked_done, &[("id", &id)]),
        (false, _) => fill(t.reopened, &[("id", &id)]),
    }))
}

/// A word shaped like a day that no calendar has ("2026-02-30").
struct NoSuchDay<'a>(&'a str);

fn no_such_day(word: &str, lang: Lang) -> Vec<Reply> {
    html(fill(texts(lang).no_such_day, &[("date", &escape(&truncate(word, 40)))]))
}

/// A day ("15/11/2026", "2026-11-15") at the start of `text`, and the words after it. Months,
/// quarters and years are not days: a note may well begin with "2026". A word shaped like a day
/// that does not exist is an error, never the start of the note.
fn split_day(text: &str) -> Result<Option<(chrono::NaiveDate, &str)>, NoSuchDay<'_>> {
    let (first, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    match read_day(first) {
        DayWord::Day(day) => Ok(Some((day, rest.trim()))),
        DayWord::NoSuchDay => Err(NoSuchDay(first)),
        DayWord::NotADay => Ok(None),
    }
}

/// `/extend <id> <new due> <reason>`: adjusts a deadline, keeping the original.
pub async fn extend(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let Some((id, rest)) = task_id(argument) else { return Ok(html(t.extend_usage)) };
    let (first, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    // A day in either order ("2026-12-31" too), else a month, quarter or year's last day.
    let due = match read_day(first) {
        DayWord::Day(day) => day,
        DayWord::NoSuchDay => return Ok(no_such_day(first, lang)),
        DayWord::NotADay => match parse_due_token(first) {
            Some(due) => due.date,
            None => return Ok(html(t.extend_usage)),
        },
    };
    if reason.trim().is_empty() {
        return Ok(html(t.extend_usage));
    }
    let label = |date| Period::Day(date).label(lang);
    Ok(match app.extend(id, due, incoming.user_id, reason.trim()).await? {
        Extended::NoSuchTask => no_such_task(id, lang),
        Extended::BeforeToday => html(fill(t.extend_past, &[("date", &label(due)), ("today", &label(app.today()))])),
        Extended::BeforeOriginal { original } => html(fill(
            t.extend_before_original,
            &[("date", &label(due)), ("id", &id.to_string()), ("original", &label(original))],
        )),
        Extended::Adjusted { original, occurrence } => {
            let mut text =
                fill(t.extended, &[("id", &id.to_string()), ("original", &label(original)), ("date", &label(due))]);
            if occurrence {
                text.push_str(&format!("\n{}", t.extend_recurring));
            }
            html(text)
        }
    })
}

/// `/note <id> <text>`.
pub async fn note(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let Some((id, text)) = task_id(argument).filter(|(_, text)| !text.is_empty()) else {
        return Ok(html(t.note_usage));
    };
    if !app.note(id, incoming.user_id, text).await? {
        return Ok(no_such_task(id, lang));
    }
    Ok(html(fill(t.noted, &[("id", &id.to_string())])))
}
