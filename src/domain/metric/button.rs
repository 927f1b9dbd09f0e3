//! A figure offered as a button: which metric, and what the question asked (period, target,
//! running total, region, province), so that tapping it answers the question for that metric.
//! Its wire format is [`crate::domain::callback`]'s, beside every other button's.

use super::asked::Asked;

/// A figure offered as a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricButton {
    pub metric_id: i64,
    pub asked: Asked,
}
