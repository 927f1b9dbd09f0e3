//! Tasks as people read them: due dates with their precision, days left, a listing, one task's
//! card with its history, and `/help`.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::html::escape;
use super::i18n::{fill, texts};
use crate::domain::deadline::{DeadlineFilter, Listed, Section, SectionKind};
use crate::domain::due::{Due, DuePrecision, Recurrence};
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::standing::{self, Standing};
use crate::domain::task::{EventKind, Task, TaskEvent};

/// How many tasks one listing shows before it asks the user to narrow it.
pub const MAX_LISTED: usize = 30;
/// How many tasks each section of the default listing shows.
pub const MAX_LISTED_PER_SECTION: usize = 10;

/// "tháng 6/2025 (30/06/2025)", "01/07/2025", "June 2025 (30 Jun 2025)".
pub fn due_label(due: Due, occurrence: NaiveDate, lang: Lang) -> String {
    let day = Period::Day(occurrence).label(lang);
    let period = match due.precision {
        DuePrecision::Day => return day,
        DuePrecision::Month => Period::Month(chrono::Datelike::year(&occurrence), chrono::Datelike::month(&occurrence)),
        DuePrecision::Quarter => {
            Period::Quarter(chrono::Datelike::year(&occurrence), chrono::Datelike::month(&occurrence).div_ceil(3))
        }
        DuePrecision::Half => Period::Half(
            chrono::Datelike::year(&occurrence),
            if chrono::Datelike::month(&occurrence) <= 6 { 1 } else { 2 },
        ),
        DuePrecision::Year => Period::Year(chrono::Datelike::year(&occurrence)),
    };
    let period = match due.precision {
        DuePrecision::Year => fill(texts(lang).due_year, &[("year", &period.label(lang))]),
        _ => period.label(lang),
    };
    format!("{period} ({day})")
}

/// "còn 5 ngày · trong hạn", "⚠️ 3 days overdue · not done", "✅ done on time": the state the
/// official reports count, judged on the day the listing was made for.
pub fn standing(listed: &Listed, lang: Lang) -> String {
    let today = listed.due - chrono::Duration::days(listed.days_left);
    standing_text(standing::of_listed(listed, today), lang)
}

/// One state in words.
pub fn standing_text(standing: Standing, lang: Lang) -> String {
    let t = texts(lang);
    let days = |n: i64| match n {
        1 => t.one_day_left.to_owned(),
        0 => t.due_today.to_owned(),
        -1 => t.one_day_overdue.to_owned(),
        n if n > 1 => fill(t.days_left, &[("n", &n.to_string())]),
        n => fill(t.days_overdue, &[("n", &(-n).to_string())]),
    };
    match standing {
        Standing::WithinTerm { days_left } => fill(t.standing_within, &[("days", &days(days_left))]),
        Standing::Overdue { days: n } => fill(t.standing_overdue, &[("days", &days(-n))]),
        Standing::DoneOnTime { on: None } => t.standing_on_time.to_owned(),
        Standing::DoneOnTime { on: Some(on) } => fill(t.standing_on_time_on, &[("date", &Period::Day(on).label(lang))]),
        Standing::DoneLate { on, days: n } => {
            fill(t.standing_late, &[("n", &n.to_string()), ("date", &Period::Day(on).label(lang))])
        }
        Standing::Cancelled => t.status_cancelled.to_owned(),
    }
}

/// The precision a listing shows: an adjusted deadline is a day, whatever the original was.
fn shown_due(listed: &Listed) -> Due {
    let due = listed.task.due;
    if listed.adjusted_from().is_some() { Due { precision: DuePrecision::Day, ..due } } else { due }
}

/// One task as a few lines: title, due and standing, owner, directive and source.
pub fn task_block(listed: &Listed, lang: Lang) -> String {
    let task = listed.task;
    let t = texts(lang);
    let mut due_line =
        format!("⏰ {} · {}", escape(&due_label(shown_due(listed), listed.due, lang)), standing(listed, lang));
    if let Some(recurrence) = task.recurrence {
        due_line.push_str(&format!(" · {}", recurrence_word(recurrence, lang)));
    }
    let owner = match task.owner(lang) {
        "" => t.owner_unnamed.to_owned(),
        owner => escape(owner),
    };
    let mut block = format!("<b>#{} {}</b>\n{due_line}\n👤 {owner}", task.id, escape(task.title(lang)));
    if let Some(provenance) = provenance(task, lang) {
        block.push_str(&format!("\n📄 {provenance}"));
    }
    block
}

/// "Chỉ thị 07/CT-TTg · Tạp chí Người Hà Nội, 18/03/2025", escaped.
fn provenance(task: &Task, lang: Lang) -> Option<String> {
    let directive =
        task.directive.as_ref().map(|d| escape(d.code.as_deref().filter(|c| !c.is_empty()).unwrap_or(d.name(lang))));
    let source = task.source.as_ref().map(|s| escape(&s.citation(lang)));
    match (directive, source) {
        (Some(d), Some(s)) => Some(format!("{d} · {s}")),
        (one, other) => one.or(other),
    }
}

fn section_header(section: &Section, filter: &DeadlineFilter, lang: Lang) -> String {
    let t = texts(lang);
    let n = section.items.len().to_string();
    match section.kind {
        SectionKind::Upcoming => fill(t.upcoming, &[("n", &n)]),
        SectionKind::Overdue => fill(t.overdue, &[("n", &n)]),
        SectionKind::All => fill(t.all_tasks, &[("n", &n)]),
        SectionKind::Matching => match filter {
            DeadlineFilter::Within(period) => {
                fill(t.matching_period, &[("period", &escape(&period.label(lang))), ("n", &n)])
            }
            DeadlineFilter::Keyword(words) => fill(t.matching_words, &[("words", &escape(words)), ("n", &n)]),
            _ => fill(t.all_tasks, &[("n", &n)]),
        },
    }
}

fn empty_section(kind: SectionKind, lang: Lang) -> &'static str {
    let t = texts(lang);
    match kind {
        SectionKind::Upcoming => t.none_upcoming,
        SectionKind::Overdue => t.none_overdue,
        SectionKind::All | SectionKind::Matching => t.none_matching,
    }
}

/// A `/deadlines` answer: today's date, then each section, capped so a reply stays readable.
pub fn deadlines(sections: &[Section], filter: &DeadlineFilter, today: NaiveDate, lang: Lang) -> String {
    let t = texts(lang);
    let mut parts = vec![fill(t.today, &[("date", &Period::Day(today).label(lang))])];
    let cap = if sections.len() > 1 { MAX_LISTED_PER_SECTION } else { MAX_LISTED };
    for section in sections {
        parts.push(section_header(section, filter, lang));
        if section.items.is_empty() {
            parts.push(empty_section(section.kind, lang).to_owned());
            continue;
        }
        parts.extend(section.items.iter().take(cap).map(|l| task_block(l, lang)));
        if section.items.len() > cap {
            parts.push(fill(t.more_tasks, &[("n", &(section.items.len() - cap).to_string())]));
        }
    }
    if *filter == DeadlineFilter::Open {
        parts.push(t.deadlines_hint.to_owned());
    }
    parts.join("\n\n")
}

/// `/start` and `/help`.
pub fn help(lang: Lang, with_intro: bool) -> String {
    let t = texts(lang);
    let commands: Vec<String> =
        t.menu.iter().map(|(name, description)| format!("/{name} — {}", escape(description))).collect();
    let mut parts = Vec::new();
    if with_intro {
        parts.push(t.intro.to_owned());
    }
    parts.push(format!("{}\n{}", t.help_title, commands.join("\n")));
    parts.push(t.help_examples.to_owned());
    parts.join("\n\n")
}

/// "tháng", "quarter": how precise a due date is.
pub fn precision_word(precision: DuePrecision, lang: Lang) -> &'static str {
    let t = texts(lang);
    match precision {
        DuePrecision::Day => t.precision_day,
        DuePrecision::Month => t.precision_month,
        DuePrecision::Quarter => t.precision_quarter,
        DuePrecision::Half => t.precision_half,
        DuePrecision::Year => t.precision_year,
    }
}

/// One line of a task's history: when, what, who, and the note.
fn event_line(event: &TaskEvent, tz: Tz, lang: Lang) -> String {
    let t = texts(lang);
    let local = event.at.with_timezone(&tz);
    let what = match event.kind {
        EventKind::Added => t.event_added,
        EventKind::Imported => t.event_imported,
        EventKind::Done => t.event_done,
        EventKind::Reopened => t.event_reopened,
        EventKind::Note => t.event_note,
        EventKind::Extended => "",
    };
    let what = match (event.kind, event.new_due) {
        (EventKind::Extended, Some(due)) => fill(t.event_extended, &[("date", &Period::Day(due).label(lang))]),
        _ => what.to_owned(),
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

/// `/deadline <id>`: the "5 rõ", the directive and source, and the history (times in `tz`).
pub fn card(listed: &Listed, events: &[TaskEvent], tz: Tz, lang: Lang) -> String {
    let t = texts(lang);
    let task = listed.task;
    let or_dash = |text: &str| if text.is_empty() { "—".to_owned() } else { escape(text) };
    let mut due_line = format!(
        "{}: {} · {}",
        t.card_due,
        escape(&due_label(shown_due(listed), listed.due, lang)),
        standing(listed, lang)
    );
    if !task.due_phrase.is_empty() {
        due_line.push_str(&format!(" («{}»)", escape(&task.due_phrase)));
    }
    if let Some(original) = listed.adjusted_from() {
        let original = escape(&due_label(task.due, original, lang));
        due_line.push_str(&format!(" · {}", fill(t.card_adjusted, &[("date", &original)])));
    }
    let mut lines = vec![
        format!("<b>#{} {}</b>", task.id, escape(task.title(lang))),
        format!("{}: {}", t.card_owner, or_dash(task.owner(lang))),
        format!("{}: {}", t.card_partners, or_dash(&task.partners.join(", "))),
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
        if let Some(url) = source.address() {
            lines.push(format!("{}: {}", t.card_address, escape(url)));
        }
    }
    if let Some(report) = &task.completion_source {
        let date = crate::domain::period::Period::Day(report.published).label(lang);
        lines.push(format!(
            "{}: {} — <i>{}</i> {}",
            t.card_completion,
            escape(&report.title),
            escape(&date),
            escape(&report.url)
        ));
    }
    lines.push(String::new());
    lines.push(t.card_history.to_owned());
    if events.is_empty() {
        lines.push(t.card_no_history.to_owned());
    }
    lines.extend(events.iter().map(|e| event_line(e, tz, lang)));
    lines.join("\n")
}

/// "hằng tháng", "quarterly": how often a task repeats.
pub fn recurrence_word(recurrence: Recurrence, lang: Lang) -> &'static str {
    let t = texts(lang);
    match recurrence {
        Recurrence::Monthly => t.monthly,
        Recurrence::Quarterly => t.quarterly,
        Recurrence::HalfYearly => t.half_yearly,
        Recurrence::Yearly => t.yearly,
    }
}
