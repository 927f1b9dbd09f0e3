//! One poll: every source due is asked (a few at a time), its new items read and their tasks kept
//! for review, and its health recorded, its next check put off on errors (doubling to a day).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use tokio::sync::Semaphore;
use url::Url;

use super::article::{document_key, document_number, read_article};
use super::fetch::{Body, FetchError, FetchOptions, Fetched, Fetcher, Limit, Validators};
use super::guard::{Reach, redacted};
use super::items::{Item, ReadError, feed_items, listing_items};
use crate::config::Config;
use crate::document::Isolation;
use crate::domain::extract::{Proposal, publication_date};
use crate::store::{Check, CheckStatus, ItemStatus, NewItem, SourceKind, Store, StoreError, WatchedSource};

/// The longest a failing source is put off.
pub const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);

/// How many sources are asked at once.
const CONCURRENT_SOURCES: usize = 8;

/// The most new items read from one source in one poll; the rest wait for the next one.
const MAX_NEW_ITEMS: usize = 100;

/// How one source's check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceOutcome {
    pub id: i64,
    pub url: String,
    pub status: CheckStatus,
    pub new_items: u32,
    pub error: Option<String>,
}

/// A new item whose text holds dated tasks, kept for the admins' review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedItem {
    pub source_url: String,
    pub item_url: String,
    pub item_title: String,
    pub published: NaiveDate,
    /// The document's number ("41/CT-TTg"), when it gives one.
    pub document: Option<String>,
    pub proposals: Vec<Proposal>,
}

/// What a poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Poll {
    pub sources: Vec<SourceOutcome>,
    pub proposed: Vec<ProposedItem>,
}

/// How long a source that failed `errors` times in a row waits: the poll interval, doubled for
/// each error after the first, at most [`MAX_BACKOFF`].
pub fn backoff(interval: Duration, errors: u32) -> Duration {
    let doublings = errors.saturating_sub(1).min(20);
    interval.saturating_mul(1 << doublings).min(MAX_BACKOFF).max(interval.min(MAX_BACKOFF))
}

/// Polls the watched sources.
#[derive(Debug, Clone)]
pub struct Watcher {
    store: Store,
    fetcher: Fetcher,
    interval: Duration,
    reader: Isolation,
}

impl Watcher {
    pub fn new(store: Store, options: FetchOptions, interval: Duration) -> Result<Self, FetchError> {
        Ok(Self { store, fetcher: Fetcher::new(options)?, interval, reader: Isolation::new(None) })
    }

    /// The same, reading attachments with `reader` (a test's: the real binary).
    pub fn reading_with(self, reader: Isolation) -> Self {
        Self { reader, ..self }
    }

    /// The watcher the configuration sets (`source_poll_seconds`, `allow_private_sources`), also
    /// reaching the addresses `also` (a test's server).
    pub fn for_config(store: Store, config: &Config, also: Vec<std::net::IpAddr>) -> Result<Self, FetchError> {
        let reach = Reach { allow_private: config.allow_private_sources, also };
        let options = FetchOptions { reach, ..FetchOptions::default() };
        Self::new(store, options, Duration::from_secs(config.source_poll_seconds.into()))
            .map(|w| w.reading_with(Isolation::new(config.document_reader.as_deref())))
    }

    /// Checks every active source whose time has come (every active one with `force`).
    pub async fn poll(&self, now: DateTime<Utc>, force: bool) -> Result<Poll, StoreError> {
        let due = self.store.sources_to_check(now, force).await?;
        let permits = Arc::new(Semaphore::new(CONCURRENT_SOURCES));
        let mut tasks = tokio::task::JoinSet::new();
        for (order, source) in due.into_iter().enumerate() {
            let (watcher, permits) = (self.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                (order, watcher.check(&source, now).await)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(result) => done.push(result),
                Err(error) => tracing::error!(%error, "a source's check panicked"),
            }
        }
        done.sort_by_key(|(order, _)| *order);
        let mut poll = Poll::default();
        for (_, result) in done {
            let (outcome, proposed) = result?;
            poll.sources.push(outcome);
            poll.proposed.extend(proposed);
        }
        Ok(poll)
    }

    /// Checks one source and records the outcome.
    async fn check(
        &self,
        source: &WatchedSource,
        now: DateTime<Utc>,
    ) -> Result<(SourceOutcome, Vec<ProposedItem>), StoreError> {
        let validators = Validators { etag: source.etag.clone(), last_modified: source.last_modified.clone() };
        let result = self.fetch_items(source, &validators).await;
        let (check, proposed) = match result {
            Ok(Listed::NotModified(wait)) => (
                Check {
                    status: CheckStatus::NotModified,
                    error: None,
                    etag: validators.etag,
                    last_modified: validators.last_modified,
                    next_check_at: now + later(self.interval.max(wait.unwrap_or_default())),
                    consecutive_errors: 0,
                    items_listed: None,
                    new_items: 0,
                },
                Vec::new(),
            ),
            Ok(Listed::Items { items, validators: fresh, wait }) if items.is_empty() && source.max_items > 0 => {
                let error = format!("the feed lists no item (it listed {} before)", source.max_items);
                let mut check = self.failed(source, &validators, error, wait, now);
                // The validators of an empty answer would make the next one a 304 and hide it.
                check.etag = validators.etag.clone().filter(|_| fresh.etag.is_none());
                (check, Vec::new())
            }
            Ok(Listed::Items { items, validators: fresh, wait }) => {
                let listed = u32::try_from(items.len()).unwrap_or(u32::MAX);
                let (new_items, proposed) = self.read_new(source, items, now).await?;
                let check = Check {
                    status: CheckStatus::Ok,
                    error: None,
                    etag: fresh.etag,
                    last_modified: fresh.last_modified,
                    next_check_at: now + later(self.interval.max(wait.unwrap_or_default())),
                    consecutive_errors: 0,
                    items_listed: Some(listed),
                    new_items,
                };
                (check, proposed)
            }
            Err(failure) => {
                let wait = failure.wait();
                (self.failed(source, &validators, failure.to_string(), wait, now), Vec::new())
            }
        };
        self.store.record_check(source.id, &check, now).await?;
        if let Some(error) = &check.error {
            let url = shown(&source.url);
            tracing::warn!(source_id = source.id, %url, %error, errors = check.consecutive_errors, "source check failed");
        }
        let outcome = SourceOutcome {
            id: source.id,
            url: source.url.clone(),
            status: check.status,
            new_items: check.new_items,
            error: check.error,
        };
        Ok((outcome, proposed))
    }

    fn failed(
        &self,
        source: &WatchedSource,
        validators: &Validators,
        error: String,
        wait: Option<Duration>,
        now: DateTime<Utc>,
    ) -> Check {
        let errors = source.consecutive_errors.saturating_add(1);
        Check {
            status: CheckStatus::Error,
            error: Some(error),
            etag: validators.etag.clone(),
            last_modified: validators.last_modified.clone(),
            next_check_at: now + later(backoff(self.interval, errors).max(wait.unwrap_or_default())),
            consecutive_errors: errors,
            items_listed: None,
            new_items: 0,
        }
    }

    async fn fetch_items(&self, source: &WatchedSource, validators: &Validators) -> Result<Listed, Failure> {
        let url = Url::parse(&source.url).map_err(|e| Failure::Read(format!("not an address: {e}")))?;
        let limit = if source.kind == SourceKind::Html { Limit::Page } else { Limit::Feed };
        let body = match self.fetcher.get(&url, validators, limit).await.map_err(Failure::Fetch)? {
            Fetched::NotModified { caching } => return Ok(Listed::NotModified(caching.wait())),
            Fetched::Body(body) => body,
        };
        let items = match source.kind {
            SourceKind::Rss | SourceKind::Atom => feed_items(&body.bytes, &body.url),
            SourceKind::Html => listing_items(&decode_html(&body), &body.url, source.link_pattern.as_deref()),
        }
        .map_err(|e: ReadError| Failure::Read(e.to_string()))?;
        Ok(Listed::Items { items, validators: body.validators, wait: body.caching.wait() })
    }

    /// Reads the items not seen before in the source and records each, with what it proposes.
    async fn read_new(
        &self,
        source: &WatchedSource,
        items: Vec<Item>,
        now: DateTime<Utc>,
    ) -> Result<(u32, Vec<ProposedItem>), StoreError> {
        let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
        let seen = self.store.seen_item_keys(source.id, &keys).await?;
        let today = crate::sources::dates::vietnam_day(now);
        let mut proposed = Vec::new();
        let mut new_items = 0;
        for item in items.into_iter().filter(|i| !seen.contains(&i.key)).take(MAX_NEW_ITEMS) {
            let read = self.read_item(&item).await;
            let published = item.published.or_else(|| publication_date(&read.text)).unwrap_or(today);
            let proposals = crate::app::proposals_in(&read.text, published);
            let document = document_key(&read.title, &read.text);
            let status = if proposals.is_empty() {
                if read.error.is_some() { ItemStatus::Unreadable } else { ItemStatus::NoTasks }
            } else if let Some(key) = &document
                && self.store.document_proposed(key).await?
            {
                ItemStatus::Duplicate
            } else {
                ItemStatus::Proposed
            };
            let kept: &[Proposal] = if status == ItemStatus::Proposed { &proposals } else { &[] };
            let recorded = NewItem {
                key: &item.key,
                url: &item.url,
                title: &read.title,
                published: Some(published),
                document_key: document.as_deref(),
                status,
                error: read.error.as_deref(),
                proposals: kept,
            };
            if !self.store.record_item(source.id, &recorded, now).await? {
                continue;
            }
            new_items += 1;
            if status == ItemStatus::Proposed {
                proposed.push(ProposedItem {
                    source_url: source.url.clone(),
                    item_url: item.url.clone(),
                    item_title: read.title.clone(),
                    published,
                    document: document_number(&read.title, &read.text),
                    proposals,
                });
            }
        }
        Ok((new_items, proposed))
    }

    /// An item's text: its title, its page's article and the attachments the page links; the
    /// feed's summary when the page cannot be read.
    async fn read_item(&self, item: &Item) -> ReadItem {
        let fallback = |error: String| ReadItem {
            title: item.title.clone(),
            text: format!("{}\n{}", item.title, item.summary),
            error: Some(error),
        };
        let Ok(url) = Url::parse(&item.url) else { return fallback("not an address".into()) };
        let body = match self.fetcher.get(&url, &Validators::default(), Limit::Page).await {
            Ok(Fetched::Body(body)) => body,
            Ok(Fetched::NotModified { .. }) => return fallback("HTTP 304 to an unconditional request".into()),
            Err(error) => return fallback(error.to_string()),
        };
        let mut parts = Vec::new();
        let mut title = item.title.clone();
        if is_document(&body) {
            parts.push(item.title.clone());
            parts.extend(self.document_text(&body).await);
        } else {
            let article = read_article(&decode_html(&body), &body.url);
            if title.is_empty() {
                title = article.title.clone();
            }
            parts.push(title.clone());
            parts.push(if article.text.is_empty() { item.summary.clone() } else { article.text });
            for attachment in &article.attachments {
                match self.fetcher.get(attachment, &Validators::default(), Limit::Attachment).await {
                    Ok(Fetched::Body(file)) => parts.extend(self.document_text(&file).await),
                    Ok(Fetched::NotModified { .. }) => {}
                    Err(error) => {
                        tracing::info!(url = %redacted(attachment), %error, "attachment not read");
                    }
                }
            }
        }
        ReadItem { title, text: parts.join("\n"), error: None }
    }

    /// A PDF's or a .docx's text through the import's readers; nothing when it cannot be read.
    async fn document_text(&self, body: &Body) -> Option<String> {
        let name = body.url.path_segments().and_then(|mut s| s.next_back()).unwrap_or("file").to_owned();
        // The import's readers take up to their own limit; a larger attachment is not theirs.
        if body.bytes.len() > crate::document::MAX_BYTES {
            tracing::info!(url = %redacted(&body.url), bytes = body.bytes.len(), "attachment too large to read");
            return None;
        }
        match self.reader.read(&name, &body.bytes).await {
            Ok(text) => Some(text),
            Err(error) => {
                tracing::info!(url = %redacted(&body.url), %error, "attachment not read");
                None
            }
        }
    }
}

/// What a source's answer listed.
enum Listed {
    NotModified(Option<Duration>),
    Items { items: Vec<Item>, validators: Validators, wait: Option<Duration> },
}

/// Why a source's check failed.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Fetch(FetchError),
    #[error("{0}")]
    Read(String),
}

impl Failure {
    fn wait(&self) -> Option<Duration> {
        match self {
            Self::Fetch(e) => e.caching().retry_after,
            Self::Read(_) => None,
        }
    }
}

struct ReadItem {
    title: String,
    text: String,
    error: Option<String>,
}

fn later(wait: Duration) -> chrono::Duration {
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(24))
}

fn shown(url: &str) -> String {
    Url::parse(url).map(|u| redacted(&u)).unwrap_or_else(|_| "(not an address)".into())
}

/// Whether an answer is a file for the import's readers rather than a page.
fn is_document(body: &Body) -> bool {
    let kind = body.content_type.to_ascii_lowercase();
    kind.contains("application/pdf")
        || kind.contains("officedocument.wordprocessingml")
        || body.bytes.starts_with(b"%PDF-")
        || body.bytes.starts_with(b"PK\x03\x04")
}

/// A page's HTML as text: UTF-8, or the charset its Content-Type names (Windows-1258 on old portals).
fn decode_html(body: &Body) -> String {
    let label = body.content_type.split("charset=").nth(1).map(|c| c.trim_matches(['"', ' ', ';']));
    let encoding = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())).unwrap_or(encoding_rs::UTF_8);
    encoding.decode(&body.bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_interval_to_a_day() {
        let half_hour = Duration::from_secs(1800);
        assert_eq!(backoff(half_hour, 1), half_hour);
        assert_eq!(backoff(half_hour, 2), Duration::from_secs(3600));
        assert_eq!(backoff(half_hour, 3), Duration::from_secs(7200));
        assert_eq!(backoff(half_hour, 7), Duration::from_secs(24 * 3600));
        assert_eq!(backoff(half_hour, 60), MAX_BACKOFF);
    }
}
