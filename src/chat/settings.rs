//! Chat commands: `/subscribe`, `/unsubscribe`, `/settings`, and the settings `/digest`,
//! `/timezone`, `/remind`, `/mute` and `/lang`.

use super::message::{Incoming, Reply, html};
use crate::app::{App, ChatView};
use crate::domain::lang::Lang;
use crate::domain::settings::{
    ChatSettings, DigestChange, SettingError, parse_digest, parse_mute, parse_remind_days, parse_timezone,
};
use crate::render::settings::{SettingsView, invalid, saved, summary};
use crate::render::{escape, fill, texts};

fn view<'a>(app: &'a App, chat: &'a ChatView) -> SettingsView<'a> {
    SettingsView {
        settings: &chat.settings,
        subscription: chat.subscription.as_deref(),
        report: chat.report.as_ref(),
        report_only: chat.report_only,
        default_cron: app.config.digest_cron.as_str(),
        default_timezone: app.config.timezone,
        default_remind_days: &app.config.remind_days,
        now: app.clock.now(),
    }
}

/// `/subscribe [filter]`.
pub async fn subscribe(app: &App, incoming: &Incoming, filter: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    app.subscribe(incoming.chat_id, incoming.chat_kind, filter).await?;
    let t = texts(lang);
    Ok(html(if filter.is_empty() {
        t.subscribed.to_owned()
    } else {
        fill(t.subscribed_filter, &[("filter", &escape(filter))])
    }))
}

/// `/unsubscribe`.
pub async fn unsubscribe(app: &App, incoming: &Incoming, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let was = app.unsubscribe(incoming.chat_id).await?;
    let t = texts(lang);
    Ok(html(if was { t.unsubscribed } else { t.not_subscribed }))
}

/// `/settings`.
pub async fn show(app: &App, incoming: &Incoming, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let chat = app.chat_view(incoming.chat_id).await?;
    Ok(html(summary(&view(app, &chat), lang)))
}

/// Applies a change; an invalid value gets a reply naming what is allowed, and nothing is stored.
async fn change(
    app: &App,
    incoming: &Incoming,
    lang: Lang,
    change: impl FnOnce(&mut ChatSettings) -> Result<(), SettingError>,
) -> anyhow::Result<Vec<Reply>> {
    Ok(match app.change_settings(incoming.chat_id, incoming.chat_kind, change).await? {
        Ok(chat) => html(saved(&view(app, &chat), lang)),
        Err(error) => html(invalid(error, lang)),
    })
}

/// `/digest HH:MM | default | off | empty on|off`.
pub async fn digest(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    change(app, incoming, lang, |s| {
        match parse_digest(argument)? {
            DigestChange::Time(time) => s.digest = time,
            DigestChange::Empty(on) => s.empty_digest = on,
        }
        Ok(())
    })
    .await
}

/// `/timezone <IANA name>`.
pub async fn timezone(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    change(app, incoming, lang, |s| {
        s.timezone = Some(parse_timezone(argument)?);
        Ok(())
    })
    .await
}

/// `/remind 30,7,1,0`.
pub async fn remind(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    change(app, incoming, lang, |s| {
        s.remind_days = Some(parse_remind_days(argument)?);
        Ok(())
    })
    .await
}

/// `/mute <days> | off`.
pub async fn mute(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let now = app.clock.now();
    change(app, incoming, lang, |s| {
        s.muted_until = parse_mute(argument, now)?;
        Ok(())
    })
    .await
}

/// `/lang vi | en`.
pub async fn language(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    match argument.parse::<Lang>() {
        Ok(chosen) if !argument.is_empty() => {
            app.set_language(incoming.chat_id, incoming.chat_kind, chosen).await?;
            Ok(html(texts(chosen).lang_set))
        }
        _ => Ok(html(texts(lang).lang_usage)),
    }
}
