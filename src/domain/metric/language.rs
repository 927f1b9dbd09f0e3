//! The language a question is written in, when it is clear: Vietnamese by its tone marks, its
//! question words or the words of the catalog's Vietnamese names; English by its own. A figure's
//! reply follows it, unless the chat chose a language with /lang.

use super::MetricIndex;
use super::lexicon::{find, marked_words};
use crate::domain::fold::fold;
use crate::domain::lang::Lang;

/// How much a word with Vietnamese marks says against a word of either language's lists.
const MARKED: usize = 2;
/// A language is clear with this much said for it, and more than twice what is said against it.
const CLEAR: usize = 2;

/// The language `question` is clearly written in, or none (a bare "VNeID?", "GCI 2024").
/// Provinces are left out: "VNeID accounts in Đà Nẵng" is English.
pub fn question_language(index: &MetricIndex, question: &str) -> Option<Lang> {
    let marked = marked_words(question);
    let folded: Vec<String> = marked.iter().map(|w| fold(w)).collect();
    let mut place = vec![false; folded.len()];
    for (phrase, _) in &index.lexicon.provinces {
        for at in find(&folded, phrase) {
            place[at..at + phrase.len()].iter_mut().for_each(|p| *p = true);
        }
    }
    let (mut vi, mut en) = (0, 0);
    for ((word, plain), &in_place) in marked.iter().zip(&folded).zip(&place) {
        if in_place || plain.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if word != plain {
            vi += MARKED;
        } else if index.lexicon.question_words_vi.contains(plain) || index.names_vi_only.contains(plain) {
            vi += 1;
        } else if index.lexicon.question_words_en.contains(plain) || index.names_en_only.contains(plain) {
            en += 1;
        }
    }
    let clear = |for_it: usize, against: usize| for_it >= CLEAR && for_it > 2 * against;
    if clear(vi, en) {
        Some(Lang::Vi)
    } else if clear(en, vi) {
        Some(Lang::En)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(q: &str) -> Option<Lang> {
        question_language(&MetricIndex::default(), q)
    }

    #[test]
    fn a_question_is_read_in_the_language_it_is_written_in() {
        assert_eq!(lang("bao nhiêu tài khoản VNeID đã được kích hoạt"), Some(Lang::Vi));
        assert_eq!(lang("co bao nhieu tai khoan vneid"), Some(Lang::Vi), "without tone marks");
        assert_eq!(lang("how many VNeID accounts were activated in 2024"), Some(Lang::En));
        assert_eq!(lang("how many VNeID accounts in Đà Nẵng"), Some(Lang::En), "a province says nothing");
        assert_eq!(lang("What's the 2026 target for the digital economy's share of GDP?"), Some(Lang::En));
    }

    #[test]
    fn a_question_of_names_alone_has_no_clear_language() {
        for q in ["VNeID?", "GCI", "egdi vn", "KTS/GDP 2024", "Hà Giang"] {
            assert_eq!(lang(q), None, "{q}");
        }
    }
}
