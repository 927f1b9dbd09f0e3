//! The import review in Telegram: an admin's text (or file) becomes proposals with buttons; a
//! typed value answers "edit"; a pressed button keeps, drops, edits, saves or cancels.

use super::buttons::notice;
use super::message::{ButtonOutcome, Incoming, Reply, html};
use crate::app::{App, Pressed, Typed};
use crate::domain::lang::Lang;
use crate::domain::review::ReviewButton;
use crate::render::review as view;

/// An admin's plain text: the answer to an "edit", else proposals for review; `None` when it is
/// neither (no draft waits for a value and the text holds no dated task).
pub async fn from_text(app: &App, incoming: &Incoming, text: &str, lang: Lang) -> anyhow::Result<Option<Vec<Reply>>> {
    if let Some(typed) = app.review_typed(incoming.chat_id, text).await? {
        return Ok(Some(match typed {
            Typed::BadDue(typed) => html(view::bad_due(&typed, lang)),
            Typed::OwnerTooLong { max } => html(view::owner_too_long(max, lang)),
            Typed::Edited { draft, item: Some(item), count } => {
                vec![view::item(draft, &item, count, lang).into(), view::closing(draft, lang).into()]
            }
            // The proposal left the draft meanwhile: say so rather than nothing.
            Typed::Edited { item: None, .. } => html(view::stale(lang)),
        }));
    }
    start(app, incoming, text, lang).await
}

/// Proposals for review, or `None` when the text holds no dated task.
pub async fn start(app: &App, incoming: &Incoming, text: &str, lang: Lang) -> anyhow::Result<Option<Vec<Reply>>> {
    let Some(review) = app.start_review(incoming.chat_id, incoming.user_id, text).await? else { return Ok(None) };
    let mut replies = html(view::found(review.found, review.published, lang));
    if review.found > review.shown {
        replies.extend(html(view::too_many(review.shown, lang)));
    }
    let count = review.items.len();
    replies.extend(review.items.iter().map(|item| view::item(review.draft, item, count, lang).into()));
    replies.push(view::closing(review.draft, lang).into());
    Ok(Some(replies))
}

/// A pressed review button (the gate has admitted the presser).
pub async fn on_button(
    app: &App,
    chat_id: i64,
    user_id: Option<u64>,
    button: ReviewButton,
    lang: Lang,
) -> anyhow::Result<ButtonOutcome> {
    Ok(match app.review_press(chat_id, user_id, button).await? {
        Pressed::Closed => notice(view::closed(lang)),
        Pressed::Stale => notice(view::stale(lang)),
        Pressed::Saved(saved) => {
            let text = view::saved(saved.added, saved.known, lang);
            ButtonOutcome { notice: text.clone(), edit: Some(Reply::Html(text)), replies: Vec::new() }
        }
        Pressed::SaveFailed(reason) => {
            let text = view::save_failed(&reason, lang);
            ButtonOutcome { notice: text.clone(), edit: None, replies: html(text) }
        }
        Pressed::Cancelled => {
            let text = view::cancelled(lang);
            ButtonOutcome { notice: text.to_owned(), edit: Some(Reply::Html(text.to_owned())), replies: Vec::new() }
        }
        Pressed::Marked { keep, item, count } => ButtonOutcome {
            notice: view::kept(keep, lang).to_owned(),
            edit: item.map(|item| view::item(button.draft, &item, count, lang).into()),
            replies: Vec::new(),
        },
        Pressed::Asked(action) => {
            let ask = view::ask(action, lang);
            ButtonOutcome { notice: ask.clone(), edit: None, replies: html(ask) }
        }
    })
}
