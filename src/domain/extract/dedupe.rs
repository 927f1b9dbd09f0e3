//! One task, one proposal: a headline, title or photo caption that restates a task of the body
//! (same due date, overlapping words) is merged into it, in time linear in the number of proposals.
//! Two tasks of the body are never merged: "kết nối dữ liệu hộ tịch" and "kết nối dữ liệu đất đai"
//! by one owner on one date are two tasks.

use std::collections::{HashMap, HashSet};

use super::super::due::{DuePrecision, Recurrence};
use super::super::fold::words;
use super::Proposal;

/// Words every task shares, which say nothing about which task it is.
const COMMON: &[&str] = &[
    "bo", "cac", "va", "cua", "trong", "thang", "nam", "quy", "ngay", "truoc", "cham", "nhat", "hoan", "thanh", "viec",
    "trien", "khai", "thuc", "hien", "du", "lieu", "so", "hoa", "he", "thong", "co", "chuyen", "doi", "tinh", "ubnd",
    "nganh", "dia", "phuong", "yeu", "cau", "giao", "chu", "tri", "phoi", "hop", "voi", "de", "tren", "toan", "quoc",
    "nay", "tu", "den", "het", "cuoi", "la", "duoc", "cho", "theo", "tai", "ve", "mot", "nhung", "dam", "bao", "thu",
    "nhat", "hai", "ba", "tuong", "chinh", "phu",
];

/// How many recent proposals with the same date a new one is compared with: enough for a headline
/// and its caption, few enough that a long text stays linear.
const WINDOW: usize = 16;

type Bucket = (chrono::NaiveDate, DuePrecision, Option<Recurrence>);

fn distinctive_words(sentence: &str) -> HashSet<String> {
    words(sentence)
        .into_iter()
        .filter(|w| w.chars().count() > 1 && !w.chars().all(|c| c.is_ascii_digit()) && !COMMON.contains(&w.as_str()))
        .collect()
}

/// Two statements of one task: half the shorter one's distinctive words are in the longer one,
/// and they are a fifth of the longer one (a long paragraph holds many short tasks' words).
fn same_task(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let shared = a.intersection(b).count();
    let (smaller, larger) = (a.len().min(b.len()), a.len().max(b.len()));
    smaller > 0 && shared >= 2.min(smaller) && shared * 2 >= smaller && shared * 5 >= larger
}

/// Proposals in order, restatements merged.
#[derive(Default)]
pub struct Deduper {
    proposals: Vec<Proposal>,
    words: Vec<HashSet<String>>,
    /// Whether each proposal came from a headline, title or caption.
    restates: Vec<bool>,
    keys: HashSet<String>,
    by_due: HashMap<Bucket, Vec<usize>>,
}

impl Deduper {
    /// Adds `proposal`, or merges it into the earlier statement of the same task: the fuller one
    /// (with an owner, then the longer clause) is kept, at the earlier place.
    ///
    /// `restates` says the proposal comes from a headline, title or caption: only such a one is
    /// compared with the others.
    pub fn push(&mut self, proposal: Proposal, restates: bool) {
        if !self.keys.insert(proposal.import_key()) {
            return;
        }
        let words = distinctive_words(&proposal.sentence);
        let bucket = (proposal.due.date, proposal.due.precision, proposal.recurrence);
        let earlier = self.by_due.entry(bucket).or_default();
        let same = earlier.iter().rev().take(WINDOW).copied().find(|&i| {
            (restates || self.restates[i]) && same_task(&self.words[i], &words)
            // A headline may name the body differently ("Bộ Công an yêu cầu …"): owners do not
            // keep a restatement apart.
        });
        match same {
            Some(i) => {
                let old = &self.proposals[i];
                let fuller =
                    (!proposal.owner.is_empty(), proposal.sentence.len()) > (!old.owner.is_empty(), old.sentence.len());
                if fuller {
                    self.proposals[i] = proposal;
                    self.words[i] = words;
                    self.restates[i] = restates;
                }
            }
            None => {
                earlier.push(self.proposals.len());
                self.proposals.push(proposal);
                self.words.push(words);
                self.restates.push(restates);
            }
        }
    }

    pub fn into_proposals(self) -> Vec<Proposal> {
        self.proposals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_tasks_on_one_date_stay_apart() {
        let a = distinctive_words("số hóa dữ liệu hộ tịch trong tháng 6/2025");
        let b = distinctive_words("số hóa dữ liệu đất đai trong tháng 6/2025");
        assert!(!same_task(&a, &b));
        let headline = distinctive_words("Bộ Công an phải kết nối dữ liệu dân cư với ngân hàng trước 10/12");
        let body = distinctive_words(
            "Thủ tướng yêu cầu Bộ Công an hoàn thành kết nối dữ liệu dân cư với các ngân hàng thương mại trước ngày 10/12/2025",
        );
        assert!(same_task(&headline, &body));
    }
}
