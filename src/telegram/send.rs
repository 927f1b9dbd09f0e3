//! Sending to Telegram: HTML messages, keyboards and files, what Telegram's errors mean for the
//! chat. Replies go through [`super::replier::Replier`]; digests and reminders through
//! [`super::broadcast::Broadcaster`].
//!
//! Errors are normal events: a 429 means wait, a 403 means the chat is gone, a migration means the
//! group has a new id, a 5xx or a network error means try again later.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, LinkPreviewOptions, MessageId, ParseMode, ReplyParameters};
use teloxide::{ApiError, Bot};

use crate::chat::message::Reply;
use crate::delivery::{Pacer, Priority, SendFailure};
use crate::metrics::SendKind;
use crate::render::Button;

/// A send to Telegram, counted in the metrics with how long it took and how it ended.
pub(super) async fn timed<T>(
    kind: SendKind,
    send: impl Future<Output = Result<T, SendFailure>>,
) -> Result<T, SendFailure> {
    let started = std::time::Instant::now();
    let result = send.await;
    crate::metrics::sent(kind, &result, started.elapsed());
    result
}

/// Descriptions that mean the chat is gone even when teloxide only knows them as `Unknown`.
const GONE_DESCRIPTIONS: &[&str] = &[
    "bot was blocked",
    "bot was kicked",
    "chat not found",
    "user is deactivated",
    "group is deactivated",
    "have no rights to send a message",
    "bot is not a member",
    "chat was deleted",
    "bot can't initiate conversation",
    "peer_id_invalid",
];

/// Descriptions of server-side trouble, worth another try.
const TRANSIENT_DESCRIPTIONS: &[&str] =
    &["internal server error", "bad gateway", "gateway timeout", "service unavailable", "too many requests", "timeout"];

/// Classifies a Telegram error.
pub fn classify(error: &RequestError) -> SendFailure {
    match error {
        RequestError::RetryAfter(after) => SendFailure::RetryAfter(after.duration().max(Duration::from_secs(1))),
        RequestError::MigrateToChatId(id) => SendFailure::Migrated(id.0),
        // Only a connection never made is safe to retry: after a timeout or a cut connection the
        // message may already be in the chat.
        RequestError::Network(e) if e.is_connect() => SendFailure::Transient(e.to_string()),
        RequestError::Network(e) => SendFailure::InDoubt(e.to_string()),
        RequestError::Io(e) => SendFailure::Transient(e.to_string()),
        // A proxy's HTML error page for a 502 is not JSON.
        RequestError::InvalidJson { raw, .. } => {
            SendFailure::Transient(format!("invalid response: {}", raw.chars().take(80).collect::<String>()))
        }
        RequestError::Api(api) => classify_api(api),
    }
}

fn classify_api(api: &ApiError) -> SendFailure {
    use ApiError::*;
    match api {
        BotBlocked
        | ChatNotFound
        | UserDeactivated
        | BotKicked
        | BotKickedFromSupergroup
        | BotKickedFromChannel
        | GroupDeactivated
        | CantInitiateConversation
        | CantTalkWithBots => SendFailure::ChatGone(api.to_string()),
        other => {
            let description = other.to_string().to_lowercase();
            if GONE_DESCRIPTIONS.iter().any(|d| description.contains(d)) {
                SendFailure::ChatGone(other.to_string())
            } else if TRANSIENT_DESCRIPTIONS.iter().any(|d| description.contains(d)) {
                SendFailure::Transient(other.to_string())
            } else {
                SendFailure::Rejected(other.to_string())
            }
        }
    }
}

/// Sends one HTML message (no link previews), optionally as a reply.
pub async fn send_html(
    bot: &Bot,
    chat_id: i64,
    html: &str,
    reply_to: Option<MessageId>,
) -> Result<MessageId, SendFailure> {
    let mut request = html_message(bot, chat_id, html);
    if let Some(id) = reply_to {
        request = request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    timed(SendKind::Reply, async { request.await.map(|m| m.id).map_err(|e| classify(&e)) }).await
}

/// An HTML message, without link previews.
fn html_message(
    bot: &Bot,
    chat_id: i64,
    html: &str,
) -> teloxide::requests::JsonRequest<teloxide::payloads::SendMessage> {
    bot.send_message(ChatId(chat_id), html).parse_mode(ParseMode::Html).link_preview_options(LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    })
}

/// The inline keyboard of a reply.
pub fn keyboard(buttons: &[Vec<Button>]) -> teloxide::types::InlineKeyboardMarkup {
    use teloxide::types::InlineKeyboardButton;
    teloxide::types::InlineKeyboardMarkup::new(
        buttons.iter().map(|row| row.iter().map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))),
    )
}

/// Sends an HTML message with inline buttons.
pub async fn send_keyboard(bot: &Bot, chat_id: i64, html: &str, buttons: &[Vec<Button>]) -> Result<i64, SendFailure> {
    let request = bot.send_message(ChatId(chat_id), html).parse_mode(ParseMode::Html).reply_markup(keyboard(buttons));
    timed(SendKind::Reply, async { request.await.map(|_| chat_id).map_err(|e| classify(&e)) }).await
}

/// Sends a file with an HTML caption (no retry: a user can ask again).
pub async fn send_document(
    bot: &Bot,
    chat_id: i64,
    name: String,
    bytes: Vec<u8>,
    caption: &str,
    reply_to: Option<MessageId>,
) -> Result<i64, SendFailure> {
    use teloxide::payloads::SendDocumentSetters;
    use teloxide::types::InputFile;
    let mut request = bot
        .send_document(ChatId(chat_id), InputFile::memory(bytes).file_name(name))
        .caption(caption)
        .parse_mode(ParseMode::Html);
    if let Some(id) = reply_to {
        request = request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    timed(SendKind::Reply, async { request.await.map(|_| chat_id).map_err(|e| classify(&e)) }).await
}

/// How many times a reply is tried on a 5xx or a connection that could not be made.
const REPLY_ATTEMPTS: u32 = 3;
/// How long a reply keeps trying through 429s before it is given up: the user has moved on.
const REPLY_GIVE_UP: Duration = Duration::from_secs(300);

/// Whether the chat's turn for the first message is still to be waited for, or was already taken
/// by the caller (a group's queue takes it before it decides which reply goes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    Wait,
    Taken,
}

/// Sends one reply, in its turn from the pacer (ahead of digests and reminders), waiting out
/// 429s for up to [`REPLY_GIVE_UP`], retrying a few transient errors, following a group's
/// migration. Returns where it went (the chat id may have changed).
async fn paced<F, Fut>(
    pacer: &Pacer,
    chat_id: i64,
    reply_to: Option<MessageId>,
    turn: Turn,
    send: F,
) -> Result<i64, SendFailure>
where
    F: Fn(i64, Option<MessageId>) -> Fut,
    Fut: Future<Output = Result<(), SendFailure>>,
{
    let started = tokio::time::Instant::now();
    let (mut chat_id, mut reply_to, mut turn) = (chat_id, reply_to, turn);
    let mut attempts = 0;
    loop {
        if std::mem::replace(&mut turn, Turn::Wait) == Turn::Wait {
            pacer.turn(chat_id, Priority::Reply).await;
        }
        let failure = match send(chat_id, reply_to).await {
            Ok(()) => return Ok(chat_id),
            Err(failure) => failure,
        };
        match failure {
            SendFailure::RetryAfter(wait) if started.elapsed() + wait <= REPLY_GIVE_UP => pacer.hold(chat_id, wait),
            SendFailure::Transient(_) if attempts + 1 < REPLY_ATTEMPTS => {
                attempts += 1;
                pacer.hold(chat_id, Duration::from_millis(500 * 2u64.pow(attempts)));
            }
            SendFailure::Migrated(new_id) if new_id != chat_id => {
                chat_id = new_id;
                // The message replied to lives in the old chat.
                reply_to = None;
            }
            failure => return Err(failure),
        }
    }
}

/// Sends replies to a chat in order, each in its turn (the first one's maybe already taken),
/// stopping at the first that fails; returns that failure. Only [`super::replier::Replier`] calls it.
pub(super) async fn deliver(
    bot: &Bot,
    pacer: &Pacer,
    chat_id: i64,
    replies: Vec<Reply>,
    reply_to: Option<MessageId>,
    turn: Turn,
) -> Result<(), SendFailure> {
    let (mut chat_id, mut turn) = (chat_id, turn);
    for reply in replies {
        let reply = match reply {
            Reply::Chart(chart) => match chart.draw() {
                Some(chart) => chart,
                None => continue,
            },
            other => other,
        };
        // A turn taken is used by the first message that goes; the others wait for their own.
        let this_turn = std::mem::replace(&mut turn, Turn::Wait);
        chat_id = match reply {
            Reply::Html(text) => {
                paced(pacer, chat_id, reply_to, this_turn, |chat, to| {
                    let text = &text;
                    async move { send_html(bot, chat, text, to).await.map(|_| ()) }
                })
                .await?
            }
            Reply::Keyboard { html, buttons } => {
                paced(pacer, chat_id, None, this_turn, |chat, _| {
                    let (html, buttons) = (&html, &buttons);
                    async move { send_keyboard(bot, chat, html, buttons).await.map(|_| ()) }
                })
                .await?
            }
            Reply::Document { name, bytes, caption } => {
                paced(pacer, chat_id, reply_to, this_turn, |chat, to| {
                    let (name, bytes, caption) = (name.clone(), bytes.clone(), &caption);
                    async move { send_document(bot, chat, name, bytes, caption, to).await.map(|_| ()) }
                })
                .await?
            }
            Reply::Chart(_) => chat_id,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gone_chats_are_recognised_even_when_teloxide_does_not_know_the_text() {
        assert!(matches!(classify_api(&ApiError::BotBlocked), SendFailure::ChatGone(_)));
        let unknown = ApiError::Unknown("Forbidden: bot was kicked from the group chat".into());
        assert!(matches!(classify_api(&unknown), SendFailure::ChatGone(_)));
        let unknown = ApiError::Unknown("Bad Request: chat not found".into());
        assert!(matches!(classify_api(&unknown), SendFailure::ChatGone(_)));
    }

    #[test]
    fn server_errors_are_transient_and_bad_requests_are_rejected() {
        assert!(matches!(classify_api(&ApiError::Unknown("Internal Server Error".into())), SendFailure::Transient(_)));
        assert!(matches!(classify_api(&ApiError::Unknown("Bad Gateway".into())), SendFailure::Transient(_)));
        assert!(matches!(
            classify_api(&ApiError::Unknown("Bad Request: can't parse entities".into())),
            SendFailure::Rejected(_)
        ));
    }
}
