//! The Telegram adapter: the handler tree, and turning updates into [`Incoming`] and replies into
//! Bot API calls. Messages, button presses and documents all pass the same gate
//! ([`Authority::admit`]).

use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, ChatKind as TgChatKind, PublicChatKind};

use super::coalesce::{Asked, Waiting};
use super::menu::menu;
use super::replier::{Admission, Replier};
use crate::app::App;
use crate::chat::access::Authority;
use crate::chat::command::Access;
use crate::chat::handlers::respond;
use crate::chat::message::{Incoming, html};
use crate::document::{self, DocumentError, MAX_BYTES};
use crate::domain::lang::Lang;
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

async fn on_message(bot: Bot, msg: Message, app: App, name: BotName, replier: Replier) -> anyhow::Result<()> {
    if let Some(new_id) = msg.migrate_to_chat_id() {
        tracing::info!(from = msg.chat.id.0, to = new_id.0, "group migrated to a supergroup; following it");
        app.migrate_chat(msg.chat.id.0, new_id.0).await?;
        return Ok(());
    }
    let user_lang = msg.from.as_ref().and_then(|u| u.language_code.as_deref());
    if replier.admit(msg.chat.id.0, user_lang).await != Admission::Taken {
        return Ok(());
    }
    if msg.document().is_some() {
        return on_document(&bot, &replier, &msg, &app).await;
    }
    let Some(text) = msg.text() else { return Ok(()) };
    let incoming = incoming(&msg, text.to_owned());
    let replies = respond(&app, &incoming, &name.0, &Authority::Members(std::sync::Arc::new(bot.clone()))).await;
    if incoming.chat_kind.is_group() {
        // In a group, answer as a reply so the thread stays readable; identical commands that
        // wait for the group's turn are answered once.
        let lang = app.language(incoming.chat_id, incoming.user_lang.as_deref()).await;
        let asked = Asked::read(&incoming.text, &name.0, lang, incoming.user_id);
        replier.answer(incoming.chat_id, Waiting { asked, reply_to: Some(msg.id), ..Waiting::new(replies) });
    } else {
        replier.queue(incoming.chat_id, replies);
    }
    Ok(())
}

/// A pressed inline button. The press is answered at once, whatever it was (Telegram gives up
/// after 15 s); the message's rewrite and any replies wait for the chat's turn in its queue.
async fn on_callback(bot: Bot, query: CallbackQuery, app: App, replier: Replier) -> anyhow::Result<()> {
    let Some(message) = query.regular_message() else {
        answer_press(&bot, &query, String::new());
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
    if replier.admit(incoming.chat_id, incoming.user_lang.as_deref()).await != Admission::Taken {
        answer_press(&bot, &query, html_to_text(texts(lang).too_many_requests));
        return Ok(());
    }
    let data = query.data.as_deref().unwrap_or_default();
    let authority = Authority::Members(std::sync::Arc::new(bot.clone()));
    let outcome = crate::chat::buttons::pressed(&app, &incoming, data, &authority, lang).await;
    // Telegram shows at most 200 characters of a notice.
    answer_press(&bot, &query, outcome.notice.chars().take(190).collect());
    if let Some(edit) = outcome.edit {
        replier.edit(incoming.chat_id, message.id, edit);
    }
    replier.queue(incoming.chat_id, outcome.replies);
    Ok(())
}

/// Answers a button press without waiting for Telegram's answer: the dispatcher goes on.
fn answer_press(bot: &Bot, query: &CallbackQuery, notice: String) {
    let request = bot.answer_callback_query(query.id.clone()).text(notice);
    tokio::spawn(async move {
        if let Err(error) = request.await {
            tracing::warn!(%error, "a button press was not answered");
        }
    });
}

/// A file sent in a private chat: a directive (.txt, .docx, .pdf) for one of the bot's admins to
/// import. Every file gets an answer: the review, or what was wrong and what to send instead.
async fn on_document(bot: &Bot, replier: &Replier, msg: &Message, app: &App) -> anyhow::Result<()> {
    let Some(document) = msg.document() else { return Ok(()) };
    let mut incoming = incoming(msg, String::new());
    if incoming.chat_kind != ChatKind::Private {
        return Ok(());
    }
    let lang = app.language(incoming.chat_id, incoming.user_lang.as_deref()).await;
    let authority = Authority::Members(std::sync::Arc::new(bot.clone()));
    if let Err(refusal) = authority.admit(app, &incoming, Access::BotAdmins).await {
        replier.queue(incoming.chat_id, html(refusal.text(lang)));
        return Ok(());
    }
    let name = document.file_name.clone().unwrap_or_default();
    let size = document.file.size as usize;
    if size > MAX_BYTES {
        let too_large = DocumentError::TooLarge { size, max: MAX_BYTES };
        replier.queue(incoming.chat_id, html(view::unreadable_file(&too_large, lang)));
        return Ok(());
    }
    let bytes = match download(bot, &document.file.id).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(chat_id = incoming.chat_id, %error, "cannot download a document");
            replier.queue(incoming.chat_id, html(texts(lang).doc_download_failed));
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
    replier.queue(incoming.chat_id, replies);
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
