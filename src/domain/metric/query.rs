//! A question's words as the search scores them: each corrected against the catalog's vocabulary,
//! the lexicon's meanings added, the telling words apart, and those no figure's name holds.

use std::collections::{HashMap, HashSet};

use super::asked::QuestionWords;
use super::index::{MetricIndex, stem, stemmed, terms};
use super::lexicon::marked_words;
use crate::domain::fold::fold;

/// The question's terms for scoring, and the telling words its coverage is measured on.
pub(super) struct QueryTerms {
    pub(super) terms: Vec<String>,
    /// Telling single words, each once: known ones and unknown ones apart.
    pub(super) known: Vec<String>,
    pub(super) unknown: usize,
    /// The telling words no metric's name holds, even corrected ("wifi", "smartphone").
    pub(super) unheard: Vec<String>,
    /// The telling words next to each word of the question, as typed.
    pub(super) neighbours: HashMap<String, Vec<String>>,
}

pub(super) fn query_terms(question: &str, words: &QuestionWords, index: &MetricIndex) -> QueryTerms {
    let lexicon = &index.lexicon;
    let mut corrected: Vec<String> = Vec::with_capacity(words.words.len());
    let mut unknown = HashSet::new();
    let mut unheard = Vec::new();
    for ((word, &read), &replaced) in words.words.iter().zip(&words.read).zip(&words.replaced) {
        if replaced {
            continue;
        }
        // "does" is a question word before it is the plural of "doe".
        if lexicon.is_stopword(word) {
            corrected.push(word.clone());
            continue;
        }
        let word = stem(word);
        if read || lexicon.is_stopword(&word) || index.postings.contains_key(&word) {
            corrected.push(word);
        } else if let Some(fixed) = index.correct(&word) {
            // Scored as the word it misspells, but not counted as said: a question of typos
            // alone is offered its closest figures rather than answered.
            unknown.insert(fixed.clone());
            corrected.push(fixed);
        } else {
            if word.chars().any(char::is_alphabetic) {
                unknown.insert(word.clone());
                unheard.push(word.clone());
            }
            corrected.push(word);
        }
    }
    let mut neighbours: HashMap<String, Vec<String>> = HashMap::new();
    let telling = |w: &String| !lexicon.is_stopword(w) && w.chars().any(char::is_alphabetic);
    for pair in corrected.windows(2) {
        if telling(&pair[0]) && telling(&pair[1]) {
            neighbours.entry(pair[0].clone()).or_default().push(pair[1].clone());
            neighbours.entry(pair[1].clone()).or_default().push(pair[0].clone());
        }
    }
    let mut weights = HashMap::new();
    terms(&corrected, lexicon, 1.0, &mut weights);
    for meaning in &words.meanings {
        terms(&stemmed(meaning), lexicon, 1.0, &mut weights);
    }
    let mut terms: Vec<String> = weights.into_keys().collect();
    terms.sort_unstable();
    let known: Vec<String> = terms
        .iter()
        .filter(|t| !t.contains(' ') && index.postings.contains_key(*t) && !unknown.contains(*t))
        .cloned()
        .collect();
    // A word the lexicon read stands for its meaning: it is not an unknown word.
    let read_words: HashSet<String> =
        words.words.iter().zip(&words.read).filter(|(_, r)| **r).map(|(w, _)| stem(w)).collect();
    let unknown = unknown.iter().filter(|w| !read_words.contains(*w)).count();
    unheard.retain(|w| !read_words.contains(w));
    // As the question typed them ("tốt", not its folded "tot").
    let typed = marked_words(question);
    let unheard = unheard.into_iter().map(|w| typed.iter().find(|t| stem(&fold(t)) == w).cloned().unwrap_or(w)).fold(
        Vec::new(),
        |mut seen, w| {
            if !seen.contains(&w) {
                seen.push(w);
            }
            seen
        },
    );
    QueryTerms { terms, known, unknown, unheard, neighbours }
}
