//! Plain text in the encodings Vietnamese offices still send: UTF-8, UTF-16 with a byte-order mark,
//! and the 8-bit ones: Windows-1258 (Vietnamese Windows), TCVN3 and VNI (`legacy`).

use encoding_rs::{UTF_16BE, UTF_16LE};

use super::DocumentError;

/// Decodes `bytes`: a BOM decides; else UTF-8 if valid; else whichever of Windows-1258, TCVN3 and
/// VNI reads as Vietnamese, unless the bytes are binary (NULs, control bytes a text never holds),
/// which is an unknown format.
pub fn decode(bytes: &[u8]) -> Result<String, DocumentError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| DocumentError::UnknownFormat("txt".into()));
    }
    for (bom, encoding) in [(&b"\xFF\xFE"[..], UTF_16LE), (&b"\xFE\xFF"[..], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors {
                return Err(DocumentError::UnknownFormat("txt".into()));
            }
            return Ok(text.into_owned());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    if looks_binary(bytes) {
        return Err(DocumentError::UnknownFormat("binary".into()));
    }
    let (text, encoding) = super::legacy::decode(bytes);
    if encoding != super::legacy::Encoding::Windows1258 {
        tracing::info!(?encoding, "a text in a legacy Vietnamese encoding, converted");
    }
    Ok(text)
}

/// Bytes no text file holds: NUL and the C0 controls other than tab, line feed, carriage return and
/// form feed, in more than 1 byte in 200.
fn looks_binary(bytes: &[u8]) -> bool {
    let odd = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    odd * 200 > bytes.len()
}
