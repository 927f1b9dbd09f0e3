//! Telling Telegram where to post updates: `setWebhook` with the address and secret token the
//! HTTP side checks (`http::webhook`).

use teloxide::Bot;
use teloxide::payloads::SetWebhookSetters;
use teloxide::prelude::Requester;

/// Connections Telegram may open at once (its default).
const MAX_CONNECTIONS: u8 = 40;

/// Tells Telegram to post updates to `url` with `secret`.
pub async fn register(bot: &Bot, url: url::Url, secret: &str) -> anyhow::Result<()> {
    bot.set_webhook(url.clone()).secret_token(secret.to_owned()).max_connections(MAX_CONNECTIONS).await?;
    tracing::info!(%url, "webhook set: Telegram posts updates here");
    Ok(())
}
