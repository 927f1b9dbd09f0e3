//! Which tasks a `/deadlines` question asks for, in what order, and how far each is from its due date.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::due::{end_of_month, quarter_number};
use super::fold::{contains_words, fold, words};
use super::period::Period;
use super::task::{Status, Task};

/// What `/deadlines` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineFilter {
    /// No argument: open tasks, upcoming then overdue.
    Open,
    Upcoming,
    Overdue,
    All,
    /// Tasks due within a month, quarter, half or year, whatever their status.
    Within(Period),
    /// Tasks whose owner, title, keywords or directive hold every word.
    Keyword(String),
}

/// Why a `/deadlines` argument was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// Looks like a date but is not one ("13/2025", "6/20255").
    MalformedPeriod(String),
}

static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:thang\s+)?(\d{1,2})\s*[/.\-]\s*(\d{4})$").expect("valid"));
static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})$").expect("valid"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:nam\s+)?(\d{4})$").expect("valid"));
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:quy\s+(iv|iii|ii|i|[1-4])\s*[/.\-]\s*|q([1-4])\s*[/.\- ]\s*)(\d{4})$").expect("valid")
});
static DATE_LIKE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\d\s/.\-]+$").expect("valid"));

/// Reads the argument of `/deadlines`, in Vietnamese (with or without tone marks) or English.
pub fn parse_filter(arg: &str) -> Result<DeadlineFilter, FilterError> {
    let folded = fold(arg.trim());
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let filter = match folded.as_str() {
        "" => DeadlineFilter::Open,
        "upcoming" | "next" | "soon" | "sap toi" | "sap den han" | "sap het han" => DeadlineFilter::Upcoming,
        "overdue" | "late" | "qua han" | "tre han" | "cham tien do" | "cham" => DeadlineFilter::Overdue,
        "all" | "tat ca" | "het" => DeadlineFilter::All,
        "open" | "mo" | "dang mo" | "chua xong" => DeadlineFilter::Open,
        text => {
            if let Some(period) = parse_period_arg(text) {
                DeadlineFilter::Within(period)
            } else if DATE_LIKE.is_match(text) && text.chars().any(|c| c.is_ascii_digit()) && !YEAR.is_match(text) {
                return Err(FilterError::MalformedPeriod(arg.trim().to_owned()));
            } else if let Some(caps) = YEAR.captures(text) {
                let year: i32 = caps[1].parse().map_err(|_| FilterError::MalformedPeriod(arg.trim().to_owned()))?;
                DeadlineFilter::Within(Period::Year(year))
            } else {
                DeadlineFilter::Keyword(arg.trim().to_owned())
            }
        }
    };
    Ok(filter)
}

fn parse_period_arg(text: &str) -> Option<Period> {
    let month = |y: &str, m: &str| -> Option<Period> {
        let (year, month): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
        end_of_month(year, month).map(|_| Period::Month(year, month))
    };
    if let Some(c) = MONTH_YEAR.captures(text) {
        return month(&c[2], &c[1]);
    }
    if let Some(c) = YEAR_MONTH.captures(text) {
        return month(&c[1], &c[2]);
    }
    if let Some(c) = QUARTER.captures(text) {
        let quarter = quarter_number(c.get(1).or(c.get(2))?.as_str())?;
        return Some(Period::Quarter(c[3].parse().ok()?, quarter));
    }
    None
}

/// A task as listed on a given day: the occurrence it is due on and the days left (negative: overdue).
#[derive(Debug, Clone)]
pub struct Listed<'a> {
    pub task: &'a Task,
    pub due: NaiveDate,
    pub days_left: i64,
}

impl Listed<'_> {
    pub fn is_overdue(&self) -> bool {
        self.task.status == Status::Open && self.days_left < 0
    }

    /// The original date of a listed deadline that `/extend` adjusted: a one-off task's due date,
    /// or the date by its rule of the recurring task's occurrence listed; `None` when not adjusted.
    pub fn adjusted_from(&self) -> Option<NaiveDate> {
        let task = self.task;
        match task.recurrence {
            None => task.adjusted_due.map(|_| task.due.date),
            Some(_) => {
                task.occurrences_adjusted.iter().find(|&(_, due)| *due == self.due).map(|(occurrence, _)| *occurrence)
            }
        }
    }
}

/// The part of a listing a task is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Upcoming,
    Overdue,
    All,
    Matching,
}

#[derive(Debug, Clone)]
pub struct Section<'a> {
    pub kind: SectionKind,
    pub items: Vec<Listed<'a>>,
}

/// The due date of the occurrence of `task` that matters on `today`: its (adjusted) due date, or
/// for a recurring task that of [`current_occurrence`].
pub fn occurrence(task: &Task, today: NaiveDate) -> NaiveDate {
    match task.recurrence {
        Some(_) if task.status == Status::Open => task.due_of(current_occurrence(task, today)),
        // An adjusted deadline replaces the original for listing and reminding; the original is kept.
        _ => task.judged_due(),
    }
}

/// A recurring task's occurrence that matters on `today`, named by its date by the rule (what
/// `/done` and `/extend` mark): an earlier one whose deadline was moved to today or later and is
/// not done yet, else the next one not yet done. A one-off task's is its due date.
pub fn current_occurrence(task: &Task, today: NaiveDate) -> NaiveDate {
    match task.recurrence {
        Some(recurrence) if task.status == Status::Open => {
            let mut next = recurrence.next_on_or_after(task.due.date, today);
            let moved = task.occurrences_adjusted.iter().find(|&(occurrence, adjusted)| {
                *occurrence < next && *adjusted >= today && !task.done_occurrences.contains(occurrence)
            });
            if let Some((occurrence, _)) = moved {
                return *occurrence;
            }
            // Each occurrence is marked done on its own; skip those already done (bounded: a year's worth).
            for _ in 0..12 {
                if !task.done_occurrences.contains(&next) {
                    break;
                }
                next = recurrence.next_on_or_after(task.due.date, next.succ_opt().unwrap_or(next));
            }
            next
        }
        _ => task.due.date,
    }
}

fn listed(task: &Task, due: NaiveDate, today: NaiveDate) -> Listed<'_> {
    Listed { task, due, days_left: (due - today).num_days() }
}

/// Selects and orders the tasks a filter asks for, as of `today` (a date in the bot's time zone).
///
/// Upcoming tasks come soonest first; overdue ones most recently missed first, since those are the
/// ones a team can still act on; everything else by due date.
pub fn select<'a>(tasks: &'a [Task], filter: &DeadlineFilter, today: NaiveDate) -> Vec<Section<'a>> {
    let open_now = || tasks.iter().filter(|t| t.status == Status::Open).map(|t| listed(t, occurrence(t, today), today));
    let upcoming = || {
        let mut items: Vec<_> = open_now().filter(|l| l.days_left >= 0).collect();
        items.sort_by_key(|l| (l.due, l.task.id));
        Section { kind: SectionKind::Upcoming, items }
    };
    let overdue = || {
        let mut items: Vec<_> = open_now().filter(|l| l.days_left < 0).collect();
        items.sort_by_key(|l| (std::cmp::Reverse(l.due), l.task.id));
        Section { kind: SectionKind::Overdue, items }
    };
    let by_due = |kind, items: Vec<Listed<'a>>| {
        let mut items = items;
        items.sort_by_key(|l| (l.due, l.task.id));
        Section { kind, items }
    };
    match filter {
        DeadlineFilter::Open => vec![upcoming(), overdue()],
        DeadlineFilter::Upcoming => vec![upcoming()],
        DeadlineFilter::Overdue => vec![overdue()],
        DeadlineFilter::All => {
            vec![by_due(SectionKind::All, tasks.iter().map(|t| listed(t, occurrence(t, today), today)).collect())]
        }
        DeadlineFilter::Within(period) => {
            let items =
                tasks.iter().filter_map(|t| occurrence_within(t, *period).map(|due| listed(t, due, today))).collect();
            vec![by_due(SectionKind::Matching, items)]
        }
        DeadlineFilter::Keyword(query) => {
            let query = words(query);
            let items = tasks
                .iter()
                .filter(|t| contains_words(&t.search_text, &query))
                .map(|t| listed(t, occurrence(t, today), today))
                .collect();
            vec![by_due(SectionKind::Matching, items)]
        }
    }
}

/// The first occurrence of `task` within `period`, if any.
fn occurrence_within(task: &Task, period: Period) -> Option<NaiveDate> {
    match task.recurrence {
        Some(recurrence) => {
            let within = |due: &NaiveDate| period.start() <= *due && *due <= period.end();
            // The rule's first occurrence in the period that was not moved out of it, or one moved in.
            let mut by_rule = recurrence.occurrence_between(task.due.date, period.start(), period.end());
            while let Some(occurrence) = by_rule.filter(|o| !within(&task.due_of(*o))) {
                let after = occurrence.succ_opt().unwrap_or(occurrence);
                by_rule = recurrence.occurrence_between(task.due.date, after, period.end()).filter(|o| *o > occurrence);
            }
            let moved = task.occurrences_adjusted.values().copied().filter(within).min();
            by_rule.map(|o| task.due_of(o)).into_iter().chain(moved).min()
        }
        None => {
            let due = task.judged_due();
            (period.start() <= due && due <= period.end()).then_some(due)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::due::{Due, DuePrecision, Recurrence};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn task(id: i64, title: &str, owner: &str, due: NaiveDate, status: Status) -> Task {
        Task::sample(id, title, owner, Due { date: due, precision: DuePrecision::Month }, status)
    }

    #[test]
    fn filters_read_vietnamese_and_english() {
        assert_eq!(parse_filter(""), Ok(DeadlineFilter::Open));
        assert_eq!(parse_filter("quá hạn"), Ok(DeadlineFilter::Overdue));
        assert_eq!(parse_filter("qua han"), Ok(DeadlineFilter::Overdue));
        assert_eq!(parse_filter("Upcoming"), Ok(DeadlineFilter::Upcoming));
        assert_eq!(parse_filter("tất cả"), Ok(DeadlineFilter::All));
        assert_eq!(parse_filter("6/2025"), Ok(DeadlineFilter::Within(Period::Month(2025, 6))));
        assert_eq!(parse_filter("tháng 06/2025"), Ok(DeadlineFilter::Within(Period::Month(2025, 6))));
        assert_eq!(parse_filter("2025-06"), Ok(DeadlineFilter::Within(Period::Month(2025, 6))));
        assert_eq!(parse_filter("2025"), Ok(DeadlineFilter::Within(Period::Year(2025))));
        assert_eq!(parse_filter("quý III/2026"), Ok(DeadlineFilter::Within(Period::Quarter(2026, 3))));
        assert_eq!(parse_filter("Bộ Công an"), Ok(DeadlineFilter::Keyword("Bộ Công an".into())));
    }

    #[test]
    fn malformed_dates_are_refused_not_searched() {
        assert!(matches!(parse_filter("13/2025"), Err(FilterError::MalformedPeriod(_))));
        assert!(matches!(parse_filter("6/20255"), Err(FilterError::MalformedPeriod(_))));
        assert!(matches!(parse_filter("2025-13"), Err(FilterError::MalformedPeriod(_))));
    }

    #[test]
    fn open_listing_splits_upcoming_and_overdue() {
        let tasks = vec![
            task(1, "A", "Bộ Công an", d(2026, 12, 31), Status::Open),
            task(2, "B", "UBND tỉnh", d(2025, 6, 30), Status::Open),
            task(3, "C", "UBND tỉnh", d(2025, 3, 31), Status::Open),
            task(4, "D", "UBND tỉnh", d(2025, 7, 31), Status::Done),
        ];
        let sections = select(&tasks, &DeadlineFilter::Open, d(2026, 11, 22));
        let ids = |s: &Section| s.items.iter().map(|l| l.task.id).collect::<Vec<_>>();
        assert_eq!(ids(&sections[0]), vec![1]);
        assert_eq!(sections[0].items[0].days_left, 39);
        assert_eq!(ids(&sections[1]), vec![2, 3], "most recently missed first; done tasks are not overdue");
    }

    #[test]
    fn keyword_search_ignores_tone_marks() {
        let tasks = vec![
            task(1, "Số hóa dữ liệu đất đai", "UBND các tỉnh", d(2025, 6, 30), Status::Open),
            task(2, "Trung tâm dữ liệu quốc gia", "Bộ Công an", d(2025, 8, 31), Status::Open),
        ];
        let found = select(&tasks, &DeadlineFilter::Keyword("dat dai".into()), d(2025, 1, 1));
        assert_eq!(found[0].items.len(), 1);
        assert_eq!(found[0].items[0].task.id, 1);
        let found = select(&tasks, &DeadlineFilter::Keyword("bo cong an".into()), d(2025, 1, 1));
        assert_eq!(found[0].items[0].task.id, 2);
    }

    #[test]
    fn month_filter_includes_every_status_and_monthly_tasks() {
        let mut monthly = task(3, "Cập nhật phần mềm", "Bộ", d(2025, 3, 31), Status::Open);
        monthly.recurrence = Some(Recurrence::Monthly);
        let tasks = vec![
            task(1, "A", "X", d(2025, 6, 30), Status::Done),
            task(2, "B", "X", d(2025, 7, 1), Status::Open),
            monthly,
        ];
        let found = select(&tasks, &DeadlineFilter::Within(Period::Month(2025, 6)), d(2026, 1, 1));
        let ids: Vec<_> = found[0].items.iter().map(|l| (l.task.id, l.due)).collect();
        assert_eq!(ids, vec![(1, d(2025, 6, 30)), (3, d(2025, 6, 30))]);
        let before_start = select(&tasks, &DeadlineFilter::Within(Period::Month(2025, 2)), d(2026, 1, 1));
        assert!(before_start[0].items.is_empty());
    }

    #[test]
    fn a_monthly_task_is_never_overdue_as_a_whole() {
        let mut monthly = task(1, "Báo cáo", "Bộ", d(2025, 3, 31), Status::Open);
        monthly.recurrence = Some(Recurrence::Monthly);
        let tasks = vec![monthly];
        let sections = select(&tasks, &DeadlineFilter::Open, d(2026, 11, 22));
        assert_eq!(sections[0].items[0].due, d(2026, 11, 30));
        assert!(sections[1].items.is_empty());
    }

    #[test]
    fn a_done_occurrence_moves_a_monthly_task_to_the_next_month() {
        let mut monthly = task(1, "Báo cáo", "Bộ", d(2025, 3, 31), Status::Open);
        monthly.recurrence = Some(Recurrence::Monthly);
        monthly.done_occurrences = vec![d(2026, 11, 30)];
        assert_eq!(occurrence(&monthly, d(2026, 11, 22)), d(2026, 12, 31));
        monthly.done_occurrences.push(d(2026, 12, 31));
        assert_eq!(occurrence(&monthly, d(2026, 11, 22)), d(2027, 1, 31));
    }

    #[test]
    fn an_adjusted_occurrence_stays_current_until_done_and_is_found_in_the_period_it_moved_to() {
        let mut monthly = task(1, "Báo cáo", "Bộ", d(2025, 3, 31), Status::Open);
        monthly.recurrence = Some(Recurrence::Monthly);
        monthly.occurrences_adjusted.insert(d(2026, 11, 30), d(2026, 12, 10));
        assert_eq!(current_occurrence(&monthly, d(2026, 12, 5)), d(2026, 11, 30));
        assert_eq!(occurrence(&monthly, d(2026, 12, 5)), d(2026, 12, 10));
        assert_eq!(occurrence(&monthly, d(2026, 12, 11)), d(2026, 12, 31), "past its new date: the next month's");
        assert_eq!(occurrence_within(&monthly, Period::Month(2026, 11)), None, "moved out of November");
        assert_eq!(occurrence_within(&monthly, Period::Month(2026, 12)), Some(d(2026, 12, 10)));
        let listed = Listed { task: &monthly, due: d(2026, 12, 10), days_left: 5 };
        assert_eq!(listed.adjusted_from(), Some(d(2026, 11, 30)), "the original is the occurrence's date by the rule");
        monthly.done_occurrences.push(d(2026, 11, 30));
        assert_eq!(occurrence(&monthly, d(2026, 12, 5)), d(2026, 12, 31));
    }
}
