//! Finding the dated tasks in a Vietnamese directive or news text: each clause or table row with a
//! deadline becomes a proposal (the task, its owner, its due date), for a person to review.
//!
//! One pass over the text: paragraphs and rows in order, a little state carried between them (the
//! owner a list was assigned to, a list's deadline, the clause a bare "hoàn thành trong tháng 9"
//! closes), and restatements merged by `dedupe` in constant time each.

mod bodies;
mod clauses;
mod dedupe;
mod grammar;
mod lexicon;
mod owners;
mod publication;
mod reader;
mod shown;
mod table;
mod targets;

use chrono::NaiveDate;
use serde::Serialize;

use super::due::{Due, Recurrence};
use super::fold::fold;
use super::text::clean_lines;
use clauses::{Block, blocks};
use reader::Reader;

pub use grammar::Bodies;
pub use owners::{canonical_owner, known_owner, owner_in};
pub use publication::publication_date;
pub use shown::{DUE_YEARS, cleaned_proposal, due_in_range, proposals_in, storable};

/// A task found in a text, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The task, as written (one line, cleaned).
    pub sentence: String,
    /// Who must do it, as named; empty when the text does not say. Several owners joined by ", ".
    pub owner: String,
    /// The bodies that must do it, each as named (an addressee list is one).
    pub owners: Vec<String>,
    /// The bodies named to work with them ("phối hợp với …").
    pub partners: Vec<String>,
    /// What is to be delivered, when a table's column says it; empty otherwise.
    pub deliverable: String,
    /// The date was a few days past when the text was published: the task is in force, already due.
    pub already_due: bool,
    #[serde(serialize_with = "serialize_due")]
    pub due: Due,
    /// The time phrase it came from.
    pub due_phrase: String,
    pub recurrence: Option<Recurrence>,
}

fn serialize_due<S: serde::Serializer>(due: &Due, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&due.date.format("%Y-%m-%d").to_string())
}

impl Proposal {
    /// What makes an imported task the same task: its clause, folded. Not its date or owner,
    /// which a reviewer may have corrected before saving.
    pub fn import_key(&self) -> String {
        let clause: String = fold(&self.sentence).split_whitespace().collect::<Vec<_>>().join(" ");
        format!("clause:{}", clause.chars().take(240).collect::<String>())
    }
}

/// A clause about what was done, not what must be done: "đã ban hành", "đạt được". A relative
/// clause ("giấy tờ đã được tích hợp") inside an order does not make the order a report.
fn reports_the_past(clause: &str) -> bool {
    let folded = format!(" {} ", fold(clause).split_whitespace().collect::<Vec<_>>().join(" "));
    let lower = clause.to_lowercase();
    // "đã" (done), not "Đà" of "Đà Nẵng": toned when the text has its marks, lower-case when not.
    let toned = !clause.is_ascii();
    let spaced = format!(" {} ", clause.split_whitespace().collect::<Vec<_>>().join(" "));
    let says_done = if toned { lower.contains("đã ") } else { spaced.contains(" da ") };
    let done = says_done && folded.match_indices(" da ").any(|(i, _)| !folded[i + 4..].starts_with("duoc ") || i < 30)
        || folded.contains(" dat duoc ");
    done && !orders(clause)
}

/// Whether a clause gives an order: a verb of assignment ("giao", "chủ trì", "hoàn thành").
fn orders(clause: &str) -> bool {
    const ORDERS: &[&str] = &[
        " yeu cau ",
        " giao ",
        " phai ",
        " khan truong ",
        " hoan thanh ",
        " phan dau ",
        " day manh ",
        " chu tri ",
        " trien khai ",
        " tiep tuc ",
        " de nghi ",
        " chi dao ",
        " bao dam ",
        " dam bao ",
        " ap dung ",
    ];
    let folded = format!(" {} ", fold(clause).split_whitespace().collect::<Vec<_>>().join(" "));
    let lower = clause.to_lowercase();
    // "cần" and "sẽ" fold to words that are also others' ("căn cước", "sể"): compared toned.
    ORDERS.iter().any(|w| folded.contains(w)) || lower.contains("cần ") || lower.contains("sẽ ")
}

/// A clause about a meeting (its date, its purpose, the next one), which assigns nothing.
fn about_a_meeting(clause: &str) -> bool {
    // Toned: "họp" (meet) folds like "hợp" (as in "phối hợp", "tích hợp").
    const MEETING: &[&str] = &["họp", "hội nghị", "diễn ra"];
    const ASSIGNING: &[&str] = &[
        " yeu cau ",
        " giao ",
        " phai ",
        " de nghi ",
        " hoan thanh ",
        " bao cao ",
        " tong hop ",
        " trinh ",
        " chu tri ",
    ];
    let lower = clause.to_lowercase();
    // "giao ban" is a briefing, not an assignment.
    let folded =
        format!(" {} ", fold(clause).split_whitespace().collect::<Vec<_>>().join(" ")).replace(" giao ban ", " ");
    MEETING.iter().any(|w| lower.contains(w)) && !ASSIGNING.iter().any(|w| folded.contains(w))
}

/// Only clauses with a digit or a recurrence word can hold a deadline: the rest skip the rules.
fn may_hold_a_deadline(clause: &str) -> bool {
    clause.bytes().any(|b| b.is_ascii_digit()) || {
        let lower = clause.to_lowercase();
        ["hằng", "hàng", "định kỳ", "hang ", "dinh ky"].iter().any(|w| lower.contains(w))
    }
}

/// How many words of a clause are not its time phrase: "hoàn thành trong tháng 9/2026" has none,
/// so it closes the clause before it.
/// So does "trình Phó Thủ tướng trong tháng 4/2026", a step of the clause before to a recipient:
/// the words besides the time phrase, and besides it, the step's verbs and the bodies named.
fn words_besides(clause: &str, span: &std::ops::Range<usize>) -> (usize, usize) {
    let rest = format!("{} {}", &clause[..span.start], &clause[span.end..]);
    const FILLER: &[&str] = &["hoan", "thanh", "xong", "thoi", "han", "va", "de", "nhiem", "vu", "nay", "viec"];
    const STEPS: &[&str] = &["trinh", "gui", "bao", "cao", "ve", "len", "thu", "tuong", "pho", "chinh", "phu"];
    let count = |text: &str, skip: &[&[&str]]| {
        super::fold::words(text).iter().filter(|w| !skip.iter().any(|s| s.contains(&w.as_str()))).count()
    };
    let bare = count(&rest, &[FILLER]);
    let mut without_bodies = rest.clone();
    for m in bodies::mentions(&rest).iter().rev() {
        without_bodies.replace_range(m.start..m.end, " ");
    }
    (bare, count(&without_bodies, &[FILLER, STEPS]))
}

/// The first lines of a text: where its headline, title, byline and lead are, which may restate a
/// task.
const HEADLINE_LINES: usize = 3;

/// A headline by its form: prose without a closing stop, or that names no owner and gives no order
/// ("Đẩy mạnh số hóa hồ sơ đất đai năm 2027."). A task on the first line ("Bộ Công an hoàn thành … trước ngày 15/3") is a
/// task, however high up: a pasted list of three is three proposals.
fn reads_as_headline(block: &Block) -> bool {
    match block {
        Block::Row { .. } => false,
        // A news headline may name an owner and an order, but ends without a stop.
        Block::Prose { clauses, line } => {
            !clauses::is_list_item(line)
                && (!line.ends_with(['.', ';'])
                    || clauses.iter().all(|c| !orders(c) && grammar::read(c, None).bodies.is_empty()))
        }
    }
}

/// A photo caption: "Ảnh: …", "(Ảnh minh họa: …)".
fn is_caption(line: &str) -> bool {
    let folded = fold(line.trim_start_matches(['(', '[', ' ']));
    ["anh:", "anh minh hoa", "anh ", "photo", "video:"].iter().any(|w| folded.starts_with(w))
        && line.chars().count() < 300
}

/// The dated tasks of `text`, published on `published` (which anchors "năm nay", yearless dates and
/// relative deadlines, and tells deadlines from dates already past when it was written).
///
/// The text is cleaned first (`text::clean_lines`): no control, zero-width or bidi character reaches
/// a proposal.
pub fn extract(text: &str, published: NaiveDate) -> Vec<Proposal> {
    let text = clean_lines(text);
    let mut reader = Reader::new(published);
    for (n, block) in blocks(&text).enumerate() {
        reader.in_headline = n < HEADLINE_LINES && reads_as_headline(&block)
            || matches!(&block, Block::Prose { line, .. } if is_caption(line));
        match block {
            Block::Prose { clauses, line } => reader.prose(&clauses, line),
            Block::Row { cells } => reader.row(&cells),
        }
    }
    reader.found.into_proposals()
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
