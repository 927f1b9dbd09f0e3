//! Vietnamese folding for search: "Đề án 06" and "de an 06" must meet.
//!
//! Unicode decomposition strips the tone and vowel marks, but "đ" is a letter of its own
//! (not "d" plus a mark), which is why SQLite FTS5's `remove_diacritics` misses it: we map it by hand.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases `text`, removes every diacritic and maps đ/Đ to d.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folds `text` char by char, remembering where each folded byte came from, so that a match in the
/// folded text can be mapped back to the original.
pub fn fold_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (start, ch) in text.char_indices() {
        if ch.is_ascii() {
            folded.push(ch.to_ascii_lowercase());
            origin.push(start);
            continue;
        }
        let mut buf = [0u8; 4];
        for out in fold(ch.encode_utf8(&mut buf)).chars() {
            for _ in 0..out.len_utf8() {
                origin.push(start);
            }
            folded.push(out);
        }
    }
    origin.push(text.len());
    (folded, origin)
}

/// How much of a clause's text on either side of a place the readers look at: the words they
/// test there ("trước ngày", "có trách nhiệm", "phối hợp với") are a few, and folding all the rest
/// of a 16 KB clause at each of its words made reading quadratic.
pub const NEAR: usize = 256;

/// The start of `text` up to about `bytes` bytes, cut after a whole word and ended by " …" where
/// cut, so that a test of what the text starts with sees the same and a test of equality never
/// mistakes the window for the whole.
pub fn head(text: &str, bytes: usize) -> Cow<'_, str> {
    if text.len() <= bytes {
        return Cow::Borrowed(text);
    }
    let mut to = bytes;
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let words = if text[to..].starts_with(char::is_whitespace) {
        &text[..to]
    } else {
        text[..to].rfind(char::is_whitespace).map_or("", |i| &text[..i])
    };
    Cow::Owned(format!("{words} \u{2026}"))
}

/// The end of `text` from about `bytes` bytes before it, begun at a whole word and by "… " where
/// cut: [`head`] seen from the other side.
pub fn tail(text: &str, bytes: usize) -> Cow<'_, str> {
    if text.len() <= bytes {
        return Cow::Borrowed(text);
    }
    let mut from = text.len() - bytes;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let rest = &text[from..];
    let words = if text[..from].ends_with(char::is_whitespace) {
        rest
    } else {
        rest.find(char::is_whitespace).map_or("", |i| &rest[i..])
    };
    Cow::Owned(format!("\u{2026} {}", words.trim_start()))
}

/// The folded words of `text`: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Whether every folded word of `query` occurs in the folded `haystack` (as a substring), so that
/// "ubnd tinh" finds "UBND các tỉnh" and "dat dai" finds "đất đai".
pub fn contains_all_words(folded_haystack: &str, query: &str) -> bool {
    contains_words(folded_haystack, &words(query))
}

/// [`contains_all_words`] for words folded already, so that a search over many texts folds the
/// query once.
pub fn contains_words(folded_haystack: &str, folded_words: &[String]) -> bool {
    !folded_words.is_empty() && folded_words.iter().all(|w| folded_haystack.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tone_marks_and_d_bar() {
        assert_eq!(fold("Đề án 06"), "de an 06");
        assert_eq!(fold("định danh"), "dinh danh");
        assert_eq!(fold("Kinh tế số"), "kinh te so");
        assert_eq!(fold("ĐẤT ĐAI"), "dat dai");
        assert_eq!(fold("Ủy ban Quốc gia"), "uy ban quoc gia");
    }

    #[test]
    fn folding_is_idempotent_and_keeps_ascii() {
        let once = fold("Chỉ thị 07/CT-TTg");
        assert_eq!(fold(&once), once);
        assert_eq!(fold("VNeID 2024"), "vneid 2024");
    }

    #[test]
    fn precomposed_and_decomposed_input_fold_alike() {
        let precomposed = "ệ";
        let decomposed = "e\u{0323}\u{0302}";
        assert_eq!(fold(precomposed), fold(decomposed));
    }

    #[test]
    fn words_split_on_punctuation() {
        assert_eq!(words("UBND tỉnh, thành phố"), vec!["ubnd", "tinh", "thanh", "pho"]);
        assert_eq!(words("07/CT-TTg"), vec!["07", "ct", "ttg"]);
    }

    #[test]
    fn windows_keep_whole_words_and_mark_the_cut() {
        assert_eq!(head("phối hợp với Bộ", 100), "phối hợp với Bộ");
        assert_eq!(head("phối hợp với Bộ", 12), "phối hợp \u{2026}");
        assert_eq!(head("phối hợp với Bộ", 10), "phối \u{2026}");
        assert_eq!(tail("trước ngày 8/1", 100), "trước ngày 8/1");
        assert_eq!(tail("do trước ngày 8/1", 12), "\u{2026} ngày 8/1");
        // Cut inside a letter of two bytes: the window moves to a boundary.
        assert_eq!(head("đối với", 1), " \u{2026}");
        let long = "Sở Y tế báo cáo ".repeat(100);
        assert!(fold(&head(&long, NEAR)).starts_with("so y te bao cao"));
        assert!(fold(&tail(&long, NEAR)).trim_end().ends_with("so y te bao cao"));
        assert!(head(&long, NEAR).len() <= NEAR + 4 && tail(&long, NEAR).len() <= NEAR + 4);
    }

    #[test]
    fn all_words_must_match() {
        let hay = fold("Ủy ban nhân dân các tỉnh: số hóa dữ liệu đất đai");
        assert!(contains_all_words(&hay, "dat dai"));
        assert!(contains_all_words(&hay, "đất đai"));
        assert!(!contains_all_words(&hay, "đất hộ tịch"));
        assert!(!contains_all_words(&hay, "  "));
    }
}
