//! The Telegram adapter: the handler tree, and turning updates into [`Incoming`] and replies into
//! Bot API calls. Messages, button presses and documents all pass the same gate
//! ([`Authority::admit`]).

use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, ChatKind as TgChatKind, ParseMode, PublicChatKind};

use super::coalesce::{Asked, Coalescer, Waiting};
use super::menu::menu;
use super::send::{Turn, keyboard, send_replies};
use crate::app::App;
use crate::chat::access::Authority;
use crate::chat::command::Access;
use crate::chat::handlers::respond;
use crate::chat::message::{Incoming, Reply, html};
use crate::delivery::{Pacer, Priority};
use crate::document::{self, DocumentError, MAX_BYTES};
use crate::domain::lang::Lang;
use crate::domain::metric::MetricButton;
use crate::render::review as view;
use crate::render::{html_to_text, texts};
use crate::store::ChatKind;

/// The bot's @username, as Telegram reported it at start.
#[derive(Debug, Clone)]
pub struct BotName(pub String);

/// The handler tree.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
}

fn chat_kind(chat: &teloxide::types::Chat) -> ChatKind {
    match &chat.kind {
        TgChatKind::Private(_) => ChatKind::Private,
        TgChatKind::Public(public) => match public.kind {
            PublicChatKind::Group => ChatKind::Group,
            PublicChatKind::Supergroup(_) => ChatKind::Supergroup,
            PublicChatKind::Channel(_) => ChatKind::Channel,
        },
    }
}

/// A Telegram message as the handlers read it (its text, or `text` for a document).
fn incoming(msg: &Message, text: String) -> Incoming {
    Incoming {
        chat_id: msg.chat.id.0,
        chat_kind: chat_kind(&msg.chat),
        user_id: msg.from.as_ref().map(|u| u.id.0),
        user_lang: msg.from.as_ref().and_then(|u| u.language_code.clone()),
        as_chat: msg.sender_chat.as_ref().is_some_and(|c| c.id == msg.chat.id),
        text,
    }
}

async fn on_message(
    bot: Bot,
    msg: Message,
    app: App,
    name: BotName,
    pacer: Pacer,
    coalescer: Coalescer,
) -> anyhow::Result<()> {
    if let Some(new_id) = msg.migrate_to_chat_id() {
        tracing::info!(from = msg.chat.id.0, to = new_id.0, "group migrated to a supergroup; following it");
        app.migrate_chat(msg.chat.id.0, new_id.0).await?;
        return Ok(());
    }
    if msg.document().is_some() {
        return on_document(&bot, &pacer, &msg, &app).await;
    }
    let Some(text) = msg.text() else { return Ok(()) };
    let incoming = incoming(&msg, text.to_owned());
    let replies = respond(&app, &incoming, &name.0, &Authority::Members(std::sync::Arc::new(bot.clone()))).await;
    if replies.is_empty() {
        return Ok(());
    }
    if incoming.chat_kind.is_group() {
        // In a group, answer as a reply so the thread stays readable, in the group's queue where
        // identical commands are answered once; the handler does not wait for the group's turn.
        let lang = app.language(incoming.chat_id, incoming.user_lang.as_deref()).await;
        let asked = Asked::read(&incoming.text, &name.0, lang, incoming.user_id);
        coalescer.answer(incoming.chat_id, Waiting { asked, replies, reply_to: msg.id, merged: 0 });
    } else {
        send_replies(&bot, &pacer, &app, incoming.chat_id, replies, None, Turn::Wait).await;
    }
    Ok(())
}

/// A pressed inline button: a figure offered with an answer (anyone may tap it; the answer
/// replaces the message), or a step of the import review (only the bot's admins).
async fn on_callback(bot: Bot, query: CallbackQuery, app: App, pacer: Pacer) -> anyhow::Result<()> {
    let Some(message) = query.regular_message() else {
        bot.answer_callback_query(query.id.clone()).await?;
        return Ok(());
    };
    let incoming = Incoming {
        chat_id: message.chat.id.0,
        chat_kind: chat_kind(&message.chat),
        user_id: Some(query.from.id.0),
        user_lang: query.from.language_code.clone(),
        as_chat: false,
        text: String::new(),
    };
    let lang = app.language(incoming.chat_id, incoming.user_lang.as_deref()).await;
    let data = query.data.clone().unwrap_or_default();
    let (access, outcome) = match data.parse::<MetricButton>() {
        Ok(button) => (Access::Anyone, Pressed::Metric(button)),
        Err(_) => (Access::BotAdmins, Pressed::Review),
    };
    let authority = Authority::Members(std::sync::Arc::new(bot.clone()));
    if let Err(refusal) = authority.admit(&app, &incoming, access).await {
        bot.answer_callback_query(query.id.clone()).text(html_to_text(refusal.text(lang))).await?;
        return Ok(());
    }
    let outcome = match outcome {
        Pressed::Metric(button) => crate::chat::handlers::picked_figure(&app, &button, lang),
        Pressed::Review => {
            crate::chat::review::on_button(&app, incoming.chat_id, incoming.user_id, &data, lang).await?
        }
    };
    // Telegram shows at most 200 characters of a notice.
    let notice: String = outcome.notice.chars().take(190).collect();
    bot.answer_callback_query(query.id.clone()).text(notice).await?;
    if outcome.edit.is_some() {
        // An edit counts against the chat's limits like a message.
        pacer.turn(incoming.chat_id, Priority::Reply).await;
    }
    match outcome.edit {
        Some(Reply::Keyboard { html, buttons }) => {
            bot.edit_message_text(message.chat.id, message.id, html)
                .parse_mode(ParseMode::Html)
                .reply_markup(keyboard(&buttons))
                .await?;
        }
        Some(reply) => {
            bot.edit_message_text(message.chat.id, message.id, reply.text()).parse_mode(ParseMode::Html).await?;
        }
        None => {}
    }
    send_replies(&bot, &pacer, &app, incoming.chat_id, outcome.replies, None, Turn::Wait).await;
    Ok(())
}

/// What a button asks for, before the gate has looked at who pressed it.
enum Pressed {
    Metric(MetricButton),
    Review,
}

/// A file sent in a private chat: a directive (.txt, .docx, .pdf) for one of the bot's admins to
/// import. Every file gets an answer: the review, or what was wrong and what to send instead.
async fn on_document(bot: &Bot, pacer: &Pacer, msg: &Message, app: &App) -> anyhow::Result<()> {
    let Some(document) = msg.document() else { return Ok(()) };
    let mut incoming = incoming(msg, String::new());
    if incoming.chat_kind != ChatKind::Private {
        return Ok(());
    }
    let lang = app.language(incoming.chat_id, incoming.user_lang.as_deref()).await;
    let authority = Authority::Members(std::sync::Arc::new(bot.clone()));
    if let Err(refusal) = authority.admit(app, &incoming, Access::BotAdmins).await {
        send_replies(bot, pacer, app, incoming.chat_id, html(refusal.text(lang)), None, Turn::Wait).await;
        return Ok(());
    }
    let name = document.file_name.clone().unwrap_or_default();
    let size = document.file.size as usize;
    if size > MAX_BYTES {
        let too_large = DocumentError::TooLarge { size, max: MAX_BYTES };
        send_replies(
            bot,
            pacer,
            app,
            incoming.chat_id,
            html(view::unreadable_file(&too_large, lang)),
            None,
            Turn::Wait,
        )
        .await;
        return Ok(());
    }
    let bytes = match download(bot, &document.file.id).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(chat_id = incoming.chat_id, %error, "cannot download a document");
            send_replies(bot, pacer, app, incoming.chat_id, html(texts(lang).doc_download_failed), None, Turn::Wait)
                .await;
            return Ok(());
        }
    };
    let reader = document::Isolation::new(app.config.document_reader.as_deref());
    let replies = match reader.read(&name, &bytes).await {
        Ok(text) => {
            incoming.text = text;
            match crate::chat::review::start(app, &incoming, &incoming.text, lang).await? {
                Some(replies) => replies,
                None => html(texts(lang).doc_no_tasks),
            }
        }
        Err(error) => {
            tracing::info!(chat_id = incoming.chat_id, file = %name, %error, "a document could not be read");
            html(view::unreadable_file(&error, lang))
        }
    };
    send_replies(bot, pacer, app, incoming.chat_id, replies, None, Turn::Wait).await;
    Ok(())
}

async fn download(bot: &Bot, id: &teloxide::types::FileId) -> anyhow::Result<Vec<u8>> {
    use teloxide::net::Download;
    let file = bot.get_file(id.clone()).await?;
    let mut bytes = Vec::new();
    bot.download_file(&file.path, &mut bytes).await?;
    Ok(bytes)
}

/// Publishes the command menu: English as the default, Vietnamese for Vietnamese clients.
pub async fn publish_commands(bot: &Bot) {
    let default = bot.set_my_commands(menu(Lang::En)).scope(BotCommandScope::Default).await;
    let vietnamese = bot.set_my_commands(menu(Lang::Vi)).language_code("vi").await;
    for (lang, result) in [("en", default.map(|_| ())), ("vi", vietnamese.map(|_| ()))] {
        if let Err(error) = result {
            tracing::warn!(lang, %error, "setMyCommands failed; the menu may be stale");
        }
    }
}
