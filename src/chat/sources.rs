//! The watched sources as a conversation: `/sources` and `/source add|on|off` for the bot's
//! admins, and the review messages of a new item's proposals, whatever carries them.

use super::message::{Reply, html};
use crate::app::{App, ItemReview, NotAdded};
use crate::domain::lang::Lang;
use crate::domain::review::Published;
use crate::render::review as view;
use crate::render::sources as words;

/// `/sources`.
pub async fn list(app: &App, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    Ok(html(words::list(&app.sources().await?, app.config.timezone, lang)))
}

/// `/source add URL`, `/source on N`, `/source off N` (Vietnamese verbs too: thêm, bật, tắt).
pub async fn command(app: &App, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let (verb, rest) = argument.split_once(char::is_whitespace).unwrap_or((argument, ""));
    let rest = rest.trim();
    let on = match verb.to_lowercase().as_str() {
        "add" | "thêm" | "them" if !rest.is_empty() => {
            return Ok(html(match app.add_source(rest, None, None, None).await? {
                Ok(id) => words::added(id, rest, lang),
                Err(NotAdded::Known(id)) => words::known(id, lang),
                Err(NotAdded::BadAddress(_)) => words::bad_address(rest, lang),
            }));
        }
        "on" | "bật" | "bat" => true,
        "off" | "tắt" | "tat" => false,
        _ => return Ok(html(words::usage(lang))),
    };
    let Ok(id) = rest.parse::<i64>() else {
        return Ok(html(if rest.is_empty() { words::usage(lang).to_owned() } else { words::missing(rest, lang) }));
    };
    Ok(html(if app.set_source_active(id, on).await? {
        words::turned(id, on, lang)
    } else {
        words::missing(&id.to_string(), lang)
    }))
}

/// The messages of an item's review, chat by chat: the item and what was found, one message per
/// proposal with its buttons, then save or cancel.
pub async fn review_messages(app: &App, review: &ItemReview) -> Vec<(i64, Vec<Reply>)> {
    let mut out = Vec::with_capacity(review.drafts.len());
    for (chat_id, draft, items) in &review.drafts {
        let lang = app.language(*chat_id, None).await;
        let header = words::item_header(&review.item, review.published, lang);
        let found = view::found(items.len(), Published::InText(review.published), lang);
        let mut replies = html(format!("{header}\n\n{found}"));
        replies.extend(items.iter().map(|item| view::item(*draft, item, items.len(), lang).into()));
        replies.push(view::closing(*draft, lang).into());
        out.push((*chat_id, replies));
    }
    out
}
