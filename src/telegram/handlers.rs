//! The bot's answers. Telegram and `hanchot ask` both call [`respond`]: one code path.

use teloxide::Bot;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, UserId};
use teloxide::utils::command::{BotCommands, ParseError};
use teloxide::utils::html::escape;

use super::command::Command;
use super::i18n::{fill, texts};
use super::render;
use super::split::{MAX_MESSAGE_CHARS, split_html};
use super::{settings, tasks};
use crate::app::App;
use crate::domain::deadline::{DeadlineFilter, FilterError, parse_filter, select};
use crate::domain::lang::Lang;
use crate::domain::metric;
use crate::domain::settings::{DigestChange, parse_digest, parse_mute, parse_remind_days, parse_timezone};
use crate::store::ChatKind;

/// The longest argument a command accepts; a question longer than this is not a question.
pub const MAX_ARGUMENT_CHARS: usize = 200;

/// A message as the handlers see it, whether it came from Telegram or the command line.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub chat_id: i64,
    pub chat_kind: ChatKind,
    pub user_id: Option<u64>,
    /// The sender's Telegram `language_code`, if known.
    pub user_lang: Option<String>,
    /// Sent on behalf of the group itself (an anonymous administrator).
    pub as_chat: bool,
    pub text: String,
}

/// Who may change a group's settings: Telegram says who the administrators are; on the command
/// line the operator is in charge.
#[derive(Debug, Clone)]
pub enum Authority {
    Telegram(Bot),
    Operator,
}

impl Authority {
    /// Whether the sender may change the data (tasks): the admins listed in the config, or the
    /// operator at the command line.
    pub fn may_edit_data(&self, incoming: &Incoming, config: &crate::config::Config) -> bool {
        match self {
            Self::Operator => true,
            Self::Telegram(_) => config.is_admin(incoming.user_id),
        }
    }

    /// Whether the sender may change this chat's settings. Anyone may in a private chat; in a
    /// group only its administrators (asked of Telegram with getChatMember).
    pub async fn may_change(&self, incoming: &Incoming) -> bool {
        if !incoming.chat_kind.is_group() || incoming.as_chat {
            return true;
        }
        match (self, incoming.user_id) {
            (Self::Operator, _) => true,
            (Self::Telegram(_), None) => false,
            (Self::Telegram(bot), Some(user)) => {
                match bot.get_chat_member(ChatId(incoming.chat_id), UserId(user)).await {
                    Ok(member) => member.is_privileged(),
                    Err(error) => {
                        tracing::warn!(chat_id = incoming.chat_id, %error, "getChatMember failed; refusing the change");
                        false
                    }
                }
            }
        }
    }
}

/// An inline button: its label and the callback data it sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

impl Button {
    pub fn new(label: &str, data: String) -> Self {
        Self { label: label.to_owned(), data }
    }
}

/// What the bot sends back: HTML messages, each within Telegram's limit, a message with inline
/// buttons, or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Html(String),
    Keyboard { html: String, buttons: Vec<Vec<Button>> },
    Document { name: String, bytes: Vec<u8>, caption: String },
}

impl Reply {
    /// The text of a message, or a document's caption.
    pub fn text(&self) -> &str {
        match self {
            Self::Html(text) | Self::Keyboard { html: text, .. } => text,
            Self::Document { caption, .. } => caption,
        }
    }
}

pub(super) fn html(text: String) -> Vec<Reply> {
    split_html(&text, MAX_MESSAGE_CHARS).into_iter().map(Reply::Html).collect()
}

/// The language to answer in: the chat's choice, else the sender's Telegram language, else the default.
pub async fn language(app: &App, incoming: &Incoming) -> Lang {
    let chosen = app.store.chat_lang(incoming.chat_id).await.unwrap_or_else(|error| {
        tracing::warn!(chat_id = incoming.chat_id, %error, "cannot read the chat's language");
        None
    });
    chosen
        .or_else(|| incoming.user_lang.as_deref().and_then(Lang::from_telegram_code))
        .unwrap_or(app.config.default_lang)
}

/// Text a person could not have meant: control characters, replacement characters.
fn looks_binary(text: &str) -> bool {
    text.chars().any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{fffd}')
}

/// Whether a command names this bot (`/deadlines@hanchot_bot`).
fn addressed_to(text: &str, bot_username: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    first.split_once('@').is_some_and(|(_, name)| name.eq_ignore_ascii_case(bot_username))
}

/// Answers one message. An empty answer means the bot stays silent (a group message meant for
/// someone else).
pub async fn respond(app: &App, incoming: &Incoming, bot_username: &str, authority: &Authority) -> Vec<Reply> {
    let lang = language(app, incoming).await;
    let t = texts(lang);
    let text = incoming.text.trim();
    let is_command = text.starts_with('/');
    let private = incoming.chat_kind == ChatKind::Private;
    if !is_command && !private {
        return Vec::new();
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return html(fill(t.too_long, &[("max", &MAX_MESSAGE_CHARS.to_string())]));
    }
    if looks_binary(text) {
        return html(t.unreadable.to_owned());
    }
    if !is_command {
        // An admin's text may be a directive to import, or a value they were asked for.
        if authority.may_edit_data(incoming, &app.config) {
            let intake = match super::intake::typed_value(app, incoming, text, lang).await {
                Ok(None) => super::intake::start(app, incoming, text, lang).await,
                other => other,
            };
            match intake {
                Ok(Some(replies)) => return replies,
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(chat_id = incoming.chat_id, %error, "import failed");
                    return html(t.internal_error.to_owned());
                }
            }
        }
        return free_text(app, text, lang);
    }
    let command = match Command::parse(text, bot_username) {
        Ok(command) => command,
        Err(ParseError::WrongBotName(_)) => return Vec::new(),
        Err(_) if !private && !addressed_to(text, bot_username) => return Vec::new(),
        Err(_) => {
            let name = text.split_whitespace().next().unwrap_or_default();
            let name: String = name.chars().take(40).collect();
            return html(fill(t.unknown_command, &[("command", &escape(&name))]));
        }
    };
    let argument = command_argument(&command).trim();
    if argument.chars().count() > MAX_ARGUMENT_CHARS {
        return html(fill(t.argument_too_long, &[("max", &MAX_ARGUMENT_CHARS.to_string())]));
    }
    if changes_data(&command) && !authority.may_edit_data(incoming, &app.config) {
        return html(t.not_admin.to_owned());
    }
    if changes_settings(&command) && !authority.may_change(incoming).await {
        return html(t.admins_only.to_owned());
    }
    match run(app, incoming, &command, argument, lang).await {
        Ok(replies) => replies,
        Err(error) => {
            tracing::error!(chat_id = incoming.chat_id, ?command, %error, "command failed");
            html(t.internal_error.to_owned())
        }
    }
}

fn command_argument(command: &Command) -> &str {
    match command {
        Command::Start(a)
        | Command::Help(a)
        | Command::Deadlines(a)
        | Command::Metric(a)
        | Command::Metrics(a)
        | Command::Subscribe(a)
        | Command::Unsubscribe(a)
        | Command::Settings(a)
        | Command::Digest(a)
        | Command::Timezone(a)
        | Command::Remind(a)
        | Command::Mute(a)
        | Command::Lang(a)
        | Command::Deadline(a)
        | Command::Ics(a)
        | Command::Add(a)
        | Command::Done(a)
        | Command::Reopen(a)
        | Command::Note(a) => a,
    }
}

fn changes_data(command: &Command) -> bool {
    matches!(command, Command::Add(_) | Command::Done(_) | Command::Reopen(_) | Command::Note(_))
}

fn changes_settings(command: &Command) -> bool {
    matches!(
        command,
        Command::Subscribe(_)
            | Command::Unsubscribe(_)
            | Command::Digest(_)
            | Command::Timezone(_)
            | Command::Remind(_)
            | Command::Mute(_)
            | Command::Lang(_)
    )
}

async fn run(
    app: &App,
    incoming: &Incoming,
    command: &Command,
    argument: &str,
    lang: Lang,
) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let replies = match command {
        Command::Start(_) => html(render::help(lang, true)),
        Command::Help(_) => html(render::help(lang, false)),
        Command::Deadlines(_) => deadlines(app, argument, lang),
        Command::Metric(_) if argument.is_empty() => html(t.metric_usage.to_owned()),
        Command::Metric(_) => {
            let catalog = app.catalog();
            let answer = metric::search(&catalog.metrics, &catalog.metric_index, argument);
            html(render::metric_answer(&answer, argument, lang))
        }
        Command::Metrics(_) => html(render::metrics_list(&app.catalog(), lang)),
        Command::Subscribe(_) => {
            app.store.subscribe(incoming.chat_id, incoming.chat_kind, argument, app.clock.now()).await?;
            app.wake.notify_one();
            if argument.is_empty() {
                html(t.subscribed.to_owned())
            } else {
                html(fill(t.subscribed_filter, &[("filter", &escape(argument))]))
            }
        }
        Command::Unsubscribe(_) => {
            let was = app.store.unsubscribe(incoming.chat_id, app.clock.now()).await?;
            html(if was { t.unsubscribed } else { t.not_subscribed }.to_owned())
        }
        Command::Settings(_) => html(settings::summary(app, incoming, lang).await?),
        Command::Deadline(_) => tasks::card(app, argument, lang).await?,
        Command::Ics(_) => tasks::ics(app, argument, lang),
        Command::Add(_) => tasks::add(app, incoming, argument, lang).await?,
        Command::Done(_) => tasks::set_done(app, incoming, argument, true, lang).await?,
        Command::Reopen(_) => tasks::set_done(app, incoming, argument, false, lang).await?,
        Command::Note(_) => tasks::note(app, incoming, argument, lang).await?,
        Command::Digest(_) => {
            settings::change(app, incoming, lang, |s| {
                match parse_digest(argument)? {
                    DigestChange::Time(time) => s.digest = time,
                    DigestChange::Empty(on) => s.empty_digest = on,
                }
                Ok(())
            })
            .await?
        }
        Command::Timezone(_) => {
            settings::change(app, incoming, lang, |s| {
                s.timezone = Some(parse_timezone(argument)?);
                Ok(())
            })
            .await?
        }
        Command::Remind(_) => {
            settings::change(app, incoming, lang, |s| {
                s.remind_days = Some(parse_remind_days(argument)?);
                Ok(())
            })
            .await?
        }
        Command::Mute(_) => {
            let now = app.clock.now();
            settings::change(app, incoming, lang, |s| {
                s.muted_until = parse_mute(argument, now)?;
                Ok(())
            })
            .await?
        }
        Command::Lang(_) => match argument.parse::<Lang>() {
            Ok(chosen) if !argument.is_empty() => {
                app.store.set_chat_lang(incoming.chat_id, incoming.chat_kind, chosen, app.clock.now()).await?;
                html(texts(chosen).lang_set.to_owned())
            }
            _ => html(t.lang_usage.to_owned()),
        },
    };
    Ok(replies)
}

/// The filter of `/deadlines` or `/ics`, or the reply explaining what is wrong with it.
pub(super) fn filter_or_reply(argument: &str, lang: Lang) -> Result<DeadlineFilter, Vec<Reply>> {
    parse_filter(argument).map_err(|FilterError::MalformedPeriod(arg)| {
        html(fill(texts(lang).malformed_period, &[("arg", &escape(&arg))]))
    })
}

fn deadlines(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let filter = match filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let today = app.clock.today(app.config.timezone);
    let catalog = app.catalog();
    let sections = select(&catalog.tasks, &filter, today);
    html(render::deadlines(&sections, &filter, today, lang))
}

/// Plain text in a private chat: taken as a question about a figure, else a pointer to /help.
fn free_text(app: &App, text: &str, lang: Lang) -> Vec<Reply> {
    if text.chars().count() > MAX_ARGUMENT_CHARS {
        return html(fill(texts(lang).argument_too_long, &[("max", &MAX_ARGUMENT_CHARS.to_string())]));
    }
    let catalog = app.catalog();
    let answer = metric::search(&catalog.metrics, &catalog.metric_index, text);
    if answer.matches.is_empty() {
        return html(texts(lang).free_text_hint.to_owned());
    }
    html(render::metric_answer(&answer, text, lang))
}
