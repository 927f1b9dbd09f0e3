//! How much what a question asks besides its words (a region, a target, a period, a province, a
//! running total, a date, a change) favours one metric over another of the same words.

use super::asked::Asked;
use super::{Measure, Metric, ObservationKind};

/// How much what the question asks besides words favours a metric: a regional rank only when a
/// region is named; a metric with a target when a target is asked; one with a figure for the
/// period, the province or the running total asked.
pub(super) fn intent_factor(metric: &Metric, regional: bool, asked: &Asked) -> f64 {
    let mut factor = match (asked.regional, regional) {
        (true, true) => 1.6,
        (false, true) => 0.6,
        _ => 1.0,
    };
    let has = |f: &dyn Fn(&super::Observation) -> bool| metric.observations.iter().any(f);
    // A target asked favours the figures that have targets, over those that only count them.
    if asked.target {
        factor *= if has(&|o| o.kind == ObservationKind::Target) { 1.2 } else { 0.8 };
    }
    // Without a target asked, a figure that has only targets is the lesser answer.
    if !asked.target && !has(&|o| o.kind == ObservationKind::Actual) {
        factor *= 0.8;
    }
    if let Some(period) = asked.period
        && has(&|o| o.period.overlaps(period))
    {
        factor *= 1.2;
    }
    if let Some(province) = &asked.province
        && metric.has_province(&crate::domain::fold::fold(province))
    {
        factor *= 1.2;
    }
    if asked.cumulative && has(&|o| o.cumulative) {
        factor *= 1.1;
    }
    // A date asked favours dated events; a change asked, the metrics of stored changes.
    if asked.when && metric.measure == Measure::Event {
        factor *= 1.5;
    }
    if asked.change && metric.change_of.is_some() {
        factor *= 1.3;
    }
    factor
}
