//! Fetching a watched address politely and safely: conditional GET (ETag, Last-Modified), the
//! server's Retry-After and max-age, timeouts, a size limit enforced while the body is read (after
//! gzip is undone), a User-Agent naming the bot, redirects followed by hand (at most 5), each hop's
//! address checked by [`Reach`].

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use url::Url;

use super::guard::{Reach, Resolver, redacted};

/// Who is asking, as the portals' logs will show it.
pub const USER_AGENT: &str = concat!(
    "HanChotBot/",
    env!("CARGO_PKG_VERSION"),
    " (Han Chot deadline bot; reads official feeds for new directives; polls at most every 30 minutes)"
);

/// The most bytes read of each kind of answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Feed,
    Page,
    Attachment,
}

impl Limit {
    pub fn bytes(self) -> usize {
        const MB: usize = 1024 * 1024;
        match self {
            Self::Feed => 5 * MB,
            Self::Page => 10 * MB,
            Self::Attachment => 20 * MB,
        }
    }
}

/// The most redirects followed for one address.
pub const MAX_REDIRECTS: usize = 5;

/// How the fetcher behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    /// The whole fetch, redirects and body included.
    pub request_timeout: Duration,
    pub reach: Reach,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            reach: Reach::default(),
        }
    }
}

/// What the source said last time, to ask only for what changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// How long the server asks us to wait before the next request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Caching {
    pub retry_after: Option<Duration>,
    pub max_age: Option<Duration>,
}

impl Caching {
    /// The longer of what the server asked for.
    pub fn wait(self) -> Option<Duration> {
        self.retry_after.max(self.max_age)
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: nothing changed since the validators.
    NotModified {
        caching: Caching,
    },
    Body(Body),
}

#[derive(Debug, Clone)]
pub struct Body {
    /// Where the answer came from, after redirects.
    pub url: Url,
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub validators: Validators,
    pub caching: Caching,
}

/// Why a fetch failed; each is recorded as the source's error, in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Refused(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("a redirect without a valid Location")]
    BadRedirect,
    #[error("the answer is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("no complete answer within {0:?}")]
    Timeout(Duration),
    #[error("HTTP {status}")]
    Status { status: u16, caching: Caching },
    #[error("network error: {0}")]
    Network(String),
}

impl FetchError {
    /// What the server asked for (a 429's or a 503's Retry-After).
    pub fn caching(&self) -> Caching {
        match self {
            Self::Status { caching, .. } => *caching,
            _ => Caching::default(),
        }
    }
}

/// The fetcher: one HTTP client (connection pool) for every source.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    options: Arc<FetchOptions>,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Self, FetchError> {
        let reach = Arc::new(options.reach.clone());
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .dns_resolver(Arc::new(Resolver(reach)))
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Self { client, options: Arc::new(options) })
    }

    /// GETs `url`, conditionally when `validators` are given, reading at most `limit`'s bytes; the
    /// whole fetch (every redirect, the body) within the request timeout.
    pub async fn get(&self, url: &Url, validators: &Validators, limit: Limit) -> Result<Fetched, FetchError> {
        let timeout = self.options.request_timeout;
        tokio::time::timeout(timeout, self.follow(url, validators, limit))
            .await
            .unwrap_or(Err(FetchError::Timeout(timeout)))
    }

    async fn follow(&self, url: &Url, validators: &Validators, limit: Limit) -> Result<Fetched, FetchError> {
        let mut url = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            self.options.reach.check(&url).map_err(FetchError::Refused)?;
            let mut request = self.client.get(url.clone());
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(since) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, since);
            }
            let response = request.send().await.map_err(|e| network(&e, self.options.request_timeout))?;
            let status = response.status();
            let caching = caching(response.headers());
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
                url = location.and_then(|l| url.join(l).ok()).ok_or(FetchError::BadRedirect)?;
                continue;
            }
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified { caching });
            }
            if !status.is_success() {
                return Err(FetchError::Status { status: status.as_u16(), caching });
            }
            let headers = response.headers();
            let validators = Validators {
                etag: text_header(headers, header::ETAG),
                last_modified: text_header(headers, header::LAST_MODIFIED),
            };
            let content_type = text_header(headers, header::CONTENT_TYPE).unwrap_or_default();
            let bytes = read_limited(response, limit.bytes(), self.options.request_timeout).await?;
            return Ok(Fetched::Body(Body { url, bytes, content_type, validators, caching }));
        }
        Err(FetchError::TooManyRedirects)
    }
}

/// Reads a body, stopping as soon as it passes `max` bytes (counted after gzip is undone): a 50 MB
/// page or one that never ends costs at most `max` bytes of memory.
async fn read_limited(mut response: reqwest::Response, max: usize, timeout: Duration) -> Result<Vec<u8>, FetchError> {
    // The length announced is gzip's when the answer is compressed: only a hint, checked again below.
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(FetchError::TooLarge { max });
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| network(&e, timeout))? {
        if bytes.len() + chunk.len() > max {
            return Err(FetchError::TooLarge { max });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn network(error: &reqwest::Error, timeout: Duration) -> FetchError {
    if error.is_timeout() {
        return FetchError::Timeout(timeout);
    }
    // reqwest's message carries the address, which may hold credentials: show the causes only.
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let what = if error.is_connect() { "cannot connect" } else { "the connection failed" };
    let shown = error.url().map(redacted).unwrap_or_default();
    FetchError::Network(if causes.is_empty() {
        format!("{what} to {shown}")
    } else {
        format!("{what} to {shown}: {}", causes.join(": "))
    })
}

fn text_header(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned).filter(|v| !v.is_empty())
}

/// Retry-After (seconds or an HTTP date, counted from the server's Date) and Cache-Control max-age.
fn caching(headers: &HeaderMap) -> Caching {
    let retry_after = text_header(headers, header::RETRY_AFTER).and_then(|v| {
        if let Ok(seconds) = v.trim().parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        let at = chrono::DateTime::parse_from_rfc2822(v.trim()).ok()?;
        let now = text_header(headers, header::DATE)
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(&d).ok())
            .map(|d| d.to_utc())
            .unwrap_or_else(chrono::Utc::now);
        (at.to_utc() - now).to_std().ok()
    });
    let max_age = text_header(headers, header::CACHE_CONTROL).and_then(|v| {
        v.split(',')
            .filter_map(|d| d.trim().strip_prefix("max-age="))
            .find_map(|n| n.trim_matches('"').parse::<u64>().ok())
            .map(Duration::from_secs)
    });
    Caching { retry_after, max_age }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_and_max_age_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("120"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
        let c = caching(&headers);
        assert_eq!(c.retry_after, Some(Duration::from_secs(120)));
        assert_eq!(c.max_age, Some(Duration::from_secs(3600)));
        assert_eq!(c.wait(), Some(Duration::from_secs(3600)));
        let mut headers = HeaderMap::new();
        headers.insert(header::DATE, HeaderValue::from_static("Wed, 02 Dec 2026 07:00:00 GMT"));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("Wed, 02 Dec 2026 07:10:00 GMT"));
        assert_eq!(caching(&headers).retry_after, Some(Duration::from_secs(600)));
    }

    #[test]
    fn the_user_agent_names_the_bot() {
        assert!(USER_AGENT.starts_with("HanChotBot/") && USER_AGENT.is_ascii());
    }
}
