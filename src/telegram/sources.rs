//! The watched sources in Telegram: `/sources` and `/source add|on|off` for the bot's admins, and
//! the watcher `serve` runs beside delivery: it polls every `source_poll_seconds`, sends each new
//! item's proposals to the reviewers as the review of an imported text, headed by the item, and
//! once a day tells the admins of sources failing or silent.

use std::time::Duration;

use teloxide::Bot;
use tokio::sync::watch;

use super::reply::{Reply, html};
use super::send::{Turn, send_replies};
use crate::app::{App, ItemReview, NotAdded};
use crate::delivery::Pacer;
use crate::domain::lang::Lang;
use crate::domain::review::Published;
use crate::render::review as view;
use crate::render::sources as words;
use crate::sources::{UNWELL_DAYS, Watcher};

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

/// Polls the sources every `source_poll_seconds` until `stop`; the first poll at once.
pub async fn watch(app: App, bot: Bot, pacer: Pacer, watcher: Watcher, mut stop: watch::Receiver<bool>) {
    let interval = Duration::from_secs(app.config.source_poll_seconds.into());
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            polled = watcher.poll(app.clock.now(), false) => match polled {
                Ok(poll) => {
                    let failed = poll.sources.iter().filter(|s| s.error.is_some()).count();
                    tracing::info!(checked = poll.sources.len(), failed, proposed = poll.proposed.len(), "sources polled");
                }
                Err(error) => tracing::error!(%error, "cannot poll the sources"),
            },
        }
        // Sent whole once begun: an item's drafts are open and it is marked as proposed.
        send_reviews(&app, &bot, &pacer).await;
        note_unwell(&app, &bot, &pacer).await;
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(interval) => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}

/// Opens and sends the review of every item not yet sent.
async fn send_reviews(app: &App, bot: &Bot, pacer: &Pacer) {
    let reviews = match app.open_source_reviews().await {
        Ok(reviews) => reviews,
        Err(error) => return tracing::error!(%error, "cannot open the reviews of new items"),
    };
    for review in reviews {
        for (chat_id, replies) in review_messages(app, &review).await {
            send_replies(bot, pacer, app, chat_id, replies, None, Turn::Wait).await;
        }
    }
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

/// Once a day, the admins hear of sources failing or silent for [`UNWELL_DAYS`].
async fn note_unwell(app: &App, bot: &Bot, pacer: &Pacer) {
    let unwell = match app.unwell_sources_note(app.clock.now(), UNWELL_DAYS).await {
        Ok(Some(unwell)) => unwell,
        Ok(None) => return,
        Err(error) => return tracing::error!(%error, "cannot check the sources' health"),
    };
    for chat_id in app.config.admins.iter().filter_map(|&a| i64::try_from(a).ok()) {
        let lang = app.language(chat_id, None).await;
        let note = html(words::unwell(&unwell, UNWELL_DAYS, app.config.timezone, lang));
        send_replies(bot, pacer, app, chat_id, note, None, Turn::Wait).await;
    }
}
