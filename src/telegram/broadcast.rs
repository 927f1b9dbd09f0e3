//! Delivery's [`Transport`] for teloxide's `Bot`: digests and reminders, one `sendMessage` per
//! part, as paid broadcasts (`allow_paid_broadcast`, up to 1,000 a second for a fee) when the
//! configuration says so.
//!
//! The request is a payload of our own sent through teloxide's machinery (its HTTP client, its
//! reading of Telegram's errors: 429, migration, blocked), with the same fields teloxide's
//! `SendMessage` would send. Only the answer differs: teloxide's `SendMessage` reads the whole
//! returned `Message` (chat, sender, text, entities) into its types, and delivery keeps only the
//! message id; at 1,000 messages a second that reading was a large share of the bot's CPU.

use serde::{Deserialize, Serialize};
use teloxide::Bot;
use teloxide::requests::{JsonRequest, Payload};
use teloxide::types::ParseMode;

use super::send::{classify, timed};
use crate::delivery::{SendFuture, Transport};
use crate::metrics::SendKind;

#[derive(Debug, Clone)]
pub struct Broadcaster {
    bot: Bot,
    paid: bool,
}

impl Broadcaster {
    pub fn new(bot: Bot, paid: bool) -> Self {
        Self { bot, paid }
    }
}

impl Transport for Broadcaster {
    fn send<'a>(&'a self, chat_id: i64, html: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let request = JsonRequest::new(self.bot.clone(), BroadcastMessage::new(chat_id, html, self.paid));
            timed(SendKind::Broadcast, async { request.await.map(|sent| sent.message_id).map_err(|e| classify(&e)) })
                .await
        })
    }
}

/// `sendMessage` of an HTML text without link previews.
#[derive(Debug, Clone, Serialize)]
struct BroadcastMessage {
    chat_id: i64,
    text: String,
    parse_mode: ParseMode,
    link_preview_options: NoPreview,
    /// Sent only when true: Telegram's default is false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    allow_paid_broadcast: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct NoPreview {
    is_disabled: bool,
}

impl BroadcastMessage {
    fn new(chat_id: i64, html: &str, paid: bool) -> Self {
        Self {
            chat_id,
            text: html.to_owned(),
            parse_mode: ParseMode::Html,
            link_preview_options: NoPreview { is_disabled: true },
            allow_paid_broadcast: paid,
        }
    }
}

/// What delivery keeps of the `Message` Telegram returns: the rest is skipped unread.
#[derive(Debug, Deserialize)]
struct SentMessage {
    message_id: i32,
}

impl Payload for BroadcastMessage {
    type Output = SentMessage;
    const NAME: &'static str = "SendMessage";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_carries_what_teloxide_would_send_and_paid_only_when_asked() {
        let free = serde_json::to_value(BroadcastMessage::new(42, "<b>Bản tin</b>", false)).unwrap();
        assert_eq!(
            free,
            serde_json::json!({
                "chat_id": 42, "text": "<b>Bản tin</b>", "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": true},
            })
        );
        let paid = serde_json::to_value(BroadcastMessage::new(42, "x", true)).unwrap();
        assert_eq!(paid["allow_paid_broadcast"], serde_json::json!(true));
    }

    #[test]
    fn only_the_message_id_is_read_from_a_full_message() {
        let answer = r#"{"message_id": 7, "date": 1717300801, "chat": {"id": 42, "type": "private",
            "first_name": "Người dùng"}, "from": {"id": 1, "is_bot": true, "first_name": "Hạn Chót"},
            "text": "Bản tin", "entities": [{"type": "bold", "offset": 0, "length": 7}]}"#;
        let sent: SentMessage = serde_json::from_str(answer).unwrap();
        assert_eq!(sent.message_id, 7);
    }
}
