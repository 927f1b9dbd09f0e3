//! Tables of tasks: a heading row names the columns (STT, Nhiệm vụ / Nội dung, Cơ quan chủ trì,
//! Cơ quan phối hợp, Thời gian / Thời hạn hoàn thành, Sản phẩm), and each row below it is one task
//! with its owner, partners, deliverable and due date. A row without a heading is read by its cells.

use chrono::NaiveDate;

use super::super::due::{FoundDue, Reading, find_due};
use super::super::fold::fold;
use super::bodies::{groups, mentions};
use super::grammar::{Bodies, read};
use super::may_hold_a_deadline;

/// Which column holds what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    count: usize,
    task: Option<usize>,
    owner: Option<usize>,
    partners: Option<usize>,
    due: Option<usize>,
    deliverable: Option<usize>,
}

/// A row read: the task, who, by when, and what it delivers.
#[derive(Debug, Clone)]
pub struct Row {
    pub task: String,
    pub bodies: Bodies,
    pub found: FoundDue,
    pub phrase: String,
    pub deliverable: String,
}

/// The columns a heading row names, or `None` when the row is not a heading (it needs a task or
/// owner column and a date column, and no date of its own).
pub fn heading(cells: &[&str]) -> Option<Columns> {
    let mut c = Columns { count: cells.len(), ..Columns::default() };
    for (i, cell) in cells.iter().enumerate() {
        let f = fold(cell);
        let slot = if f.contains("phoi hop") {
            &mut c.partners
        } else if f.contains("chu tri") || f.contains("thuc hien") || f.contains("trach nhiem") {
            &mut c.owner
        } else if f.contains("thoi gian") || f.contains("thoi han") || f.contains("tien do") || f == "han" {
            &mut c.due
        } else if f.contains("san pham") || f.contains("ket qua") {
            &mut c.deliverable
        } else if f.contains("nhiem vu") || f.contains("noi dung") || f.contains("cong viec") || f.contains("ten ") {
            &mut c.task
        } else {
            continue;
        };
        slot.get_or_insert(i);
    }
    let dated = cells
        .iter()
        .any(|cell| may_hold_a_deadline(cell) && find_due(cell, NaiveDate::MIN, Reading::Sentence).is_some());
    (c.due.is_some() && (c.task.is_some() || c.owner.is_some()) && !dated).then_some(c)
}

/// The bodies a cell names, each apart; a cell of the owner column that names none is its own
/// text ("Ban Quản lý dự án").
fn bodies_of(cell: &str, whole_if_none: bool) -> Vec<String> {
    let found = groups(cell, mentions(cell));
    // An owner's cell that does not open with a body the lexicon knows is one body of its own:
    // "Ban Quản lý dự án chuyển đổi số tỉnh".
    let opens_with_one = found.first().is_some_and(|g| cell[..g.start].trim().is_empty());
    if whole_if_none && !opens_with_one && !cell.trim().is_empty() {
        return vec![cell.trim().to_owned()];
    }
    if found.is_empty() {
        let cell = cell.trim();
        return if whole_if_none && !cell.is_empty() && cell != "-" { vec![cell.to_owned()] } else { Vec::new() };
    }
    found.iter().flat_map(|g| g.names(cell)).collect()
}

fn due_in(cell: &str, published: NaiveDate) -> Option<FoundDue> {
    if !may_hold_a_deadline(cell) {
        return None;
    }
    let reading = if cell.chars().count() <= 40 { Reading::Phrase } else { Reading::Sentence };
    find_due(cell, published, reading)
}

/// A task is words: "Cập nhật: 14:05 | 08/10/2026" is a byline, not a row of a table.
fn is_words(task: &str) -> bool {
    task.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 3
}

impl Columns {
    /// Whether a row has the heading's cells.
    pub fn fits(&self, cells: &[&str]) -> bool {
        cells.len() == self.count
    }

    pub fn read(&self, cells: &[&str], published: NaiveDate) -> Option<Row> {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied().unwrap_or("");
        let due_cell = cell(self.due);
        let found = due_in(due_cell, published)?;
        let task = match self.task {
            Some(i) => cells[i].to_owned(),
            None => cells
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != self.owner && Some(*i) != self.partners && Some(*i) != self.due)
                .map(|(_, c)| *c)
                .max_by_key(|c| c.chars().count())?
                .to_owned(),
        };
        if !is_words(&task) {
            return None;
        }
        let bodies =
            Bodies { owners: bodies_of(cell(self.owner), true), partners: bodies_of(cell(self.partners), false) };
        let phrase = due_cell[found.span.clone()].to_owned();
        Some(Row { task, bodies, found, phrase, deliverable: cell(self.deliverable).trim().to_owned() })
    }
}

/// A row with no heading above it: the date from its last dated cell, the owner from the first
/// cell that names a body, partners from the next, the task from the longest other cell.
pub fn read_without_heading(cells: &[&str], published: NaiveDate) -> Option<Row> {
    let (due_cell, found) = cells.iter().enumerate().rev().find_map(|(i, c)| due_in(c, published).map(|f| (i, f)))?;
    let named: Vec<(usize, Vec<String>)> = cells
        .iter()
        .enumerate()
        .filter(|&(i, c)| i != due_cell && c.chars().count() <= 120)
        .map(|(i, c)| (i, bodies_of(c, false)))
        .filter(|(_, b)| !b.is_empty())
        .collect();
    let owner_cell = named.first().map(|(i, _)| *i);
    let partner_cell = named.get(1).map(|(i, _)| *i);
    let task = cells
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != due_cell && Some(i) != owner_cell && Some(i) != partner_cell)
        .map(|(_, c)| *c)
        .max_by_key(|c| c.chars().count())
        .filter(|t| is_words(t))?;
    let owners = match owner_cell {
        Some(_) => named[0].1.clone(),
        None => read(task, None).bodies.owners,
    };
    let partners = partner_cell.map(|_| named[1].1.clone()).unwrap_or_default();
    let phrase = cells[due_cell][found.span.clone()].to_owned();
    Some(Row { task: task.to_owned(), bodies: Bodies { owners, partners }, found, phrase, deliverable: String::new() })
}

/// A table's heading that a PDF's text layer ran into one line: "STT Nhiệm vụ Cơ quan chủ trì Cơ
/// quan phối hợp Thời hạn"; `Some(true)` when it has a partners' column.
pub fn text_heading(line: &str) -> Option<bool> {
    let f = fold(line);
    let named = [
        f.starts_with("stt ") || f.starts_with("tt "),
        f.contains("nhiem vu") || f.contains("noi dung"),
        f.contains("chu tri"),
        f.contains("phoi hop"),
        f.contains("thoi han") || f.contains("thoi gian"),
    ];
    (named.iter().filter(|n| **n).count() >= 4 && !line.contains('/') && line.chars().count() < 160).then_some(named[3])
}

/// A row of such a table: "2 Triển khai … Sở Y tế Công an tỉnh, UBND các xã, phường Tháng 6/2026".
/// The date closes the line; before it, the run of bodies: bodies joined by a comma share a cell,
/// a bare space is where a column ended. The last cell is the partners' (when the heading has the
/// column and the run two cells or more), the one before it the owner's; the words before are the
/// task (which may end with a body of its own: "… thuộc tỉnh Bình Phước").
pub fn read_text_row(line: &str, published: NaiveDate, partner_column: bool) -> Option<Row> {
    let body = line.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['.', ')']).trim();
    let found = mentions(body);
    // The run of bodies next to each other at the end, before the date.
    let mut run: Vec<usize> = Vec::new();
    for (i, m) in found.iter().enumerate().rev() {
        let next_start = run.last().map(|&j| found[j].start);
        match next_start {
            None => {
                // The last body: only a date may follow it.
                let tail = body[m.end..].trim();
                if tail.is_empty() || due_in(tail, published).is_none() && !tail.chars().any(char::is_alphabetic) {
                    return None;
                }
                run.push(i);
            }
            Some(start) => {
                let gap = body[m.end..start].trim();
                if !(gap.is_empty() || gap == ",") {
                    break;
                }
                run.push(i);
            }
        }
    }
    run.reverse();
    let last = *run.last()?;
    let mut cells: Vec<Vec<usize>> = Vec::new();
    for (k, &i) in run.iter().enumerate() {
        let same_cell = k > 0 && body[found[run[k - 1]].end..found[i].start].trim() == ",";
        match cells.last_mut() {
            Some(cell) if same_cell => cell.push(i),
            _ => cells.push(vec![i]),
        }
    }
    let (owner_cell, partner_cell) = match cells.len() {
        0 => return None,
        1 => (cells[0].clone(), Vec::new()),
        n if partner_column => (cells[n - 2].clone(), cells[n - 1].clone()),
        n => (cells[n - 1].clone(), Vec::new()),
    };
    let task = body[..found[owner_cell[0]].start].trim();
    if !is_words(task) {
        return None;
    }
    let tail = body[found[last].end..].trim();
    let found_due = due_in(tail, published)?;
    let phrase = tail[found_due.span.clone()].to_owned();
    let owners = owner_cell.iter().map(|&i| found[i].name.clone()).collect();
    let partners = partner_cell.iter().map(|&i| found[i].name.clone()).collect();
    Some(Row {
        task: task.to_owned(),
        bodies: Bodies { owners, partners },
        found: found_due,
        phrase,
        deliverable: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_heading_row_names_the_columns_and_rows_follow_them() {
        let head =
            ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"];
        let columns = heading(&head).unwrap();
        let row = [
            "1",
            "Xây dựng nền tảng chia sẻ dữ liệu",
            "Sở Khoa học và Công nghệ",
            "Văn phòng UBND tỉnh, Công an tỉnh",
            "Nền tảng LGSP",
            "Quý II/2026",
        ];
        let read = columns.read(&row, d(2025, 12, 3)).unwrap();
        assert_eq!(read.bodies.owners, ["Sở Khoa học và Công nghệ"]);
        assert_eq!(read.bodies.partners, ["Văn phòng UBND tỉnh", "Công an tỉnh"]);
        assert_eq!(read.deliverable, "Nền tảng LGSP");
        assert_eq!(read.found.due.date, d(2026, 6, 30));
        assert!(heading(&row).is_none(), "a row with a date is no heading");
    }

    #[test]
    fn a_pdf_row_whose_columns_ran_together_is_read_from_its_end() {
        assert_eq!(text_heading("STT Nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Thời hạn"), Some(true));
        let row = read_text_row(
            "2 Triển khai sổ sức khỏe điện tử tại trạm y tế xã Sở Y tế Công an tỉnh, UBND các xã, phường Tháng 6/2026",
            d(2026, 1, 12),
            true,
        )
        .unwrap();
        assert_eq!(row.task, "Triển khai sổ sức khỏe điện tử tại trạm y tế xã");
        assert_eq!(row.bodies.owners, ["Sở Y tế"]);
        assert_eq!(row.bodies.partners, ["Công an tỉnh", "UBND các xã, phường"]);
        assert_eq!(row.found.due.date, d(2026, 6, 30));
        assert!(
            read_text_row(
                "4 Tiếp nhận hồ sơ Trung tâm Phục vụ hành chính công Văn phòng UBND tỉnh Thường xuyên",
                d(2026, 1, 12),
                true
            )
            .is_none()
        );
    }

    #[test]
    fn an_owner_cell_outside_the_lexicon_is_still_the_owner() {
        let columns = heading(&["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]).unwrap();
        let read =
            columns.read(&["2", "Số hóa hồ sơ lưu trữ", "Ban Quản lý dự án", "30/9/2026"], d(2026, 1, 5)).unwrap();
        assert_eq!(read.bodies.owners, ["Ban Quản lý dự án"]);
        assert_eq!(read.task, "Số hóa hồ sơ lưu trữ");
    }
}
