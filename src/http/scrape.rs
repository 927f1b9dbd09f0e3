//! `/metrics`: what the process counted, and the gauges read from the database at each scrape
//! (the outbox and the inbox), in Prometheus' text format.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Server;
use crate::metrics::{INBOX_BACKLOG, INBOX_OLDEST, OUTBOX_OLDEST_PENDING, OUTBOX_PENDING, set_gauge};

pub async fn metrics(State(server): State<Server>) -> Response {
    let store = &server.app.store;
    let now = server.app.clock.now();
    let age = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or(0.0, |at| (now - at).num_milliseconds().max(0) as f64 / 1000.0)
    };
    match store.outbox_counts().await {
        Ok(counts) => set_gauge(OUTBOX_PENDING, counts.pending as f64),
        Err(error) => tracing::warn!(%error, "metrics: cannot count the outbox"),
    }
    match store.oldest_due_pending(now).await {
        Ok(oldest) => set_gauge(OUTBOX_OLDEST_PENDING, age(oldest)),
        Err(error) => tracing::warn!(%error, "metrics: cannot read the outbox"),
    }
    match store.inbox_backlog().await {
        Ok(backlog) => {
            set_gauge(INBOX_BACKLOG, backlog.unhandled as f64);
            set_gauge(INBOX_OLDEST, age(backlog.oldest));
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot read the inbox"),
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], server.metrics.render())
        .into_response()
}
