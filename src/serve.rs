//! Start-up: connects to Telegram, then runs the dispatcher (commands) and delivery (digests and
//! reminders) side by side until a shutdown signal. Neither knows the other.

use std::time::Duration;

use teloxide::dispatching::Dispatcher;
use teloxide::prelude::*;
use tokio::sync::watch;

use crate::app::App;
use crate::delivery::{Delivery, MAX_SLEEP, Pacer, Parts, limits};
use crate::service::Receive;
use crate::telegram::bot::{BotName, publish_commands, schema};
use crate::telegram::broadcast::Broadcaster;
use crate::telegram::intake::{Intake, marking};
use crate::telegram::replier::{DRAIN, Replier};

/// How long a request to Telegram may take before its answer is given up for lost. A request
/// whose answer did not come may still have been delivered, and is never repeated automatically
/// ([`crate::delivery::SendFailure::InDoubt`]); so this is long, well past a slow answer, and
/// longer than teloxide's default of 17 s. Long polling asks Telegram to hold for 10 s.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(75);

/// How many updates one chat's dispatcher worker holds before the intake drops its next ones
/// ([`crate::telegram::intake`] keeps each chat under it, so that the dispatcher never waits for a worker).
pub const WORKER_QUEUE: usize = 256;

/// What is wrong with the environment `serve` reads its connection to Telegram from.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BotEnvError {
    #[error("TELOXIDE_TOKEN is not set: export the bot token from @BotFather (see README)")]
    NoToken,
    #[error("{var} is not a valid http(s) URL ({value:?}: {why}); for example http://localhost:8081")]
    BadUrl { var: &'static str, value: String, why: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// Builds the Bot from `TELOXIDE_TOKEN`, `TELOXIDE_API_URL` and `TELOXIDE_PROXY`, refusing a
/// bad address with an error where teloxide's `Bot::from_env` would panic.
pub fn bot_from_env() -> Result<Bot, BotEnvError> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
    let token = var("TELOXIDE_TOKEN").ok_or(BotEnvError::NoToken)?;
    let api_url = var("TELOXIDE_API_URL").map(|url| http_url("TELOXIDE_API_URL", &url)).transpose()?;
    let mut client = teloxide::net::default_reqwest_settings().timeout(REQUEST_TIMEOUT);
    if let Some(proxy) = var("TELOXIDE_PROXY") {
        // Checked here, the proxy cannot make the client builder panic.
        let proxy = reqwest::Proxy::all(http_url("TELOXIDE_PROXY", &proxy)?).map_err(|e| BotEnvError::BadUrl {
            var: "TELOXIDE_PROXY",
            value: without_credentials(&proxy),
            why: hide_credentials(&e.to_string(), &proxy),
        })?;
        client = client.proxy(proxy);
    }
    let client = client.build().map_err(|e| BotEnvError::Client(e.to_string()))?;
    let bot = Bot::with_client(token, client);
    Ok(match api_url {
        Some(url) => bot.set_api_url(url),
        None => bot,
    })
}

/// The user name and password of an address (what comes before its `@`), when it has them.
fn credentials(value: &str) -> Option<&str> {
    let (before, _) = value.rsplit_once('@')?;
    Some(before.split_once("://").map_or(before, |(_, userinfo)| userinfo)).filter(|c| !c.is_empty())
}

/// `value` as an error may show it: a proxy's user name and password hidden, even in an address
/// too broken to parse.
fn without_credentials(value: &str) -> String {
    hide_credentials(value, value)
}

/// `text` with `address`'s user name and password hidden.
fn hide_credentials(text: &str, address: &str) -> String {
    match credentials(address) {
        Some(secret) => text.replace(secret, "***"),
        None => text.to_owned(),
    }
}

/// Parses an http or https URL; a trailing slash is dropped, as teloxide joins paths itself. An
/// error never shows the address's password.
fn http_url(var: &'static str, value: &str) -> Result<url::Url, BotEnvError> {
    let bad = |why: String| BotEnvError::BadUrl {
        var,
        value: without_credentials(value),
        why: hide_credentials(&why, value),
    };
    let url = url::Url::parse(value.trim().trim_end_matches('/')).map_err(|e| bad(e.to_string()))?;
    match url.scheme() {
        "http" | "https" if url.has_host() => Ok(url),
        "http" | "https" => Err(bad("no host".into())),
        other => Err(bad(format!("the scheme is {other:?}"))),
    }
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
    let receive = Receive::from_config(&app.config);
    serve_in(app, bot, options, receive, shutdown).await
}

/// [`serve_with`], receiving updates as `receive` says (`serve --webhook`).
pub async fn serve_in(
    app: App,
    bot: Bot,
    options: Options,
    receive: Receive,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    crate::metrics::install();
    let me = bot.get_me().await?;
    let name = BotName(me.username().to_owned());
    tracing::info!(bot = %name.0, "connected to Telegram");
    publish_commands(&bot).await;

    let (stop_tx, stop_rx) = watch::channel(false);
    // One pacer for every send: replies to commands first, then digests and reminders.
    let pacer = Pacer::new(limits(&app.config));
    let parts = Parts::new(app.store.clone(), app.clock.clone(), app.catalog_handle(), &app.config);
    let transport = Broadcaster::new(bot.clone(), app.config.paid_broadcast);
    let delivery = Delivery::new(parts, transport, pacer.clone()).with_max_sleep(options.delivery_max_sleep);
    // In polling mode, only the process holding the sending lease polls (see `intake::poll`).
    let lease_held = delivery.sender.lease_held();
    let delivery_stop = stop_rx.clone();
    let delivery = tokio::spawn(async move { delivery.run(delivery_stop).await });
    // Each chat's replies wait for its turn in its own queue, outside the handlers.
    let replier = Replier::new(bot.clone(), pacer.clone(), app.clone());
    // The watched sources, polled beside delivery; their reviews take their turns from the pacer.
    let watcher = crate::sources::Watcher::for_config(app.store.clone(), &app.config, Vec::new())?;
    let watching =
        tokio::spawn(crate::telegram::sources::watch(app.clone(), replier.clone(), watcher, stop_tx.subscribe()));

    // Every update is kept in the inbox before Telegram is told it arrived, and marked handled there.
    let (intake, listener, handled) = Intake::new(app.store.clone(), app.clock.clone());
    let receiving = crate::service::receive(&app, &bot, receive, intake, stop_rx.clone(), lease_held).await?;
    let mut dispatcher = Dispatcher::builder(bot, marking(schema()))
        .dependencies(dptree::deps![app, name, replier.clone(), handled])
        // Handlers only queue replies, so a chat's worker is rarely behind; room for a burst.
        .worker_queue_size(WORKER_QUEUE)
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
    let listener_errors = teloxide::error_handlers::LoggingErrorHandler::with_custom_text("update listener");
    dispatcher.dispatch_with_listener(listener, listener_errors).await;
    // The handlers have returned, but replies may still wait for their chats' turns.
    let given_up = replier.drain(DRAIN).await;
    if given_up > 0 {
        tracing::warn!(given_up, "stopping: {given_up} replies were not sent in time");
    }
    let _ = stop_tx.send(true);
    for task in receiving {
        let _ = task.await;
    }
    delivery.await?;
    watching.await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls_must_be_http_with_a_host() {
        assert_eq!(http_url("X", "http://localhost:8081/").unwrap().as_str(), "http://localhost:8081/");
        assert!(http_url("X", "https://api.example.org/tg").is_ok());
        for bad in ["not a url", "localhost:8081", "ftp://example.org", "http://", "http://exa mple.org"] {
            let error = http_url("TELOXIDE_API_URL", bad).expect_err(bad).to_string();
            assert!(error.starts_with("TELOXIDE_API_URL is not a valid http(s) URL"), "{error}");
        }
    }

    #[test]
    fn a_malformed_proxy_never_shows_its_password() {
        for bad in [
            "http://user:s3cr3t-pw@exa mple.org:8080",
            "socks9://user:s3cr3t-pw@proxy.example.org",
            "user:s3cr3t-pw@proxy.example.org:3128",
            "http://user:s3cr3t-pw@",
            "http://us@er:s3cr3t-pw@proxy:99999",
        ] {
            let error = http_url("TELOXIDE_PROXY", bad).expect_err(bad).to_string();
            assert!(!error.contains("s3cr3t"), "the password shows: {error}");
            assert!(error.contains("***"), "the value is still named, hidden: {error}");
        }
        assert_eq!(without_credentials("http://proxy.example.org:3128"), "http://proxy.example.org:3128");
    }
}
