//! Chats, their language, and their subscriptions.

use chrono::{DateTime, Utc};

use super::codec::{self, Corrupt, timestamp};
use super::dialect::{on_db, on_tx};
use super::{OutboxStatus, Result, Store, Tx};
use crate::domain::lang::Lang;
use crate::domain::schedule::DigestTime;
use crate::domain::settings::ChatSettings;

/// The kind of a Telegram chat, as far as the bot cares.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::EnumIter,
)]
#[strum(serialize_all = "lowercase")]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
}

impl ChatKind {
    pub fn is_group(self) -> bool {
        matches!(self, Self::Group | Self::Supergroup)
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct SettingsRow {
    digest_time: Option<codec::TimeOfDay>,
    digest_off: bool,
    timezone: Option<String>,
    remind_days: Option<String>,
    muted_until: Option<codec::At>,
    empty_digest: bool,
}

impl SettingsRow {
    pub(super) fn into_settings(self) -> Result<ChatSettings, Corrupt> {
        let digest = match (self.digest_off, self.digest_time) {
            (true, _) => DigestTime::Off,
            (false, None) => DigestTime::Default,
            (false, Some(t)) => DigestTime::At(t.get()),
        };
        Ok(ChatSettings {
            digest,
            timezone: self.timezone.as_deref().map(codec::parse_timezone).transpose()?,
            remind_days: self.remind_days.as_deref().map(codec::parse_remind_days).transpose()?,
            muted_until: self.muted_until.map(codec::At::get),
            empty_digest: self.empty_digest,
        })
    }
}

/// What a group's migration to a supergroup did with what the group was owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migration {
    /// The subscription and owed messages now belong to the new id.
    Moved,
    /// The new id had its own subscription: the old one ended and its messages were skipped.
    Merged,
}

impl Store {
    async fn ensure_chat(&self, chat_id: i64, kind: ChatKind, now: DateTime<Utc>) -> Result<()> {
        let now = timestamp(now);
        on_db!(self.db(), |db| sqlx::query(
            "INSERT INTO chats (chat_id, kind, created_at, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT(chat_id) DO UPDATE SET kind = excluded.kind, updated_at = excluded.updated_at
             WHERE chats.kind IS DISTINCT FROM excluded.kind",
        )
        .bind(chat_id)
        .bind(codec::text(kind))
        .bind(now)
        .bind(now)
        .execute(db)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The language a chat chose with `/lang`, if it chose one.
    pub async fn chat_lang(&self, chat_id: i64) -> Result<Option<Lang>> {
        let lang: Option<Option<String>> =
            on_db!(self.db(), |db| sqlx::query_scalar("SELECT lang FROM chats WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(db)
                .await?);
        Ok(lang.flatten().map(|l| codec::parse_enum("chat language", &l)).transpose()?)
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn set_chat_lang(&self, chat_id: i64, kind: ChatKind, lang: Lang, now: DateTime<Utc>) -> Result<()> {
        let _ring = self.ring_when_done();
        self.ensure_chat(chat_id, kind, now).await?;
        on_db!(self.db(), |db| sqlx::query("UPDATE chats SET lang = $1, updated_at = $2 WHERE chat_id = $3")
            .bind(codec::text(lang))
            .bind(timestamp(now))
            .bind(chat_id)
            .execute(db)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Subscribes a chat (again), following `filter` ("" for every task). Slots before `now` are
    /// not owed to it.
    #[tracing::instrument(skip_all, err)]
    pub async fn subscribe(&self, chat_id: i64, kind: ChatKind, filter: &str, now: DateTime<Utc>) -> Result<()> {
        let _ring = self.ring_when_done();
        self.ensure_chat(chat_id, kind, now).await?;
        let now = timestamp(now);
        on_db!(self.db(), |db| sqlx::query(
            "INSERT INTO subscriptions (chat_id, filter, active, planned_through, next_slot_at, created_at, updated_at)
             VALUES ($1, $2, TRUE, $3, NULL, $3, $3)
             ON CONFLICT(chat_id) DO UPDATE SET filter = excluded.filter, active = TRUE, deactivated_reason = NULL,
                 report_only = FALSE,
                 planned_through = CASE WHEN subscriptions.active = TRUE THEN subscriptions.planned_through
                                        ELSE excluded.planned_through END,
                 next_slot_at = NULL, updated_at = excluded.updated_at",
        )
        .bind(chat_id)
        .bind(filter)
        .bind(now)
        .execute(db)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Ends a chat's subscription and its scheduled report; what was still owed to it is skipped.
    /// Returns whether it had an active one.
    pub async fn unsubscribe(&self, chat_id: i64, now: DateTime<Utc>) -> Result<bool> {
        self.deactivate(chat_id, None, now).await
    }

    /// Stops sending to a chat, with the reason (blocked, kicked…) when Telegram gave one.
    #[tracing::instrument(skip_all, err)]
    pub async fn deactivate(&self, chat_id: i64, reason: Option<&str>, now: DateTime<Utc>) -> Result<bool> {
        let _ring = self.ring_when_done();
        let mut tx = self.write().await?;
        let result = on_tx!(&mut tx, |c| sqlx::query(
            "UPDATE subscriptions SET active = FALSE, deactivated_reason = $1, updated_at = $2,
                 report_every = NULL, report_filter = '', report_only = FALSE
             WHERE chat_id = $3 AND active = TRUE",
        )
        .bind(reason)
        .bind(timestamp(now))
        .bind(chat_id)
        .execute(c)
        .await?
        .rows_affected());
        on_tx!(&mut tx, |c| sqlx::query(
            "UPDATE outbox SET status = $1, error = $2 WHERE chat_id = $3 AND status = $4"
        )
        .bind(codec::text(OutboxStatus::Skipped))
        .bind(format!("not sent: {}", reason.unwrap_or("unsubscribed")))
        .bind(chat_id)
        .bind(codec::text(OutboxStatus::Pending))
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(result > 0)
    }

    /// A group became a supergroup: the new id ends with exactly one subscription, and what the
    /// old id was owed is either moved to it or skipped, never both.
    ///
    /// - New id unknown: the chat, its settings, subscription and owed messages move to it.
    /// - New id known (someone used `/lang` there) without an active subscription: the old group's
    ///   subscription, filter and settings replace whatever it had (a language it chose stays).
    /// - New id already subscribed: its own subscription is kept; the old one ends and what it
    ///   was owed is skipped, so the supergroup does not get two digests per slot.
    #[tracing::instrument(skip_all, err)]
    pub async fn migrate_chat(&self, from: i64, to: i64, now: DateTime<Utc>) -> Result<Migration> {
        let _ring = self.ring_when_done();
        let now = timestamp(now);
        let mut tx = self.write().await?;
        let count = async |tx: &mut Tx, sql: &'static str, id: i64| -> Result<bool> {
            Ok(on_tx!(tx, |c| sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(c).await?) > 0)
        };
        let target_known = count(&mut tx, "SELECT COUNT(*) FROM chats WHERE chat_id = $1", to).await?;
        const ACTIVE: &str = "SELECT COUNT(*) FROM subscriptions WHERE chat_id = $1 AND active = TRUE";
        let target_active = count(&mut tx, ACTIVE, to).await?;
        let source_active = count(&mut tx, ACTIVE, from).await?;
        let outcome = if !target_known {
            // Subscriptions follow through ON UPDATE CASCADE.
            on_tx!(&mut tx, |c| sqlx::query(
                "UPDATE chats SET chat_id = $1, kind = $2, updated_at = $3 WHERE chat_id = $4"
            )
            .bind(to)
            .bind(codec::text(ChatKind::Supergroup))
            .bind(now)
            .bind(from)
            .execute(c)
            .await?
            .rows_affected());
            Migration::Moved
        } else if target_active {
            on_tx!(&mut tx, |c| {
                sqlx::query(
                "UPDATE subscriptions SET active = FALSE, deactivated_reason = $1, updated_at = $2 WHERE chat_id = $3 AND active = TRUE",
            )
            .bind(format!("migrated to {to}, which has its own subscription"))
            .bind(now)
            .bind(from)
            .execute(c)
            .await?.rows_affected()
            });
            // In flight too: the sender that met the migration does not resend it.
            on_tx!(&mut tx, |c| {
                sqlx::query(
                "UPDATE outbox SET status = $1, error = $2, claimed_by = NULL WHERE chat_id = $3 AND status IN ($4, $5)",
            )
            .bind(codec::text(OutboxStatus::Skipped))
            .bind(format!("not sent: the group became {to}, which has its own subscription"))
            .bind(from)
            .bind(codec::text(OutboxStatus::Pending))
            .bind(codec::text(OutboxStatus::Sending))
            .execute(c)
            .await?.rows_affected()
            });
            Migration::Merged
        } else {
            if source_active {
                on_tx!(&mut tx, |c| sqlx::query(
                    "UPDATE chats SET kind = $1, digest_time = o.digest_time, digest_off = o.digest_off,
                         timezone = o.timezone, remind_days = o.remind_days, muted_until = o.muted_until,
                         empty_digest = o.empty_digest, lang = COALESCE(chats.lang, o.lang), updated_at = $2
                     FROM (SELECT * FROM chats WHERE chat_id = $3) AS o
                     WHERE chats.chat_id = $4",
                )
                .bind(codec::text(ChatKind::Supergroup))
                .bind(now)
                .bind(from)
                .bind(to)
                .execute(c)
                .await?
                .rows_affected());
                on_tx!(&mut tx, |c| sqlx::query("DELETE FROM subscriptions WHERE chat_id = $1")
                    .bind(to)
                    .execute(c)
                    .await?
                    .rows_affected());
                on_tx!(&mut tx, |c| sqlx::query(
                    "UPDATE subscriptions SET chat_id = $1, updated_at = $2 WHERE chat_id = $3"
                )
                .bind(to)
                .bind(now)
                .bind(from)
                .execute(c)
                .await?
                .rows_affected());
            }
            Migration::Moved
        };
        if outcome == Migration::Moved {
            on_tx!(&mut tx, |c| sqlx::query(
                "UPDATE outbox SET chat_id = $1 WHERE chat_id = $2 AND status IN ($3, $4)"
            )
            .bind(to)
            .bind(from)
            .bind(codec::text(OutboxStatus::Pending))
            .bind(codec::text(OutboxStatus::Sending))
            .execute(c)
            .await?
            .rows_affected());
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// A chat's settings (the defaults for a chat never seen).
    pub async fn chat_settings(&self, chat_id: i64) -> Result<ChatSettings> {
        let row: Option<SettingsRow> = on_db!(self.db(), |db| {
            sqlx::query_as(
            "SELECT digest_time, digest_off, timezone, remind_days, muted_until, empty_digest FROM chats WHERE chat_id = $1",
        )
        .bind(chat_id)
        .fetch_optional(db)
        .await?
        });
        Ok(row.map(SettingsRow::into_settings).transpose()?.unwrap_or_default())
    }

    /// Saves a chat's settings. Planning restarts from `now` under them.
    #[tracing::instrument(skip_all, err)]
    pub async fn save_settings(
        &self,
        chat_id: i64,
        kind: ChatKind,
        settings: &ChatSettings,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let _ring = self.ring_when_done();
        self.ensure_chat(chat_id, kind, now).await?;
        let now = timestamp(now);
        let (digest_time, digest_off) = match &settings.digest {
            DigestTime::Default => (None, false),
            DigestTime::At(t) => (Some(codec::clock_time(*t)), false),
            DigestTime::Off => (None, true),
        };
        let mut tx = self.write().await?;
        on_tx!(&mut tx, |c| sqlx::query(
            "UPDATE chats SET digest_time = $1, digest_off = $2, timezone = $3, remind_days = $4, muted_until = $5,
                 empty_digest = $6, updated_at = $7
             WHERE chat_id = $8",
        )
        .bind(digest_time)
        .bind(digest_off)
        .bind(settings.timezone.map(codec::timezone))
        .bind(settings.remind_days.as_deref().map(codec::remind_days))
        .bind(settings.muted_until.map(timestamp))
        .bind(settings.empty_digest)
        .bind(now)
        .bind(chat_id)
        .execute(c)
        .await?
        .rows_affected());
        on_tx!(&mut tx, |c| sqlx::query(
            "UPDATE subscriptions SET planned_through = $1, next_slot_at = NULL WHERE chat_id = $2 AND active = TRUE",
        )
        .bind(now)
        .bind(chat_id)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(())
    }
}
