//! The source watcher in Telegram, beside delivery: it polls every `source_poll_seconds`, sends each new
//! item's proposals to the reviewers as the review of an imported text, headed by the item, and
//! once a day tells the admins of sources failing or silent.

use std::time::Duration;

use tokio::sync::watch;

use super::replier::Replier;
use crate::app::App;
use crate::chat::message::html;
use crate::chat::sources::review_messages;
use crate::render::sources as words;
use crate::sources::{UNWELL_DAYS, Watcher};

/// Polls the sources every `source_poll_seconds` until `stop`; the first poll at once.
pub async fn watch(app: App, replier: Replier, watcher: Watcher, mut stop: watch::Receiver<bool>) {
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
        send_reviews(&app, &replier).await;
        note_unwell(&app, &replier).await;
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
async fn send_reviews(app: &App, replier: &Replier) {
    let reviews = match app.open_source_reviews().await {
        Ok(reviews) => reviews,
        Err(error) => return tracing::error!(%error, "cannot open the reviews of new items"),
    };
    for review in reviews {
        for (chat_id, replies) in review_messages(app, &review).await {
            replier.send(chat_id, replies).await;
        }
    }
}

/// Once a day, the admins hear of sources failing or silent for [`UNWELL_DAYS`].
async fn note_unwell(app: &App, replier: &Replier) {
    let unwell = match app.unwell_sources_note(app.clock.now(), UNWELL_DAYS).await {
        Ok(Some(unwell)) => unwell,
        Ok(None) => return,
        Err(error) => return tracing::error!(%error, "cannot check the sources' health"),
    };
    for chat_id in app.config.admins.iter().filter_map(|&a| i64::try_from(a).ok()) {
        let lang = app.language(chat_id, None).await;
        let note = html(words::unwell(&unwell, UNWELL_DAYS, app.config.timezone, lang));
        replier.send(chat_id, note).await;
    }
}
