//! Start-up: connects to Telegram, then runs the dispatcher (commands) and delivery (digests and
//! reminders) side by side until a shutdown signal. Neither knows the other.

use std::time::Duration;

use teloxide::dispatching::Dispatcher;
use teloxide::prelude::*;
use tokio::sync::watch;

use crate::app::App;
use crate::delivery::{Delivery, MAX_SLEEP, Pacer, limits};
use crate::telegram::bot::{BotName, publish_commands, schema};

/// How long a request to Telegram may take before its answer is given up for lost. A request
/// whose answer did not come may still have been delivered, and is never repeated automatically
/// ([`crate::delivery::SendFailure::InDoubt`]); so this is long, well past a slow answer, and
/// longer than teloxide's default of 17 s. Long polling asks Telegram to hold for 10 s.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(75);

/// The bot for `TELOXIDE_TOKEN` (and `TELOXIDE_API_URL`), with [`REQUEST_TIMEOUT`].
pub fn bot_from_env() -> anyhow::Result<Bot> {
    let client = teloxide::net::default_reqwest_settings().timeout(REQUEST_TIMEOUT).build()?;
    Ok(Bot::from_env_with_client(client))
}

/// How the bot runs: what tests may change.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The longest delivery sleeps when nothing rings it.
    pub delivery_max_sleep: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self { delivery_max_sleep: MAX_SLEEP }
    }
}

/// Runs the bot until `shutdown` completes: then polling stops, the message in flight is finished
/// and recorded, and what was not started stays in the outbox for next time.
pub async fn serve(app: App, bot: Bot, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
    serve_with(app, bot, Options::default(), shutdown).await
}

/// [`serve`] with options.
pub async fn serve_with(
    app: App,
    bot: Bot,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let me = bot.get_me().await?;
    let name = BotName(me.username().to_owned());
    tracing::info!(bot = %name.0, "connected to Telegram");
    publish_commands(&bot).await;

    let (stop_tx, stop_rx) = watch::channel(false);
    // One pacer for every send: replies to commands first, then digests and reminders.
    let pacer = Pacer::new(limits(&app.config));
    let delivery =
        Delivery::with_pacer(app.clone(), bot.clone(), pacer.clone()).with_max_sleep(options.delivery_max_sleep);
    let delivery = tokio::spawn(async move { delivery.run(stop_rx).await });

    let mut dispatcher = Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![app, name, pacer])
        .default_handler(|_| async {})
        .build();
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
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
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
