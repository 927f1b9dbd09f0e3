//! The review of an imported text: its proposals, and the typed wire formats of the review (a
//! button's callback data, and the value a draft waits for after "edit").

use std::fmt;

use chrono::NaiveDate;
use std::str::FromStr;

use super::extract::Proposal;

/// A proposal under review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftItem {
    pub idx: i64,
    pub proposal: Proposal,
    pub keep: bool,
}

/// The date a text was published, which "năm nay" (this year) and "already past" depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// Shown near the top of the text.
    InText(NaiveDate),
    /// The text shows none: today is taken.
    Assumed(NaiveDate),
}

impl Published {
    pub fn date(self) -> NaiveDate {
        match self {
            Self::InText(date) | Self::Assumed(date) => date,
        }
    }
}

/// What a reviewer asks for. `EditDue` and `EditOwner` are also what a draft then waits for the
/// reviewer to type, and are stored as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Keep(i64),
    Drop(i64),
    EditDue(i64),
    EditOwner(i64),
    Save,
    Cancel,
}

#[cfg(test)]
impl ReviewAction {
    /// One of each, for the tests of the wire formats.
    pub const SAMPLES: [Self; 6] =
        [Self::Keep(1), Self::Drop(25), Self::EditDue(3), Self::EditOwner(4), Self::Save, Self::Cancel];
}

/// A button of the review: the draft it belongs to and what it does. Its wire format is
/// [`crate::domain::callback`]'s, beside every other button's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewButton {
    pub draft: i64,
    pub action: ReviewAction,
}

/// Text that is not a review action or button.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a review action: {0:?}")]
pub struct NotReview(pub String);

impl fmt::Display for ReviewAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Keep(idx) => write!(f, "{idx}:keep"),
            Self::Drop(idx) => write!(f, "{idx}:drop"),
            Self::EditDue(idx) => write!(f, "{idx}:due"),
            Self::EditOwner(idx) => write!(f, "{idx}:owner"),
            Self::Save => f.write_str("save"),
            Self::Cancel => f.write_str("cancel"),
        }
    }
}

impl FromStr for ReviewAction {
    type Err = NotReview;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = || NotReview(s.to_owned());
        match s {
            "save" => return Ok(Self::Save),
            "cancel" => return Ok(Self::Cancel),
            _ => {}
        }
        let (idx, action) = s.split_once(':').ok_or_else(fail)?;
        let idx: i64 = idx.parse().map_err(|_| fail())?;
        match action {
            "keep" => Ok(Self::Keep(idx)),
            "drop" => Ok(Self::Drop(idx)),
            "due" => Ok(Self::EditDue(idx)),
            "owner" => Ok(Self::EditOwner(idx)),
            _ => Err(fail()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_awaited_action_reads_back_as_itself() {
        for action in ReviewAction::SAMPLES {
            assert_eq!(action.to_string().parse::<ReviewAction>(), Ok(action));
        }
        for text in ["", "x:keep", "1:eat", "1"] {
            assert!(text.parse::<ReviewAction>().is_err(), "{text}");
        }
    }
}
