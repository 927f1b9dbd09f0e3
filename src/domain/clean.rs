//! Cleaning text that will be stored or shown: control, zero-width and bidirectional-override
//! characters removed, Unicode composed (NFC), and titles folded to one line.
//!
//! Every path that reaches a title, an owner or a note (typed, a `.txt`/`.docx`/`.pdf` import, the
//! CLI) passes through here, so a digest never carries a BEL, a hidden U+200B or a U+202E that
//! reverses what follows.

use unicode_normalization::UnicodeNormalization;

/// Characters that are never part of a directive's words, though they survive copy and paste.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                // soft hyphen
        | '\u{061C}'              // Arabic letter mark
        | '\u{180E}'              // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FEFF}'              // byte-order mark, zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

/// A multi-line text, cleaned: line breaks kept (as `\n`), tabs and other spaces made plain spaces,
/// every other control or invisible character removed, and the result composed (NFC) so that a
/// decomposed "ệ" from a PDF or a Mac is the same letters as a typed one.
pub fn clean_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.nfc()
        .filter_map(|c| match c {
            '\n' | '\u{2028}' | '\u{2029}' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() || is_invisible(c) => None,
            c if c.is_whitespace() => Some(' '),
            c => Some(c),
        })
        .collect()
}

/// A title, owner or note: cleaned as `clean_text`, then every run of spaces and line breaks made
/// one space, trimmed.
pub fn clean_line(text: &str) -> String {
    clean_text(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` holds a character `clean_text` would remove (for refusing typed input outright).
pub fn has_hidden_characters(text: &str) -> bool {
    text.chars().any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_zero_width_and_bidi_characters_are_removed() {
        let dirty = "Bộ\u{0} Công\u{7} an\u{1b}[31m \u{200B}hoàn\u{200D} thành\u{202E}\u{2066} báo cáo\u{FEFF}";
        assert_eq!(clean_line(dirty), "Bộ Công an[31m hoàn thành báo cáo");
        assert!(has_hidden_characters(dirty));
        assert!(!has_hidden_characters("Bộ Công an\nbáo cáo"));
    }

    #[test]
    fn multi_line_titles_fold_to_one_line() {
        assert_eq!(clean_line("  Số hóa\r\n dữ liệu\n\n\thộ tịch  "), "Số hóa dữ liệu hộ tịch");
        assert_eq!(clean_text("a\r\nb\u{2028}c"), "a\nb\nc");
    }

    #[test]
    fn decomposed_vietnamese_is_composed() {
        let decomposed = "Vie\u{0302}\u{0323}t";
        assert_eq!(clean_line(decomposed), "Việt");
    }
}
