//! The import review as the reviewer sees it: what was found, one message per proposal with its
//! buttons, the closing prompt, and the short notices of each step.

use chrono::Datelike;

use super::html::escape;
use super::i18n::{fill, texts};
use super::keyboard::{Button, Keyboard};
use super::tasks::{precision_word, recurrence_word};
use crate::document::DocumentError;
use crate::domain::callback::Callback;
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::review::{DraftItem, Published, ReviewAction, ReviewButton};
use crate::domain::text::truncate;

/// The most of a clause a proposal's message shows: a clause may run to thousands of characters,
/// and a message must stay under Telegram's 4,096. The stored proposal keeps the whole clause.
pub const MAX_SHOWN_SENTENCE: usize = 600;
/// The most of an owner, a time phrase or a typed value a message shows.
pub const MAX_SHOWN_FIELD: usize = 200;

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
    let recurrence = p.recurrence.map(|r| format!(" · {}", recurrence_word(r, lang))).unwrap_or_default();
    let owner =
        if p.owner.is_empty() { t.review_no_owner.to_owned() } else { escape(&truncate(&p.owner, MAX_SHOWN_FIELD)) };
    let html = format!(
        "{} · {state}\n⏰ {} ({}){recurrence} — «{}»\n👤 {owner}\n📝 {}",
        fill(t.review_item, &[("i", &item.idx.to_string()), ("n", &count.to_string())]),
        Period::Day(p.due.date).label(lang),
        precision_word(p.due.precision, lang),
        escape(&truncate(&p.due_phrase, MAX_SHOWN_FIELD)),
        escape(&truncate(&p.sentence, MAX_SHOWN_SENTENCE)),
    );
    let button = |label, action| Button::new(label, Callback::Review(ReviewButton { draft, action }));
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
    let button = |label, action| Button::new(label, Callback::Review(ReviewButton { draft, action }));
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
    fill(texts(lang).review_bad_due, &[("due", &escape(&truncate(typed, MAX_SHOWN_FIELD)))])
}

/// A typed owner longer than `max` characters.
pub fn owner_too_long(max: usize, lang: Lang) -> String {
    fill(texts(lang).review_owner_too_long, &[("max", &max.to_string())])
}

pub fn saved(added: usize, known: usize, lang: Lang) -> String {
    fill(texts(lang).review_saved, &[("added", &added.to_string()), ("known", &known.to_string())])
}

/// A save the database refused: nothing stored, the draft still open, and why.
pub fn save_failed(reason: &str, lang: Lang) -> String {
    fill(texts(lang).review_save_failed, &[("reason", &crate::render::html::escape(reason))])
}

pub fn cancelled(lang: Lang) -> &'static str {
    texts(lang).review_cancelled
}

pub fn closed(lang: Lang) -> &'static str {
    texts(lang).review_closed
}

/// A review button for a proposal the draft does not hold (a forged or outdated button).
pub fn stale(lang: Lang) -> &'static str {
    texts(lang).review_stale
}

/// Why a received file could not be read, and what to send instead.
pub fn unreadable_file(error: &DocumentError, lang: Lang) -> String {
    let t = texts(lang);
    let mb = |bytes: usize| format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
    match error {
        DocumentError::TooLarge { size, max } => fill(t.doc_too_large, &[("size", &mb(*size)), ("max", &mb(*max))]),
        DocumentError::UnknownFormat(_) => t.doc_unknown_format.to_owned(),
        DocumentError::NoTextLayer => t.doc_no_text_layer.to_owned(),
        DocumentError::Encrypted => t.doc_encrypted.to_owned(),
        DocumentError::Empty => t.doc_empty.to_owned(),
        DocumentError::Damaged(_) => t.doc_damaged.to_owned(),
        DocumentError::TooSlow => t.doc_too_slow.to_owned(),
        DocumentError::TooMuchMemory(_) => t.doc_too_much_memory.to_owned(),
        DocumentError::TooDeep => t.doc_too_deep.to_owned(),
        DocumentError::ReaderFailed(_) => t.doc_reader_failed.to_owned(),
    }
}
