//! One new item read whole: its page's article text and the attachments the page links (or the
//! file the item is), the feed's summary when the page cannot be read; then its dated tasks, by the
//! import's extraction, and the document it carries.

use chrono::NaiveDate;
use url::Url;

use super::article::{document_key, document_number, read_article};
use super::fetch::{Body, Fetched, Fetcher, Limit, Validators};
use super::guard::redacted;
use super::items::Item;
use crate::document::Isolation;
use crate::domain::extract::{Proposal, proposals_in, publication_date};
use crate::store::ItemStatus;

/// An item read, before it is recorded.
#[derive(Debug, Clone)]
pub(super) struct ReadItem {
    pub item: Item,
    pub title: String,
    pub published: NaiveDate,
    /// Why its page could not be read (its feed's summary was read instead).
    pub error: Option<String>,
    pub proposals: Vec<Proposal>,
    /// What makes it the same document as an item of another address ([`document_key`]).
    pub document_key: Option<String>,
    /// Its number ("41/CT-TTg"), when it gives one.
    pub document: Option<String>,
}

impl ReadItem {
    /// What it is recorded as, unless its document was proposed already.
    pub fn status(&self) -> ItemStatus {
        match (self.proposals.is_empty(), &self.error) {
            (false, _) => ItemStatus::Proposed,
            (true, Some(_)) => ItemStatus::Unreadable,
            (true, None) => ItemStatus::NoTasks,
        }
    }
}

/// Reads an item and finds its tasks; its date is the feed's, else the one its text gives, else
/// `today`.
pub(super) async fn read(fetcher: &Fetcher, reader: &Isolation, item: Item, today: NaiveDate) -> ReadItem {
    let (title, text, error) = item_text(fetcher, reader, &item).await;
    let published = item.published.or_else(|| publication_date(&text)).unwrap_or(today);
    let proposals = proposals_in(&text, published);
    let document_key = document_key(&title, &text, published, &proposals);
    let document = document_number(&title, &text);
    ReadItem { item, title, published, error, proposals, document_key, document }
}

/// An item's title and text: its title, its page's article and the attachments the page links;
/// the feed's summary when the page cannot be read, with why.
async fn item_text(fetcher: &Fetcher, reader: &Isolation, item: &Item) -> (String, String, Option<String>) {
    let fallback = |error: String| (item.title.clone(), format!("{}\n{}", item.title, item.summary), Some(error));
    let Ok(url) = Url::parse(&item.url) else { return fallback("not an address".into()) };
    let body = match fetcher.get(&url, &Validators::default(), Limit::Page).await {
        Ok(Fetched::Body(body)) => body,
        Ok(Fetched::NotModified { .. }) => return fallback("HTTP 304 to an unconditional request".into()),
        Err(error) => return fallback(error.to_string()),
    };
    let mut parts = Vec::new();
    let mut title = item.title.clone();
    if is_document(&body) {
        parts.push(item.title.clone());
        parts.extend(document_text(reader, &body).await);
    } else {
        let article = read_article(&decode_html(&body), &body.url);
        if title.is_empty() {
            title = article.title.clone();
        }
        parts.push(title.clone());
        parts.push(if article.text.is_empty() { item.summary.clone() } else { article.text });
        for attachment in &article.attachments {
            match fetcher.get(attachment, &Validators::default(), Limit::Attachment).await {
                Ok(Fetched::Body(file)) => parts.extend(document_text(reader, &file).await),
                Ok(Fetched::NotModified { .. }) => {}
                Err(error) => tracing::info!(url = %redacted(attachment), %error, "attachment not read"),
            }
        }
    }
    (title, parts.join("\n"), None)
}

/// A PDF's or a .docx's text through the import's readers, apart from the bot; nothing when it
/// cannot be read.
async fn document_text(reader: &Isolation, body: &Body) -> Option<String> {
    let name = body.url.path_segments().and_then(|mut s| s.next_back()).unwrap_or("file").to_owned();
    // The import's readers take up to their own limit; a larger attachment is not theirs.
    if body.bytes.len() > crate::document::MAX_BYTES {
        tracing::info!(url = %redacted(&body.url), bytes = body.bytes.len(), "attachment too large to read");
        return None;
    }
    match reader.read(&name, &body.bytes).await {
        Ok(text) => Some(text),
        Err(error) => {
            tracing::info!(url = %redacted(&body.url), %error, "attachment not read");
            None
        }
    }
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
pub(super) fn decode_html(body: &Body) -> String {
    let label = body.content_type.split("charset=").nth(1).map(|c| c.trim_matches(['"', ' ', ';']));
    let encoding = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())).unwrap_or(encoding_rs::UTF_8);
    encoding.decode(&body.bytes).0.into_owned()
}
