//! Telegram's webhook: where it is (`webhook_url`, or `{public_url}/telegram`), its secret token
//! (`webhook_secret`, else one generated once and kept in the database), and the route that keeps
//! each update in the inbox before answering 200. `setWebhook` is Telegram's: `telegram::webhook`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use super::Server;
use crate::app::App;
use crate::telegram::intake::IntakeError;

/// The header Telegram sends the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// The path used under `public_url` when `webhook_url` is not set.
pub const DEFAULT_PATH: &str = "/telegram";
const SECRET_KEY: &str = "webhook_secret";

/// What is wrong with the webhook's settings.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    #[error("webhook mode needs an address: set webhook_url (HANCHOT_WEBHOOK_URL) or public_url (HANCHOT_PUBLIC_URL)")]
    NoAddress,
    #[error("webhook mode needs the HTTP server: set listen (HANCHOT_LISTEN), e.g. 0.0.0.0:8080")]
    NoListen,
    #[error("webhook_url {0:?} is not an https or http address with a host")]
    BadAddress(String),
    #[error("webhook_secret must be 1 to 256 of A-Z, a-z, 0-9, _ and -")]
    BadSecret,
}

/// The address Telegram posts to.
pub fn address(config: &crate::config::Config) -> Result<url::Url, WebhookError> {
    let text = match (config.webhook_url.trim(), config.public_url.trim()) {
        ("", "") => return Err(WebhookError::NoAddress),
        ("", public) => format!("{}{DEFAULT_PATH}", public.trim_end_matches('/')),
        (url, _) => url.to_owned(),
    };
    let url = url::Url::parse(&text).map_err(|_| WebhookError::BadAddress(text.clone()))?;
    if !matches!(url.scheme(), "https" | "http") || !url.has_host() {
        return Err(WebhookError::BadAddress(text));
    }
    Ok(url)
}

/// Whether Telegram accepts `secret` as a secret token.
pub fn valid_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The secret token: the configured one, else the one kept in the database (made at first use).
pub async fn secret(app: &App) -> anyhow::Result<String> {
    let configured = app.config.webhook_secret.trim();
    if !configured.is_empty() {
        if !valid_secret(configured) {
            return Err(WebhookError::BadSecret.into());
        }
        return Ok(configured.to_owned());
    }
    let made = crate::app::random_key()?;
    Ok(app.store.service_value_or(SECRET_KEY, || made).await?)
}

/// Compares without stopping at the first difference, so the time taken tells nothing.
fn same(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// An update posted by Telegram: 401 without the secret; 200 once kept in the inbox (a resent
/// one too); 400 for a body that is no update; 503 when the inbox cannot be written (Telegram
/// tries again later).
pub async fn update(State(server): State<Server>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let started = std::time::Instant::now();
    let Some(route) = &server.webhook else { return StatusCode::NOT_FOUND };
    let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !same(given, route.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(body) = std::str::from_utf8(&body) else { return StatusCode::BAD_REQUEST };
    let status = match route.intake.accept_json(body).await {
        Ok(_) => StatusCode::OK,
        // An update the bot cannot read is acknowledged, or Telegram would send it for ever.
        Err(IntakeError::NotAnUpdate(why)) if update_id(body).is_some() => {
            tracing::error!(update_id = update_id(body), %why, "an update the bot cannot read; skipped");
            StatusCode::OK
        }
        Err(IntakeError::NotAnUpdate(why)) => {
            tracing::warn!(%why, "the webhook got a body that is not an update");
            StatusCode::BAD_REQUEST
        }
        Err(IntakeError::Store(error)) => {
            tracing::warn!(%error, "cannot keep an update; Telegram will send it again");
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    crate::metrics::webhook_acknowledged(started.elapsed());
    status
}

/// The `update_id` of a body that is at least shaped like an update.
fn update_id(body: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(body).ok()?.get("update_id")?.as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_address_is_the_webhook_url_or_the_public_url_with_a_path() {
        let config = |webhook: &str, public: &str| Config {
            webhook_url: webhook.into(),
            public_url: public.into(),
            ..Config::default()
        };
        assert_eq!(address(&config("https://bot.example.org/tg", "")).unwrap().path(), "/tg");
        assert_eq!(
            address(&config("", "https://bot.example.org/")).unwrap().as_str(),
            "https://bot.example.org/telegram"
        );
        assert_eq!(address(&config("", "")), Err(WebhookError::NoAddress));
        assert!(matches!(address(&config("ftp://x.org/tg", "")), Err(WebhookError::BadAddress(_))));
        assert!(matches!(address(&config("not an address", "")), Err(WebhookError::BadAddress(_))));
    }

    #[test]
    fn secrets_are_what_telegram_accepts_and_compared_whole() {
        assert!(valid_secret("abc_DEF-123"));
        assert!(!valid_secret("") && !valid_secret("has space") && !valid_secret(&"a".repeat(257)));
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT") && !same(b"secret", b"secret2") && !same(b"", b"secret"));
    }
}
