//! Commands about single tasks: the full card (`/deadline`), the calendar (`/ics`), and the
//! changes only admins may make (`/add`, `/done`, `/reopen`, `/note`), each kept in the history.

use teloxide::utils::html::escape;

use super::handlers::{Incoming, Reply, html};
use super::i18n::{fill, texts};
use super::render::{due_label, standing};
use crate::app::App;
use crate::domain::deadline::{Listed, occurrence, select};
use crate::domain::due::parse_due_token;
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::task::{EventKind, TaskEvent};
use crate::store::{Actor, NewTask};

/// The longest task title `/add` accepts.
pub const MAX_TITLE_CHARS: usize = 300;

/// Reads "12" or "#12".
fn task_id(argument: &str) -> Option<(i64, &str)> {
    let (first, rest) = argument.trim().split_once(char::is_whitespace).unwrap_or((argument.trim(), ""));
    first.trim_start_matches('#').parse().ok().filter(|id| *id > 0).map(|id| (id, rest.trim()))
}

fn actor(app: &App, incoming: &Incoming) -> Actor {
    Actor { user_id: incoming.user_id.and_then(|id| i64::try_from(id).ok()), at: app.clock.now() }
}

/// `/add <due> <owner> | <task>`.
pub async fn add(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let Some((left, title)) = argument.split_once('|') else { return Ok(html(t.add_usage.to_owned())) };
    let title = title.trim();
    let (due_text, owner) = left.trim().split_once(char::is_whitespace).unwrap_or((left.trim(), ""));
    if title.is_empty() || due_text.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Ok(html(t.add_usage.to_owned()));
    }
    let Some(due) = parse_due_token(due_text) else {
        return Ok(html(fill(t.add_bad_due, &[("due", &escape(due_text))])));
    };
    let task = NewTask {
        title_vi: title.to_owned(),
        owner: owner.trim().to_owned(),
        deliverable: String::new(),
        due,
        due_phrase: due_text.to_owned(),
        recurrence: None,
        import_key: None,
    };
    let id = app.store.add_task(&task, actor(app, incoming), EventKind::Added).await?.expect("no import key");
    app.reload().await?;
    let mut reply = fill(t.added, &[("id", &id.to_string())]);
    reply.push_str("\n\n");
    reply.push_str(&card_text(app, id, lang).await?.unwrap_or_default());
    Ok(html(reply))
}

/// `/done <id> [note]` and `/reopen <id> [note]`. A monthly task is marked one occurrence at a time.
pub async fn set_done(
    app: &App,
    incoming: &Incoming,
    argument: &str,
    done: bool,
    lang: Lang,
) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let command = if done { "/done" } else { "/reopen" };
    let Some((id, note)) = task_id(argument) else { return Ok(html(fill(t.id_usage, &[("command", command)]))) };
    let catalog = app.catalog();
    let Some(task) = catalog.task(id) else { return Ok(html(fill(t.no_such_task, &[("id", &id.to_string())]))) };
    let today = app.clock.today(app.config.timezone);
    let occurrence = match (task.recurrence, done) {
        (None, _) => None,
        (Some(_), true) => Some(occurrence(task, today)),
        // Reopening a monthly task reopens its latest occurrence marked done.
        (Some(_), false) => task.done_occurrences.iter().max().copied(),
    };
    app.store.set_done(id, done, occurrence, actor(app, incoming), note).await?;
    app.reload().await?;
    let reply = match (done, occurrence) {
        (true, Some(date)) => {
            fill(t.marked_done_occurrence, &[("id", &id.to_string()), ("date", &Period::Day(date).label(lang))])
        }
        (true, None) => fill(t.marked_done, &[("id", &id.to_string())]),
        (false, _) => fill(t.reopened, &[("id", &id.to_string())]),
    };
    Ok(html(reply))
}

/// `/note <id> <text>`.
pub async fn note(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let Some((id, text)) = task_id(argument).filter(|(_, text)| !text.is_empty()) else {
        return Ok(html(t.note_usage.to_owned()));
    };
    if !app.store.add_note(id, actor(app, incoming), text).await? {
        return Ok(html(fill(t.no_such_task, &[("id", &id.to_string())])));
    }
    Ok(html(fill(t.noted, &[("id", &id.to_string())])))
}

/// `/deadline <id>`: the whole card.
pub async fn card(app: &App, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let Some((id, _)) = task_id(argument) else { return Ok(html(fill(t.id_usage, &[("command", "/deadline")]))) };
    Ok(html(match card_text(app, id, lang).await? {
        Some(card) => card,
        None => fill(t.no_such_task, &[("id", &id.to_string())]),
    }))
}

fn event_line(event: &TaskEvent, app: &App, lang: Lang) -> String {
    let t = texts(lang);
    let local = event.at.with_timezone(&app.config.timezone);
    let what = match event.kind {
        EventKind::Added => t.event_added,
        EventKind::Imported => t.event_imported,
        EventKind::Done => t.event_done,
        EventKind::Reopened => t.event_reopened,
        EventKind::Note => t.event_note,
    };
    let who = match event.user_id {
        Some(id) => fill(t.by_user, &[("id", &id.to_string())]),
        None => t.by_operator.to_owned(),
    };
    let mut line = format!("• {} — {what}", local.format("%d/%m/%Y %H:%M"));
    if let Some(occurrence) = event.occurrence {
        line.push_str(&format!(" ({})", Period::Day(occurrence).label(lang)));
    }
    line.push_str(&format!(" · {}", escape(&who)));
    if !event.note.is_empty() {
        line.push_str(&format!(": {}", escape(&event.note)));
    }
    line
}

async fn card_text(app: &App, id: i64, lang: Lang) -> anyhow::Result<Option<String>> {
    let t = texts(lang);
    let catalog = app.catalog();
    let Some(task) = catalog.task(id) else { return Ok(None) };
    let today = app.clock.today(app.config.timezone);
    let due = occurrence(task, today);
    let listed = Listed { task, due, days_left: (due - today).num_days() };
    let or_dash = |text: &str| if text.is_empty() { "—".to_owned() } else { escape(text) };
    let mut due_line =
        format!("{}: {} · {}", t.card_due, escape(&due_label(task.due, due, lang)), standing(&listed, lang));
    if !task.due_phrase.is_empty() {
        due_line.push_str(&format!(" («{}»)", escape(&task.due_phrase)));
    }
    let mut lines = vec![
        format!("<b>#{} {}</b>", task.id, escape(task.title(lang))),
        format!("{}: {}", t.card_owner, or_dash(task.owner(lang))),
        format!("{}: {}", t.card_task, escape(task.title(lang))),
        due_line,
        format!("{}: {}", t.card_deliverable, or_dash(&task.deliverable)),
        format!("{}: {}", t.card_accountable, or_dash(&task.accountable)),
    ];
    if let Some(directive) = &task.directive {
        lines.push(format!("{}: {}", t.card_directive, escape(directive.name(lang))));
    }
    if let Some(source) = &task.source {
        lines.push(format!("{}: {} — <i>{}</i>", t.card_source, escape(&source.title), escape(&source.citation(lang))));
    }
    let events = app.store.task_events(id).await?;
    lines.push(String::new());
    lines.push(t.card_history.to_owned());
    if events.is_empty() {
        lines.push(t.card_no_history.to_owned());
    }
    lines.extend(events.iter().map(|e| event_line(e, app, lang)));
    Ok(Some(lines.join("\n")))
}

/// `/ics [filter]`: the tasks `/deadlines` would list with the same filter, as a calendar file.
pub fn ics(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let t = texts(lang);
    let filter = match super::handlers::filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let today = app.clock.today(app.config.timezone);
    let catalog = app.catalog();
    let sections = select(&catalog.tasks, &filter, today);
    let tasks: Vec<Listed> = sections.into_iter().flat_map(|s| s.items).collect();
    let calendar = crate::ics::calendar(&tasks, &app.config.remind_days, app.clock.now(), lang);
    vec![Reply::Document {
        name: "hanchot-deadlines.ics".to_owned(),
        bytes: calendar.into_bytes(),
        caption: fill(t.ics_caption, &[("n", &tasks.len().to_string())]),
    }]
}
