//! Chats, their language, and their subscriptions.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveTime, SecondsFormat, Utc};

use super::{Result, Store, StoreError};
use crate::domain::lang::Lang;
use crate::domain::schedule::DigestTime;
use crate::domain::settings::{ChatSettings, format_days};

/// Timestamps are stored as fixed-width RFC 3339 in UTC, so that text order is time order.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp {text:?}: {e}")))
}

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

/// An active subscription, with what planning its messages needs.
#[derive(Debug, Clone)]
pub struct PlanningSubscription {
    pub chat_id: i64,
    pub kind: ChatKind,
    pub filter: String,
    pub lang: Option<Lang>,
    pub settings: ChatSettings,
    /// Slots up to here are planned.
    pub planned_through: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    digest_time: Option<String>,
    digest_off: bool,
    timezone: Option<String>,
    remind_days: Option<String>,
    muted_until: Option<String>,
    empty_digest: bool,
}

impl SettingsRow {
    fn into_settings(self) -> Result<ChatSettings> {
        let bad = |what: &str, value: &str| StoreError::Corrupt(format!("chat {what} {value:?}"));
        let digest = match (self.digest_off, self.digest_time) {
            (true, _) => DigestTime::Off,
            (false, None) => DigestTime::Default,
            (false, Some(t)) => {
                DigestTime::At(NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| bad("digest time", &t))?)
            }
        };
        let timezone = self.timezone.map(|tz| tz.parse().map_err(|_| bad("time zone", &tz))).transpose()?;
        let remind_days = self
            .remind_days
            .map(|days| crate::domain::settings::parse_remind_days(&days).map_err(|_| bad("reminder days", &days)))
            .transpose()?;
        let muted_until = self.muted_until.as_deref().map(parse_timestamp).transpose()?;
        Ok(ChatSettings { digest, timezone, remind_days, muted_until, empty_digest: self.empty_digest })
    }
}

#[derive(sqlx::FromRow)]
struct PlanningRow {
    chat_id: i64,
    kind: String,
    filter: String,
    lang: Option<String>,
    planned_through: Option<String>,
    #[sqlx(flatten)]
    settings: SettingsRow,
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

    /// Subscribes a chat (again), following `filter` ("" for every task). Slots before `now` are
    /// not owed to it.
    pub async fn subscribe(&self, chat_id: i64, kind: ChatKind, filter: &str, now: DateTime<Utc>) -> Result<()> {
        self.ensure_chat(chat_id, kind).await?;
        sqlx::query(
            "INSERT INTO subscriptions (chat_id, filter, active, planned_through, next_slot_at) VALUES (?, ?, 1, ?, NULL)
             ON CONFLICT(chat_id) DO UPDATE SET filter = excluded.filter, active = 1, deactivated_reason = NULL,
                 planned_through = CASE WHEN subscriptions.active = 1 THEN subscriptions.planned_through
                                        ELSE excluded.planned_through END,
                 next_slot_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        )
        .bind(chat_id)
        .bind(filter)
        .bind(timestamp(now))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Ends a chat's subscription; what was still owed to it is skipped. Returns whether it had an
    /// active one.
    pub async fn unsubscribe(&self, chat_id: i64) -> Result<bool> {
        self.deactivate(chat_id, None).await
    }

    /// Stops sending to a chat, with the reason (blocked, kicked…) when Telegram gave one.
    pub async fn deactivate(&self, chat_id: i64, reason: Option<&str>) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let result = sqlx::query(
            "UPDATE subscriptions SET active = 0, deactivated_reason = ?,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE chat_id = ? AND active = 1",
        )
        .bind(reason)
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE outbox SET status = 'skipped', error = ? WHERE chat_id = ? AND status = 'pending'")
            .bind(format!("not sent: {}", reason.unwrap_or("unsubscribed")))
            .bind(chat_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(result.rows_affected() > 0)
    }

    /// A group became a supergroup: the chat, its subscription and what is owed to it move to the new id.
    pub async fn migrate_chat(&self, from: i64, to: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let target_exists: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM chats WHERE chat_id = ?").bind(to).fetch_one(&mut *tx).await?;
        if target_exists == 0 {
            // Subscriptions follow through ON UPDATE CASCADE.
            sqlx::query("UPDATE chats SET chat_id = ?, kind = 'supergroup' WHERE chat_id = ?")
                .bind(to)
                .bind(from)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status IN ('pending', 'sending')")
            .bind(to)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A chat's settings (the defaults for a chat never seen).
    pub async fn chat_settings(&self, chat_id: i64) -> Result<ChatSettings> {
        let row: Option<SettingsRow> = sqlx::query_as(
            "SELECT digest_time, digest_off, timezone, remind_days, muted_until, empty_digest FROM chats WHERE chat_id = ?",
        )
        .bind(chat_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(SettingsRow::into_settings).transpose().map(Option::unwrap_or_default)
    }

    /// Saves a chat's settings. Planning restarts from `now` under them.
    pub async fn save_settings(
        &self,
        chat_id: i64,
        kind: ChatKind,
        settings: &ChatSettings,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.ensure_chat(chat_id, kind).await?;
        let (digest_time, digest_off) = match &settings.digest {
            DigestTime::Default => (None, false),
            DigestTime::At(t) => (Some(t.format("%H:%M").to_string()), false),
            DigestTime::Off => (None, true),
        };
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "UPDATE chats SET digest_time = ?, digest_off = ?, timezone = ?, remind_days = ?, muted_until = ?,
                 empty_digest = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE chat_id = ?",
        )
        .bind(digest_time)
        .bind(digest_off)
        .bind(settings.timezone.map(|tz| tz.name().to_owned()))
        .bind(settings.remind_days.as_deref().map(format_days))
        .bind(settings.muted_until.map(timestamp))
        .bind(settings.empty_digest)
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE subscriptions SET planned_through = ?, next_slot_at = NULL WHERE chat_id = ? AND active = 1",
        )
        .bind(timestamp(now))
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Up to `limit` active subscriptions whose slot has come by `now` (or not yet scheduled), with
    /// chat ids above `after`, in chat id order: planning reads them a page at a time.
    pub async fn due_subscriptions(
        &self,
        now: DateTime<Utc>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<PlanningSubscription>> {
        self.planning_rows(
            "AND (s.next_slot_at IS NULL OR s.next_slot_at <= ?) AND s.chat_id > ? ORDER BY s.chat_id LIMIT ?",
            Some((now, after, limit)),
        )
        .await
    }

    /// Every active subscription.
    pub async fn active_subscriptions(&self) -> Result<Vec<PlanningSubscription>> {
        self.planning_rows("ORDER BY s.chat_id", None).await
    }

    async fn planning_rows(
        &self,
        condition: &str,
        page: Option<(DateTime<Utc>, i64, i64)>,
    ) -> Result<Vec<PlanningSubscription>> {
        // `+s.active`: walk the chat ids in order (the primary key) rather than take every due row
        // from the `subscriptions_due` index and sort them again for each page.
        let sql = format!(
            "SELECT s.chat_id, c.kind, s.filter, c.lang, s.planned_through, c.digest_time, c.digest_off, c.timezone,
                    c.remind_days, c.muted_until, c.empty_digest
             FROM subscriptions s JOIN chats c ON c.chat_id = s.chat_id
             WHERE +s.active = 1 {condition}"
        );
        let mut query = sqlx::query_as::<_, PlanningRow>(&sql);
        if let Some((now, after, limit)) = page {
            query = query.bind(timestamp(now)).bind(after).bind(limit);
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|row| {
                Ok(PlanningSubscription {
                    chat_id: row.chat_id,
                    kind: row.kind.parse().map_err(StoreError::Corrupt)?,
                    filter: row.filter,
                    lang: row.lang.and_then(|l| l.parse().ok()),
                    planned_through: row.planned_through.as_deref().map(parse_timestamp).transpose()?,
                    settings: row.settings.into_settings()?,
                })
            })
            .collect()
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
