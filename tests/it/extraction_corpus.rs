//! Extraction quality on the development corpus: recall (right date and precision), proposals that
//! are not tasks, and owners, each held at the level reached; and the same texts read from .docx
//! and .pdf.

use crate::corpus;

use corpus::{Score, score_corpus};

/// The levels reached on the corpus (see BENCHMARKS.md); a change that lowers one fails here.
const MIN_RECALL: f64 = 1.0;
const MIN_OWNER_ACCURACY: f64 = 0.98;
const MAX_EXTRA: usize = 0;
const MIN_TEXTS: usize = 12;

#[test]
#[allow(clippy::absurd_extreme_comparisons)] // the bound is 0 today; it stays a bound
fn the_corpus_keeps_its_recall_precision_and_owners() {
    let (score, report) = score_corpus();
    for (name, misses) in &report {
        for miss in misses {
            eprintln!("{name}: {miss}");
        }
    }
    let Score { gold, found, owners, extra, texts, published_right } = score;
    eprintln!(
        "corpus: {texts} texts, {found}/{gold} tasks found ({:.1}%), {owners}/{found} owners right ({:.1}%), {extra} extra proposals, {published_right}/{texts} publication dates right",
        score.recall() * 100.0,
        score.owner_accuracy() * 100.0
    );
    assert!(texts >= MIN_TEXTS, "the corpus holds {texts} texts");
    assert!(score.recall() >= MIN_RECALL, "recall {:.3} < {MIN_RECALL}", score.recall());
    assert!(
        score.owner_accuracy() >= MIN_OWNER_ACCURACY,
        "owners {:.3} < {MIN_OWNER_ACCURACY}",
        score.owner_accuracy()
    );
    assert!(extra <= MAX_EXTRA, "{extra} proposals are not tasks (at most {MAX_EXTRA})");
    assert_eq!(published_right, texts, "every publication date read right");
}
