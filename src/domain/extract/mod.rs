//! Finding the dated tasks in a Vietnamese directive or news text: each clause or table row with a
//! deadline becomes a proposal (the task, its owner, its due date), for a person to review.
//!
//! One pass over the text: paragraphs and rows in order, a little state carried between them (the
//! owner a list was assigned to, a list's deadline, the clause a bare "hoàn thành trong tháng 9"
//! closes), and restatements merged by `dedupe` in constant time each.

mod clauses;
mod dedupe;
mod owners;
mod publication;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::due::{Due, DuePrecision, FoundDue, Reading, Recurrence, find_due};
use super::fold::fold;
use super::text::{clean, clean_lines};
use clauses::{Block, blocks, is_heading, is_list_item};

pub use owners::{canonical_owner, known_owner, owner_in};
pub use publication::publication_date;

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
    ];
    let folded = format!(" {} ", fold(clause).split_whitespace().collect::<Vec<_>>().join(" "));
    let done = folded.match_indices(" da ").any(|(i, _)| !folded[i + 4..].starts_with("duoc ") || i < 30)
        || folded.contains(" dat duoc ");
    let lower = clause.to_lowercase();
    // "cần" and "sẽ" fold to words that are also others' ("căn cước", "sể"): compared toned.
    let ordered = ORDERS.iter().any(|w| folded.contains(w)) || lower.contains("cần ") || lower.contains("sẽ ");
    done && !ordered
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
    let folded = format!(" {} ", fold(clause).split_whitespace().collect::<Vec<_>>().join(" "));
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
fn words_besides(clause: &str, span: &std::ops::Range<usize>) -> usize {
    let rest = format!("{} {}", &clause[..span.start], &clause[span.end..]);
    const FILLER: &[&str] = &["hoan", "thanh", "xong", "thoi", "han", "va", "de", "nhiem", "vu", "nay", "viec"];
    super::fold::words(&rest).iter().filter(|w| !FILLER.contains(&w.as_str())).count()
}

/// A list's frame: "Ban Chỉ đạo yêu cầu các bộ, ngành (trong tháng 10):" lends its owner and its
/// deadline to the items that follow.
#[derive(Default)]
struct Frame {
    owner: Option<String>,
    due: Option<(FoundDue, String)>,
}

/// The state carried through one pass.
struct Reader {
    published: NaiveDate,
    /// The body last assigned work ("yêu cầu Bộ X …"): the owner of later clauses that name none.
    assigned: Option<String>,
    frame: Option<Frame>,
    /// The last clause without a time, with its owner: the task a bare "hoàn thành trong tháng 9"
    /// closes.
    undated: Option<(String, Option<String>)>,
    found: dedupe::Deduper,
    /// The block being read is a headline, title or caption (it may restate a body task).
    in_headline: bool,
}

impl Reader {
    fn new(published: NaiveDate) -> Self {
        Self {
            published,
            assigned: None,
            frame: None,
            undated: None,
            found: dedupe::Deduper::default(),
            in_headline: false,
        }
    }

    /// Whether a due date was already past when the text was written.
    fn is_past(&self, due: &Due) -> bool {
        let month_start = self.published.with_day(1).unwrap_or(self.published);
        due.date < if due.precision == DuePrecision::Day { self.published } else { month_start }
    }

    fn propose(&mut self, sentence: &str, owner: Option<String>, found: &FoundDue, phrase: &str) {
        if found.recurrence.is_none() && self.is_past(&found.due) {
            return;
        }
        let owner = owner.map(|o| clean(&o)).unwrap_or_default();
        self.found.push(
            Proposal {
                sentence: clean(sentence),
                owners: if owner.is_empty() { Vec::new() } else { vec![owner.clone()] },
                partners: Vec::new(),
                owner,
                due: found.due,
                due_phrase: clean(phrase),
                recurrence: found.recurrence,
            },
            self.in_headline,
        );
    }

    fn prose(&mut self, clauses: &[&str], line: &str) {
        if is_heading(line) && !clauses.iter().any(|c| may_hold_a_deadline(c)) {
            self.frame = None;
            self.assigned = None;
            self.undated = None;
            return;
        }
        let item = is_list_item(line);
        if !item {
            self.frame = None;
        }
        let opens_a_list = line.ends_with(':');
        let mut paragraph_owner: Option<String> = None;
        for (i, &clause) in clauses.iter().enumerate() {
            let named = owner_in(clause);
            let found =
                if may_hold_a_deadline(clause) { find_due(clause, self.published, Reading::Sentence) } else { None };
            if opens_a_list && i + 1 == clauses.len() {
                let owner = named.or_else(|| paragraph_owner.clone());
                self.assigned = owner.clone().or_else(|| self.assigned.clone());
                let due = found.map(|f| {
                    let phrase = clause[f.span.clone()].to_owned();
                    (f, phrase)
                });
                self.frame = Some(Frame { owner, due });
                self.undated = None;
                continue;
            }
            if named.is_some() && owners::assigns(clause) {
                self.assigned = named.clone();
            }
            let frame_owner = self.frame.as_ref().filter(|_| item).and_then(|f| f.owner.clone());
            let owner =
                named.clone().or_else(|| paragraph_owner.clone()).or(frame_owner).or_else(|| self.assigned.clone());
            if named.is_some() {
                paragraph_owner = named;
            }
            match found {
                Some(found) => {
                    if reports_the_past(clause) || about_a_meeting(clause) {
                        self.undated = None;
                        continue;
                    }
                    let phrase = clause[found.span.clone()].to_owned();
                    let closes = words_besides(clause, &found.span) <= 2;
                    match self.undated.take() {
                        Some((task, task_owner)) if closes => {
                            self.propose(&task, task_owner.or(owner), &found, &phrase)
                        }
                        _ => self.propose(clause, owner, &found, &phrase),
                    }
                }
                None => {
                    let frame_due = self.frame.as_ref().filter(|_| item).and_then(|f| f.due.clone());
                    match frame_due {
                        Some((found, phrase)) if !reports_the_past(clause) => {
                            self.propose(clause, owner, &found, &phrase)
                        }
                        _ => self.undated = Some((clause.to_owned(), owner)),
                    }
                }
            }
        }
    }

    /// A table row: the owner from its cells (the lead column comes before the partners'), the
    /// deadline from its date column, the task from its longest other cell.
    fn row(&mut self, cells: &[&str]) {
        self.undated = None;
        let mut due: Option<(usize, FoundDue)> = None;
        for (i, cell) in cells.iter().enumerate().rev() {
            if !may_hold_a_deadline(cell) {
                continue;
            }
            let reading = if cell.chars().count() <= 40 { Reading::Phrase } else { Reading::Sentence };
            if let Some(found) = find_due(cell, self.published, reading) {
                due = Some((i, found));
                break;
            }
        }
        let Some((due_cell, found)) = due else { return };
        let owner_cell =
            cells.iter().enumerate().find_map(|(i, c)| (i != due_cell).then(|| owner_in(c)).flatten().map(|o| (i, o)));
        let task = cells
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != due_cell && Some(i) != owner_cell.as_ref().map(|(j, _)| *j))
            .map(|(_, c)| *c)
            .max_by_key(|c| c.chars().count());
        // A task is words: "Cập nhật: 14:05 | 08/10/2026" is a byline, not a row of a table.
        let Some(task) =
            task.filter(|t| t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 3)
        else {
            return;
        };
        if reports_the_past(task) {
            return;
        }
        let owner = owner_cell.map(|(_, o)| o).or_else(|| self.assigned.clone());
        let phrase = cells[due_cell][found.span.clone()].to_owned();
        self.propose(task, owner, &found, &phrase);
    }
}

/// The first lines of a text: its headline, title, byline and lead, which may restate a task.
const HEADLINE_LINES: usize = 3;

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
        reader.in_headline = n < HEADLINE_LINES || matches!(&block, Block::Prose { line, .. } if is_caption(line));
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
