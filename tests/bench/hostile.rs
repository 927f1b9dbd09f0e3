//! The hostile PDFs' benchmark: each file read as the bot reads it, in a child process of the
//! release binary under its 2 GiB address-space cap, then its text read for tasks as a review is
//! opened. The reader's time budget is raised here so that the time a file really takes is seen;
//! the bot stops a reader at `TIME_BUDGET`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use hanchot::document::Isolation;
use hanchot::document::isolation::TIME_BUDGET;

use super::support::hostile_pdf::{inflates_to_a_gigabyte, page_its_own_parent, pages_of_a_line, self_drawing_form};

/// Pages of a line each that fill a file to just under the 10 MB a file may have.
const MOST_PAGES: usize = 30_000;

pub async fn hostile_pdfs(report: &mut String) {
    let reader = Isolation::new(Some(Path::new(env!("CARGO_BIN_EXE_hanchot")))).with_time(Duration::from_secs(300));
    let published = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let files: [(&str, Vec<u8>); 5] = [
        ("a form XObject that draws itself", self_drawing_form()),
        ("a page its own parent", page_its_own_parent()),
        ("1 MB inflating to 1 GiB", inflates_to_a_gigabyte()),
        ("2,000 pages of a line", pages_of_a_line(2000)),
        ("30,000 pages of a line (the 10 MB limit)", pages_of_a_line(MOST_PAGES)),
    ];
    let _ = writeln!(
        report,
        "\n## Hostile PDFs through the child reader (release binary, 2 GiB cap; the bot stops a reader at {} s)\n\n| file | bytes | outcome | reader | tasks read | total |\n|---|---|---|---|---|---|",
        TIME_BUDGET.as_secs()
    );
    for (what, bytes) in files {
        let start = Instant::now();
        let outcome = reader.read("hostile.pdf", &bytes).await;
        let read = start.elapsed();
        let (said, extraction) = match &outcome {
            Ok(text) => {
                let start = Instant::now();
                let proposals = hanchot::domain::extract::proposals_in(text, published);
                let took = start.elapsed();
                (format!("{} characters, {} proposals", text.chars().count(), proposals.len()), took)
            }
            Err(error) => (error.to_string(), Duration::ZERO),
        };
        let _ = writeln!(
            report,
            "| {what} | {} | {said} | {:.2} s | {:.2} s | {:.2} s |",
            bytes.len(),
            read.as_secs_f64(),
            extraction.as_secs_f64(),
            (read + extraction).as_secs_f64()
        );
    }
}
