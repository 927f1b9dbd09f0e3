//! The outbox: every message owed is a row before it is sent.
//!
//! A row is planned once (its key is unique), claimed atomically by one sender (so two bot
//! processes on one database never send the same row), then marked sent with Telegram's message
//! id, rescheduled, or failed with the error.
//!
//! The sender's per-row methods carry no `#[instrument(err)]`: the sender logs their errors once,
//! and a storage outage must not double every line of it.
//!
//! Here the row types; planning's writes in `plan`, the sender's in `send`, counting and pruning in
//! `upkeep`, the one sender's lease in `lease`.

mod key;
mod lease;
mod plan;
mod send;
mod upkeep;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use key::{DeliveryKey, SkipReason};

/// What kind of message a row is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum DeliveryKind {
    Digest,
    Reminder,
    /// A chat's scheduled report (`/report monthly`).
    Report,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a row is in its life: planned, claimed by a sender, and then one of the three ends.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum OutboxStatus {
    /// Owed, waiting for its time (or its retry).
    Pending,
    /// Claimed by one sender, which is sending it now.
    Sending,
    Sent,
    /// Telegram refused it for good, or it was interrupted while sending and is not resent.
    Failed,
    /// Never sent and never will be: too late, muted, or the chat left.
    Skipped,
}

/// A message the planner decided is owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    pub key: DeliveryKey,
    pub chat_id: i64,
    pub kind: DeliveryKind,
    pub body: String,
    pub scheduled_at: DateTime<Utc>,
    /// Sent after its slot because the bot was down.
    pub late: bool,
    /// Not to be sent: recorded as skipped, for this reason.
    pub skipped: Option<SkipReason>,
}

/// What planning decided for one chat: the rows, and how far it got.
#[derive(Debug, Clone, Copy)]
pub struct PlanRecord<'a> {
    pub chat_id: i64,
    pub planned: &'a [Planned],
    pub planned_through: DateTime<Utc>,
    pub next_slot_at: Option<DateTime<Utc>>,
}

/// A row waiting to be sent, as read: nobody has claimed it for this process.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub key: String,
    pub chat_id: i64,
    /// The text, kept once for every row that shares it ([`Store::bodies`]); `None` for a row
    /// written before texts were shared, whose text is in `body`.
    pub body_id: Option<i64>,
    /// The text of a row without `body_id`; empty otherwise.
    pub body: String,
    pub attempts: i64,
    pub parts_sent: i64,
}

/// A row sent: Telegram's message id, the chat it went to (a group may have migrated), when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentMark {
    pub id: i64,
    pub message_id: i32,
    pub chat_id: i64,
    pub at: DateTime<Utc>,
}

/// How many rows are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub skipped: i64,
}
