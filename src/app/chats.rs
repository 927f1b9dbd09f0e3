//! Use cases on chats: the language to answer in, subscribing, settings, the scheduled report, a
//! group's migration, and a chat going away.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{App, Change, Result};
use crate::domain::lang::Lang;
use crate::domain::report_schedule::{ReportChange, ReportSchedule, next_report_slot};
use crate::domain::settings::{ChatSettings, SettingError};
use crate::store::ChatKind;

/// A chat's settings and subscription, as `/settings` shows them.
#[derive(Debug, Clone)]
pub struct ChatView {
    pub settings: ChatSettings,
    /// The active subscription's filter ("" for everything), or `None`.
    pub subscription: Option<String>,
    pub lang: Option<Lang>,
    /// The report the chat gets on a schedule, if any.
    pub report: Option<ReportSchedule>,
    /// Subscribed for the scheduled report alone: no digest, no reminders.
    pub report_only: bool,
}

/// What `/report monthly | weekly | off` did, and when the next report goes out.
#[derive(Debug, Clone)]
pub struct ReportSet {
    pub change: ReportChange,
    pub report: Option<ReportSchedule>,
    pub next: Option<DateTime<Utc>>,
    /// The chat's time zone, in which the report's day and time are read.
    pub timezone: Tz,
}

impl App {
    /// The language to answer in: the chat's choice, else the sender's Telegram language, else the
    /// configured default.
    pub async fn language(&self, chat_id: i64, user_lang: Option<&str>) -> Lang {
        self.answer_language(chat_id, user_lang, None).await
    }

    /// The language to answer a question in: the chat's choice (/lang), else the language the
    /// question is clearly `written` in, else as [`App::language`].
    pub async fn answer_language(&self, chat_id: i64, user_lang: Option<&str>, written: Option<Lang>) -> Lang {
        let chosen = self.store.chat_lang(chat_id).await.unwrap_or_else(|error| {
            tracing::warn!(chat_id, %error, "cannot read the chat's language");
            None
        });
        chosen.or(written).or_else(|| user_lang.and_then(Lang::from_telegram_code)).unwrap_or(self.config.default_lang)
    }

    /// Sets the chat's language.
    pub async fn set_language(&self, chat_id: i64, kind: ChatKind, lang: Lang) -> Result<()> {
        self.store.set_chat_lang(chat_id, kind, lang, self.clock.now()).await?;
        self.changed(Change::Chat).await
    }

    /// Subscribes a chat to digests and reminders, for every task or those matching `filter`.
    pub async fn subscribe(&self, chat_id: i64, kind: ChatKind, filter: &str) -> Result<()> {
        self.store.subscribe(chat_id, kind, filter, self.clock.now()).await?;
        self.changed(Change::Chat).await
    }

    /// Ends a chat's subscription; false when it had none.
    pub async fn unsubscribe(&self, chat_id: i64) -> Result<bool> {
        let was = self.store.unsubscribe(chat_id, self.clock.now()).await?;
        self.changed(Change::Chat).await?;
        Ok(was)
    }

    /// Telegram says the chat is gone (blocked, kicked, deleted): nothing more is sent to it.
    pub async fn chat_gone(&self, chat_id: i64, reason: &str) -> Result<()> {
        self.store.deactivate(chat_id, Some(reason), self.clock.now()).await?;
        self.changed(Change::Chat).await
    }

    /// A group became a supergroup: its subscription and what is owed follow it.
    pub async fn migrate_chat(&self, from: i64, to: i64) -> Result<()> {
        self.store.migrate_chat(from, to, self.clock.now()).await?;
        self.changed(Change::Chat).await
    }

    /// The chat's settings and subscription.
    pub async fn chat_view(&self, chat_id: i64) -> Result<ChatView> {
        let settings = self.store.chat_settings(chat_id).await?;
        let active = self.store.subscription(chat_id).await?.filter(|s| s.active);
        let lang = self.store.chat_lang(chat_id).await?;
        let (report, report_only) = active.as_ref().map_or((None, false), |s| (s.report.clone(), s.report_only));
        Ok(ChatView { settings, subscription: active.map(|s| s.filter), lang, report, report_only })
    }

    /// Turns the chat's scheduled report on (`Some`) or off. A chat not subscribed is subscribed
    /// for the report alone; turning that off ends its subscription.
    pub async fn set_report(&self, chat_id: i64, kind: ChatKind, report: Option<ReportSchedule>) -> Result<ReportSet> {
        let now = self.clock.now();
        let change = self.store.set_report(chat_id, kind, report.as_ref(), now).await?;
        self.changed(Change::Chat).await?;
        let settings = self.store.chat_settings(chat_id).await?;
        let (schedule, timezone) = settings.schedule(self.config.digest_cron.slots(), self.config.timezone);
        let next = report.as_ref().and_then(|r| next_report_slot(schedule, timezone, now, r.every));
        Ok(ReportSet { change, report, next, timezone })
    }

    /// Applies a change to a chat's settings; an invalid value changes nothing and says why.
    pub async fn change_settings(
        &self,
        chat_id: i64,
        kind: ChatKind,
        change: impl FnOnce(&mut ChatSettings) -> Result<(), SettingError>,
    ) -> Result<Result<ChatView, SettingError>> {
        let mut settings = self.store.chat_settings(chat_id).await?;
        if let Err(error) = change(&mut settings) {
            return Ok(Err(error));
        }
        self.store.save_settings(chat_id, kind, &settings, self.clock.now()).await?;
        self.changed(Change::Chat).await?;
        Ok(Ok(self.chat_view(chat_id).await?))
    }
}
