//! Turning a received file into text: `.txt` (UTF-8, UTF-16 with a BOM, Windows-1258), `.docx`
//! (paragraphs in order, table rows one line each) and `.pdf` with a text layer.
//!
//! The caller (Telegram's document handler, `hanchot import`) passes the file's name and bytes and
//! gets text for `domain::extract`, or a `DocumentError` saying what to send instead. Nothing here
//! stores anything; the text is cleaned by `domain::text` on its way out.

pub mod child;
mod docx;
pub mod isolation;
mod legacy;
mod pdf;
mod pdf_guard;
mod text;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use isolation::Isolation;

use crate::domain::text::clean_lines;

/// The largest file read: a directive runs to tens of kilobytes of text, a PDF with images to a few
/// megabytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The formats read, by what the file's name ends with and what its bytes begin with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
    Pdf,
}

/// Why a file could not be read. Each says what the user should send instead.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum DocumentError {
    /// A PDF whose pages are images (a scan): there is no text to read. Send the .docx or the
    /// portal's PDF with selectable text, or paste the text into the chat.
    #[error("the PDF has no text layer (a scan)")]
    NoTextLayer,
    /// A password-protected or encrypted file (PDF or Office). Send a copy without a password.
    #[error("the file is password-protected or encrypted")]
    Encrypted,
    /// Larger than `MAX_BYTES`. Send only the directive's text, or split the file.
    #[error("the file is larger than {max} bytes ({size})")]
    TooLarge { size: usize, max: usize },
    /// Neither .txt, .docx nor .pdf, or bytes that are none of them (a .doc, an image, an archive,
    /// random bytes). Send the text as .txt, .docx or .pdf, or paste it.
    #[error("unknown format: {0}")]
    UnknownFormat(String),
    /// The file holds no text at all (0 bytes, or only spaces). Send the file with the directive.
    #[error("the file is empty")]
    Empty,
    /// The file says it is a .docx or .pdf but is damaged. Save it again and resend it, or send the
    /// text as .txt.
    #[error("the file is damaged: {0}")]
    Damaged(String),
    /// The reader ran past its time (`Isolation`'s budget) and was stopped. Send the pages with the
    /// directive only, or its text.
    #[error("the file could not be read in time")]
    TooSlow,
    /// Read, the file would take more memory than a reader may: a stream that inflates past its cap,
    /// or a reader that ran out of its address space. Send the directive's pages only, or its text.
    #[error("the file needs more memory than allowed: {0}")]
    TooMuchMemory(String),
    /// The file's drawings or pages nest deeper than the reader goes (its stack ran out).
    #[error("the file nests too deeply to be read")]
    TooDeep,
    /// The reader stopped for another reason (a crash): the bot goes on; the file is not read.
    #[error("the reader stopped: {0}")]
    ReaderFailed(String),
}

/// Which format `bytes` are: the content decides when it is clear (a PDF's `%PDF-`, a zip's `PK`),
/// else the name's extension.
pub fn format_of(file_name: &str, bytes: &[u8]) -> Result<Format, DocumentError> {
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if extension == "docx" || docx::is_docx(bytes) {
            Ok(Format::Docx)
        } else {
            Err(DocumentError::UnknownFormat(extension_or_kind(&extension, "zip")))
        };
    }
    // An OLE2 compound file: a legacy .doc, or an encrypted .docx (Office wraps those in OLE2).
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return if extension == "docx" {
            Err(DocumentError::Encrypted)
        } else {
            Err(DocumentError::UnknownFormat(extension_or_kind(&extension, "doc")))
        };
    }
    match extension.as_str() {
        "txt" | "text" | "md" | "" => Ok(Format::Text),
        "pdf" | "docx" => Err(DocumentError::Damaged(format!("not a .{extension} file inside"))),
        other => Err(DocumentError::UnknownFormat(other.to_owned())),
    }
}

/// A document typed in a TCVN3 or VNI font, converted (see `legacy`); others as they are.
fn repaired(text: String) -> String {
    match legacy::repair(&text) {
        Some((converted, encoding)) => {
            tracing::info!(?encoding, "a document in a legacy Vietnamese font, converted");
            converted
        }
        None => text,
    }
}

fn extension_or_kind(extension: &str, kind: &str) -> String {
    if extension.is_empty() { kind.to_owned() } else { extension.to_owned() }
}

/// The text of a received file, cleaned (`domain::text::clean_lines`): `.txt`, `.docx` or `.pdf`.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<String, DocumentError> {
    if bytes.len() > MAX_BYTES {
        return Err(DocumentError::TooLarge { size: bytes.len(), max: MAX_BYTES });
    }
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    let raw = match format_of(file_name, bytes)? {
        Format::Text => text::decode(bytes)?,
        Format::Docx => repaired(docx::text(bytes)?),
        Format::Pdf => repaired(pdf::text(bytes)?),
    };
    let text = clean_lines(&raw);
    if text.trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    Ok(text)
}
