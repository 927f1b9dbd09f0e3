//! Use cases of the watched sources: adding, listing, turning on and off, removing; opening the
//! review of each new item's proposals in the reviewers' chats; the daily note of unwell sources.
//! Polling itself is `crate::sources`.

use chrono::{DateTime, NaiveDate, Utc};
use url::Url;

use super::{App, Result};
use crate::domain::review::DraftItem;
use crate::store::{NewSource, PendingItem, SourceKind, WatchedSource};

/// Why a source was not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAdded {
    /// Not an http(s) address with a host.
    BadAddress(String),
    /// Watched already, under this id.
    Known(i64),
}

/// An item's proposals, opened for review in each reviewer's chat.
#[derive(Debug, Clone)]
pub struct ItemReview {
    pub item: PendingItem,
    pub published: NaiveDate,
    /// Chat, draft and the draft's proposals.
    pub drafts: Vec<(i64, i64, Vec<DraftItem>)>,
}

/// Reads an address typed by a person: http or https, with a host.
pub fn source_address(text: &str) -> std::result::Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" if url.has_host() => Ok(url),
        "http" | "https" => Err("no host".into()),
        other => Err(format!("the scheme is {other:?}: only http and https")),
    }
}

/// What an address is read as when the admin does not say: feeds by their usual names.
pub fn guess_kind(url: &Url) -> SourceKind {
    let path = url.path().to_ascii_lowercase();
    if path.contains("atom") {
        SourceKind::Atom
    } else if path.ends_with(".rss") || path.ends_with(".xml") || path.contains("/rss") || path.contains("feed") {
        SourceKind::Rss
    } else {
        SourceKind::Html
    }
}

impl App {
    /// Adds a source, active; the kind is guessed from the address when not given.
    pub async fn add_source(
        &self,
        address: &str,
        name: Option<&str>,
        kind: Option<SourceKind>,
        link_pattern: Option<&str>,
    ) -> Result<std::result::Result<i64, NotAdded>> {
        let url = match source_address(address) {
            Ok(url) => url,
            Err(why) => return Ok(Err(NotAdded::BadAddress(why))),
        };
        let source = NewSource {
            kind: kind.unwrap_or_else(|| guess_kind(&url)),
            name: name.map(crate::domain::text::clean).unwrap_or_else(|| url.host_str().unwrap_or_default().to_owned()),
            link_pattern: link_pattern.map(str::to_owned),
            url: url.to_string(),
        };
        Ok(self.store.add_watched(&source, self.clock.now()).await?.map_err(NotAdded::Known))
    }

    pub async fn sources(&self) -> Result<Vec<WatchedSource>> {
        Ok(self.store.watched_sources().await?)
    }

    /// Turns a source on or off; false when there is no such source.
    pub async fn set_source_active(&self, id: i64, active: bool) -> Result<bool> {
        Ok(self.store.set_watched_active(id, active).await?)
    }

    pub async fn remove_source(&self, id: i64) -> Result<bool> {
        Ok(self.store.remove_watched(id).await?)
    }

    /// Where reviews of watched items go: `review_chat_id`, else each admin's private chat.
    pub fn review_chats(&self) -> Vec<i64> {
        match self.config.review_chat_id {
            Some(chat) => vec![chat],
            None => self.config.admins.iter().filter_map(|&a| i64::try_from(a).ok()).collect(),
        }
    }

    /// Opens a review of every item whose proposals were not sent yet, in each reviewer's chat;
    /// with no reviewer, they wait.
    pub async fn open_source_reviews(&self) -> Result<Vec<ItemReview>> {
        let chats = self.review_chats();
        if chats.is_empty() {
            return Ok(Vec::new());
        }
        let mut reviews = Vec::new();
        for item in self.store.pending_items().await? {
            let published = item.published.unwrap_or_else(|| self.today());
            let opened = self.store.open_item_reviews(&item, &chats, published, self.clock.now()).await?;
            let mut drafts = Vec::with_capacity(opened.len());
            for (chat, draft) in opened {
                drafts.push((chat, draft, self.store.draft_items(draft).await?));
            }
            reviews.push(ItemReview { item, published, drafts });
        }
        Ok(reviews)
    }

    /// The sources to tell the admins about today (failing, or silent for `days`), once a day:
    /// `None` when told already today or when all are well.
    pub async fn unwell_sources_note(&self, now: DateTime<Utc>, days: i64) -> Result<Option<Vec<WatchedSource>>> {
        let unwell = self.store.unwell_sources(now, days).await?;
        if unwell.is_empty() || !self.store.claim_health_note(self.today()).await? {
            return Ok(None);
        }
        Ok(Some(unwell))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_http_and_kinds_are_guessed() {
        assert!(source_address("ftp://example.org/x").is_err());
        assert!(source_address("not an address").is_err());
        let kind = |u: &str| guess_kind(&source_address(u).unwrap());
        assert_eq!(kind("https://baochinhphu.vn/rss/home.rss"), SourceKind::Rss);
        assert_eq!(kind("https://example.vn/feed/atom"), SourceKind::Atom);
        assert_eq!(kind("https://sotttt.example.vn/tin-tuc"), SourceKind::Html);
    }
}
