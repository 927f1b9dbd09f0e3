//! One cleaning for every text a person gives the bot that ends up in a title, an owner or a
//! note, whatever its path (typed, a .txt import, the command line): one line, no invisible or
//! direction-changing characters, no control codes.
//!
//! Notes are cleaned the same way (one line): the task card shows each event of the history as
//! one line, and a line break inside a note would read as a separate event. Only a whole text
//! about to be read for tasks keeps its lines ([`clean_lines`]): they end clauses and paragraphs.

use unicode_normalization::UnicodeNormalization;

/// Characters that change nothing a reader sees but can hide or reorder text: zero-width
/// spaces and joiners, the word joiner, the byte-order mark, the bidirectional marks,
/// embeddings, overrides and isolates (U+202E turns "gpj.exe" into "exe.jpg"), and the blank
/// letters that pass for nothing ("Sở Y tế\u{3164}" would be an owner apart from "Sở Y tế").
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                // soft hyphen
        | '\u{034F}'              // combining grapheme joiner
        | '\u{061C}'              // Arabic letter mark
        | '\u{115F}' | '\u{1160}' // Hangul choseong and jungseong fillers
        | '\u{17B4}' | '\u{17B5}' // Khmer inherent vowels, invisible
        | '\u{2800}'              // Braille pattern blank
        | '\u{3164}'              // Hangul filler
        | '\u{FFA0}'              // halfwidth Hangul filler
        | '\u{1D173}'..='\u{1D17A}' // musical formatting marks
        | '\u{E0000}'..='\u{E007F}' // tags
        | '\u{180E}'              // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FEFF}'              // byte-order mark, zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

/// `text` as one clean line: control characters and terminal escape sequences removed, line
/// breaks and tabs read as spaces, invisible and bidirectional characters removed, runs of
/// whitespace collapsed to one space, trimmed, in Unicode's composed form (NFC), so that the
/// same words typed on two keyboards are stored alike.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.nfc().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An ANSI sequence (ESC [ … final byte): drop it whole, not just its ESC.
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// `text` with each line cleaned as by [`clean`] and the line breaks kept (blank lines too, as
/// they separate paragraphs): an imported text before its tasks are read, so that an invisible
/// character inside a word ("tr\u{200B}ong tháng 9") cannot hide a time phrase.
pub fn clean_lines(text: &str) -> String {
    let text = text.replace(['\u{2028}', '\u{2029}', '\u{85}', '\u{0B}', '\u{0C}'], "\n");
    text.lines().map(clean).collect::<Vec<_>>().join("\n")
}

/// `text` cut to at most `max` characters, with "…" in place of what was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_vietnamese_is_composed_and_soft_hyphens_go() {
        assert_eq!(clean("Vie\u{0302}\u{0323}t Na\u{AD}m"), "Việt Nam");
        assert_eq!(clean_lines("a\r\nb\u{2028}c"), "a\nb\nc");
    }

    #[test]
    fn line_breaks_and_runs_of_whitespace_become_one_space() {
        assert_eq!(clean("  Báo cáo\nkết quả\r\n\tsố hóa  "), "Báo cáo kết quả số hóa");
        assert_eq!(clean("a\u{a0}\u{a0}b\u{2028}c"), "a b c");
    }

    #[test]
    fn control_characters_and_escape_sequences_are_removed() {
        assert_eq!(clean("Bộ\0 Công\u{7} an"), "Bộ Công an");
        assert_eq!(clean("\u{1b}[31mĐỏ\u{1b}[0m rực"), "Đỏ rực");
        assert_eq!(clean("x\u{85}y\u{9f}"), "x y", "NEL is a line break; APC a control");
    }

    #[test]
    fn invisible_and_direction_characters_are_removed() {
        assert_eq!(clean("\u{feff}Bộ\u{200b} Tài\u{200d} chính\u{2060}"), "Bộ Tài chính");
        assert_eq!(clean("hồ sơ \u{202e}fdp.exe\u{202c}"), "hồ sơ fdp.exe");
        assert_eq!(clean("\u{2066}UBND\u{2069} \u{200f}tỉnh"), "UBND tỉnh");
    }

    #[test]
    fn blank_letters_are_removed_so_owners_do_not_split() {
        for filler in ['\u{3164}', '\u{2800}', '\u{115F}', '\u{FFA0}', '\u{200B}', '\u{E0020}'] {
            assert_eq!(clean(&format!("Sở Y tế{filler}")), "Sở Y tế", "{:04X}", filler as u32);
            assert_eq!(clean(&format!("Sở {filler}Y tế")), "Sở Y tế", "{:04X}", filler as u32);
        }
        assert_eq!(clean("Bộ\u{3164} \u{2800}Công an"), "Bộ Công an");
    }

    #[test]
    fn decomposed_vietnamese_is_stored_composed() {
        assert_eq!(clean("Bo\u{302}\u{323} Co\u{302}ng an"), "Bộ Công an");
    }

    #[test]
    fn a_whole_text_keeps_its_lines_and_paragraphs() {
        assert_eq!(
            clean_lines("Bộ Công an tr\u{200b}ong tháng 9;\r\n\r\n\u{202e}UBND\ttỉnh\n"),
            "Bộ Công an trong tháng 9;\n\nUBND tỉnh"
        );
    }

    #[test]
    fn nothing_but_invisible_characters_is_empty() {
        assert_eq!(clean("\u{200b}\u{202e} \n\0"), "");
    }

    #[test]
    fn truncation_ends_with_an_ellipsis_within_the_limit() {
        assert_eq!(truncate("ngắn", 10), "ngắn");
        let cut = truncate(&"chữ ".repeat(300), 600);
        assert!(cut.chars().count() <= 600 && cut.ends_with("chữ…"), "{cut}");
    }
}
