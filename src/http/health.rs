//! Health: `/healthz` (the process answers), `/readyz` (the database answers, the sending lease
//! is fresh — held by this process or another live one —, and the outbox is not falling behind),
//! and `hanchot healthcheck`, which calls `/healthz` for images without curl.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use super::Server;

/// The oldest outbox row due and not sent may be this old before the bot is not ready.
pub const OUTBOX_LAG: Duration = Duration::from_secs(15 * 60);
/// After start, a missing lease is the sender not having started yet.
const STARTING: Duration = Duration::from_secs(15);

pub async fn healthz() -> &'static str {
    "ok\n"
}

/// 200 "ready", or 503 with the reason.
pub async fn readyz(State(server): State<Server>) -> (StatusCode, String) {
    match not_ready(&server).await {
        None => (StatusCode::OK, "ready\n".to_owned()),
        Some(reason) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {reason}\n")),
    }
}

async fn not_ready(server: &Server) -> Option<String> {
    let store = &server.app.store;
    let now = server.app.clock.now();
    if let Err(error) = store.ping().await {
        return Some(format!("the database does not answer: {error}"));
    }
    match store.sender_lease().await {
        Err(error) => return Some(format!("cannot read the sending lease: {error}")),
        Ok(Some((_, expires))) if expires > now => {}
        Ok(Some((holder, expires))) => {
            return Some(format!("the sending lease of {holder} lapsed at {expires}: the sender has stopped"));
        }
        Ok(None) if server.started.elapsed() < STARTING => {}
        Ok(None) => return Some("no process holds the sending lease: the sender has stopped".to_owned()),
    }
    match store.oldest_due_pending(now).await {
        Err(error) => Some(format!("cannot read the outbox: {error}")),
        Ok(Some(due)) if (now - due).to_std().is_ok_and(|lag| lag > OUTBOX_LAG) => Some(format!(
            "the oldest message due in the outbox has waited {} s (more than {} s)",
            (now - due).num_seconds(),
            OUTBOX_LAG.as_secs()
        )),
        Ok(_) => None,
    }
}
