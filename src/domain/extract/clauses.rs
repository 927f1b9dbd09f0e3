//! Cutting a text into paragraphs, table rows and clauses, in one pass over its characters.

/// A paragraph of the text: prose cut into clauses, or a table row cut into cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    Prose { clauses: Vec<&'a str>, line: &'a str },
    Row { cells: Vec<&'a str> },
}

/// A table row: cells joined by " | " (as `document::read` writes them) or by tabs.
fn cells(line: &str) -> Option<Vec<&str>> {
    let sep = if line.contains(" | ") {
        " | "
    } else if line.contains('\t') {
        "\t"
    } else {
        return None;
    };
    // An empty cell leaves " | | ": every bar is a border, so the columns stay in place.
    let cells: Vec<&str> = if sep == " | " {
        line.trim().trim_matches('|').split('|').map(str::trim).collect()
    } else {
        line.split(sep).map(|c| c.trim().trim_matches('|').trim()).collect()
    };
    (cells.len() >= 2).then_some(cells)
}

/// An abbreviation that a dot closes without ending the clause: "TP.", "Tp.", "TS.", "Q.".
fn is_abbreviation(word: &str) -> bool {
    let letters = word.chars().count();
    (1..=3).contains(&letters)
        && word.chars().all(char::is_alphabetic)
        && word.chars().next().is_some_and(char::is_uppercase)
}

/// A clause longer than this (in bytes) is no sentence but a list run together: it is cut at its
/// commas, and a piece still longer at a space, so that every rule works on a bounded clause and
/// extraction stays linear in the text's length whatever its punctuation. 16 KB keeps a long real
/// clause (a list of duties before its date, several thousand characters) whole.
const MAX_CLAUSE: usize = 16_384;

fn push_bounded<'a>(clause: &'a str, out: &mut Vec<&'a str>) {
    if clause.len() <= MAX_CLAUSE {
        out.push(clause);
        return;
    }
    for piece in clause.split(',') {
        let mut rest = piece.trim();
        while rest.len() > MAX_CLAUSE {
            let mut at = MAX_CLAUSE;
            while !rest.is_char_boundary(at) {
                at -= 1;
            }
            let cut = rest[..at].rfind(char::is_whitespace).filter(|&i| i > 0).unwrap_or(at);
            out.push(rest[..cut].trim_end());
            rest = rest[cut..].trim_start();
        }
        out.push(rest);
    }
}

/// Clauses end at a full stop, a question or exclamation mark or a semicolon, but not at a dot
/// between digits ("67.300"), inside a word ("TP.HCM") or after an abbreviation ("TP. Hà Nội").
pub fn split_clauses(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut word_start = 0;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let ends = match ch {
            ';' | '!' | '?' => true,
            '.' | '…' => {
                let at_end_or_space = next.is_none_or(char::is_whitespace);
                at_end_or_space && !is_abbreviation(&paragraph[word_start..at])
            }
            _ => false,
        };
        if ends {
            push_bounded(paragraph[start..at].trim(), &mut out);
            start = at + ch.len_utf8();
        }
        if ch.is_whitespace() || matches!(ch, '(' | '"' | '“') {
            word_start = at + ch.len_utf8();
        }
    }
    push_bounded(paragraph[start..].trim(), &mut out);
    out.retain(|c| c.chars().any(char::is_alphanumeric));
    out
}

/// The text's blocks, one per non-empty line.
pub fn blocks(text: &str) -> impl Iterator<Item = Block<'_>> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|line| match cells(line) {
        Some(cells) => Block::Row { cells },
        None => Block::Prose { clauses: split_clauses(line), line: line.trim() },
    })
}

/// Whether a line opens a list item: "- …", "+ …", "a) …", "1. …", "(2) …", "Thứ nhất, …".
pub fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with(['-', '–', '+', '•', '*', '·']) {
        return true;
    }
    if t.starts_with("Thứ ") {
        return true;
    }
    let head: String = t.chars().take(5).collect();
    let marker = head.trim_start_matches('(');
    let digits = marker.chars().take_while(|c| c.is_ascii_digit() || c.is_ascii_lowercase()).count();
    digits > 0 && digits <= 2 && marker[digits..].starts_with([')', '.'])
}

/// A heading: "II. NHIỆM VỤ CỤ THỂ", "NHIỆM VỤ TRỌNG TÂM" (mostly capitals), which ends a list.
pub fn is_heading(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 6 && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_in_numbers_and_abbreviations_do_not_end_a_clause() {
        assert_eq!(
            split_clauses("UBND TP. Hà Nội và TP.HCM có 67.300 hồ sơ. Bộ Y tế báo cáo; Sở X nộp"),
            vec!["UBND TP. Hà Nội và TP.HCM có 67.300 hồ sơ", "Bộ Y tế báo cáo", "Sở X nộp"]
        );
    }

    #[test]
    fn a_run_on_list_is_cut_at_its_commas_into_bounded_clauses() {
        let item = "Sở Y tế báo cáo số hóa trước ngày 15/3/2027";
        let line = vec![item; 800].join(", ");
        let clauses = split_clauses(&line);
        assert_eq!(clauses.len(), 800);
        assert!(clauses.iter().all(|c| *c == item));
        let words = "chữ ".repeat(8_000);
        assert!(split_clauses(&words).iter().all(|c| c.len() <= MAX_CLAUSE && !c.is_empty()));
        assert_eq!(split_clauses("Bộ Công an chủ trì, phối hợp"), vec!["Bộ Công an chủ trì, phối hợp"]);
    }

    #[test]
    fn rows_keep_their_cells_together() {
        let found: Vec<Block> = blocks("Tiêu đề.\n1 | Sở Y tế | Bệnh án điện tử | Quý II/2026").collect();
        assert_eq!(found[1], Block::Row { cells: vec!["1", "Sở Y tế", "Bệnh án điện tử", "Quý II/2026"] });
    }

    #[test]
    fn list_items_and_headings_are_recognised() {
        for item in ["- Bộ Công an", "a) Rà soát", "1. Hoàn thành", "(2) Triển khai", "Thứ hai, Bộ"] {
            assert!(is_list_item(item), "{item}");
        }
        assert!(!is_list_item("Bộ Công an hoàn thành"));
        assert!(!is_list_item("2025 là năm"));
        assert!(is_heading("II. NHIỆM VỤ CỤ THỂ"));
        assert!(!is_heading("Bộ Công an hoàn thành"));
    }
}
