//! Long polling: teloxide's `getUpdates` loop, with each update kept in the inbox before the next
//! request tells Telegram (by its offset) that the batch arrived.

use std::time::Duration;

use teloxide::Bot;
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};
use tokio::sync::watch;
use tokio_stream::StreamExt;

use super::{Intake, IntakeError};

/// How long Telegram holds a `getUpdates` request open when there is nothing new.
const HOLD: Duration = Duration::from_secs(10);

/// Polls until `stop` turns true. The webhook, if one was set, is deleted first (Telegram refuses
/// `getUpdates` while one is set).
pub async fn poll(intake: Intake, bot: Bot, mut stop: watch::Receiver<bool>) {
    let mut polling = Polling::builder(bot).timeout(HOLD).delete_webhook().await.build();
    let token = polling.stop_token();
    let mut stopped = stop.clone();
    tokio::spawn(async move {
        let _ = stopped.wait_for(|stopped| *stopped).await;
        token.stop();
    });
    let updates = polling.as_stream();
    let mut updates = std::pin::pin!(updates);
    // The polling stream asks for the next batch (confirming this one) only when it is read again,
    // so each update is in the inbox before Telegram may forget it.
    while let Some(next) = updates.next().await {
        let update = match next {
            Ok(update) => update,
            Err(error) => {
                tracing::warn!(%error, "getUpdates failed; polling again");
                continue;
            }
        };
        let mut wait = Duration::from_millis(100);
        loop {
            match intake.accept(update.clone()).await {
                Ok(_) => break,
                Err(IntakeError::NotAnUpdate(why)) => {
                    tracing::error!(update_id = update.id.0, %why, "an update cannot be kept; skipped");
                    break;
                }
                Err(IntakeError::Store(error)) => {
                    tracing::warn!(update_id = update.id.0, %error, "cannot keep an update; trying again");
                    // Not confirmed to Telegram: stopping now leaves it to be fetched again.
                    if tokio::time::timeout(wait, stop.wait_for(|stopped| *stopped)).await.is_ok() {
                        return;
                    }
                    wait = (wait * 2).min(Duration::from_secs(5));
                }
            }
        }
    }
}
