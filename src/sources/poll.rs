//! One poll: every source due is asked and its new items read (a few sources at a time), then each
//! source's items and health recorded in the sources' order, its next check put off on errors
//! (doubling to a day).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use tokio::sync::Semaphore;
use url::Url;

use super::fetch::{FetchError, FetchOptions, Fetched, Fetcher, Limit, Validators};
use super::guard::{Reach, redacted};
use super::items::{Item, ReadError, feed_items, listing_items};
use super::reading::{ReadItem, decode_html, read};
use crate::config::Config;
use crate::document::Isolation;
use crate::domain::extract::Proposal;
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
    ///
    /// The sources are asked and their items read side by side, and recorded one after another in
    /// the sources' order: of a document published at several addresses in one poll, the first
    /// source's item is proposed, whichever answered first.
    pub async fn poll(&self, now: DateTime<Utc>, force: bool) -> Result<Poll, StoreError> {
        let due = self.store.sources_to_check(now, force).await?;
        let permits = Arc::new(Semaphore::new(CONCURRENT_SOURCES));
        let mut tasks = tokio::task::JoinSet::new();
        for (order, source) in due.into_iter().enumerate() {
            let (watcher, permits) = (self.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let answer = watcher.ask(&source, now).await;
                (order, answer.map(|answer| (source, answer)))
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
            let (source, answer) = result?;
            let (outcome, proposed) = self.record(&source, answer, now).await?;
            poll.sources.push(outcome);
            poll.proposed.extend(proposed);
        }
        Ok(poll)
    }

    /// Asks a source and reads the items new to it.
    async fn ask(&self, source: &WatchedSource, now: DateTime<Utc>) -> Result<Answer, StoreError> {
        let validators = Validators { etag: source.etag.clone(), last_modified: source.last_modified.clone() };
        let (items, fresh, wait) = match self.fetch_items(source, &validators).await {
            Ok(Listed::Items { items, validators: fresh, wait }) => (items, fresh, wait),
            Ok(Listed::NotModified(wait)) => return Ok(Answer { validators, heard: Ok(Heard::NotModified(wait)) }),
            Err(failure) => return Ok(Answer { validators, heard: Err(failure) }),
        };
        let listed_count = u32::try_from(items.len()).unwrap_or(u32::MAX);
        let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
        let seen = self.store.seen_item_keys(source.id, &keys).await?;
        let today = crate::sources::dates::vietnam_day(now);
        let mut read_items = Vec::new();
        for item in items.into_iter().filter(|i| !seen.contains(&i.key)).take(MAX_NEW_ITEMS) {
            read_items.push(read(&self.fetcher, &self.reader, item, today).await);
        }
        let heard = Heard::Read { listed: listed_count, items: read_items, validators: fresh, wait };
        Ok(Answer { validators, heard: Ok(heard) })
    }

    /// Records a source's answer: its new items, with what they propose, and its health.
    async fn record(
        &self,
        source: &WatchedSource,
        answer: Answer,
        now: DateTime<Utc>,
    ) -> Result<(SourceOutcome, Vec<ProposedItem>), StoreError> {
        let Answer { validators, heard } = answer;
        let mut proposed = Vec::new();
        let check = match heard {
            Ok(Heard::NotModified(wait)) => Check {
                status: CheckStatus::NotModified,
                error: None,
                etag: validators.etag,
                last_modified: validators.last_modified,
                next_check_at: now + later(self.interval.max(wait.unwrap_or_default())),
                consecutive_errors: 0,
                items_listed: None,
                new_items: 0,
            },
            Ok(Heard::Read { listed: 0, validators: fresh, wait, .. }) if source.max_items > 0 => {
                let error = format!("the feed lists no item (it listed {} before)", source.max_items);
                let mut check = self.failed(source, &validators, error, wait, now);
                // The validators of an empty answer would make the next one a 304 and hide it.
                check.etag = validators.etag.clone().filter(|_| fresh.etag.is_none());
                check
            }
            Ok(Heard::Read { listed, items, validators: fresh, wait }) => {
                let mut new_items = 0;
                for read in items {
                    let Some(status) = self.record_item(source, &read, now).await? else { continue };
                    new_items += 1;
                    if status == ItemStatus::Proposed {
                        proposed.push(ProposedItem {
                            source_url: source.url.clone(),
                            item_url: read.item.url,
                            item_title: read.title,
                            published: read.published,
                            document: read.document,
                            proposals: read.proposals,
                        });
                    }
                }
                Check {
                    status: CheckStatus::Ok,
                    error: None,
                    etag: fresh.etag,
                    last_modified: fresh.last_modified,
                    next_check_at: now + later(self.interval.max(wait.unwrap_or_default())),
                    consecutive_errors: 0,
                    items_listed: Some(listed),
                    new_items,
                }
            }
            Err(failure) => {
                let wait = failure.wait();
                self.failed(source, &validators, failure.to_string(), wait, now)
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

    /// Records one item read; what it was recorded as, `None` when it was known already.
    async fn record_item(
        &self,
        source: &WatchedSource,
        read: &ReadItem,
        now: DateTime<Utc>,
    ) -> Result<Option<ItemStatus>, StoreError> {
        let status = read.status();
        let kept: &[Proposal] = if status == ItemStatus::Proposed { &read.proposals } else { &[] };
        let item = NewItem {
            key: &read.item.key,
            url: &read.item.url,
            title: &read.title,
            published: Some(read.published),
            document_key: read.document_key.as_deref(),
            status,
            error: read.error.as_deref(),
            proposals: kept,
        };
        self.store.record_item(source.id, &item, now).await
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
}
/// What a source's answer listed.
enum Listed {
    NotModified(Option<Duration>),
    Items { items: Vec<Item>, validators: Validators, wait: Option<Duration> },
}

/// A source's answer with its new items read, to record; `validators` are those it was asked with.
struct Answer {
    validators: Validators,
    heard: Result<Heard, Failure>,
}

enum Heard {
    NotModified(Option<Duration>),
    Read { listed: u32, items: Vec<ReadItem>, validators: Validators, wait: Option<Duration> },
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

fn later(wait: Duration) -> chrono::Duration {
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(24))
}

fn shown(url: &str) -> String {
    Url::parse(url).map(|u| redacted(&u)).unwrap_or_else(|_| "(not an address)".into())
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
