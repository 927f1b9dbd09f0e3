//! Chats, their language, and their subscriptions.

use std::fmt;
use std::str::FromStr;

use super::{Result, Store};
use crate::domain::lang::Lang;

/// The kind of a Telegram chat, as far as the bot cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Group => "group",
            Self::Supergroup => "supergroup",
            Self::Channel => "channel",
        }
    }

    pub fn is_group(self) -> bool {
        matches!(self, Self::Group | Self::Supergroup)
    }
}

impl fmt::Display for ChatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChatKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "private" => Ok(Self::Private),
            "group" => Ok(Self::Group),
            "supergroup" => Ok(Self::Supergroup),
            "channel" => Ok(Self::Channel),
            other => Err(format!("unknown chat kind {other:?}")),
        }
    }
}

/// A chat's subscription to digests and reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub chat_id: i64,
    /// Owner or keyword the chat follows; empty for every task.
    pub filter: String,
    pub active: bool,
}

impl Store {
    async fn ensure_chat(&self, chat_id: i64, kind: ChatKind) -> Result<()> {
        sqlx::query(
            "INSERT INTO chats (chat_id, kind) VALUES (?, ?)
             ON CONFLICT(chat_id) DO UPDATE SET kind = excluded.kind WHERE chats.kind IS NOT excluded.kind",
        )
        .bind(chat_id)
        .bind(kind.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The language a chat chose with `/lang`, if it chose one.
    pub async fn chat_lang(&self, chat_id: i64) -> Result<Option<Lang>> {
        let lang: Option<Option<String>> = sqlx::query_scalar("SELECT lang FROM chats WHERE chat_id = ?")
            .bind(chat_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(lang.flatten().and_then(|l| l.parse().ok()))
    }

    pub async fn set_chat_lang(&self, chat_id: i64, kind: ChatKind, lang: Lang) -> Result<()> {
        self.ensure_chat(chat_id, kind).await?;
        sqlx::query("UPDATE chats SET lang = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE chat_id = ?")
            .bind(lang.code())
            .bind(chat_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Subscribes a chat (again), following `filter` ("" for every task).
    pub async fn subscribe(&self, chat_id: i64, kind: ChatKind, filter: &str) -> Result<()> {
        self.ensure_chat(chat_id, kind).await?;
        sqlx::query(
            "INSERT INTO subscriptions (chat_id, filter, active) VALUES (?, ?, 1)
             ON CONFLICT(chat_id) DO UPDATE SET filter = excluded.filter, active = 1,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        )
        .bind(chat_id)
        .bind(filter)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Ends a chat's subscription. Returns whether it had an active one.
    pub async fn unsubscribe(&self, chat_id: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE subscriptions SET active = 0, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE chat_id = ? AND active = 1",
        )
        .bind(chat_id)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() > 0)
    }

    pub async fn subscription(&self, chat_id: i64) -> Result<Option<Subscription>> {
        let row: Option<(i64, String, bool)> =
            sqlx::query_as("SELECT chat_id, filter, active FROM subscriptions WHERE chat_id = ?")
                .bind(chat_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(chat_id, filter, active)| Subscription { chat_id, filter, active }))
    }
}
