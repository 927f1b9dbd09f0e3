//! The import review as the reviewer sees it: what was found, one message per proposal with its
//! buttons, the closing prompt, and the short notices of each step.

use chrono::Datelike;

use super::html::escape;
use super::i18n::{fill, texts};
use super::keyboard::{Button, Keyboard};
use super::tasks::precision_word;
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::review::{DraftItem, Published, ReviewAction, ReviewButton};

/// The first message: how many tasks were found and how "this year" was read.
pub fn found(count: usize, published: Published, lang: Lang) -> String {
    let t = texts(lang);
    let note = match published {
        Published::InText(date) => fill(t.review_published_from_text, &[("date", &Period::Day(date).label(lang))]),
        Published::Assumed(today) => fill(t.review_published_today, &[("year", &today.year().to_string())]),
    };
    fill(t.review_found, &[("n", &count.to_string()), ("published", &note)])
}

/// Said when more proposals were found than a review shows.
pub fn too_many(max: usize, lang: Lang) -> String {
    fill(texts(lang).review_too_many, &[("max", &max.to_string())])
}

/// One proposal's message and buttons.
pub fn item(draft: i64, item: &DraftItem, count: usize, lang: Lang) -> Keyboard {
    let t = texts(lang);
    let p = &item.proposal;
    let state = if item.keep { t.review_kept } else { t.review_dropped };
    let recurrence = if p.recurrence.is_some() { format!(" · {}", t.monthly) } else { String::new() };
    let owner = if p.owner.is_empty() { t.review_no_owner.to_owned() } else { escape(&p.owner) };
    let html = format!(
        "{} · {state}\n⏰ {} ({}){recurrence} — «{}»\n👤 {owner}\n📝 {}",
        fill(t.review_item, &[("i", &item.idx.to_string()), ("n", &count.to_string())]),
        Period::Day(p.due.date).label(lang),
        precision_word(p.due.precision, lang),
        escape(&p.due_phrase),
        escape(&p.sentence),
    );
    let button = |label, action| Button::new(label, ReviewButton { draft, action });
    let idx = item.idx;
    let buttons = vec![
        vec![button(t.review_keep, ReviewAction::Keep(idx)), button(t.review_drop, ReviewAction::Drop(idx))],
        vec![
            button(t.review_edit_due, ReviewAction::EditDue(idx)),
            button(t.review_edit_owner, ReviewAction::EditOwner(idx)),
        ],
    ];
    Keyboard { html, buttons }
}

/// The last message: save or cancel.
pub fn closing(draft: i64, lang: Lang) -> Keyboard {
    let t = texts(lang);
    let button = |label, action| Button::new(label, ReviewButton { draft, action });
    Keyboard {
        html: t.review_prompt.to_owned(),
        buttons: vec![vec![button(t.review_save, ReviewAction::Save), button(t.review_cancel, ReviewAction::Cancel)]],
    }
}

/// The notice after keep or drop.
pub fn kept(keep: bool, lang: Lang) -> &'static str {
    let t = texts(lang);
    if keep { t.review_kept } else { t.review_dropped }
}

/// The question after "edit date" or "edit owner".
pub fn ask(action: ReviewAction, lang: Lang) -> String {
    let t = texts(lang);
    match action {
        ReviewAction::EditOwner(idx) => fill(t.review_ask_owner, &[("i", &idx.to_string())]),
        ReviewAction::EditDue(idx) | ReviewAction::Keep(idx) | ReviewAction::Drop(idx) => {
            fill(t.review_ask_due, &[("i", &idx.to_string())])
        }
        ReviewAction::Save | ReviewAction::Cancel => t.review_prompt.to_owned(),
    }
}

/// A typed due date that is not one.
pub fn bad_due(typed: &str, lang: Lang) -> String {
    fill(texts(lang).review_bad_due, &[("due", &escape(typed))])
}

pub fn saved(added: usize, known: usize, lang: Lang) -> String {
    fill(texts(lang).review_saved, &[("added", &added.to_string()), ("known", &known.to_string())])
}

pub fn cancelled(lang: Lang) -> &'static str {
    texts(lang).review_cancelled
}

pub fn closed(lang: Lang) -> &'static str {
    texts(lang).review_closed
}
