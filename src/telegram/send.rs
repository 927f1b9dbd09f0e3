//! Sending HTML messages, and what Telegram's errors mean for the chat.
//!
//! Errors are normal events: a 429 means wait, a 403 means the chat is gone, a migration means the
//! group has a new id, a 5xx or a network error means try again later.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, LinkPreviewOptions, MessageId, ParseMode, ReplyParameters};
use teloxide::{ApiError, Bot};

/// What a failed send means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// 429: wait this long, then try again.
    RetryAfter(Duration),
    /// The chat will never accept a message again (blocked, kicked, deleted, deactivated).
    ChatGone(String),
    /// The group became a supergroup with this id.
    Migrated(i64),
    /// Might work later: 5xx, network, timeouts.
    Transient(String),
    /// Will not work as sent (bad HTML, message too long…): do not retry.
    Rejected(String),
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::RetryAfter(d) => write!(f, "rate limited: retry after {}s", d.as_secs()),
            Self::ChatGone(why) => write!(f, "chat gone: {why}"),
            Self::Migrated(id) => write!(f, "migrated to {id}"),
            Self::Transient(why) => write!(f, "transient: {why}"),
            Self::Rejected(why) => write!(f, "rejected: {why}"),
        }
    }
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
        RequestError::Network(e) => SendFailure::Transient(e.to_string()),
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
    let mut request =
        bot.send_message(ChatId(chat_id), html).parse_mode(ParseMode::Html).link_preview_options(LinkPreviewOptions {
            is_disabled: true,
            url: None,
            prefer_small_media: false,
            prefer_large_media: false,
            show_above_text: false,
        });
    if let Some(id) = reply_to {
        request = request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
    }
    request.await.map(|m| m.id).map_err(|e| classify(&e))
}

/// The inline keyboard of a reply.
pub fn keyboard(buttons: &[Vec<super::handlers::Button>]) -> teloxide::types::InlineKeyboardMarkup {
    use teloxide::types::InlineKeyboardButton;
    teloxide::types::InlineKeyboardMarkup::new(
        buttons.iter().map(|row| row.iter().map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))),
    )
}

/// Sends an HTML message with inline buttons.
pub async fn send_keyboard(
    bot: &Bot,
    chat_id: i64,
    html: &str,
    buttons: &[Vec<super::handlers::Button>],
) -> Result<i64, SendFailure> {
    bot.send_message(ChatId(chat_id), html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(buttons))
        .await
        .map(|_| chat_id)
        .map_err(|e| classify(&e))
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
    request.await.map(|_| chat_id).map_err(|e| classify(&e))
}

/// How many times an interactive reply is retried before giving up.
const REPLY_ATTEMPTS: u32 = 3;
/// The longest a reply waits on a 429 before giving up: a user is waiting.
const REPLY_MAX_WAIT: Duration = Duration::from_secs(30);

/// Sends a reply to a user's command, retrying rate limits and transient errors a few times and
/// following a group's migration. Returns where it went (the chat id may have changed).
pub async fn reply_html(bot: &Bot, chat_id: i64, html: &str, reply_to: Option<MessageId>) -> Result<i64, SendFailure> {
    let mut chat_id = chat_id;
    let mut reply_to = reply_to;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let failure = match send_html(bot, chat_id, html, reply_to).await {
            Ok(_) => return Ok(chat_id),
            Err(failure) => failure,
        };
        match failure {
            SendFailure::RetryAfter(wait) if attempt < REPLY_ATTEMPTS && wait <= REPLY_MAX_WAIT => {
                tokio::time::sleep(wait).await
            }
            SendFailure::Transient(_) if attempt < REPLY_ATTEMPTS => {
                tokio::time::sleep(Duration::from_millis(500 * 2u64.pow(attempt))).await
            }
            SendFailure::Migrated(new_id) if attempt < REPLY_ATTEMPTS => {
                chat_id = new_id;
                // The message replied to lives in the old chat.
                reply_to = None;
            }
            failure => return Err(failure),
        }
    }
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
