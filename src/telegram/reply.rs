//! The message model: a message as the handlers see it, whether it came from Telegram or the
//! command line, and what the bot sends back.

use crate::domain::lang::Lang;
use crate::render::split::{MAX_MESSAGE_CHARS, split_html};
use crate::render::{Button, Keyboard};
use crate::store::ChatKind;

/// A message as the handlers see it.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub chat_id: i64,
    pub chat_kind: ChatKind,
    pub user_id: Option<u64>,
    /// The sender's Telegram `language_code`, if known.
    pub user_lang: Option<String>,
    /// Sent on behalf of the group itself (an anonymous administrator).
    pub as_chat: bool,
    pub text: String,
}

/// What the bot sends back: HTML messages, each within Telegram's limit, a message with inline
/// buttons, or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Html(String),
    Keyboard {
        html: String,
        buttons: Vec<Vec<Button>>,
    },
    Document {
        name: String,
        bytes: Vec<u8>,
        caption: String,
    },
    /// A figure's chart, drawn only when its turn to be sent comes: the answer's text goes out
    /// first and does not wait for the drawing.
    MetricChart {
        metric_id: i64,
        lang: Lang,
    },
}

impl Reply {
    /// The text of a message, or a document's caption.
    pub fn text(&self) -> &str {
        match self {
            Self::Html(text) | Self::Keyboard { html: text, .. } => text,
            Self::Document { caption, .. } => caption,
            Self::MetricChart { .. } => "",
        }
    }
}

impl From<Keyboard> for Reply {
    fn from(keyboard: Keyboard) -> Self {
        Self::Keyboard { html: keyboard.html, buttons: keyboard.buttons }
    }
}

/// An HTML answer, split into messages within Telegram's limit.
pub fn html(text: impl Into<String>) -> Vec<Reply> {
    split_html(&text.into(), MAX_MESSAGE_CHARS).into_iter().map(Reply::Html).collect()
}

/// An answer that may carry buttons: the buttons go with the last of its messages.
pub fn with_buttons(keyboard: Keyboard) -> Vec<Reply> {
    let mut replies = html(keyboard.html);
    if !keyboard.buttons.is_empty()
        && let Some(Reply::Html(last)) = replies.pop()
    {
        replies.push(Reply::Keyboard { html: last, buttons: keyboard.buttons });
    }
    replies
}

/// What pressing a button does: a short notice, maybe a new text for the pressed message, and
/// maybe messages to send.
#[derive(Debug, Clone, Default)]
pub struct ButtonOutcome {
    pub notice: String,
    pub edit: Option<Reply>,
    pub replies: Vec<Reply>,
}
