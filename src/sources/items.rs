//! The items of a source: the entries of a feed (RSS 0.9–2.0, Atom, JSON Feed, read by feed-rs with
//! the portals' dates), or the links of a listing page that match the source's pattern.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

use super::dates::{parse_timestamp, vietnam_day};
use crate::domain::text::clean;

/// One item of a source, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What makes it the same item next time: its GUID, else its address.
    pub key: String,
    pub url: String,
    pub title: String,
    /// Its date in Vietnam, when the source gives one.
    pub published: Option<NaiveDate>,
    /// The feed's description, markup removed: the text when the page cannot be read.
    pub summary: String,
}

/// Why a source's answer could not be read as items.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("the link pattern is not a valid regular expression: {0}")]
    BadPattern(String),
}

/// The entries of a feed; the portals' "+07" and "GMT+7" dates, and those with no zone (Vietnam's
/// time), are read.
pub fn feed_items(bytes: &[u8], base: &Url) -> Result<Vec<Item>, ReadError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .timestamp_parser(parse_timestamp)
        // An entry without an id keeps none: its address is its key, below.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser.parse(bytes).map_err(|e| ReadError::NotAFeed(e.to_string()))?;
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for entry in feed.entries {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .and_then(|l| base.join(l.href.trim()).ok());
        let Some(url) = link else { continue };
        let guid = entry.id.trim();
        let key = if guid.is_empty() { format!("url:{url}") } else { format!("guid:{guid}") };
        if !seen.insert(key.clone()) {
            continue;
        }
        let title = entry.title.map(|t| clean(&strip_tags(&t.content))).unwrap_or_default();
        let summary = entry.summary.map(|t| clean(&strip_tags(&t.content))).unwrap_or_default();
        let published = entry.published.or(entry.updated).map(vietnam_day);
        items.push(Item { key, url: url.to_string(), title, published, summary: strip_credit(&summary) });
    }
    Ok(items)
}

/// Article addresses as the portals write them: a slug ending in a long number, or a document id.
pub const DEFAULT_LINK_PATTERN: &str = r"(-\d{6,}\.html?$)|([?&]docid=\d+)|(/\d{6,}\.html?$)";

/// The links of a listing page that match `pattern` (or [`DEFAULT_LINK_PATTERN`]) on the page's own
/// site, once each, in the page's order, titled by their text.
pub fn listing_items(html: &str, base: &Url, pattern: Option<&str>) -> Result<Vec<Item>, ReadError> {
    let pattern =
        Regex::new(pattern.unwrap_or(DEFAULT_LINK_PATTERN)).map_err(|e| ReadError::BadPattern(e.to_string()))?;
    static LINKS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("a valid selector"));
    let page = Html::parse_document(html);
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for link in page.select(&LINKS) {
        let Some(url) = link.value().attr("href").and_then(|h| base.join(h.trim()).ok()) else { continue };
        if url.host_str() != base.host_str() || !pattern.is_match(url.as_str()) {
            continue;
        }
        let mut url = url;
        url.set_fragment(None);
        let title = clean(&link.text().collect::<Vec<_>>().join(" "));
        let title = if title.is_empty() { link.value().attr("title").map(clean).unwrap_or_default() } else { title };
        let key = format!("url:{url}");
        // A listing links an article from its picture and its headline: the one with words wins.
        if !seen.insert(key.clone()) {
            if let Some(known) = items.iter_mut().find(|i: &&mut Item| i.key == key && i.title.is_empty()) {
                known.title = title;
            }
            continue;
        }
        items.push(Item { key, url: url.to_string(), title, published: None, summary: String::new() });
    }
    Ok(items)
}

/// Markup removed from a feed's description (CDATA HTML), entities decoded.
pub fn strip_tags(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.to_owned();
    }
    Html::parse_fragment(html).root_element().text().collect::<Vec<_>>().join(" ")
}

/// The portal's credit at the head of a description: "(Chinhphu.vn) - ", "(VGP) – ".
pub fn strip_credit(text: &str) -> String {
    static CREDIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*\([^()]{2,40}\)\s*[-–—]\s*").expect("a valid pattern"));
    CREDIT.replace(text, "").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Chính phủ</title><link>https://example.vn/</link>
<item><title><![CDATA[Thủ tướng ban hành Chỉ thị về dữ liệu]]></title><link>https://example.vn/a-102261129.htm</link>
<description><![CDATA[(Chinhphu.vn) - Thủ tướng <b>yêu cầu</b> các bộ hoàn thành.]]></description>
<pubDate>Sat, 29 Nov 2026 15:05:00 +07</pubDate><guid>102261129</guid></item>
<item><title>Không GUID</title><link>/b-102261130.htm</link><pubDate>11/30/2026 9:00:00 AM</pubDate></item>
</channel></rss>"#;

    #[test]
    fn rss_entries_keep_their_guid_date_and_address() {
        let base = Url::parse("https://example.vn/rss/home.rss").unwrap();
        let items = feed_items(RSS.as_bytes(), &base).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].key, "guid:102261129");
        assert_eq!(items[0].published, NaiveDate::from_ymd_opt(2026, 11, 29));
        assert_eq!(items[0].summary, "Thủ tướng yêu cầu các bộ hoàn thành.");
        assert_eq!(items[1].key, "url:https://example.vn/b-102261130.htm");
        assert_eq!(items[1].published, NaiveDate::from_ymd_opt(2026, 11, 30));
    }

    #[test]
    fn what_is_not_a_feed_is_an_error() {
        let base = Url::parse("https://example.vn/").unwrap();
        assert!(feed_items(b"<html><body>Not found</body></html>", &base).is_err());
    }

    #[test]
    fn a_listing_gives_its_article_links_once_with_their_words() {
        let base = Url::parse("https://sotttt.example.vn/tin-tuc").unwrap();
        let html = r#"<nav><a href="/gioi-thieu">Giới thiệu</a><a href="https://other.vn/x-1234567.html">Khác</a></nav>
            <a href="/ke-hoach-so-hoa-1234567.html"><img src="a.jpg"></a>
            <a href="/ke-hoach-so-hoa-1234567.html">Kế hoạch số hóa</a>
            <a href="/van-ban?docid=2211">Văn bản</a>"#;
        let items = listing_items(html, &base, None).unwrap();
        let urls: Vec<&str> = items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://sotttt.example.vn/ke-hoach-so-hoa-1234567.html", "https://sotttt.example.vn/van-ban?docid=2211"]
        );
        assert_eq!(items[0].title, "Kế hoạch số hóa");
        assert!(listing_items(html, &base, Some("(")).is_err());
    }
}
