//! Where a task stands the way the Government Office counts: done on time, done late, not done
//! but within its term, overdue and not done, or cancelled; per occurrence for a monthly task.

use chrono::NaiveDate;
use serde::Serialize;

use super::deadline::Listed;
use super::task::{Status, Task};

/// One of the states the official reports count, with the days that qualify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not done, and its (adjusted) due date is today or later ("trong hạn").
    WithinTerm {
        days_left: i64,
    },
    /// Done on or before its (adjusted) due date; `on` is `None` for work marked done before
    /// completion dates were kept, which is counted on time since nothing says otherwise.
    DoneOnTime {
        on: Option<NaiveDate>,
    },
    /// Done after its (adjusted) due date, by `days`.
    DoneLate {
        on: NaiveDate,
        days: i64,
    },
    /// Not done and past its (adjusted) due date by `days` ("quá hạn").
    Overdue {
        days: i64,
    },
    Cancelled,
}

/// The state alone, for JSON, spreadsheets and counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, strum::Display, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum State {
    WithinTerm,
    DoneOnTime,
    DoneLate,
    Overdue,
    Cancelled,
}

impl Standing {
    pub fn state(self) -> State {
        match self {
            Standing::WithinTerm { .. } => State::WithinTerm,
            Standing::DoneOnTime { .. } => State::DoneOnTime,
            Standing::DoneLate { .. } => State::DoneLate,
            Standing::Overdue { .. } => State::Overdue,
            Standing::Cancelled => State::Cancelled,
        }
    }

    /// Days late (done late) or overdue; 0 otherwise.
    pub fn days_late(self) -> i64 {
        match self {
            Standing::DoneLate { days, .. } | Standing::Overdue { days } => days,
            _ => 0,
        }
    }

    /// The completion date, when it is known.
    pub fn completed_on(self) -> Option<NaiveDate> {
        match self {
            Standing::DoneOnTime { on } => on,
            Standing::DoneLate { on, .. } => Some(on),
            _ => None,
        }
    }
}

/// What became of one task or occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    NotDone,
    /// Done, on the date given when known.
    Done(Option<NaiveDate>),
    Cancelled,
}

/// Judges one task or occurrence due on `due` (the adjusted date when there is one) on `today`.
pub fn judge(due: NaiveDate, completion: Completion, today: NaiveDate) -> Standing {
    match completion {
        Completion::Cancelled => Standing::Cancelled,
        Completion::Done(Some(on)) if on > due => Standing::DoneLate { on, days: (on - due).num_days() },
        Completion::Done(on) => Standing::DoneOnTime { on },
        Completion::NotDone if today > due => Standing::Overdue { days: (today - due).num_days() },
        Completion::NotDone => Standing::WithinTerm { days_left: (due - today).num_days() },
    }
}

/// What became of `task`'s occurrence due on `due` (for a one-off task, the task itself).
pub fn completion(task: &Task, due: NaiveDate) -> Completion {
    match (task.status, task.recurrence) {
        (Status::Cancelled, _) => Completion::Cancelled,
        (_, Some(_)) if task.done_occurrences.contains(&due) => {
            Completion::Done(task.occurrences_completed.get(&due).copied())
        }
        (_, Some(_)) => Completion::NotDone,
        (Status::Done, None) => Completion::Done(task.completed_on),
        (Status::Open, None) => Completion::NotDone,
    }
}

/// Where a listed task (or occurrence) stands on `today`.
pub fn of_listed(listed: &Listed, today: NaiveDate) -> Standing {
    judge(listed.due, completion(listed.task, listed.due), today)
}

/// Every occurrence of `task` that counts on `today`, with its standing: a one-off task once; a
/// monthly task each month from its first due date up to the current month's, plus any done
/// ahead of time. A cancelled monthly task counts once, as cancelled.
pub fn occurrences(task: &Task, today: NaiveDate) -> Vec<(NaiveDate, Standing)> {
    // Each occurrence is judged against its (adjusted) due date, and counted at that date.
    let one = |occurrence: NaiveDate| {
        let due = task.due_of(occurrence);
        (due, judge(due, completion(task, occurrence), today))
    };
    match task.recurrence {
        None => vec![one(task.due.date)],
        Some(_) if task.status == Status::Cancelled => vec![one(task.due.date)],
        Some(recurrence) => {
            let current = recurrence.next_on_or_after(task.due.date, today);
            let mut dues = Vec::new();
            let mut due = task.due.date;
            while due <= current {
                dues.push(due);
                due = recurrence.next_on_or_after(task.due.date, due.succ_opt().unwrap_or(due));
                if dues.last() == Some(&due) {
                    break;
                }
            }
            dues.extend(task.done_occurrences.iter().copied().filter(|d| *d > current));
            dues.sort();
            dues.dedup();
            dues.into_iter().map(one).collect()
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

    fn task(due: NaiveDate, status: Status) -> Task {
        Task::sample(1, "Báo cáo", "Bộ Công an", Due { date: due, precision: DuePrecision::Day }, status)
    }

    #[test]
    fn the_five_states_follow_due_completion_and_today() {
        let due = d(2026, 11, 15);
        assert_eq!(judge(due, Completion::NotDone, d(2026, 11, 10)), Standing::WithinTerm { days_left: 5 });
        assert_eq!(judge(due, Completion::NotDone, due), Standing::WithinTerm { days_left: 0 });
        assert_eq!(judge(due, Completion::NotDone, d(2026, 11, 18)), Standing::Overdue { days: 3 });
        assert_eq!(
            judge(due, Completion::Done(Some(d(2026, 11, 1))), d(2026, 12, 1)),
            Standing::DoneOnTime { on: Some(d(2026, 11, 1)) }
        );
        assert_eq!(
            judge(due, Completion::Done(Some(due)), d(2026, 12, 1)),
            Standing::DoneOnTime { on: Some(due) },
            "done on the due date is on time"
        );
        assert_eq!(
            judge(due, Completion::Done(Some(d(2026, 11, 20))), d(2026, 12, 1)),
            Standing::DoneLate { on: d(2026, 11, 20), days: 5 }
        );
        assert_eq!(judge(due, Completion::Cancelled, d(2026, 12, 1)), Standing::Cancelled);
    }

    #[test]
    fn an_adjusted_deadline_is_what_on_time_is_judged_against() {
        let mut t = task(d(2026, 11, 15), Status::Done);
        t.completed_on = Some(d(2026, 11, 25));
        assert_eq!(occurrences(&t, d(2026, 12, 1))[0].1.state(), State::DoneLate);
        t.adjusted_due = Some(d(2026, 11, 30));
        assert_eq!(
            occurrences(&t, d(2026, 12, 1)),
            vec![(d(2026, 11, 30), Standing::DoneOnTime { on: Some(d(2026, 11, 25)) })]
        );
    }

    #[test]
    fn a_monthly_task_counts_each_occurrence_up_to_the_current_month() {
        let mut t = task(d(2026, 8, 31), Status::Open);
        t.recurrence = Some(Recurrence::Monthly);
        t.done_occurrences = vec![d(2026, 8, 31), d(2026, 9, 30)];
        t.occurrences_completed.insert(d(2026, 9, 30), d(2026, 10, 3));
        let got: Vec<State> = occurrences(&t, d(2026, 11, 10)).into_iter().map(|(_, s)| s.state()).collect();
        assert_eq!(got, vec![State::DoneOnTime, State::DoneLate, State::Overdue, State::WithinTerm]);
    }

    #[test]
    fn work_marked_done_without_a_date_counts_on_time() {
        let t = task(d(2025, 6, 30), Status::Done);
        assert_eq!(occurrences(&t, d(2026, 1, 1))[0].1, Standing::DoneOnTime { on: None });
    }
}
