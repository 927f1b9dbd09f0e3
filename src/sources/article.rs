//! An item's page reduced to its article: the text a readability extractor (dom_smoothie, a port
//! of Mozilla's Readability) keeps, without menus, "related news" boxes, photo credits and footers;
//! the PDF and .docx attachments it links; and the document it carries, so that the same directive
//! published at several addresses is proposed once.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

use crate::domain::extract::Proposal;
use crate::domain::fold::fold;
use crate::domain::text::clean;

/// The most attachments read for one item.
pub const MAX_ATTACHMENTS: usize = 3;

/// The most HTML elements the extractor scores: a hostile page costs bounded time.
const MAX_ELEMENTS: usize = 20_000;

/// What an item's page holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    /// Paragraphs, one a line.
    pub text: String,
    /// PDF and .docx files the page links, in its order.
    pub attachments: Vec<Url>,
}

/// Reads an item's page.
pub fn read_article(html: &str, url: &Url) -> Article {
    let attachments = attachments(html, url);
    let config = dom_smoothie::Config {
        max_elements_to_parse: MAX_ELEMENTS,
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let parsed = dom_smoothie::Readability::new(html, Some(url.as_str()), Some(config)).and_then(|mut r| r.parse());
    match parsed {
        Ok(article) => {
            Article { title: clean(&article.title), text: without_chrome(&article.text_content), attachments }
        }
        Err(error) => {
            tracing::debug!(%error, "no article found in the page");
            Article { attachments, ..Default::default() }
        }
    }
}

/// Lines an extractor keeps that are no part of the text: photo credits, "related" headings, the
/// portal's credit.
fn without_chrome(text: &str) -> String {
    static CREDIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\(?\s*(ảnh|anh|nguồn ảnh|photo|video|clip)\s*:").expect("a valid pattern"));
    static RELATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(tin liên quan|tin cùng chuyên mục|xem thêm|bài liên quan|đọc thêm|related)\b")
            .expect("a valid pattern")
    });
    let mut lines = Vec::new();
    for line in text.lines().map(clean).filter(|l| !l.is_empty()) {
        if RELATED.is_match(&line) {
            // What follows a "related news" heading is that box.
            break;
        }
        if CREDIT.is_match(&line) {
            continue;
        }
        lines.push(super::items::strip_credit(&line));
    }
    lines.join("\n")
}

/// The PDF and .docx files a page links, on any host, once each.
fn attachments(html: &str, base: &Url) -> Vec<Url> {
    static LINKS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("a valid selector"));
    let page = Html::parse_document(html);
    let mut found: Vec<Url> = Vec::new();
    for link in page.select(&LINKS) {
        let Some(url) = link.value().attr("href").and_then(|h| base.join(h.trim()).ok()) else { continue };
        let path = url.path().to_ascii_lowercase();
        if (path.ends_with(".pdf") || path.ends_with(".docx")) && !found.contains(&url) {
            found.push(url);
        }
        if found.len() == MAX_ATTACHMENTS {
            break;
        }
    }
    found
}

/// A document's number as directives write it: "41/CT-TTg", "1131/QĐ-TTg", "06/2025/TT-BKHCN",
/// "57-NQ/TW", "155/TB-VPCP".
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,5}(?:/\d{4})?/[A-ZĐ]{1,5}(?:-[A-ZĐ][A-Za-zĐđ&]{0,9}){1,2}|\d{1,4}-[A-ZĐ]{2,4}/[A-ZĐ]{1,4})\b")
        .expect("a valid pattern")
});

/// The number a document gives itself: the one in its title, else the one its text opens with
/// ("Số: 41/CT-TTg"); a number the text merely cites is not its own.
pub fn document_number(title: &str, text: &str) -> Option<String> {
    if let Some(number) = NUMBER.find(title) {
        return Some(number.as_str().to_owned());
    }
    static OWN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bsố\s*(?:hiệu)?\s*:\s*(\S+)").expect("a valid pattern"));
    let head: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
    OWN.captures(&head).and_then(|c| NUMBER.find(c.get(1)?.as_str())).map(|m| m.as_str().to_owned())
}

/// What makes two items the same document, so that it yields its tasks once.
///
/// Its number with its year: a number is the document's own within one year only (a Chỉ thị
/// 41/CT-TTg comes every year), so a number without a year ("41/CT-TTg") takes the date written
/// after it ("… 41/CT-TTg ngày 28/11/2026"), else the year it was published. Without a number, its
/// tasks' text: the same clauses with the same dates, folded and hashed. Not its title, which news
/// repeats ("Thông cáo báo chí phiên họp Chính phủ thường kỳ") for documents that differ.
pub fn document_key(title: &str, text: &str, published: NaiveDate, proposals: &[Proposal]) -> Option<String> {
    if let Some(number) = document_number(title, text) {
        let folded = fold(&number);
        if WITH_YEAR.is_match(&number) {
            return Some(format!("no:{folded}"));
        }
        let year = year_after(&number, title).or_else(|| year_after(&number, text)).unwrap_or(published.year());
        return Some(format!("no:{folded}@{year}"));
    }
    if proposals.is_empty() {
        return None;
    }
    let mut clauses: Vec<String> = proposals
        .iter()
        .map(|p| format!("{} {}", p.due.date, crate::domain::fold::words(&p.sentence).join(" ")))
        .collect();
    clauses.sort();
    clauses.dedup();
    let digest = Sha256::digest(clauses.join("\n").as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    Some(format!("tasks:{hex}"))
}

/// A number that carries its year: "06/2025/TT-BKHCN".
static WITH_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/\d{4}/").expect("a valid pattern"));

/// The year of the date written right after `number` in `text`: "41/CT-TTg ngày 28/11/2026",
/// "41/CT-TTg ngày 28 tháng 11 năm 2026".
fn year_after(number: &str, text: &str) -> Option<i32> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[\s,]*(?:của [^,.;]{1,60}?\s)?ngày\s+\d{1,2}(?:\s*[/.-]\s*\d{1,2}\s*[/.-]\s*|\s+tháng\s+\d{1,2}\s+năm\s+)(\d{4})\b")
            .expect("a valid pattern")
    });
    text.match_indices(number).find_map(|(at, _)| {
        let rest = &text[at + number.len()..];
        DATE.captures(rest)?.get(1)?.as_str().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_number_and_its_year_make_the_key() {
        let nov = day(2026, 11, 28);
        let key = |title: &str, text: &str| document_key(title, text, nov, &[]);
        assert_eq!(key("Chỉ thị 41/CT-TTg về dữ liệu số", "").as_deref(), Some("no:41/ct-ttg@2026"));
        assert_eq!(key("Nghị quyết 57-NQ/TW: các việc phải làm", "").as_deref(), Some("no:57-nq/tw@2026"));
        assert_eq!(
            key("Thông tư mới", "BỘ KHOA HỌC\nSố: 06/2025/TT-BKHCN\nHà Nội").as_deref(),
            Some("no:06/2025/tt-bkhcn")
        );
        // The date written after the number is the document's, whenever the item was published.
        assert_eq!(
            key("Triển khai Chỉ thị 41/CT-TTg", "Thực hiện Chỉ thị số 41/CT-TTg ngày 28/11/2025 của Thủ tướng")
                .as_deref(),
            Some("no:41/ct-ttg@2025")
        );
        assert_eq!(key("Chỉ thị 41/CT-TTg ngày 3 tháng 1 năm 2027", "").as_deref(), Some("no:41/ct-ttg@2027"));
        // The same number a year later is another document.
        assert_ne!(key("Chỉ thị 41/CT-TTg", ""), document_key("Chỉ thị 41/CT-TTg", "", day(2027, 11, 2), &[]));
        // A number the text merely cites is not the document's own; with no task there is no key.
        assert_eq!(key("Hội nghị trực tuyến toàn quốc", "Thực hiện Chỉ thị 07/CT-TTg"), None);
    }

    #[test]
    fn without_a_number_the_tasks_text_makes_the_key_not_the_title() {
        let published = day(2026, 11, 28);
        let text = "Bộ Công an hoàn thành kết nối dữ liệu dân cư trước ngày 31/3/2027.\n\
                    Sở Nội vụ báo cáo kết quả trong tháng 1/2027.";
        let tasks = crate::domain::extract::proposals_in(text, published);
        assert_eq!(tasks.len(), 2, "{tasks:#?}");
        let key = |title: &str, proposals: &[Proposal]| document_key(title, "", published, proposals);
        let first = key("Thông cáo báo chí phiên họp Chính phủ thường kỳ", &tasks);
        assert!(first.as_deref().is_some_and(|k| k.starts_with("tasks:")), "{first:?}");
        // Another address, another headline, the tasks in another order: the same document.
        let reversed: Vec<Proposal> = tasks.iter().rev().cloned().collect();
        assert_eq!(key("Toàn văn thông cáo", &reversed), first);
        // The same headline with other tasks: another document.
        let other = crate::domain::extract::proposals_in("Bộ Y tế hoàn thành trong quý I/2027.", published);
        assert_ne!(key("Thông cáo báo chí phiên họp Chính phủ thường kỳ", &other), first);
    }

    #[test]
    fn chrome_lines_are_left_out() {
        let text = "(Chinhphu.vn) - Bộ Công an hoàn thành trước 30/6/2027.\nẢnh: VGP/Nhật Bắc\nNội dung tiếp.\nTin liên quan\nMột bài khác";
        assert_eq!(without_chrome(text), "Bộ Công an hoàn thành trước 30/6/2027.\nNội dung tiếp.");
    }
}
