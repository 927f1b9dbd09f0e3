//! Receiving updates as a service: what the inbox still holds first, then the HTTP server (on
//! `listen`, in both modes) and either the webhook (`setWebhook` with the secret) or long polling
//! (which deletes a webhook left set). All of it feeds one [`Intake`].

use teloxide::Bot;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::App;
use crate::http::{self, Server, WebhookRoute, webhook};
use crate::telegram::intake::{self, Intake};

/// How updates come from Telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receive {
    /// `getUpdates`, the default.
    Polling,
    /// Telegram posts them to `webhook_url` (`serve --webhook`, or `webhook_url` set).
    Webhook,
}

impl Receive {
    /// Webhook when `webhook_url` is set, else polling.
    pub fn from_config(config: &crate::config::Config) -> Self {
        if config.webhook_url.trim().is_empty() { Self::Polling } else { Self::Webhook }
    }
}

/// What webhook mode needs of the configuration: the server, an address, a valid secret if set.
pub fn check_webhook(config: &crate::config::Config) -> Result<url::Url, webhook::WebhookError> {
    if config.listen.trim().is_empty() {
        return Err(webhook::WebhookError::NoListen);
    }
    let secret = config.webhook_secret.trim();
    if !secret.is_empty() && !webhook::valid_secret(secret) {
        return Err(webhook::WebhookError::BadSecret);
    }
    webhook::address(config)
}

/// Starts receiving: replays what the inbox holds unhandled, binds the server, registers the
/// webhook or starts polling. The tasks end when `stop` turns true.
pub async fn receive(
    app: &App,
    bot: &Bot,
    receive: Receive,
    intake: Intake,
    stop: watch::Receiver<bool>,
    lease_held: watch::Receiver<bool>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    // Checked before anything starts: a webhook without an address is a usage error.
    let webhook = match receive {
        Receive::Webhook => Some((check_webhook(&app.config)?, webhook::secret(app).await?)),
        Receive::Polling => None,
    };
    let listener = match app.config.listen.trim() {
        "" => None,
        listen => Some(http::bind(listen).await?),
    };
    // Polling runs, and replays, only while this process holds the sending lease. With a webhook
    // every process keeps what Telegram posts to it, and the lease holder handles it all.
    let intake = match webhook {
        Some(_) => intake.handing_while(lease_held.clone()),
        None => intake,
    };
    let mut tasks = vec![tokio::spawn(intake.clone().prune(stop.clone()))];
    if webhook.is_some() {
        tasks.push(tokio::spawn(intake::follow(intake.clone(), stop.clone(), lease_held.clone())));
    }
    let route = webhook.as_ref().map(|(url, secret)| WebhookRoute {
        path: url.path().to_owned(),
        secret: secret.clone(),
        intake: intake.clone(),
    });
    if let Some(listener) = listener {
        let server = Server::new(app.clone(), route);
        tasks.push(tokio::spawn(http::serve(listener, server, stop.clone())));
    }
    match webhook {
        Some((url, secret)) => crate::telegram::webhook::register(bot, url, &secret).await?,
        None => tasks.push(tokio::spawn(intake::poll(intake, bot.clone(), stop, lease_held))),
    }
    Ok(tasks)
}
