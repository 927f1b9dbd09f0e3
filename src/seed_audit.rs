//! Reviewing seed files as a reviewer would: every task has an owner, a due date read from its own
//! words, and a source that can be opened; no task is there twice; every figure has an address.
//!
//! Parsing (`seeds`) rejects what cannot be loaded; this finds what loads but is wrong, so a test
//! can fail on it before a seed lands.

use std::collections::HashMap;
use std::fmt;

use crate::domain::due::parse_due_phrase;
use crate::domain::fold::fold;
use crate::seeds::{SeedSet, is_web_address};

/// What is wrong with one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flaw {
    /// The body that must act is not named.
    NoOwner,
    /// No time phrase: nothing says where `due` comes from.
    NoDuePhrase,
    /// The phrase does not read as the recorded due date and precision.
    DueMismatch { read: Option<String> },
    /// The task's or figure's source has no http(s) address.
    NoSourceAddress,
    /// The same task (same words, owner and due date) is seeded twice; the other key.
    Duplicate { of: String },
    /// Marked done on a date after the day it was reported done.
    CompletedAfterReport,
}

/// One flaw, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// The task's key, or the figure's metric.
    pub entry: String,
    pub flaw: Flaw,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.flaw {
            Flaw::NoOwner => "no owner".to_owned(),
            Flaw::NoDuePhrase => "no due_phrase".to_owned(),
            Flaw::DueMismatch { read: Some(read) } => format!("due_phrase reads as {read}, not as due"),
            Flaw::DueMismatch { read: None } => "due_phrase is not a time phrase".to_owned(),
            Flaw::NoSourceAddress => "its source has no http(s) url".to_owned(),
            Flaw::Duplicate { of } => format!("the same task as {of}"),
            Flaw::CompletedAfterReport => "completed_on is after its completion report".to_owned(),
        };
        write!(f, "{}: {}: {what}", self.file, self.entry)
    }
}

/// Every flaw of the set, in file order.
pub fn audit(seeds: &SeedSet) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<(String, String, chrono::NaiveDate), String> = HashMap::new();
    for file in &seeds.files {
        let mut flag =
            |entry: &str, flaw| problems.push(Problem { file: file.name.clone(), entry: entry.into(), flaw });
        let addressed = file.source.as_ref().is_some_and(|s| is_web_address(&s.url));
        for task in &file.tasks {
            if task.owner_list().is_empty() {
                flag(&task.key, Flaw::NoOwner);
            }
            if task.due_phrase.trim().is_empty() {
                flag(&task.key, Flaw::NoDuePhrase);
            } else if let Some(source) = &file.source {
                let read = parse_due_phrase(&task.due_phrase, source.published).map(|(due, _)| due);
                if read.is_none_or(|due| (due.date, due.precision) != (task.due, task.precision)) {
                    let read = read.map(|due| format!("{} ({})", due.date, due.precision.as_str()));
                    flag(&task.key, Flaw::DueMismatch { read });
                }
            }
            if !addressed {
                flag(&task.key, Flaw::NoSourceAddress);
            }
            if let (Some(on), Some(report)) = (task.completed_on, &task.completion_source)
                && on > report.date
            {
                flag(&task.key, Flaw::CompletedAfterReport);
            }
            let same = (fold(&task.title_vi), fold(&task.owner_list().join(", ")), task.due);
            match seen.get(&same) {
                Some(of) => flag(&task.key, Flaw::Duplicate { of: of.clone() }),
                None => {
                    seen.insert(same, task.key.clone());
                }
            }
        }
        if !addressed {
            for obs in &file.observations {
                flag(&obs.metric, Flaw::NoSourceAddress);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
[source]
key = "s"
title = "Bài"
publisher = "Báo"
published = 2026-02-16
url = "https://example.org/bai"

[[directives]]
key = "d"
name_vi = "Chỉ thị"
"#;

    fn task(key: &str, owner: &str, due: &str, precision: &str, phrase: &str) -> String {
        format!(
            "\n[[tasks]]\nkey = \"{key}\"\ndirective = \"d\"\ntitle_vi = \"Việc {key}\"\nowner = \"{owner}\"\n\
             due = {due}\nprecision = \"{precision}\"\ndue_phrase = \"{phrase}\"\n"
        )
    }

    fn flaws(text: &str) -> Vec<Flaw> {
        let set = SeedSet::parse(vec![("a.toml".into(), text.into())]).expect("parses");
        audit(&set).into_iter().map(|p| p.flaw).collect()
    }

    #[test]
    fn a_sound_task_has_no_flaw() {
        let text = format!("{SOURCE}{}", task("t", "Bộ Công an", "2026-12-31", "month", "trong tháng 12/2026"));
        assert_eq!(flaws(&text), vec![]);
    }

    #[test]
    fn a_task_without_owner_is_flagged() {
        let text = format!("{SOURCE}{}", task("t", " ", "2026-12-31", "month", "trong tháng 12/2026"));
        assert_eq!(flaws(&text), vec![Flaw::NoOwner]);
    }

    #[test]
    fn a_phrase_that_gives_another_date_or_none_is_flagged() {
        let wrong = format!("{SOURCE}{}", task("t", "Bộ Công an", "2026-12-31", "month", "trong tháng 11/2026"));
        assert!(matches!(flaws(&wrong)[..], [Flaw::DueMismatch { read: Some(_) }]), "{:?}", flaws(&wrong));
        let precision = format!("{SOURCE}{}", task("t", "Bộ Công an", "2026-12-31", "year", "trong tháng 12/2026"));
        assert!(matches!(flaws(&precision)[..], [Flaw::DueMismatch { .. }]));
        let none = format!("{SOURCE}{}", task("t", "Bộ Công an", "2026-12-31", "month", "sớm nhất có thể"));
        assert_eq!(flaws(&none), vec![Flaw::DueMismatch { read: None }]);
        let empty = format!("{SOURCE}{}", task("t", "Bộ Công an", "2026-12-31", "month", ""));
        assert_eq!(flaws(&empty), vec![Flaw::NoDuePhrase]);
    }

    #[test]
    fn a_source_without_address_flags_its_tasks_and_figures() {
        let source = SOURCE.replace("url = \"https://example.org/bai\"\n", "");
        let text = format!(
            "{source}{}\n[[observations]]\nmetric = \"m\"\nvalue = 1\nperiod = \"2026\"\nkind = \"actual\"\n",
            task("t", "Bộ Công an", "2026-12-31", "month", "trong tháng 12/2026")
        );
        assert_eq!(flaws(&text), vec![Flaw::NoSourceAddress, Flaw::NoSourceAddress]);
    }

    #[test]
    fn the_same_task_twice_is_flagged_whatever_its_key() {
        let one = task("t1", "Bộ Công an", "2026-12-31", "month", "trong tháng 12/2026");
        // Another key, the owner in capitals, another phrase for the same date: the same task.
        let two = task("t2", "BỘ CÔNG AN", "2026-12-31", "month", "hoàn thành trong tháng 12/2026")
            .replace("Việc t2", "Việc t1");
        assert_eq!(flaws(&format!("{SOURCE}{one}{two}")), vec![Flaw::Duplicate { of: "t1".into() }]);
        let other_date =
            task("t3", "Bộ Công an", "2026-11-30", "month", "trong tháng 11/2026").replace("Việc t3", "Việc t1");
        assert_eq!(flaws(&format!("{SOURCE}{one}{other_date}")), vec![]);
    }

    #[test]
    fn a_completion_after_its_report_is_flagged() {
        let done = format!(
            "{}completed_on = 2026-03-01\ncompletion_source = {{ title = \"Đã xong\", url = \"https://example.org/x\", date = 2026-02-20 }}\n",
            task("t", "Bộ Công an", "2026-03-31", "month", "trong tháng 3/2026")
        );
        assert_eq!(flaws(&format!("{SOURCE}{done}")), vec![Flaw::CompletedAfterReport]);
    }
}
