//! Long polling: `getUpdates` read as raw JSON, each update kept in the inbox before the next
//! request tells Telegram (by its offset) that the batch arrived. The updates are read raw so that
//! one the bot cannot read (teloxide panics on some malformed ones) is logged and skipped here,
//! never taking the process down.

use std::time::Duration;

use serde::Serialize;
use teloxide::Bot;
use teloxide::prelude::Requester;
use teloxide::requests::{JsonRequest, Payload};
use tokio::sync::watch;

use super::{Intake, IntakeError};

/// How long Telegram holds a `getUpdates` request open when there is nothing new.
const HOLD: Duration = Duration::from_secs(10);

/// `getUpdates`, answered as raw JSON values.
#[derive(Debug, Clone, Serialize)]
struct RawUpdates {
    offset: i64,
    timeout: u64,
}

impl Payload for RawUpdates {
    type Output = Vec<serde_json::Value>;
    const NAME: &'static str = "GetUpdates";

    fn timeout_hint(&self) -> Option<Duration> {
        Some(Duration::from_secs(self.timeout))
    }
}

/// Polls until `stop` turns true, while this process holds the sending lease (`lease`): Telegram
/// answers a second poller on the same token with 409, so of several processes on one database
/// the one that sends also polls, and another takes over both when it stops renewing the lease.
/// On taking over, what the inbox holds unhandled (kept by a process now gone) is handed over
/// first. The webhook, if one was set, is deleted first (Telegram refuses `getUpdates` while one is).
pub async fn poll(intake: Intake, bot: Bot, mut stop: watch::Receiver<bool>, mut lease: watch::Receiver<bool>) {
    let mut webhook_deleted = false;
    loop {
        tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => return,
            held = lease.wait_for(|held| *held) => if held.is_err() { return },
        }
        match intake.replay().await {
            Ok(0) => {}
            Ok(updates) => {
                tracing::info!(updates, "updates kept but not handled by a process now gone are handled now")
            }
            Err(error) => {
                tracing::error!(%error, "cannot read the inbox; what it holds is handled at the next take-over")
            }
        }
        if !webhook_deleted {
            if let Err(error) = bot.delete_webhook().await {
                tracing::warn!(%error, "deleteWebhook failed; polling anyway");
            }
            webhook_deleted = true;
        }
        match poll_while_held(&intake, &bot, &mut stop, &mut lease).await {
            Polling::Stopped => return,
            Polling::LeaseLost => tracing::info!("the sending lease went to another process: it polls now"),
        }
    }
}

/// Why polling ended.
enum Polling {
    Stopped,
    LeaseLost,
}

/// `getUpdates` after `getUpdates`, each batch kept before the next request confirms it, until
/// told to stop or the lease is lost (a request cut off then is confirmed by nobody, so Telegram
/// gives its updates to the next poller).
async fn poll_while_held(
    intake: &Intake,
    bot: &Bot,
    stop: &mut watch::Receiver<bool>,
    lease: &mut watch::Receiver<bool>,
) -> Polling {
    let mut offset = 0;
    loop {
        let request = JsonRequest::new(bot.clone(), RawUpdates { offset, timeout: HOLD.as_secs() });
        let updates = tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => return Polling::Stopped,
            _ = lease.wait_for(|held| !*held) => return Polling::LeaseLost,
            updates = request => updates,
        };
        let updates = match updates {
            Ok(updates) => updates,
            Err(error) => {
                tracing::warn!(%error, "getUpdates failed; polling again");
                let wait = match &error {
                    teloxide::RequestError::RetryAfter(after) => after.duration(),
                    _ => Duration::from_secs(1),
                };
                if tokio::time::timeout(wait, stop.wait_for(|stopped| *stopped)).await.is_ok() {
                    return Polling::Stopped;
                }
                continue;
            }
        };
        for update in updates {
            let Some(id) = update.get("update_id").and_then(serde_json::Value::as_i64) else {
                tracing::error!("getUpdates returned something without an update_id; skipped");
                continue;
            };
            if !keep(intake, &update, id, stop).await {
                return Polling::Stopped;
            }
            // Confirmed to Telegram by the next request.
            offset = offset.max(id + 1);
        }
    }
}

/// Keeps one update, trying again while the inbox cannot be written; false when told to stop
/// meanwhile (the update, not confirmed to Telegram, is fetched again next time).
async fn keep(intake: &Intake, update: &serde_json::Value, id: i64, stop: &mut watch::Receiver<bool>) -> bool {
    let body = update.to_string();
    let mut wait = Duration::from_millis(100);
    loop {
        match intake.accept_json(&body).await {
            Ok(_) => return true,
            Err(IntakeError::NotAnUpdate(why)) => {
                tracing::error!(update_id = id, %why, "an update the bot cannot read; skipped");
                return true;
            }
            Err(IntakeError::Store(error)) => {
                tracing::warn!(update_id = id, %error, "cannot keep an update; trying again");
                if tokio::time::timeout(wait, stop.wait_for(|stopped| *stopped)).await.is_ok() {
                    return false;
                }
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
}
