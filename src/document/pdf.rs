//! PDF with a text layer (what the government portals publish), through `pdf-extract`. A scan has
//! no text layer; an encrypted PDF that needs a password cannot be read.

use super::DocumentError;

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
        let mut text = String::new();
        pdf_extract::output_doc(&document, &mut pdf_extract::PlainTextOutput::new(&mut text)).map(|()| text)
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
