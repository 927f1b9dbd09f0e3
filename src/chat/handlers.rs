//! The bot's answers. Telegram and `hanchot ask` both call [`respond`]: one code path.

use std::sync::Arc;

use super::access::Authority;
use super::command::{self, Command, CommandError};
use super::message::{ButtonOutcome, Incoming, PendingChart, Reply, html, with_buttons};
use super::{report, review, settings, sources, tasks};
use crate::app::App;
use crate::domain::lang::Lang;
use crate::domain::metric::{self, MetricButton};
use crate::render::split::MAX_MESSAGE_CHARS;
use crate::render::{self, escape, fill, texts};
use crate::store::ChatKind;

/// The longest argument a command accepts; a question longer than this is not a question.
pub const MAX_ARGUMENT_CHARS: usize = 200;

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
    let lang = app.language(incoming.chat_id, incoming.user_lang.as_deref()).await;
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
        return html(t.unreadable);
    }
    if !is_command {
        return plain_text(app, incoming, text, authority, lang).await;
    }
    let command = match command::read(text, bot_username) {
        Ok(command) => command,
        Err(CommandError::OtherBot) => return Vec::new(),
        Err(_) if !private && !addressed_to(text, bot_username) => return Vec::new(),
        Err(_) => {
            let name = text.split_whitespace().next().unwrap_or_default();
            let name: String = name.chars().take(40).collect();
            return html(fill(t.unknown_command, &[("command", &escape(&name))]));
        }
    };
    let argument = command.argument().trim();
    if argument.chars().count() > MAX_ARGUMENT_CHARS {
        return html(fill(t.argument_too_long, &[("max", &MAX_ARGUMENT_CHARS.to_string())]));
    }
    if let Err(refusal) = authority.admit(app, incoming, command.access()).await {
        return html(refusal.text(lang));
    }
    match run(app, incoming, &command, argument, lang).await {
        Ok(replies) => replies,
        Err(error) => {
            tracing::error!(chat_id = incoming.chat_id, ?command, %error, "command failed");
            html(t.internal_error)
        }
    }
}

async fn run(
    app: &App,
    incoming: &Incoming,
    command: &Command,
    argument: &str,
    lang: Lang,
) -> anyhow::Result<Vec<Reply>> {
    Ok(match command {
        Command::Start(_) => html(render::help(lang, true)),
        Command::Help(_) => html(render::help(lang, false)),
        Command::Deadlines(_) => tasks::deadlines(app, argument, lang),
        Command::Metric(_) => metric(app, incoming, argument, lang).await,
        Command::Metrics(_) => html(render::metrics_list(&app.catalog(), lang)),
        Command::Subscribe(_) => settings::subscribe(app, incoming, argument, lang).await?,
        Command::Unsubscribe(_) => settings::unsubscribe(app, incoming, lang).await?,
        Command::Settings(_) => settings::show(app, incoming, lang).await?,
        Command::Digest(_) => settings::digest(app, incoming, argument, lang).await?,
        Command::Timezone(_) => settings::timezone(app, incoming, argument, lang).await?,
        Command::Remind(_) => settings::remind(app, incoming, argument, lang).await?,
        Command::Mute(_) => settings::mute(app, incoming, argument, lang).await?,
        Command::Lang(_) => settings::language(app, incoming, argument, lang).await?,
        Command::Deadline(_) => tasks::card(app, argument, lang).await?,
        Command::Ics(_) => tasks::ics(app, argument, lang),
        Command::Add(_) => tasks::add(app, incoming, argument, lang).await?,
        Command::Done(_) => tasks::set_done(app, incoming, argument, true, lang).await?,
        Command::Reopen(_) => tasks::set_done(app, incoming, argument, false, lang).await?,
        Command::Note(_) => tasks::note(app, incoming, argument, lang).await?,
        Command::Extend(_) => tasks::extend(app, incoming, argument, lang).await?,
        Command::Report(_) => report::command(app, incoming, argument, lang).await?,
        Command::Xlsx(_) => report::xlsx(app, argument, lang)?,
        Command::Calendar(_) => super::calendar::command(app, incoming, argument, lang).await?,
        Command::Sources(_) => sources::list(app, lang).await?,
        Command::Source(_) => sources::command(app, argument, lang).await?,
    })
}

/// The language to answer a figure question in: the chat's choice, else the question's own.
async fn question_lang(app: &App, incoming: &Incoming, question: &str) -> Lang {
    let written = metric::question_language(&app.catalog().metric_index, question);
    app.answer_language(incoming.chat_id, incoming.user_lang.as_deref(), written).await
}

/// `/metric <question>`, answered in the language it is asked in (unless the chat chose one).
async fn metric(app: &App, incoming: &Incoming, question: &str, lang: Lang) -> Vec<Reply> {
    if question.is_empty() {
        return html(texts(lang).metric_usage);
    }
    let lang = question_lang(app, incoming, question).await;
    let catalog = app.catalog();
    let answer = metric::search(&catalog.metrics, &catalog.metric_index, question);
    let mut replies = with_buttons(render::metric_answer(&answer, question, lang));
    if let Some(best) = answer.best().filter(|best| render::chart::has_series(best.metric)) {
        replies.push(Reply::Chart(PendingChart { metric: Arc::new(best.metric.clone()), lang }));
    }
    replies
}

/// A figure picked from the buttons of an answer: the answer for it replaces the message.
pub fn picked_figure(app: &App, button: &MetricButton, lang: Lang) -> ButtonOutcome {
    let catalog = app.catalog();
    let Some(metric) = catalog.metrics.iter().find(|m| m.id == button.metric_id) else {
        return ButtonOutcome { notice: texts(lang).metric_gone.to_owned(), ..Default::default() };
    };
    ButtonOutcome {
        notice: metric.name(lang).to_owned(),
        edit: Some(Reply::Html(render::metric::picked(&catalog.metrics, metric, &button.asked, lang))),
        replies: Vec::new(),
    }
}

/// Plain text in a private chat: from one of the bot's admins, a value they were asked for or a
/// directive to import; otherwise (or when it holds no dated task) a question about a figure.
async fn plain_text(app: &App, incoming: &Incoming, text: &str, authority: &Authority, lang: Lang) -> Vec<Reply> {
    if authority.is_bot_admin(app, incoming) {
        match review::from_text(app, incoming, text, lang).await {
            Ok(Some(replies)) => return replies,
            Ok(None) => {}
            Err(error) => {
                tracing::error!(chat_id = incoming.chat_id, %error, "import failed");
                return html(texts(lang).internal_error);
            }
        }
    }
    if text.chars().count() > MAX_ARGUMENT_CHARS {
        return html(fill(texts(lang).argument_too_long, &[("max", &MAX_ARGUMENT_CHARS.to_string())]));
    }
    let lang = question_lang(app, incoming, text).await;
    let catalog = app.catalog();
    let answer = metric::search(&catalog.metrics, &catalog.metric_index, text);
    if answer.matches.is_empty() {
        return html(texts(lang).free_text_hint);
    }
    with_buttons(render::metric_answer(&answer, text, lang))
}
