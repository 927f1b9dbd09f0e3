//! The bot's answers. Telegram and `hanchot ask` both call [`respond`]: one code path.

use teloxide::utils::command::{BotCommands, ParseError};
use teloxide::utils::html::escape;

use super::command::Command;
use super::i18n::{fill, texts};
use super::render;
use super::split::{MAX_MESSAGE_CHARS, split_html};
use crate::app::App;
use crate::domain::deadline::{FilterError, parse_filter, select};
use crate::domain::lang::Lang;
use crate::domain::metric;
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
    pub text: String,
}

/// What the bot sends back: HTML messages, each within Telegram's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Html(String),
}

impl Reply {
    pub fn text(&self) -> &str {
        match self {
            Self::Html(text) => text,
        }
    }
}

fn html(text: String) -> Vec<Reply> {
    split_html(&text, MAX_MESSAGE_CHARS).into_iter().map(Reply::Html).collect()
}

/// The language to answer in: the chat's choice, else the sender's Telegram language, else the default.
async fn language(app: &App, incoming: &Incoming) -> Lang {
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
pub async fn respond(app: &App, incoming: &Incoming, bot_username: &str) -> Vec<Reply> {
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
        | Command::Lang(a) => a,
    }
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
            let answer = metric::search(&catalog.metrics, argument);
            html(render::metric_answer(&answer, argument, lang))
        }
        Command::Metrics(_) => html(render::metrics_list(&app.catalog(), lang)),
        Command::Subscribe(_) => {
            app.store.subscribe(incoming.chat_id, incoming.chat_kind, argument).await?;
            if argument.is_empty() {
                html(t.subscribed.to_owned())
            } else {
                html(fill(t.subscribed_filter, &[("filter", &escape(argument))]))
            }
        }
        Command::Unsubscribe(_) => {
            let was = app.store.unsubscribe(incoming.chat_id).await?;
            html(if was { t.unsubscribed } else { t.not_subscribed }.to_owned())
        }
        Command::Lang(_) => match argument.parse::<Lang>() {
            Ok(chosen) if !argument.is_empty() => {
                app.store.set_chat_lang(incoming.chat_id, incoming.chat_kind, chosen).await?;
                html(texts(chosen).lang_set.to_owned())
            }
            _ => html(t.lang_usage.to_owned()),
        },
    };
    Ok(replies)
}

fn deadlines(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let t = texts(lang);
    let filter = match parse_filter(argument) {
        Ok(filter) => filter,
        Err(FilterError::MalformedPeriod(arg)) => return html(fill(t.malformed_period, &[("arg", &escape(&arg))])),
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
    let answer = metric::search(&catalog.metrics, text);
    if answer.matches.is_empty() {
        return html(texts(lang).free_text_hint.to_owned());
    }
    html(render::metric_answer(&answer, text, lang))
}
