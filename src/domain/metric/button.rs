//! The wire format of a figure offered as a button: which metric, and what the question asked
//! (period, target, running total, region, province), so that tapping it answers the question for
//! that metric. Telegram allows 64 bytes of callback data.

use std::fmt;
use std::str::FromStr;

use super::asked::Asked;
use crate::domain::fold::fold;
use crate::domain::period::Period;

/// A figure offered as a button: `m:<metric id>:<period or ->[~<base>]:<flags>:<province>`, the
/// flags one letter each: t target, c running total, r regional, x change, a as of, w when, n count,
/// N national, f abroad, s share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricButton {
    pub metric_id: i64,
    pub asked: Asked,
}

/// Text that is not a metric button.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a metric button: {0:?}")]
pub struct NotMetricButton(pub String);

const PREFIX: &str = "m";
/// Telegram's limit on callback data.
const MAX_BYTES: usize = 64;

impl fmt::Display for MetricButton {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let asked = &self.asked;
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
        ]
        .iter()
        .filter_map(|(on, flag)| on.then_some(*flag))
        .collect();
        let head = format!("{PREFIX}:{}:{period}:{flags}:", self.metric_id);
        // A province's name with its tone marks may not fit; folded, it still finds the figures.
        let province = asked.province.as_deref().unwrap_or_default();
        let province = if head.len() + province.len() <= MAX_BYTES { province.to_owned() } else { fold(province) };
        let province: String = province.chars().take(MAX_BYTES.saturating_sub(head.len())).collect();
        write!(f, "{head}{province}")
    }
}

impl FromStr for MetricButton {
    type Err = NotMetricButton;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = || NotMetricButton(s.to_owned());
        let mut parts = s.splitn(5, ':');
        if parts.next() != Some(PREFIX) {
            return Err(fail());
        }
        let metric_id = parts.next().and_then(|id| id.parse().ok()).ok_or_else(fail)?;
        let slot = parts.next().ok_or_else(fail)?;
        let (period, base) = match slot.split_once('~') {
            Some((period, base)) => (period, Some(base.parse::<Period>().map_err(|_| fail())?)),
            None => (slot, None),
        };
        let period = match period {
            "-" => None,
            text => Some(text.parse::<Period>().map_err(|_| fail())?),
        };
        let flags = parts.next().ok_or_else(fail)?;
        let province = parts.next().ok_or_else(fail)?;
        Ok(Self {
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
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_button_reads_back_as_what_the_question_asked() {
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
        let button = MetricButton { metric_id: 42, asked };
        let text = button.to_string();
        assert!(text.len() <= MAX_BYTES, "{text}");
        assert_eq!(text.parse::<MetricButton>(), Ok(button));
        let plain = MetricButton { metric_id: 7, asked: Asked::default() };
        assert_eq!(plain.to_string(), "m:7:-::");
        assert_eq!("m:7:-::".parse::<MetricButton>(), Ok(plain));
    }

    #[test]
    fn a_long_province_is_folded_to_fit() {
        let asked = Asked {
            province: Some("Thừa Thiên Huế và những nơi có tên rất dài".into()), ..Asked::default()
        };
        let text = MetricButton { metric_id: 123_456, asked }.to_string();
        assert!(text.len() <= MAX_BYTES, "{} bytes: {text}", text.len());
        assert!(text.parse::<MetricButton>().is_ok());
    }

    #[test]
    fn other_data_is_not_a_metric_button() {
        for text in ["", "imp:1:save", "m:x:-::", "m:1:2024", "m:1:not-a-period::"] {
            assert!(text.parse::<MetricButton>().is_err(), "{text}");
        }
    }
}
