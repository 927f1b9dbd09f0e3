//! The one pass over a text: paragraphs and rows in order, with the little state carried between
//! them (the owner a list was assigned to, a list's deadline, the clause a bare "hoàn thành trong
//! tháng 9" closes, the letter's addressee, the table's columns).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::super::due::{Due, DuePrecision, FoundDue, Reading, find_due};
use super::super::fold::fold;
use super::super::text::clean;
use super::clauses::{is_heading, is_list_item};
use super::grammar::{Bodies, read};
use super::{Proposal, about_a_meeting, dedupe, may_hold_a_deadline, reports_the_past, table, targets, words_besides};

/// How many days before publication a day's date may be and the task still be proposed: "vận hành
/// từ ngày 1/3/2026" in a text of the 5th is in force, already due.
const RECENTLY_PAST_DAYS: i64 = 10;

/// A list's frame: "Ban Chỉ đạo yêu cầu các bộ, ngành (trong tháng 10):" lends its owner and its
/// deadline to the items that follow.
#[derive(Default)]
struct Frame {
    owner: Option<Bodies>,
    due: Option<(FoundDue, String)>,
    /// How the line that opened it was marked: a line marked the same way is its sibling, not an
    /// item of it ("1. Bộ Công an:" ends at "2. Bộ Xây dựng …").
    marked: Option<Marker>,
}

/// How a list line is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Number,
    Letter,
    Dash,
    Ordinal,
}

fn marker_kind(line: &str) -> Option<Marker> {
    let t = line.trim_start();
    if t.starts_with(['-', '–', '+', '•', '*', '·']) {
        return Some(Marker::Dash);
    }
    if fold(t).starts_with("thu ") && is_list_item(t) {
        return Some(Marker::Ordinal);
    }
    let m = marker_of(t)?;
    Some(if m.chars().all(|c| c.is_ascii_digit()) { Marker::Number } else { Marker::Letter })
}

/// The state carried through one pass.
pub(super) struct Reader {
    published: NaiveDate,
    /// The body last assigned work: the owner of a later sentence that names none and continues
    /// that assignment ("Đồng thời, …", "Sau đó, …").
    assigned: Option<Bodies>,
    frame: Option<Frame>,
    /// The last clause without a time, with its bodies: the task a bare "hoàn thành trong tháng 9"
    /// closes.
    undated: Option<(String, Bodies)>,
    pub(super) found: dedupe::Deduper,
    /// The block being read is a headline, title or caption (it may restate a body task).
    pub(super) in_headline: bool,
    /// A letter's "Kính gửi: …": who "Quý cơ quan" is.
    addressee: Option<String>,
    collecting_addressee: bool,
    /// The last deadline proposed, and each numbered item's: what "cùng thời hạn" refers to.
    last_due: Option<(FoundDue, String)>,
    item_dues: HashMap<String, (FoundDue, String)>,
    /// The columns a table's heading row named.
    columns: Option<table::Columns>,
    /// A table whose heading a PDF's text layer ran into one line: its rows are numbered lines;
    /// `Some(true)` when it has a partners' column.
    text_table: Option<bool>,
}

/// Words that open a sentence continuing the assignment before it.
const CONTINUES: &[&str] =
    &["dong thoi", "sau do", "cung thoi han", "ngoai ra", "ben canh do", "tiep do", "cung voi do", "tiep theo"];

/// Lines that carry on a list without a marker: "Giai đoạn 1: …", "Bước 2: …", "Đợt 3: …".
fn continues_a_list(line: &str) -> bool {
    let folded = fold(line.trim_start());
    ["giai doan ", "buoc ", "dot ", "phase "].iter().any(|w| {
        folded.strip_prefix(w).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || "ivx".contains(c)))
    })
}

/// A clause of words, not a stray list number ("1" of "1. Tỷ lệ …").
fn has_words(clause: &str) -> bool {
    clause.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 2
}

/// A numbered line's number or letter: "2." is "2", "b)" is "b".
fn marker_of(line: &str) -> Option<String> {
    let t = line.trim_start().trim_start_matches('(');
    let marker: String = t.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    (!marker.is_empty() && marker.len() <= 2 && t[marker.len()..].starts_with(['.', ')'])).then_some(marker)
}

impl Reader {
    pub(super) fn new(published: NaiveDate) -> Self {
        Self {
            published,
            assigned: None,
            frame: None,
            undated: None,
            found: dedupe::Deduper::default(),
            in_headline: false,
            addressee: None,
            collecting_addressee: false,
            last_due: None,
            item_dues: HashMap::new(),
            columns: None,
            text_table: None,
        }
    }

    /// Whether a due date was already past when the text was written.
    fn is_past(&self, due: &Due) -> bool {
        let month_start = self.published.with_day(1).unwrap_or(self.published);
        due.date < if due.precision == DuePrecision::Day { self.published } else { month_start }
    }

    pub(super) fn propose(
        &mut self,
        sentence: &str,
        bodies: &Bodies,
        found: &FoundDue,
        phrase: &str,
        deliverable: &str,
    ) {
        let already_due = found.recurrence.is_none() && self.is_past(&found.due);
        let recent = found.due.precision == DuePrecision::Day
            && (self.published - found.due.date).num_days() <= RECENTLY_PAST_DAYS;
        if already_due && !recent {
            return;
        }
        let owners: Vec<String> = bodies.owners.iter().map(|o| clean(o)).filter(|o| !o.is_empty()).collect();
        let partners: Vec<String> = bodies.partners.iter().map(|o| clean(o)).filter(|o| !o.is_empty()).collect();
        self.found.push(
            Proposal {
                sentence: clean(sentence),
                owner: owners.join(", "),
                owners,
                partners,
                deliverable: clean(deliverable),
                already_due,
                due: found.due,
                due_phrase: clean(phrase),
                recurrence: found.recurrence,
            },
            self.in_headline,
        );
        self.last_due = Some((found.clone(), phrase.to_owned()));
    }

    /// "Kính gửi: …" and the "- …;" lines after it: the addressee. Whether the line was one.
    fn addressee_line(&mut self, line: &str) -> bool {
        let folded = fold(line);
        if folded.starts_with("kinh gui") {
            // "Kính gửi" is eight characters, with or without its marks.
            let at = line.char_indices().nth(8).map_or(line.len(), |(i, _)| i);
            let named = line[at..].trim_start_matches([':', ' ']).trim_end_matches(['.', ';', ' ']);
            self.addressee = (!named.is_empty()).then(|| named.to_owned());
            self.collecting_addressee = named.is_empty();
            return true;
        }
        if self.collecting_addressee && line.trim_start().starts_with(['-', '+', '•']) && !may_hold_a_deadline(line) {
            let item = line.trim_start_matches(['-', '+', '•', ' ']).trim_end_matches(['.', ';', ' ']);
            self.addressee = Some(match self.addressee.take() {
                Some(list) => format!("{list}; {item}"),
                None => item.to_owned(),
            });
            return true;
        }
        self.collecting_addressee = false;
        false
    }

    pub(super) fn prose(&mut self, clauses: &[&str], line: &str) {
        if self.addressee_line(line) {
            return;
        }
        if let Some(partners) = table::text_heading(line) {
            self.text_table = Some(partners);
            return;
        }
        if let Some(partners) =
            self.text_table.filter(|_| line.starts_with(|c: char| c.is_ascii_digit()) && !is_list_item(line))
        {
            if let Some(row) = table::read_text_row(line, self.published, partners) {
                self.propose(&row.task, &row.bodies, &row.found, &row.phrase, &row.deliverable);
            }
            return;
        }
        self.text_table = None;
        self.columns = None;
        if is_heading(line) && !clauses.iter().any(|c| may_hold_a_deadline(c)) {
            self.frame = None;
            self.assigned = None;
            self.undated = None;
            return;
        }
        let item = is_list_item(line) || continues_a_list(line) && self.frame.is_some();
        let kind = marker_kind(line);
        if !item || self.frame.as_ref().is_some_and(|f| f.marked.is_some() && f.marked == kind) {
            self.frame = None;
        }
        let marker = marker_of(line);
        let opens_a_list = line.ends_with(':');
        let continuing = CONTINUES.iter().any(|w| fold(line.trim_start()).starts_with(w));
        let mut paragraph: Option<Bodies> = None;
        for (i, &clause) in clauses.iter().enumerate() {
            let reading = read(clause, self.addressee.as_deref());
            let named = (!reading.bodies.is_empty()).then(|| reading.bodies.clone());
            let frames = opens_a_list && i + 1 == clauses.len();
            let found = if may_hold_a_deadline(clause) {
                find_due(clause, self.published, Reading::Sentence)
                    .or_else(|| targets::target_year(clause, self.published, frames))
            } else {
                None
            };
            if frames {
                let owner = named.or_else(|| if reading.assigns_without_object { None } else { paragraph.clone() });
                if owner.is_some() {
                    self.assigned = owner.clone();
                }
                let due = found.map(|f| {
                    let phrase = clause[f.span.clone()].to_owned();
                    (f, phrase)
                });
                self.frame = Some(Frame { owner, due, marked: kind });
                self.undated = None;
                continue;
            }
            let frame_owner = self.frame.as_ref().filter(|_| item).and_then(|f| f.owner.clone());
            let inherited = paragraph
                .clone()
                .or(frame_owner)
                .or_else(|| (continuing && i == 0).then(|| self.assigned.clone()).flatten());
            let bodies = match &named {
                Some(b) => b.clone(),
                None => {
                    let mut b = inherited.unwrap_or_default();
                    if !reading.bodies.partners.is_empty() {
                        b.partners = reading.bodies.partners.clone();
                    }
                    b
                }
            };
            if let Some(named) = named {
                paragraph = Some(named.clone());
                self.assigned = Some(named);
            }
            let found = found.map(|f| {
                let phrase = clause[f.span.clone()].to_owned();
                (f, phrase)
            });
            match found.or_else(|| self.same_deadline(clause)) {
                Some((found, phrase)) => {
                    if reports_the_past(clause) || about_a_meeting(clause) {
                        self.undated = None;
                        continue;
                    }
                    let (bare, besides_steps) = if found.span.is_empty() {
                        (usize::MAX, usize::MAX)
                    } else {
                        words_besides(clause, &found.span)
                    };
                    match self.undated.take() {
                        Some((task, task_bodies)) if besides_steps <= 2 => {
                            let b = if task_bodies.is_empty() { bodies } else { task_bodies };
                            // "…; báo cáo Ban Chỉ đạo hằng tháng" is a step of the task: both are kept.
                            let sentence = if bare <= 2 { task } else { format!("{task}; {clause}") };
                            self.propose(&sentence, &b, &found, &phrase, "")
                        }
                        _ => self.propose(clause, &bodies, &found, &phrase, ""),
                    }
                }
                None => {
                    let frame_due = self.frame.as_ref().filter(|_| item).and_then(|f| f.due.clone());
                    match frame_due {
                        Some((found, phrase)) if !reports_the_past(clause) && has_words(clause) => {
                            self.propose(clause, &bodies, &found, &phrase, "")
                        }
                        _ => self.undated = Some((clause.to_owned(), bodies)),
                    }
                }
            }
        }
        if let (Some(marker), Some(last)) = (marker, self.last_due.clone()) {
            self.item_dues.insert(marker, last);
        }
    }

    /// "cùng thời hạn" (the item before's deadline), "cùng thời hạn với nhiệm vụ tại mục 2".
    fn same_deadline(&self, clause: &str) -> Option<(FoundDue, String)> {
        let (found, phrase) = match targets::same_deadline(clause)? {
            targets::SameAs::Previous => self.last_due.clone()?,
            targets::SameAs::Item(marker) => self.item_dues.get(&marker).cloned().or_else(|| self.last_due.clone())?,
        };
        // The referenced item's phrase; no span of this clause is a time phrase.
        Some((FoundDue { span: 0..0, ..found }, phrase))
    }

    /// A table row: by the columns its heading row named, else the owner from its cells (the lead
    /// column comes before the partners'), the deadline from its date column, the task from its
    /// longest other cell.
    pub(super) fn row(&mut self, cells: &[&str]) {
        self.undated = None;
        if let Some(columns) = table::heading(cells) {
            self.columns = Some(columns);
            return;
        }
        let row = match &self.columns {
            Some(columns) if columns.fits(cells) => columns.read(cells, self.published),
            _ => table::read_without_heading(cells, self.published),
        };
        let Some(row) = row else { return };
        if reports_the_past(&row.task) {
            return;
        }
        self.propose(&row.task, &row.bodies, &row.found, &row.phrase, &row.deliverable);
    }
}
