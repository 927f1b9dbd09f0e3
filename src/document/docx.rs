//! .docx: the paragraphs of `word/document.xml` in order; a table row is one line, its cells joined
//! by " | " so that a row's owner, task and period stay together for extraction.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::DocumentError;

/// The main part is at most this large once unzipped: a bound against zip bombs.
const MAX_XML_BYTES: u64 = 50 * 1024 * 1024;

/// Whether a zip holds a Word document.
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|mut z| z.by_name("word/document.xml").is_ok())
}

fn damaged(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Damaged(e.to_string())
}

pub fn text(bytes: &[u8]) -> Result<String, DocumentError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut part = match archive.by_name("word/document.xml") {
        Ok(part) => part,
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("ncrypt") || m.contains("assword") => {
            return Err(DocumentError::Encrypted);
        }
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(DocumentError::UnknownFormat("zip".into()));
        }
        Err(e) => return Err(damaged(e)),
    };
    if part.encrypted() {
        return Err(DocumentError::Encrypted);
    }
    let mut xml = String::new();
    (&mut part).take(MAX_XML_BYTES).read_to_string(&mut xml).map_err(damaged)?;
    paragraphs(&xml)
}

/// Walks the body: text runs (`w:t`), tabs and breaks inside paragraphs (`w:p`), cells (`w:tc`) and
/// rows (`w:tr`). A paragraph inside a cell joins its cell with a space.
fn paragraphs(xml: &str) -> Result<String, DocumentError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut paragraph = String::new();
    let mut cell = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(damaged)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tbl" => table_depth += 1,
                b"tr" => row.clear(),
                b"tc" => cell.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => paragraph.push(' '),
                b"br" | b"cr" => paragraph.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let decoded = t.xml_content().map_err(damaged)?;
                paragraph.push_str(&decoded);
            }
            Event::GeneralRef(r) if in_text => {
                // Entities inside text: &amp; &lt; &gt; &quot; &apos; and character references.
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let ch = match name.as_str() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                paragraph.extend(ch);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let text = paragraph.trim().to_owned();
                    paragraph.clear();
                    if table_depth > 0 {
                        if !text.is_empty() {
                            if !cell.is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(&text);
                        }
                    } else if !text.is_empty() {
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
                b"tc" => row.push(cell.replace('|', "/").trim().to_owned()),
                b"tr" => {
                    if row.iter().any(|c| !c.is_empty()) {
                        out.push_str(&row.join(" | "));
                        out.push('\n');
                    }
                    row.clear();
                }
                b"tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_table_rows_keep_their_order() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>Kế hoạch</w:t></w:r><w:r><w:t xml:space="preserve"> số 1 &amp; 2</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Sở Y tế</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>Bệnh án</w:t></w:r></w:p><w:p><w:r><w:t>điện tử</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>Quý II/2026</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>Kết thúc</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs(xml).unwrap(), "Kế hoạch số 1 & 2\nSở Y tế | Bệnh án điện tử | Quý II/2026\nKết thúc\n");
    }
}
