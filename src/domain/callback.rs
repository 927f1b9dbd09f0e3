//! Every button's callback data, built and read in one place: a figure offered with an answer
//! (`m:…`), a step of the import review (`imp:…`), and whatever else comes back (a button of an
//! older version, or data someone forged), which is [`Callback::Unknown`] and answered too.
//! Telegram allows 64 bytes of callback data.

use std::fmt;

use super::fold::fold;
use super::metric::{Asked, MetricButton};
use super::period::Period;
use super::review::{ReviewAction, ReviewButton};

/// Telegram's limit on callback data.
pub const MAX_BYTES: usize = 64;

const METRIC: &str = "m";
const REVIEW: &str = "imp";

/// What a pressed button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// `m:<metric id>:<period or ->[~<base>]:<flags>:<province>`, the flags one letter each: t
    /// target, c running total, r regional, x change, a as of, w when, n count, N national, f abroad,
    /// s share, p the year before as base, g measured against the target.
    Metric(MetricButton),
    /// `imp:<draft>:<idx>:<keep|drop|due|owner>` or `imp:<draft>:<save|cancel>`.
    Review(ReviewButton),
    /// Data no button of this version sends (kept, cut to the limit, for the log).
    Unknown(String),
}

impl Callback {
    /// Reads what Telegram sent back; anything unreadable is [`Callback::Unknown`].
    pub fn read(data: &str) -> Self {
        let read = match data.split_once(':').map(|(prefix, _)| prefix) {
            Some(METRIC) => read_metric(data).map(Self::Metric),
            Some(REVIEW) => read_review(data).map(Self::Review),
            _ => None,
        };
        read.unwrap_or_else(|| Self::Unknown(data.chars().take(MAX_BYTES).collect()))
    }
}

impl From<MetricButton> for Callback {
    fn from(button: MetricButton) -> Self {
        Self::Metric(button)
    }
}

impl From<ReviewButton> for Callback {
    fn from(button: ReviewButton) -> Self {
        Self::Review(button)
    }
}

impl fmt::Display for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Metric(button) => f.write_str(&metric_data(button)),
            Self::Review(button) => write!(f, "{REVIEW}:{}:{}", button.draft, button.action),
            Self::Unknown(data) => f.write_str(data),
        }
    }
}

fn metric_data(button: &MetricButton) -> String {
    let asked = &button.asked;
    let mut period = asked.period.map(|p| p.to_string()).unwrap_or_else(|| "-".to_owned());
    if let Some(base) = asked.base {
        period = format!("{period}~{base}");
    }
    let flags: String = [
        (asked.target, 't'),
        (asked.cumulative, 'c'),
        (asked.regional, 'r'),
        (asked.change, 'x'),
        (asked.as_of, 'a'),
        (asked.when, 'w'),
        (asked.count, 'n'),
        (asked.national, 'N'),
        (asked.abroad, 'f'),
        (asked.share, 's'),
        (asked.base_previous_year, 'p'),
        (asked.against_target, 'g'),
    ]
    .iter()
    .filter_map(|(on, flag)| on.then_some(*flag))
    .collect();
    let head = format!("{METRIC}:{}:{period}:{flags}:", button.metric_id);
    // A province's name with its tone marks may not fit; folded, it still finds the figures.
    let province = asked.province.as_deref().unwrap_or_default();
    let province = if head.len() + province.len() <= MAX_BYTES { province.to_owned() } else { fold(province) };
    let province: String = province.chars().take(MAX_BYTES.saturating_sub(head.len())).collect();
    format!("{head}{province}")
}

fn read_metric(data: &str) -> Option<MetricButton> {
    let mut parts = data.splitn(5, ':');
    if parts.next() != Some(METRIC) {
        return None;
    }
    let metric_id = parts.next()?.parse().ok()?;
    let slot = parts.next()?;
    let (period, base) = match slot.split_once('~') {
        Some((period, base)) => (period, Some(base.parse::<Period>().ok()?)),
        None => (slot, None),
    };
    let period = match period {
        "-" => None,
        text => Some(text.parse::<Period>().ok()?),
    };
    let flags = parts.next()?;
    let province = parts.next()?;
    Some(MetricButton {
        metric_id,
        asked: Asked {
            period,
            target: flags.contains('t'),
            cumulative: flags.contains('c'),
            regional: flags.contains('r'),
            province: (!province.is_empty()).then(|| province.to_owned()),
            base,
            change: flags.contains('x'),
            as_of: flags.contains('a'),
            when: flags.contains('w'),
            count: flags.contains('n'),
            national: flags.contains('N'),
            abroad: flags.contains('f'),
            share: flags.contains('s'),
            base_previous_year: flags.contains('p'),
            against_target: flags.contains('g'),
        },
    })
}

fn read_review(data: &str) -> Option<ReviewButton> {
    let rest = data.strip_prefix(REVIEW)?.strip_prefix(':')?;
    let (draft, action) = rest.split_once(':')?;
    Some(ReviewButton { draft: draft.parse().ok()?, action: action.parse::<ReviewAction>().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(callback: Callback) {
        let text = callback.to_string();
        assert!(text.len() <= MAX_BYTES, "{} bytes: {text}", text.len());
        assert_eq!(Callback::read(&text), callback, "{text}");
    }

    #[test]
    fn a_figure_button_reads_back_as_what_the_question_asked() {
        let asked = Asked {
            period: Some(Period::Half(2023, 1)),
            target: true,
            cumulative: false,
            regional: true,
            province: Some("Hà Giang".into()),
            base: Some(Period::Month(2022, 6)),
            change: true,
            as_of: true,
            count: true,
            ..Asked::default()
        };
        round_trip(Callback::Metric(MetricButton { metric_id: 42, asked }));
        let plain = MetricButton { metric_id: 7, asked: Asked::default() };
        assert_eq!(Callback::from(plain.clone()).to_string(), "m:7:-::");
        assert_eq!(Callback::read("m:7:-::"), Callback::Metric(plain));
    }

    #[test]
    fn a_long_province_is_folded_to_fit() {
        let asked = Asked {
            province: Some("Thừa Thiên Huế và những nơi có tên rất dài".into()), ..Asked::default()
        };
        let text = Callback::from(MetricButton { metric_id: 123_456, asked }).to_string();
        assert!(text.len() <= MAX_BYTES, "{} bytes: {text}", text.len());
        assert!(matches!(Callback::read(&text), Callback::Metric(_)), "{text}");
    }

    #[test]
    fn every_review_button_reads_back_as_itself() {
        for action in ReviewAction::SAMPLES {
            round_trip(Callback::Review(ReviewButton { draft: 42, action }));
        }
        let keep = ReviewButton { draft: 7, action: ReviewAction::Keep(2) };
        assert_eq!(Callback::from(keep).to_string(), "imp:7:2:keep");
    }

    #[test]
    fn foreign_broken_or_forged_data_is_unknown() {
        for text in [
            "",
            "imp",
            "imp:x:save",
            "imp:1:2:eat",
            "other:1:save",
            "imp:1:save:extra",
            "imp:1:x:keep",
            "m:x:-::",
            "m:1:2024",
            "m:1:not-a-period::",
            "m",
        ] {
            assert_eq!(Callback::read(text), Callback::Unknown(text.to_owned()), "{text}");
        }
        let long = "x".repeat(300);
        assert_eq!(Callback::read(&long), Callback::Unknown("x".repeat(MAX_BYTES)));
    }
}
