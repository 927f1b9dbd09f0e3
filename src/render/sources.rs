//! The watched sources as people see them: the list with each one's health, the heading of a
//! review opened from a new item, and the daily note of unwell sources. Whatever came from a
//! fetched page is escaped here.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::html::escape;
use super::i18n::{fill, texts};
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::text::truncate;
use crate::store::{CheckStatus, PendingItem, WatchedSource};

/// The most of a fetched title or error shown.
const MAX_SHOWN: usize = 200;

fn moment(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%H:%M %d/%m/%Y").to_string()
}

/// The heading of the review of an item: its title, date, source and link.
pub fn item_header(item: &PendingItem, published: NaiveDate, lang: Lang) -> String {
    let title = if item.title.is_empty() { &item.url } else { &item.title };
    let link =
        format!("<a href=\"{}\">{}</a>", escape(&item.url).replace('"', "&quot;"), escape(&truncate(&item.url, 80)));
    let source = if item.source_name.is_empty() { &item.source_url } else { &item.source_name };
    fill(
        texts(lang).source_item_header,
        &[
            ("title", &escape(&truncate(title, MAX_SHOWN))),
            ("date", &Period::Day(published).label(lang)),
            ("source", &escape(source)),
            ("link", &link),
        ],
    )
}

/// One source's health in a few words.
fn health(s: &WatchedSource, tz: Tz, lang: Lang) -> String {
    let t = texts(lang);
    let mut parts = vec![match (s.last_status, &s.last_error) {
        (None, _) => t.source_never_checked.to_owned(),
        (Some(CheckStatus::Error), error) => fill(
            t.source_failing,
            &[
                ("n", &s.consecutive_errors.to_string()),
                ("error", &escape(&truncate(error.as_deref().unwrap_or_default(), MAX_SHOWN))),
            ],
        ),
        (Some(_), _) => {
            let when = s.last_ok_at.map(|at| moment(at, tz)).unwrap_or_default();
            fill(t.source_ok, &[("when", &when)])
        }
    }];
    parts.push(fill(t.source_seen, &[("n", &s.items_seen.to_string())]));
    if s.active
        && let Some(next) = s.next_check_at
    {
        parts.push(fill(t.source_next, &[("when", &moment(next, tz))]));
    }
    parts.join(" · ")
}

/// `/sources`: every source, its state and health.
pub fn list(sources: &[WatchedSource], tz: Tz, lang: Lang) -> String {
    let t = texts(lang);
    if sources.is_empty() {
        return t.sources_none.to_owned();
    }
    let mut lines = vec![fill(t.sources_title, &[("n", &sources.len().to_string())])];
    for s in sources {
        let state = if s.active { t.source_state_on } else { t.source_state_off };
        let name = if s.name.is_empty() { &s.url } else { &s.name };
        lines.push(format!("\n<b>{}</b>. {state} {}\n{}\n{}", s.id, escape(name), escape(&s.url), health(s, tz, lang)));
        if !s.note.is_empty() {
            lines.push(format!("<i>{}</i>", escape(&s.note)));
        }
    }
    lines.push(format!("\n{}", t.sources_footer));
    lines.join("\n")
}

/// The daily note of sources failing or silent for `days`.
pub fn unwell(sources: &[WatchedSource], days: i64, tz: Tz, lang: Lang) -> String {
    let t = texts(lang);
    let mut lines = vec![fill(t.sources_unwell, &[("days", &days.to_string())])];
    for s in sources {
        let why = if s.last_status == Some(CheckStatus::Error) {
            health(s, tz, lang)
        } else {
            match s.last_item_at {
                Some(at) => fill(t.source_silent, &[("when", &moment(at, tz))]),
                None => t.source_silent_never.to_owned(),
            }
        };
        let name = if s.name.is_empty() { &s.url } else { &s.name };
        lines.push(format!("• <b>{}</b>. {} — {why}", s.id, escape(name)));
    }
    lines.join("\n")
}

/// The answer to `/source add`, `/source on|off`.
pub fn added(id: i64, url: &str, lang: Lang) -> String {
    fill(texts(lang).source_added, &[("id", &id.to_string()), ("url", &escape(url))])
}

pub fn known(id: i64, lang: Lang) -> String {
    fill(texts(lang).source_known, &[("id", &id.to_string())])
}

pub fn bad_address(url: &str, lang: Lang) -> String {
    fill(texts(lang).source_bad_address, &[("url", &escape(&truncate(url, MAX_SHOWN)))])
}

pub fn turned(id: i64, on: bool, lang: Lang) -> String {
    let t = texts(lang);
    fill(if on { t.source_turned_on } else { t.source_turned_off }, &[("id", &id.to_string())])
}

pub fn missing(id: &str, lang: Lang) -> String {
    fill(texts(lang).source_missing, &[("id", &escape(&truncate(id, 20)))])
}

pub fn usage(lang: Lang) -> &'static str {
    texts(lang).source_usage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fetched_title_and_address_are_escaped() {
        let item = PendingItem {
            id: 1,
            source_url: "https://example.vn/rss".into(),
            source_name: "Cổng <b>".into(),
            url: "https://example.vn/a?x=1&y=\"2\"".into(),
            title: "<script>alert(1)</script> Chỉ thị".into(),
            published: None,
            proposals: vec![],
        };
        let html = item_header(&item, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), Lang::Vi);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("href=\"https://example.vn/a?x=1&amp;y=&quot;2&quot;\""), "{html}");
        assert!(html.contains("29/11/2026") && html.contains("Cổng &lt;b&gt;"), "{html}");
    }
}
