//! An item's page reduced to its article: the text a readability extractor (dom_smoothie, a port
//! of Mozilla's Readability) keeps, without menus, "related news" boxes, photo credits and footers;
//! the PDF and .docx attachments it links; and the document it carries, so that the same directive
//! published at several addresses is proposed once.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

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

/// What makes two items the same document: its number ([`document_number`]), else its title
/// folded (tone marks, case and punctuation aside).
pub fn document_key(title: &str, text: &str) -> Option<String> {
    if let Some(number) = document_number(title, text) {
        return Some(format!("no:{}", fold(&number)));
    }
    let words = crate::domain::fold::words(title);
    (words.len() >= 3).then(|| format!("title:{}", words.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_titles_and_own_numbers_make_the_key() {
        assert_eq!(document_key("Chỉ thị 41/CT-TTg về dữ liệu số", "").as_deref(), Some("no:41/ct-ttg"));
        assert_eq!(document_key("Nghị quyết 57-NQ/TW: các việc phải làm", "").as_deref(), Some("no:57-nq/tw"));
        assert_eq!(
            document_key("Thông tư mới", "BỘ KHOA HỌC\nSố: 06/2025/TT-BKHCN\nHà Nội").as_deref(),
            Some("no:06/2025/tt-bkhcn")
        );
        assert_eq!(document_key("Thủ tướng: Đẩy mạnh số hóa!", "").as_deref(), Some("title:thu tuong day manh so hoa"));
        assert_eq!(document_key("Tin", ""), None);
        // A number the text merely cites is not the document's own.
        assert_eq!(
            document_key("Hội nghị trực tuyến toàn quốc", "Thực hiện Chỉ thị 07/CT-TTg").as_deref(),
            Some("title:hoi nghi truc tuyen toan quoc")
        );
    }

    #[test]
    fn chrome_lines_are_left_out() {
        let text = "(Chinhphu.vn) - Bộ Công an hoàn thành trước 30/6/2027.\nẢnh: VGP/Nhật Bắc\nNội dung tiếp.\nTin liên quan\nMột bài khác";
        assert_eq!(without_chrome(text), "Bộ Công an hoàn thành trước 30/6/2027.\nNội dung tiếp.");
    }
}
