//! The per-owner report the Government Office's tracking gives: tasks assigned, due, done on time,
//! done late, within term and overdue, with the totals, as of a day.

use std::collections::HashMap;

use super::deadline::DeadlineFilter;
use super::extract::{canonical_owner, known_owner};
use super::fold::{contains_words, words};
use super::standing::{State, occurrences};
use super::task::Task;
use chrono::NaiveDate;

/// The four states counted, and what is derived from them. A monthly task counts once per
/// occurrence; cancelled work is kept apart and is not "assigned".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub done_on_time: u32,
    pub done_late: u32,
    pub within_term: u32,
    pub overdue: u32,
    pub cancelled: u32,
}

impl Counts {
    fn add(&mut self, state: State) {
        match state {
            State::DoneOnTime => self.done_on_time += 1,
            State::DoneLate => self.done_late += 1,
            State::WithinTerm => self.within_term += 1,
            State::Overdue => self.overdue += 1,
            State::Cancelled => self.cancelled += 1,
        }
    }

    /// Assigned: done, plus not done ("tổng số nhiệm vụ được giao").
    pub fn assigned(&self) -> u32 {
        self.done() + self.not_done()
    }

    pub fn done(&self) -> u32 {
        self.done_on_time + self.done_late
    }

    pub fn not_done(&self) -> u32 {
        self.within_term + self.overdue
    }

    /// Due: whose term has come, done or not (what the official completion rate is out of).
    pub fn due(&self) -> u32 {
        self.done() + self.overdue
    }

    /// Done on time out of those due; `None` when nothing is due yet.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.due() > 0).then(|| f64::from(self.done_on_time) / f64::from(self.due()))
    }

    /// Done out of those due: the official reports' "đã đến hạn và hoàn thành … (98,62%)".
    pub fn done_rate(&self) -> Option<f64> {
        (self.due() > 0).then(|| f64::from(self.done()) / f64::from(self.due()))
    }
}

/// One owner's line.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerCounts<'a> {
    /// The owner: the lexicon's name for it (`lexicon/owners.toml`), else as the directive names it
    /// (Vietnamese); empty when it names none.
    pub owner: &'a str,
    pub owner_en: &'a str,
    pub counts: Counts,
}

/// The report: owners with the most overdue first, the totals, and how many tasks had their
/// deadline adjusted.
#[derive(Debug, Clone, PartialEq)]
pub struct Report<'a> {
    pub as_of: NaiveDate,
    pub owners: Vec<OwnerCounts<'a>>,
    pub totals: Counts,
    pub adjusted: u32,
}

/// Counts the tasks `filter` selects on `today`: a period keeps the occurrences due in it; words
/// keep the tasks whose owner, directive, title or keywords hold them; anything else keeps all.
pub fn report<'a>(tasks: &'a [Task], filter: &DeadlineFilter, today: NaiveDate) -> Report<'a> {
    let query = match filter {
        DeadlineFilter::Keyword(text) => Some(words(text)),
        _ => None,
    };
    // An owner asked by a name the lexicon knows keeps its tasks however they write it ("BCA").
    let asked_owner = match filter {
        DeadlineFilter::Keyword(text) => known_owner(text),
        _ => None,
    };
    let mut by_owner: HashMap<String, OwnerCounts> = HashMap::new();
    let mut totals = Counts::default();
    let mut adjusted = 0;
    for task in tasks {
        let owners = task.owner_list();
        let same_owner = || asked_owner.is_some() && owners.iter().any(|o| known_owner(o) == asked_owner);
        if query.as_ref().is_some_and(|q| !contains_words(&task.search_text, q)) && !same_owner() {
            continue;
        }
        let mut counted = false;
        for (due, standing) in occurrences(task, today) {
            if let DeadlineFilter::Within(period) = filter
                && !(period.start() <= due && due <= period.end())
            {
                continue;
            }
            // One body is one row however its tasks name it ("Bộ Công an", "Bộ Công An", "BCA"),
            // under the lexicon's name; a body the lexicon does not list keeps its own words. A task
            // of several owners counts once for each (partners are no rows); the totals count it once.
            let unnamed = [""];
            let rows: &[&str] = if owners.is_empty() { &unnamed } else { &owners };
            for &owner in rows {
                if asked_owner.is_some() && same_owner() && known_owner(owner) != asked_owner {
                    continue;
                }
                let owner_en = if rows.len() == 1 { task.owner_en.as_str() } else { "" };
                let row = by_owner.entry(canonical_owner(owner)).or_insert_with(|| OwnerCounts {
                    owner: known_owner(owner).unwrap_or(owner),
                    owner_en,
                    counts: Counts::default(),
                });
                if row.owner_en.is_empty() {
                    row.owner_en = owner_en;
                }
                row.counts.add(standing.state());
            }
            totals.add(standing.state());
            counted = true;
        }
        let adjusted_any = match task.recurrence {
            None => task.adjusted_due.is_some(),
            Some(_) => !task.occurrences_adjusted.is_empty(),
        };
        if counted && adjusted_any {
            adjusted += 1;
        }
    }
    let mut owners: Vec<OwnerCounts> = by_owner.into_values().collect();
    owners.sort_by(|a, b| {
        (b.counts.overdue, b.counts.done_late, b.counts.assigned())
            .cmp(&(a.counts.overdue, a.counts.done_late, a.counts.assigned()))
            .then_with(|| a.owner.cmp(b.owner))
    });
    Report { as_of: today, owners, totals, adjusted }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::due::{Due, DuePrecision};
    use crate::domain::period::Period;
    use crate::domain::task::Status;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn task(id: i64, owner: &str, due: NaiveDate, done: Option<NaiveDate>) -> Task {
        let status = if done.is_some() { Status::Done } else { Status::Open };
        let mut t = Task::sample(id, "Việc", owner, Due { date: due, precision: DuePrecision::Day }, status);
        t.completed_on = done;
        t
    }

    #[test]
    fn the_official_figures_add_up_as_the_government_office_words_them() {
        // The 2017 report's shape: assigned = done + not done; done rate out of those due.
        let c = Counts { done_on_time: 14_068, done_late: 1_983, within_term: 5_640, overdue: 223, cancelled: 0 };
        assert_eq!(c.assigned(), 21_914);
        assert_eq!(c.done(), 16_051);
        assert_eq!(c.not_done(), 5_863);
        assert!((c.done_rate().unwrap() - 0.9863).abs() < 0.0001, "{:?}", c.done_rate());
    }

    #[test]
    fn owners_are_counted_in_four_states_most_overdue_first() {
        let today = d(2026, 11, 22);
        let tasks = vec![
            task(1, "Bộ A", d(2026, 11, 1), Some(d(2026, 10, 30))),
            task(2, "Bộ A", d(2026, 11, 1), Some(d(2026, 11, 5))),
            task(3, "Bộ A", d(2026, 12, 31), None),
            task(4, "UBND tỉnh B", d(2026, 10, 31), None),
            task(5, "UBND tỉnh B", d(2026, 9, 30), None),
            task(6, "Bộ A", d(2026, 11, 1), None),
        ];
        let r = report(&tasks, &DeadlineFilter::Open, today);
        let names: Vec<&str> = r.owners.iter().map(|o| o.owner).collect();
        assert_eq!(names, vec!["UBND tỉnh B", "Bộ A"], "two overdue before one");
        assert_eq!(
            r.owners[1].counts,
            Counts { done_on_time: 1, done_late: 1, within_term: 1, overdue: 1, cancelled: 0 }
        );
        assert_eq!(r.owners[1].counts.assigned(), 4);
        assert_eq!(r.owners[1].counts.due(), 3);
        assert_eq!(r.owners[1].counts.on_time_rate(), Some(1.0 / 3.0));
        assert_eq!(r.totals.overdue, 3);
        assert_eq!(r.totals.assigned(), 6);
    }

    #[test]
    fn one_body_is_one_row_however_its_tasks_write_it_under_the_lexicons_name() {
        let today = d(2026, 11, 22);
        let mut named = task(1, "Bộ Công an", d(2026, 11, 1), None);
        named.owner_en = "Ministry of Public Security".into();
        let tasks = vec![
            task(2, "BCA", d(2026, 10, 1), None),
            named,
            task(3, "Bộ Công An", d(2026, 12, 31), None),
            task(4, "Cục Thử nghiệm", d(2026, 12, 31), None),
        ];
        let r = report(&tasks, &DeadlineFilter::Open, today);
        let names: Vec<(&str, &str)> = r.owners.iter().map(|o| (o.owner, o.owner_en)).collect();
        assert_eq!(names, vec![("Bộ Công an", "Ministry of Public Security"), ("Cục Thử nghiệm", "")]);
        assert_eq!(r.owners[0].counts, Counts { within_term: 1, overdue: 2, ..Counts::default() });
        for asked in ["Bộ Công an", "BCA", "bộ công an"] {
            let r = report(&tasks, &DeadlineFilter::Keyword(asked.into()), today);
            assert_eq!(r.totals.assigned(), 3, "{asked}");
        }
    }

    #[test]
    fn a_period_keeps_the_occurrences_due_in_it_and_words_keep_an_owner() {
        let today = d(2026, 11, 22);
        let mut extended = task(2, "Bộ A", d(2026, 9, 30), None);
        extended.adjusted_due = Some(d(2026, 10, 15));
        let tasks = vec![task(1, "Bộ A", d(2026, 11, 1), None), extended, task(3, "Bộ Tư pháp", d(2026, 10, 2), None)];
        let october = report(&tasks, &DeadlineFilter::Within(Period::Month(2026, 10)), today);
        assert_eq!(october.totals.assigned(), 2, "the adjusted date decides the period");
        assert_eq!(october.adjusted, 1);
        let owner = report(&tasks, &DeadlineFilter::Keyword("tu phap".into()), today);
        assert_eq!(owner.owners.len(), 1);
        assert_eq!(owner.owners[0].owner, "Bộ Tư pháp");
    }
}
