//! Delivery's port: what it needs of a messenger (send one HTML message to a chat) and what a
//! failed send means. `telegram::send` implements it for the Bot API client; tests may fake it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::store::StoreError;

/// What a failed send means for the chat and the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendFailure {
    /// 429: wait this long, then try again.
    #[error("rate limited: retry after {}s", .0.as_secs())]
    RetryAfter(Duration),
    /// The chat will never accept a message again (blocked, kicked, deleted, deactivated).
    #[error("chat gone: {0}")]
    ChatGone(String),
    /// The group became a supergroup with this id.
    #[error("migrated to {0}")]
    Migrated(i64),
    /// Might work later, and Telegram did not take it: a 5xx, a connection never made.
    #[error("transient: {0}")]
    Transient(String),
    /// The request went out and no answer came (a timeout, a connection cut mid-way): Telegram may
    /// have delivered it. Never sent again automatically, so that nothing arrives twice.
    #[error("no answer from Telegram, may have been delivered, not resent: {0}")]
    InDoubt(String),
    /// Will not work as sent (bad HTML, message too long…): do not retry.
    #[error("rejected: {0}")]
    Rejected(String),
}

/// A boxed send, so that the sender's tasks are `Send` whatever the transport.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<i32, SendFailure>> + Send + 'a>>;

/// Something that can send an HTML message to a chat: Telegram, in production.
pub trait Transport: Clone + Send + Sync + 'static {
    /// Sends `html`; returns the message's id.
    fn send<'a>(&'a self, chat_id: i64, html: &'a str) -> SendFuture<'a>;
}

/// Why a delivery pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// One of delivery's own tasks panicked: a bug, not bad data.
    #[error("a delivery task panicked: {0}")]
    Panicked(String),
}

impl From<tokio::task::JoinError> for DeliveryError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Panicked(error.to_string())
    }
}
