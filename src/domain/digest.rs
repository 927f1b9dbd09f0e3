//! What a morning digest and a reminder contain, given the tasks, a chat's filter and today.

use chrono::NaiveDate;

use super::deadline::{Listed, occurrence};
use super::fold::contains_all_words;
use super::schedule::DigestTime;
use super::settings::ChatSettings;
use super::task::{Status, Task};

/// How many overdue tasks a digest names; the rest are counted.
pub const OVERDUE_NAMED: usize = 3;

/// A digest: what is due today, this week, in the next 30 days, and what is overdue.
#[derive(Debug, Clone)]
pub struct Digest<'a> {
    pub today: NaiveDate,
    pub due_today: Vec<Listed<'a>>,
    /// Due in 1–7 days.
    pub this_week: Vec<Listed<'a>>,
    /// Due in 8–30 days.
    pub next_30_days: Vec<Listed<'a>>,
    /// Open and past due, most recently missed first.
    pub overdue: Vec<Listed<'a>>,
}

impl Digest<'_> {
    pub fn is_empty(&self) -> bool {
        self.due_today.is_empty()
            && self.this_week.is_empty()
            && self.next_30_days.is_empty()
            && self.overdue.is_empty()
    }
}

/// Whether a task is one a chat follows: every task, or those matching its filter words.
pub fn follows(task: &Task, filter: &str) -> bool {
    // An owner by a name the lexicon knows follows its tasks however they write it, whichever of
    // their owners it is ("/subscribe BCA").
    let known = super::extract::known_owner(filter.trim());
    filter.trim().is_empty()
        || contains_all_words(&task.search_text, filter)
        || known.is_some_and(|k| task.owner_list().iter().any(|o| super::extract::known_owner(o) == Some(k)))
}

/// The digest a chat is owed on `today`, or `None`: none when its digest is off, and none when
/// nothing is due or overdue unless it asked for empty ones. The planner and `hanchot digest`
/// both decide with this.
pub fn owed<'a>(tasks: &'a [Task], filter: &str, today: NaiveDate, settings: &ChatSettings) -> Option<Digest<'a>> {
    if settings.digest == DigestTime::Off {
        return None;
    }
    Some(digest(tasks, filter, today)).filter(|d| !d.is_empty() || settings.empty_digest)
}

/// The digest for a chat following `filter`, on `today`. Done and cancelled tasks are left out.
pub fn digest<'a>(tasks: &'a [Task], filter: &str, today: NaiveDate) -> Digest<'a> {
    let mut digest =
        Digest { today, due_today: Vec::new(), this_week: Vec::new(), next_30_days: Vec::new(), overdue: Vec::new() };
    for task in tasks.iter().filter(|t| t.status == Status::Open && follows(t, filter)) {
        let due = occurrence(task, today);
        let listed = Listed { task, due, days_left: (due - today).num_days() };
        match listed.days_left {
            0 => digest.due_today.push(listed),
            1..=7 => digest.this_week.push(listed),
            8..=30 => digest.next_30_days.push(listed),
            n if n < 0 => digest.overdue.push(listed),
            _ => {}
        }
    }
    for list in [&mut digest.due_today, &mut digest.this_week, &mut digest.next_30_days] {
        list.sort_by_key(|l| (l.due, l.task.id));
    }
    digest.overdue.sort_by_key(|l| (std::cmp::Reverse(l.due), l.task.id));
    digest
}

/// A reminder owed today: `lead` days before the task's due date.
#[derive(Debug, Clone)]
pub struct Reminder<'a> {
    pub listed: Listed<'a>,
    pub lead: u32,
}

/// A monthly task is reminded only at lead times shorter than a month: a 30-day reminder would
/// arrive before the previous occurrence was even due.
pub const MONTHLY_MAX_LEAD: u32 = 27;

/// The reminders owed on `today` for the lead times `leads` (days before each due date).
pub fn reminders<'a>(tasks: &'a [Task], filter: &str, leads: &[u32], today: NaiveDate) -> Vec<Reminder<'a>> {
    let mut owed: Vec<Reminder<'a>> = tasks
        .iter()
        .filter(|t| t.status == Status::Open && follows(t, filter))
        .filter_map(|task| {
            let due = occurrence(task, today);
            let days_left = (due - today).num_days();
            let lead = u32::try_from(days_left).ok().filter(|d| leads.contains(d))?;
            if task.recurrence.is_some() && lead > MONTHLY_MAX_LEAD {
                return None;
            }
            Some(Reminder { listed: Listed { task, due, days_left }, lead })
        })
        .collect();
    owed.sort_by_key(|r| (r.listed.due, r.listed.task.id));
    owed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::due::{Due, DuePrecision};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn task(id: i64, owner: &str, due: NaiveDate, status: Status) -> Task {
        Task::sample(id, &format!("Nhiệm vụ {id}"), owner, Due { date: due, precision: DuePrecision::Day }, status)
    }

    #[test]
    fn a_digest_sorts_tasks_into_today_week_month_and_overdue() {
        let today = d(2025, 6, 2);
        let tasks = vec![
            task(1, "Bộ Công an", today, Status::Open),
            task(2, "Bộ Công an", d(2025, 6, 9), Status::Open),
            task(3, "UBND tỉnh", d(2025, 6, 10), Status::Open),
            task(4, "UBND tỉnh", d(2025, 7, 2), Status::Open),
            task(5, "UBND tỉnh", d(2025, 7, 3), Status::Open),
            task(6, "UBND tỉnh", d(2025, 5, 31), Status::Open),
            task(7, "UBND tỉnh", d(2025, 5, 1), Status::Done),
        ];
        let digest = digest(&tasks, "", today);
        let ids = |l: &[Listed]| l.iter().map(|x| x.task.id).collect::<Vec<_>>();
        assert_eq!(ids(&digest.due_today), vec![1]);
        assert_eq!(ids(&digest.this_week), vec![2]);
        assert_eq!(ids(&digest.next_30_days), vec![3, 4]);
        assert_eq!(ids(&digest.overdue), vec![6], "done tasks are never overdue; beyond 30 days is not listed");
    }

    #[test]
    fn a_filter_limits_the_digest_to_matching_owners() {
        let today = d(2025, 6, 2);
        let tasks = vec![task(1, "Bộ Công an", today, Status::Open), task(2, "UBND tỉnh", today, Status::Open)];
        let digest = digest(&tasks, "bo cong an", today);
        assert_eq!(digest.due_today.len(), 1);
        assert_eq!(digest.due_today[0].task.id, 1);
        assert!(super::digest(&tasks, "Bộ Tài chính", today).is_empty());
    }

    #[test]
    fn reminders_fall_on_the_lead_days() {
        let today = d(2025, 6, 2);
        let tasks = vec![
            task(1, "A", d(2025, 6, 9), Status::Open),
            task(2, "A", d(2025, 6, 3), Status::Open),
            task(3, "A", d(2025, 6, 4), Status::Open),
            task(4, "A", d(2025, 6, 2), Status::Cancelled),
            task(5, "A", d(2025, 7, 2), Status::Open),
        ];
        let owed = reminders(&tasks, "", &[30, 7, 1, 0], today);
        let got: Vec<(i64, u32)> = owed.iter().map(|r| (r.listed.task.id, r.lead)).collect();
        assert_eq!(got, vec![(2, 1), (1, 7), (5, 30)]);

        let mut monthly = task(6, "A", d(2025, 3, 31), Status::Open);
        monthly.recurrence = Some(crate::domain::due::Recurrence::Monthly);
        let monthly = vec![monthly];
        let lead = |day| reminders(&monthly, "", &[30, 7, 0], day).iter().map(|r| r.lead).collect::<Vec<_>>();
        assert_eq!(lead(d(2025, 7, 1)), Vec::<u32>::new(), "no 30-day reminder for a monthly task");
        assert_eq!(lead(d(2025, 7, 24)), vec![7], "each occurrence is reminded");
        assert_eq!(lead(d(2025, 7, 31)), vec![0]);
    }
}
