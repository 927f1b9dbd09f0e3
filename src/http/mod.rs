//! The bot's one HTTP server (axum), on `listen`, in both modes: Telegram's webhook (webhook mode
//! only), `/healthz`, `/readyz`, `/metrics` and the private calendars `/cal/{token}.ics`.

mod calendar;
mod health;
mod limit;
mod scrape;
pub mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::{App, CALENDAR_PATH};
use crate::telegram::intake::Intake;

pub use limit::Limiter;

/// The webhook's route: the path Telegram posts to, and the secret it must send.
#[derive(Debug, Clone)]
pub struct WebhookRoute {
    pub path: String,
    pub secret: String,
    pub intake: Intake,
}

/// What the routes share.
#[derive(Clone)]
pub struct Server {
    pub app: App,
    pub webhook: Option<WebhookRoute>,
    pub metrics: PrometheusHandle,
    pub calendar_limit: Arc<Limiter>,
    pub started: tokio::time::Instant,
}

impl Server {
    pub fn new(app: App, webhook: Option<WebhookRoute>) -> Self {
        Self {
            app,
            webhook,
            metrics: crate::metrics::install(),
            calendar_limit: Arc::new(Limiter::per_minute(limit::CALENDAR_PER_MINUTE)),
            started: tokio::time::Instant::now(),
        }
    }

    /// The routes.
    pub fn router(self) -> Router {
        let mut router = Router::new()
            .route("/healthz", get(health::healthz))
            .route("/readyz", get(health::readyz))
            .route("/metrics", get(scrape::metrics))
            .route(&format!("{CALENDAR_PATH}/{{file}}"), get(calendar::feed));
        if let Some(webhook) = &self.webhook {
            router = router.route(&webhook.path, post(webhook::update));
        }
        router.with_state(self)
    }
}

/// Binds `listen` (`host:port`), refusing a bad address with a clear error.
pub async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(listen.trim())
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen:?} (listen, HANCHOT_LISTEN): {e}"))?;
    tracing::info!(address = %listener.local_addr()?, "HTTP server listening");
    Ok(listener)
}

/// Serves until `stop` turns true; requests under way are finished.
pub async fn serve(listener: TcpListener, server: Server, mut stop: watch::Receiver<bool>) {
    let routes = server.router().into_make_service_with_connect_info::<SocketAddr>();
    let stopped = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    if let Err(error) = axum::serve(listener, routes).with_graceful_shutdown(stopped).await {
        tracing::error!(%error, "the HTTP server stopped");
    }
}
