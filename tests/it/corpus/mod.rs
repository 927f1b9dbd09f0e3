//! Scoring extraction on the development corpus (`tests/data/directives/`): each text beside a
//! gold list written before the extractor ran. Shared by `tests/extraction_corpus.rs` and the
//! benchmark.
#![allow(dead_code)] // each user takes what it needs

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hanchot::domain::due::{DuePrecision, Recurrence};
use hanchot::domain::extract::{Proposal, canonical_owner, extract, publication_date};
use hanchot::domain::fold::fold;
use serde::Deserialize;

/// One text's gold list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    #[serde(deserialize_with = "date")]
    pub published: NaiveDate,
    #[serde(default)]
    pub tasks: Vec<GoldTask>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldTask {
    #[serde(deserialize_with = "date")]
    pub due: NaiveDate,
    pub precision: DuePrecision,
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    /// The owner as the text names it; empty when it names none.
    pub owner: String,
    /// A few words of the task that the proposal's text must hold.
    pub words: String,
}

/// A TOML date (`2025-11-18`) as a `NaiveDate`.
fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let value = toml::value::Datetime::deserialize(d)?;
    value.to_string().parse().map_err(serde::de::Error::custom)
}

/// The figures over a set of texts.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Score {
    pub gold: usize,
    /// Gold tasks proposed with the right date, precision and recurrence.
    pub found: usize,
    /// Of those, with the right owner.
    pub owners: usize,
    /// Proposals that are no gold task.
    pub extra: usize,
    pub texts: usize,
    /// Texts whose publication date was read right (or, showing none, left to the caller).
    pub published_right: usize,
}

impl Score {
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.gold.max(1) as f64
    }
    pub fn owner_accuracy(&self) -> f64 {
        self.owners as f64 / self.found.max(1) as f64
    }
    pub fn add(&mut self, other: Score) {
        self.gold += other.gold;
        self.found += other.found;
        self.owners += other.owners;
        self.extra += other.extra;
        self.texts += other.texts;
        self.published_right += other.published_right;
    }
}

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/directives")
}

fn squash(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scores the proposals of one text against its gold list; `misses` collects what went wrong.
pub fn score(text: &str, gold: &Gold, misses: &mut Vec<String>) -> Score {
    let detected = publication_date(text);
    let published = detected.unwrap_or(gold.published);
    let proposals = extract(text, published);
    let mut used = vec![false; proposals.len()];
    let mut s = Score {
        gold: gold.tasks.len(),
        texts: 1,
        published_right: usize::from(detected.is_none_or(|d| d == gold.published)),
        ..Score::default()
    };
    if detected.is_some_and(|d| d != gold.published) {
        misses.push(format!("publication date read as {detected:?}, not {}", gold.published));
    }
    for task in &gold.tasks {
        let words = squash(&task.words);
        let hit = proposals.iter().enumerate().position(|(i, p): (usize, &Proposal)| {
            !used[i]
                && p.due.date == task.due
                && p.due.precision == task.precision
                && p.recurrence == task.recurrence
                && squash(&p.sentence).contains(&words)
        });
        match hit {
            Some(i) => {
                used[i] = true;
                s.found += 1;
                let p = &proposals[i];
                let right = if task.owner.is_empty() {
                    p.owner.is_empty()
                } else {
                    !p.owner.is_empty() && canonical_owner(&p.owner) == canonical_owner(&task.owner)
                };
                if right {
                    s.owners += 1;
                } else {
                    misses.push(format!("owner {:?} for {:?}, not {:?}", p.owner, task.words, task.owner));
                }
            }
            None => misses.push(format!("missed {} {:?} {:?}", task.due, task.precision, task.words)),
        }
    }
    for (i, p) in proposals.iter().enumerate().filter(|(i, _)| !used[*i]) {
        let _ = i;
        s.extra += 1;
        misses.push(format!("extra {} {:?}: {}", p.due.date, p.due.precision, p.sentence));
    }
    s
}

/// Every text of the corpus with its gold list, as (name, text, gold).
pub fn texts() -> Vec<(String, String, Gold)> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/data/directives")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("text");
        let gold: Gold = toml::from_str(&std::fs::read_to_string(path.with_extension("toml")).expect("gold beside it"))
            .expect("valid gold");
        out.push((path.file_name().unwrap().to_string_lossy().into_owned(), text, gold));
    }
    out
}

/// The figures over the whole corpus, with each text's misses.
pub fn score_corpus() -> (Score, Vec<(String, Vec<String>)>) {
    let mut total = Score::default();
    let mut report = Vec::new();
    for (name, text, gold) in texts() {
        let mut misses = Vec::new();
        total.add(score(&text, &gold, &mut misses));
        report.push((name, misses));
    }
    (total, report)
}
