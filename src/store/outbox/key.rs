//! What names a message owed, and why a row is recorded and not sent. Both are written to the
//! outbox as text (the key is unique there, so a slot planned twice adds nothing); they are built
//! and read as types, so the three shapes of key are written in one place.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use serde::{Serialize, Serializer};

/// The key of an outbox row: one per chat and slot (digest), per chat, task, lead and due date
/// (reminder: a date that moves is reminded again), per chat and period (report).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeliveryKey {
    /// The digest of the slot at this local time.
    Digest {
        chat_id: i64,
        slot: DateTime<FixedOffset>,
    },
    Reminder {
        chat_id: i64,
        task_id: i64,
        lead: u32,
        due: NaiveDate,
    },
    /// The report of a period: `2026-12` (month) or `2026-W49` (week).
    Report {
        chat_id: i64,
        period: String,
    },
}

impl fmt::Display for DeliveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Digest { chat_id, slot } => {
                write!(f, "digest:{chat_id}:{}", slot.to_rfc3339_opts(SecondsFormat::Secs, false))
            }
            Self::Reminder { chat_id, task_id, lead, due } => {
                write!(f, "remind:{chat_id}:{task_id}:{lead}:{}", due.format("%Y-%m-%d"))
            }
            Self::Report { chat_id, period } => write!(f, "report:{chat_id}:{period}"),
        }
    }
}

impl Serialize for DeliveryKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why a planned row is recorded as skipped instead of sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SkipReason {
    /// Its slot is older than the grace window: the bot was down.
    Missed,
    /// The chat muted the hours of its slot.
    Muted,
}

impl SkipReason {
    /// The words stored in the row's `error` and shown by `plan`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missed => "missed: the bot was down longer than the grace window",
            Self::Muted => "muted",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SkipReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_is_written_as_the_outbox_has_always_stored_it() {
        let slot = DateTime::parse_from_rfc3339("2026-12-03T07:00:00+07:00").unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(DeliveryKey::Digest { chat_id: -5, slot }.to_string(), "digest:-5:2026-12-03T07:00:00+07:00");
        assert_eq!(
            DeliveryKey::Reminder { chat_id: 9, task_id: 12, lead: 7, due }.to_string(),
            "remind:9:12:7:2026-12-31"
        );
        assert_eq!(DeliveryKey::Report { chat_id: 9, period: "2026-W49".into() }.to_string(), "report:9:2026-W49");
        assert_eq!(serde_json::to_string(&SkipReason::Muted).unwrap(), "\"muted\"");
    }
}
