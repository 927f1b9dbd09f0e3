//! `/settings`: everything a chat has set, with the defaults it falls back on.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::html::escape;
use super::i18n::{fill, texts};
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::report_schedule::{ReportChange, ReportEvery, ReportSchedule};
use crate::domain::schedule::DigestTime;
use crate::domain::settings::{ChatSettings, SettingError, format_days};

/// What the summary shows: the chat's settings, its subscription, the configured defaults.
#[derive(Debug, Clone)]
pub struct SettingsView<'a> {
    pub settings: &'a ChatSettings,
    /// `None` when not subscribed; the subscription's filter ("" for everything) when subscribed.
    pub subscription: Option<&'a str>,
    /// The report the chat gets on a schedule, if any.
    pub report: Option<&'a ReportSchedule>,
    /// Subscribed for the scheduled report alone.
    pub report_only: bool,
    pub default_cron: &'a str,
    pub default_timezone: Tz,
    pub default_remind_days: &'a [u32],
    pub now: DateTime<Utc>,
}

/// `/settings`.
pub fn summary(view: &SettingsView, lang: Lang) -> String {
    let t = texts(lang);
    let settings = view.settings;
    let tz = settings.timezone.unwrap_or(view.default_timezone);
    let mut lines = vec![t.settings_title.to_owned()];
    lines.push(match view.subscription {
        Some(_) if view.report_only => t.settings_report_only.to_owned(),
        None => t.settings_not_subscribed.to_owned(),
        Some("") => t.settings_subscribed.to_owned(),
        Some(filter) => fill(t.settings_subscribed_filter, &[("filter", &escape(filter))]),
    });
    lines.push(match settings.digest {
        DigestTime::Default => fill(t.settings_digest_default, &[("cron", &escape(view.default_cron))]),
        DigestTime::At(time) => fill(t.settings_digest_at, &[("time", &time.format("%H:%M").to_string())]),
        DigestTime::Off => t.settings_digest_off.to_owned(),
    });
    lines.push(if settings.empty_digest { t.settings_empty_on } else { t.settings_empty_off }.to_owned());
    lines.push(fill(t.settings_timezone, &[("tz", tz.name())]));
    let days = settings.remind_days.as_deref().unwrap_or(view.default_remind_days);
    lines.push(fill(t.settings_remind, &[("days", &format_days(days).replace(',', ", "))]));
    lines.push(match settings.muted_until.filter(|until| *until > view.now) {
        Some(until) => {
            let local = until.with_timezone(&tz);
            let label = format!("{} {}", local.format("%H:%M"), Period::Day(local.date_naive()).label(lang));
            fill(t.settings_muted, &[("until", &label)])
        }
        None => t.settings_not_muted.to_owned(),
    });
    lines.push(match view.report {
        Some(report) => {
            let template = match report.every {
                ReportEvery::Month => t.settings_report_month,
                ReportEvery::Week => t.settings_report_week,
            };
            fill(template, &[("scope", &scope(&report.filter, lang))])
        }
        None => t.settings_report_off.to_owned(),
    });
    lines.push(t.settings_lang.to_owned());
    lines.push(String::new());
    lines.push(t.settings_help.to_owned());
    lines.join("\n")
}

/// " for “Bộ Công an”", or nothing for every task.
fn scope(filter: &str, lang: Lang) -> String {
    match filter.trim() {
        "" => String::new(),
        filter => fill(texts(lang).report_on_scope, &[("filter", &escape(filter))]),
    }
}

/// The answer to `/report monthly | weekly | off`: what changed, when the next report goes out
/// (local time in `tz`), and for a chat that gets the report alone, that it gets nothing else.
pub fn report_set(
    change: ReportChange,
    report: Option<&ReportSchedule>,
    next: Option<DateTime<Utc>>,
    tz: Tz,
    lang: Lang,
) -> String {
    let t = texts(lang);
    let on = |report: &ReportSchedule| {
        let template = match report.every {
            ReportEvery::Month => t.report_on_month,
            ReportEvery::Week => t.report_on_week,
        };
        let next = next.map(|at| at.with_timezone(&tz)).map_or_else(
            || "—".to_owned(),
            |local| format!("{} {}", local.format("%H:%M"), Period::Day(local.date_naive()).label(lang)),
        );
        fill(template, &[("scope", &scope(&report.filter, lang)), ("tz", tz.name()), ("next", &next)])
    };
    match (change, report) {
        (ReportChange::On, Some(report)) => on(report),
        (ReportChange::OnAlone, Some(report)) => format!("{}\n\n{}", on(report), t.report_on_alone),
        (ReportChange::Off, _) => t.report_off.to_owned(),
        (ReportChange::OffAlone, _) => t.report_off_alone.to_owned(),
        (ReportChange::WasOff | ReportChange::On | ReportChange::OnAlone, _) => t.report_was_off.to_owned(),
    }
}

/// "Saved", then the summary.
pub fn saved(view: &SettingsView, lang: Lang) -> String {
    format!("{}\n\n{}", texts(lang).saved, summary(view, lang))
}

/// What is wrong with a value, and what is allowed.
pub fn invalid(error: SettingError, lang: Lang) -> &'static str {
    let t = texts(lang);
    match error {
        SettingError::DigestTime => t.invalid_digest,
        SettingError::Timezone => t.invalid_timezone,
        SettingError::RemindDays => t.invalid_remind,
        SettingError::MuteDays => t.invalid_mute,
    }
}
