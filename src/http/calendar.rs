//! `/cal/{token}.ics`: a chat's live calendar, with an ETag (a calendar app asking again gets 304
//! while nothing changed), 404 for a token that opens nothing, 429 past the limit per address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{Server, limit};

pub async fn feed(
    State(server): State<Server>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = server.calendar_limit.take(limit::client(peer, &headers), std::time::Instant::now()) {
        let seconds = wait.as_secs().max(1).to_string();
        return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, seconds)], "too many requests\n")
            .into_response();
    }
    let Some(token) = file.strip_suffix(".ics") else { return not_found() };
    let feed = match server.app.calendar_feed(token).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "cannot make a calendar feed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "the calendar cannot be made now\n").into_response();
        }
    };
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(feed.ics.as_bytes()))[..32]);
    let cache = [
        (header::ETAG, HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""))),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300")),
    ];
    if matches(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let kind = [(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"))];
    (StatusCode::OK, cache, kind, feed.ics).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such calendar\n").into_response()
}

/// Whether `If-None-Match` names `etag` (or `*`).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}
