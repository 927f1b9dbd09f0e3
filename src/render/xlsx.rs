//! Tasks and the per-owner report as an Excel workbook (written with `rust_xlsxwriter`): real
//! dates and numbers in cells, a frozen header row, filters on, widths that fit Vietnamese text.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::i18n::texts;
use super::tasks::precision_word;
use crate::domain::deadline::Listed;
use crate::domain::lang::Lang;
use crate::domain::report::Report;
use crate::domain::standing::{self, Standing};

/// Widest a column grows, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;
const DATE_FORMAT: &str = "dd/mm/yyyy";

/// A cell's value as written: text, a number, a date or nothing.
enum Cell {
    Text(String),
    Number(f64),
    Percent(Option<f64>),
    Date(Option<chrono::NaiveDate>),
}

impl Cell {
    /// Characters the cell shows, for the column's width.
    fn shown_chars(&self) -> usize {
        match self {
            Cell::Text(text) => text.chars().count(),
            Cell::Number(n) => n.to_string().len(),
            Cell::Percent(_) => 8,
            Cell::Date(_) => DATE_FORMAT.len(),
        }
    }
}

/// Writes a header and rows, then freezes the header, turns filters on and fits the widths.
fn sheet(worksheet: &mut Worksheet, headers: &[&str], rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new().set_num_format(DATE_FORMAT);
    let percent = Format::new().set_num_format("0.00%");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count().min(24)).collect();
    for (col, title) in headers.iter().enumerate() {
        worksheet.write_string_with_format(0, col as u16, *title, &header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(text) if text.chars().count() > MAX_WIDTH => {
                    worksheet.write_string_with_format(r, c, text, &wrap)?;
                }
                Cell::Text(text) => {
                    worksheet.write_string(r, c, text)?;
                }
                Cell::Number(n) => {
                    worksheet.write_number(r, c, *n)?;
                }
                Cell::Percent(Some(p)) => {
                    worksheet.write_number_with_format(r, c, *p, &percent)?;
                }
                Cell::Date(Some(day)) => {
                    worksheet.write_datetime_with_format(r, c, *day, &date)?;
                }
                Cell::Percent(None) | Cell::Date(None) => {}
            }
            widths[col] = widths[col].max(cell.shown_chars());
        }
    }
    for (col, width) in widths.iter().enumerate() {
        // A little more than the characters: Vietnamese letters with two marks sit taller and wider.
        worksheet.set_column_width(col as u16, (*width).min(MAX_WIDTH) as f64 * 1.1 + 2.0)?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    let last_row = rows.len() as u32;
    worksheet.autofilter(0, 0, last_row, headers.len() as u16 - 1)?;
    Ok(())
}

fn status_text(standing: Standing, lang: Lang) -> String {
    super::html::html_to_text(&super::tasks::standing_text(standing, lang))
}

/// The tasks sheet's rows, one per listed task (or occurrence).
fn task_rows(tasks: &[Listed], lang: Lang) -> Vec<Vec<Cell>> {
    tasks
        .iter()
        .map(|listed| {
            let task = listed.task;
            let today = listed.due - chrono::Duration::days(listed.days_left);
            let standing = standing::of_listed(listed, today);
            let original = listed.adjusted_from();
            let adjusted = original.map(|_| listed.due);
            let due = original.unwrap_or(listed.due);
            vec![
                Cell::Number(task.id as f64),
                Cell::Text(task.title(lang).to_owned()),
                Cell::Text(task.owner(lang).to_owned()),
                Cell::Text(task.partners.join(", ")),
                Cell::Text(task.deliverable.clone()),
                Cell::Text(task.accountable.clone()),
                Cell::Date(Some(due)),
                Cell::Text(precision_word(task.due.precision, lang).to_owned()),
                Cell::Date(adjusted),
                Cell::Text(status_text(standing, lang)),
                Cell::Number(standing.days_late() as f64),
                Cell::Date(standing.completed_on()),
                Cell::Text(
                    task.directive
                        .as_ref()
                        .map(|d| d.code.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| d.name(lang).to_owned()))
                        .unwrap_or_default(),
                ),
                Cell::Text(
                    task.source.as_ref().map(|s| format!("{} ({})", s.title, s.citation(lang))).unwrap_or_default(),
                ),
                Cell::Text(task.source.as_ref().and_then(|s| s.address()).unwrap_or_default().to_owned()),
            ]
        })
        .collect()
}

/// The report sheet's rows: one per owner, most overdue first, then the totals.
fn report_rows(report: &Report, lang: Lang) -> Vec<Vec<Cell>> {
    let t = texts(lang);
    let counts = |name: String, c: &crate::domain::report::Counts| {
        let n = |v: u32| Cell::Number(f64::from(v));
        vec![
            Cell::Text(name),
            n(c.assigned()),
            n(c.due()),
            n(c.done_on_time),
            n(c.done_late),
            n(c.within_term),
            n(c.overdue),
            Cell::Percent(c.on_time_rate()),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = report
        .owners
        .iter()
        .filter(|o| o.counts.assigned() > 0)
        .map(|o| {
            let name = match (lang, o.owner_en, o.owner) {
                (_, _, "") => t.owner_unnamed,
                (Lang::En, en, _) if !en.is_empty() => en,
                (_, _, vi) => vi,
            };
            counts(name.to_owned(), &o.counts)
        })
        .collect();
    rows.push(counts(t.xlsx_total.to_owned(), &report.totals));
    rows
}

/// The workbook: a sheet of tasks and a sheet with the per-owner report.
pub fn workbook(tasks: &[Listed], report: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = texts(lang);
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(t.xlsx_tasks_sheet)?;
    sheet(worksheet, t.xlsx_task_columns, &task_rows(tasks, lang))?;
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(t.xlsx_report_sheet)?;
    sheet(worksheet, t.xlsx_report_columns, &report_rows(report, lang))?;
    workbook.save_to_buffer()
}
