//! The morning digest and the deadline reminders.

use super::html::escape;
use super::i18n::{fill, texts};
use super::tasks::{standing, task_block};
use crate::domain::deadline::Listed;
use crate::domain::digest::{Digest, OVERDUE_NAMED, Reminder};
use crate::domain::lang::Lang;
use crate::domain::period::Period;

/// How many tasks each part of a digest names.
pub const DIGEST_SECTION_MAX: usize = 8;

/// One digest line: "• 05/06 · #3 Title — Owner · còn 3 ngày".
fn digest_line(listed: &Listed, lang: Lang) -> String {
    let t = texts(lang);
    let owner = match listed.task.owner(lang) {
        "" => t.owner_unnamed.to_owned(),
        owner => escape(owner),
    };
    let date = listed.due.format("%d/%m").to_string();
    format!("• {date} · #{} {} — {owner} · {}", listed.task.id, escape(listed.task.title(lang)), standing(listed, lang))
}

/// The morning digest. `late` notes that it was sent after its time because the bot was down.
pub fn digest(digest: &Digest, filter: &str, late: bool, lang: Lang) -> String {
    let t = texts(lang);
    let mut parts = vec![fill(t.digest_title, &[("date", &Period::Day(digest.today).label(lang))])];
    if late {
        parts.push(t.digest_late.to_owned());
    }
    if !filter.trim().is_empty() {
        parts.push(fill(t.digest_filter, &[("filter", &escape(filter.trim()))]));
    }
    if digest.is_empty() {
        parts.push(t.digest_nothing.to_owned());
        return parts.join("\n");
    }
    let mut sections = Vec::new();
    for (title, items) in [
        (t.digest_today, &digest.due_today),
        (t.digest_week, &digest.this_week),
        (t.digest_month, &digest.next_30_days),
        (t.digest_overdue, &digest.overdue),
    ] {
        if items.is_empty() {
            continue;
        }
        let mut lines = vec![fill(title, &[("n", &items.len().to_string())])];
        let shown = if std::ptr::eq(items, &digest.overdue) { OVERDUE_NAMED } else { DIGEST_SECTION_MAX };
        lines.extend(items.iter().take(shown).map(|l| digest_line(l, lang)));
        if items.len() > shown {
            lines.push(fill(t.digest_more, &[("n", &(items.len() - shown).to_string())]));
        }
        sections.push(lines.join("\n"));
    }
    format!("{}\n\n{}", parts.join("\n"), sections.join("\n\n"))
}

/// A reminder `lead` days before a task's due date.
pub fn reminder(reminder: &Reminder, lang: Lang) -> String {
    let t = texts(lang);
    let title = match reminder.lead {
        0 => t.reminder_today.to_owned(),
        n => fill(t.reminder_days, &[("n", &n.to_string())]),
    };
    format!("{title}\n{}", task_block(&reminder.listed, lang))
}
