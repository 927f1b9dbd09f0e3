//! PDF with a text layer (what the government portals publish), through `pdf-extract`. A scan has
//! no text layer; an encrypted PDF that needs a password cannot be read.

use std::cell::RefCell;
use std::rc::Rc;

use pdf_extract::{MediaBox, OutputError, Transform};

use super::DocumentError;

type Outcome = Result<(), OutputError>;

/// Fewer letters than this per page means the pages are images.
const MIN_LETTERS_PER_PAGE: usize = 20;

pub fn text(bytes: &[u8]) -> Result<String, DocumentError> {
    let mut document = lopdf::Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) => DocumentError::Encrypted,
        other => DocumentError::Damaged(other.to_string()),
    })?;
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(DocumentError::Encrypted);
    }
    super::pdf_guard::guard(&mut document)?;
    let pages = document.get_pages().len().max(1);
    // pdf-extract panics on some malformed fonts: a damaged file, not a crash of the reader.
    let extracted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut pages = PageBreaks::default();
        pdf_extract::output_doc(&document, &mut pages).map(|()| pages.text())
    }))
    .map_err(|_| DocumentError::Damaged("the PDF's text could not be decoded".into()))?;
    let text = extracted.map_err(|e| match e {
        pdf_extract::OutputError::PdfError(lopdf::Error::Decryption(_)) => DocumentError::Encrypted,
        other => DocumentError::Damaged(other.to_string()),
    })?;
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS_PER_PAGE * pages.min(3) {
        return Err(DocumentError::NoTextLayer);
    }
    Ok(unwrap_lines(&text))
}

/// A place `PlainTextOutput` writes to that the page breaks are written to as well.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<String>>);

impl std::fmt::Write for Sink {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(text);
        Ok(())
    }
}

impl pdf_extract::ConvertToFmt for Sink {
    type Writer = Sink;

    fn convert(self) -> Sink {
        self
    }
}

/// `pdf-extract`'s plain text, each page ended by a line break: it breaks a line only where the
/// text moves down the page, so pages whose text sits at the same height ran together ("… hồ sơ
/// 1.Trang 2 …"), and the sentences of a 2,000-page file into clauses of 16 KB.
#[derive(Default)]
struct PageBreaks {
    sink: Sink,
    plain: Option<pdf_extract::PlainTextOutput<Sink>>,
}

impl PageBreaks {
    fn plain(&mut self) -> &mut pdf_extract::PlainTextOutput<Sink> {
        let sink = &self.sink;
        self.plain.get_or_insert_with(|| pdf_extract::PlainTextOutput::new(sink.clone()))
    }

    fn text(self) -> String {
        self.sink.0.take()
    }
}

impl pdf_extract::OutputDev for PageBreaks {
    fn begin_page(&mut self, number: u32, media: &MediaBox, art: Option<(f64, f64, f64, f64)>) -> Outcome {
        self.plain().begin_page(number, media, art)
    }

    fn end_page(&mut self) -> Outcome {
        self.plain().end_page()?;
        let mut text = self.sink.0.borrow_mut();
        if !text.ends_with('\n') && !text.is_empty() {
            text.push('\n');
        }
        Ok(())
    }

    fn output_character(&mut self, trm: &Transform, width: f64, spacing: f64, size: f64, char: &str) -> Outcome {
        self.plain().output_character(trm, width, spacing, size, char)
    }

    fn begin_word(&mut self) -> Outcome {
        self.plain().begin_word()
    }

    fn end_word(&mut self) -> Outcome {
        self.plain().end_word()
    }

    fn end_line(&mut self) -> Outcome {
        self.plain().end_line()
    }
}

/// A PDF's lines are where the page was full, not where a sentence ends ("… trước ngày\n8/1/2026");
/// its paragraphs are separated by blank lines. Each paragraph becomes one line, so a deadline stays
/// with its clause. A text with no blank lines is left as it is.
fn unwrap_lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    if !text.contains("\n\n") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for paragraph in text.split("\n\n") {
        let joined = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() {
            out.push_str(&joined);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_join_their_paragraph() {
        assert_eq!(unwrap_lines("\n\nGửi trước ngày \n8/1/2026.\n\nBộ Y tế\n"), "Gửi trước ngày 8/1/2026.\nBộ Y tế\n");
        assert_eq!(unwrap_lines("a\nb"), "a\nb");
    }
}
