//! The proposals a text makes as a person reviews them and the store keeps them: cleaned, and
//! without those dated outside [`DUE_YEARS`], so that what is shown is what is saved. The import,
//! the command line and the source watcher all take them from here.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};

use super::{Proposal, extract};
use crate::domain::text::{clean, clean_lines};

/// The years a due date may fall in: outside them it is a slip (1/1/1900), not a deadline.
pub const DUE_YEARS: RangeInclusive<i32> = 2000..=2100;

/// Whether a due date is one the bot accepts.
pub fn due_in_range(date: NaiveDate) -> bool {
    DUE_YEARS.contains(&date.year())
}

/// A proposal as it is shown and stored: the clause, owner and phrase cleaned.
pub fn cleaned_proposal(p: &Proposal) -> Proposal {
    Proposal {
        sentence: clean(&p.sentence),
        owner: clean(&p.owner),
        owners: p.owners.iter().map(|o| clean(o)).collect(),
        partners: p.partners.iter().map(|o| clean(o)).collect(),
        deliverable: clean(&p.deliverable),
        due_phrase: clean(&p.due_phrase),
        ..p.clone()
    }
}

/// Whether a cleaned proposal may be stored.
pub fn storable(p: &Proposal) -> bool {
    due_in_range(p.due.date) && !p.sentence.is_empty()
}

/// The tasks a text proposes, published on `published`, cleaned and storable.
pub fn proposals_in(text: &str, published: NaiveDate) -> Vec<Proposal> {
    extract(&clean_lines(text), published).iter().map(cleaned_proposal).filter(storable).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_are_cleaned_and_slips_of_the_year_left_out() {
        let published = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let text = "Bộ Công an\u{200b} hoàn thành kết nối dữ liệu trước ngày 31/3/2027.\n\
                    Bộ Tài chính hoàn thành quyết toán trước ngày 31/12/1900.";
        let found = proposals_in(text, published);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].owner, "Bộ Công an");
        assert!(!found[0].sentence.contains('\u{200b}'));
        assert_eq!(found[0].due.date, NaiveDate::from_ymd_opt(2027, 3, 31).unwrap());
    }
}
