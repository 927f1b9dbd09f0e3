//! Chat settings: `/settings` shows them, `/digest`, `/timezone`, `/remind` and `/mute` change them.

use teloxide::utils::html::escape;

use super::handlers::{Incoming, Reply, html};
use super::i18n::{fill, texts};
use crate::app::App;
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::schedule::DigestTime;
use crate::domain::settings::{ChatSettings, SettingError, format_days};

/// Applies a change to a chat's settings; an invalid value gets a reply naming what is allowed.
pub async fn change(
    app: &App,
    incoming: &Incoming,
    lang: Lang,
    change: impl FnOnce(&mut ChatSettings) -> Result<(), SettingError>,
) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let mut settings = app.store.chat_settings(incoming.chat_id).await?;
    if let Err(error) = change(&mut settings) {
        let message = match error {
            SettingError::DigestTime => t.invalid_digest,
            SettingError::Timezone => t.invalid_timezone,
            SettingError::RemindDays => t.invalid_remind,
            SettingError::MuteDays => t.invalid_mute,
        };
        return Ok(html(message.to_owned()));
    }
    app.store.save_settings(incoming.chat_id, incoming.chat_kind, &settings, app.clock.now()).await?;
    app.wake.notify_one();
    Ok(html(format!("{}\n\n{}", t.saved, summary(app, incoming, lang).await?)))
}

/// `/settings`: everything the chat has set.
pub async fn summary(app: &App, incoming: &Incoming, lang: Lang) -> anyhow::Result<String> {
    let t = texts(lang);
    let settings = app.store.chat_settings(incoming.chat_id).await?;
    let subscription = app.store.subscription(incoming.chat_id).await?.filter(|s| s.active);
    let tz = settings.timezone.unwrap_or(app.config.timezone);
    let mut lines = vec![t.settings_title.to_owned()];
    lines.push(match &subscription {
        None => t.settings_not_subscribed.to_owned(),
        Some(s) if s.filter.is_empty() => t.settings_subscribed.to_owned(),
        Some(s) => fill(t.settings_subscribed_filter, &[("filter", &escape(&s.filter))]),
    });
    lines.push(match settings.digest {
        DigestTime::Default => fill(t.settings_digest_default, &[("cron", &escape(&app.config.digest_cron))]),
        DigestTime::At(time) => fill(t.settings_digest_at, &[("time", &time.format("%H:%M").to_string())]),
        DigestTime::Off => t.settings_digest_off.to_owned(),
    });
    lines.push(if settings.empty_digest { t.settings_empty_on } else { t.settings_empty_off }.to_owned());
    lines.push(fill(t.settings_timezone, &[("tz", tz.name())]));
    let days = settings.remind_days.clone().unwrap_or_else(|| app.config.remind_days.clone());
    lines.push(fill(t.settings_remind, &[("days", &format_days(&days).replace(',', ", "))]));
    lines.push(match settings.muted_until.filter(|until| *until > app.clock.now()) {
        Some(until) => {
            let local = until.with_timezone(&tz);
            let label = format!("{} {}", local.format("%H:%M"), Period::Day(local.date_naive()).label(lang));
            fill(t.settings_muted, &[("until", &label)])
        }
        None => t.settings_not_muted.to_owned(),
    });
    lines.push(t.settings_lang.to_owned());
    lines.push(String::new());
    lines.push(t.settings_help.to_owned());
    Ok(lines.join("\n"))
}
