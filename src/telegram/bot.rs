//! The Telegram adapter: long polling, the handler tree, and turning updates into [`Incoming`].

use teloxide::dispatching::{Dispatcher, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, ChatKind as TgChatKind, PublicChatKind};

use super::command::menu;
use super::handlers::{Incoming, Reply, respond};
use super::send::{SendFailure, reply_html};
use crate::app::App;
use crate::domain::lang::Lang;
use crate::store::ChatKind;

/// The bot's @username, as Telegram reported it at start.
#[derive(Debug, Clone)]
pub struct BotName(pub String);

/// The handler tree: `serve` and the tests use this one.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    Update::filter_message().endpoint(on_message)
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
    let text = msg.text()?;
    Some(Incoming {
        chat_id: msg.chat.id.0,
        chat_kind: chat_kind(&msg.chat),
        user_id: msg.from.as_ref().map(|u| u.id.0),
        user_lang: msg.from.as_ref().and_then(|u| u.language_code.clone()),
        text: text.to_owned(),
    })
}

async fn on_message(bot: Bot, msg: Message, app: App, name: BotName) -> anyhow::Result<()> {
    let Some(incoming) = incoming(&msg) else { return Ok(()) };
    // In a group, answer as a reply so the thread stays readable.
    let reply_to = incoming.chat_kind.is_group().then_some(msg.id);
    for reply in respond(&app, &incoming, &name.0).await {
        let Reply::Html(text) = reply;
        match reply_html(&bot, incoming.chat_id, &text, reply_to).await {
            Ok(_) => {}
            Err(SendFailure::ChatGone(why)) => {
                tracing::info!(chat_id = incoming.chat_id, %why, "chat is gone; unsubscribing it");
                app.store.unsubscribe(incoming.chat_id).await?;
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

/// Runs the bot by long polling until Ctrl-C or SIGTERM.
pub async fn serve(app: App, bot: Bot) -> anyhow::Result<()> {
    let me = bot.get_me().await?;
    let name = BotName(me.username().to_owned());
    tracing::info!(bot = %name.0, "connected to Telegram");
    publish_commands(&bot).await;
    let mut dispatcher = Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![app, name])
        .default_handler(|_| async {})
        .enable_ctrlc_handler()
        .build();
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        terminate_signal().await;
        tracing::info!("SIGTERM: stopping");
        if let Ok(done) = shutdown.shutdown() {
            done.await;
        }
    });
    dispatcher.dispatch().await;
    tracing::info!("stopped");
    Ok(())
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
