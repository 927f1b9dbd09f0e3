//! The message model: a message as the handlers see it, whether it came from Telegram or the
//! command line, and what the bot sends back, whatever carries it.

use std::sync::Arc;

use crate::domain::lang::Lang;
use crate::domain::metric::Metric;
use crate::render;
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
    Chart(PendingChart),
}

/// A figure's chart not drawn yet: it carries the figure, so the sending side needs nothing else.
#[derive(Debug, Clone)]
pub struct PendingChart {
    pub metric: Arc<Metric>,
    pub lang: Lang,
}

impl PartialEq for PendingChart {
    fn eq(&self, other: &Self) -> bool {
        self.metric.id == other.metric.id && self.lang == other.lang
    }
}

impl Eq for PendingChart {}

impl PendingChart {
    /// The chart as a PNG document; `None` when the figure has no series to draw (or drawing
    /// failed, which is logged).
    pub fn draw(&self) -> Option<Reply> {
        let metric = &self.metric;
        match render::chart::metric_chart(metric, self.lang) {
            Ok(Some(bytes)) => Some(Reply::Document {
                name: format!("{}.png", metric.key),
                bytes,
                caption: format!("📈 {}", render::escape(metric.name(self.lang))),
            }),
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, key = metric.key, "metric chart failed");
                None
            }
        }
    }
}

impl Reply {
    /// The text of a message, or a document's caption.
    pub fn text(&self) -> &str {
        match self {
            Self::Html(text) | Self::Keyboard { html: text, .. } => text,
            Self::Document { caption, .. } => caption,
            Self::Chart(_) => "",
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
