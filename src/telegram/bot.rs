//! The Telegram adapter: long polling, the handler tree, and turning updates into [`Incoming`].

use teloxide::dispatching::{Dispatcher, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, ChatKind as TgChatKind, PublicChatKind};
use tokio::sync::watch;

use super::command::menu;
use super::handlers::{Authority, Incoming, Reply, respond};
use super::send::{SendFailure, keyboard, reply_html, send_document, send_keyboard};
use crate::app::App;
use crate::delivery::Delivery;
use crate::domain::lang::Lang;
use crate::store::ChatKind;

/// The bot's @username, as Telegram reported it at start.
#[derive(Debug, Clone)]
pub struct BotName(pub String);

/// The handler tree: `serve` and the tests use this one.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
}

/// A pressed inline button (the import review). Only admins may press them.
async fn on_callback(bot: Bot, query: CallbackQuery, app: App) -> anyhow::Result<()> {
    let Some(message) = query.regular_message() else {
        bot.answer_callback_query(query.id.clone()).await?;
        return Ok(());
    };
    let chat_id = message.chat.id.0;
    let incoming = Incoming {
        chat_id,
        chat_kind: chat_kind(&message.chat),
        user_id: Some(query.from.id.0),
        user_lang: query.from.language_code.clone(),
        as_chat: false,
        text: String::new(),
    };
    let lang = super::handlers::language(&app, &incoming).await;
    if !app.config.is_admin(incoming.user_id) {
        let notice = super::i18n::texts(lang).not_admin.replace("&lt;", "<").replace("&gt;", ">");
        bot.answer_callback_query(query.id.clone()).text(notice).await?;
        return Ok(());
    }
    let data = query.data.clone().unwrap_or_default();
    let outcome = super::intake::on_button(&app, chat_id, incoming.user_id, &data, lang).await?;
    let notice: String = outcome.notice.chars().take(190).collect();
    bot.answer_callback_query(query.id.clone()).text(notice).await?;
    match outcome.edit {
        Some(Reply::Keyboard { html, buttons }) => {
            bot.edit_message_text(message.chat.id, message.id, html)
                .parse_mode(teloxide::types::ParseMode::Html)
                .reply_markup(keyboard(&buttons))
                .await?;
        }
        Some(reply) => {
            bot.edit_message_text(message.chat.id, message.id, reply.text())
                .parse_mode(teloxide::types::ParseMode::Html)
                .await?;
        }
        None => {}
    }
    for reply in outcome.replies {
        reply_html(&bot, chat_id, reply.text(), None).await.map_err(|f| anyhow::anyhow!("{f}"))?;
    }
    Ok(())
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

/// Turns a Telegram message into what the handlers read; `None` for messages without text.
pub fn incoming(msg: &Message) -> Option<Incoming> {
    incoming_from(msg, msg.text()?.to_owned())
}

fn incoming_from(msg: &Message, text: String) -> Option<Incoming> {
    Some(Incoming {
        chat_id: msg.chat.id.0,
        chat_kind: chat_kind(&msg.chat),
        user_id: msg.from.as_ref().map(|u| u.id.0),
        user_lang: msg.from.as_ref().and_then(|u| u.language_code.clone()),
        as_chat: msg.sender_chat.as_ref().is_some_and(|c| c.id == msg.chat.id),
        text,
    })
}

async fn on_message(bot: Bot, msg: Message, app: App, name: BotName) -> anyhow::Result<()> {
    if let Some(new_id) = msg.migrate_to_chat_id() {
        tracing::info!(from = msg.chat.id.0, to = new_id.0, "group migrated to a supergroup; following it");
        app.store.migrate_chat(msg.chat.id.0, new_id.0).await?;
        return Ok(());
    }
    if msg.document().is_some() {
        return on_document(&bot, &msg, &app).await;
    }
    let Some(incoming) = incoming(&msg) else { return Ok(()) };
    // In a group, answer as a reply so the thread stays readable.
    let reply_to = incoming.chat_kind.is_group().then_some(msg.id);
    let authority = Authority::Telegram(bot.clone());
    for reply in respond(&app, &incoming, &name.0, &authority).await {
        let sent = match reply {
            Reply::Html(text) => reply_html(&bot, incoming.chat_id, &text, reply_to).await,
            Reply::Keyboard { html, buttons } => send_keyboard(&bot, incoming.chat_id, &html, &buttons).await,
            Reply::Document { name, bytes, caption } => {
                send_document(&bot, incoming.chat_id, name, bytes, &caption, reply_to).await
            }
        };
        match sent {
            Ok(_) => {}
            Err(SendFailure::ChatGone(why)) => {
                tracing::info!(chat_id = incoming.chat_id, %why, "chat is gone; unsubscribing it");
                app.store.unsubscribe(incoming.chat_id, app.clock.now()).await?;
                break;
            }
            Err(failure) => {
                tracing::warn!(chat_id = incoming.chat_id, %failure, "reply not delivered");
                break;
            }
        }
    }
    Ok(())
}

/// The largest `.txt` directive the bot downloads.
const MAX_DOCUMENT_BYTES: u32 = 1024 * 1024;

/// A `.txt` file an admin sends in a private chat: a directive to import.
async fn on_document(bot: &Bot, msg: &Message, app: &App) -> anyhow::Result<()> {
    use teloxide::net::Download;
    let Some(document) = msg.document() else { return Ok(()) };
    let Some(mut incoming) = incoming_from(msg, String::new()) else { return Ok(()) };
    if incoming.chat_kind != ChatKind::Private || !app.config.is_admin(incoming.user_id) {
        return Ok(());
    }
    let lang = super::handlers::language(app, &incoming).await;
    let t = super::i18n::texts(lang);
    let is_text = document.file_name.as_deref().is_some_and(|n| n.to_lowercase().ends_with(".txt"));
    if !is_text || document.file.size > MAX_DOCUMENT_BYTES {
        reply_html(bot, incoming.chat_id, t.unreadable, None).await.map_err(|f| anyhow::anyhow!("{f}"))?;
        return Ok(());
    }
    let file = bot.get_file(document.file.id.clone()).await?;
    let mut bytes = Vec::new();
    bot.download_file(&file.path, &mut bytes).await?;
    let Ok(text) = String::from_utf8(bytes) else {
        reply_html(bot, incoming.chat_id, t.unreadable, None).await.map_err(|f| anyhow::anyhow!("{f}"))?;
        return Ok(());
    };
    incoming.text = text;
    let replies = match super::intake::start(app, &incoming, &incoming.text, lang).await? {
        Some(replies) => replies,
        None => vec![Reply::Html(t.none_matching.to_owned())],
    };
    for reply in replies {
        let sent = match &reply {
            Reply::Keyboard { html, buttons } => send_keyboard(bot, incoming.chat_id, html, buttons).await,
            other => reply_html(bot, incoming.chat_id, other.text(), None).await,
        };
        if let Err(failure) = sent {
            tracing::warn!(chat_id = incoming.chat_id, %failure, "import review not delivered");
            break;
        }
    }
    Ok(())
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

/// Runs the bot, long polling for commands and delivering digests and reminders, until
/// `shutdown` completes: then polling stops, the message in flight is finished and recorded, and
/// what was not started stays in the outbox for next time.
pub async fn serve(app: App, bot: Bot, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
    let me = bot.get_me().await?;
    let name = BotName(me.username().to_owned());
    tracing::info!(bot = %name.0, "connected to Telegram");
    publish_commands(&bot).await;

    let (stop_tx, stop_rx) = watch::channel(false);
    let delivery = Delivery::new(app.clone(), bot.clone());
    let delivery = tokio::spawn(async move { delivery.run(stop_rx).await });

    let mut dispatcher =
        Dispatcher::builder(bot, schema()).dependencies(dptree::deps![app, name]).default_handler(|_| async {}).build();
    let polling = dispatcher.shutdown_token();
    let stop = stop_tx.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("stopping: no new updates, finishing the message in flight");
        let _ = stop.send(true);
        // The dispatcher may still be starting; try until it takes the request.
        loop {
            match polling.shutdown() {
                Ok(done) => break done.await,
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    });
    dispatcher.dispatch().await;
    let _ = stop_tx.send(true);
    delivery.await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate_signal() => {}
    }
}
#[cfg(unix)]
async fn terminate_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            term.recv().await;
        }
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGTERM");
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(not(unix))]
async fn terminate_signal() {
    std::future::pending::<()>().await;
}
