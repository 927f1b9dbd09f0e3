//! Which of a metric's figures answers a question: the province's or the nation's, the target or
//! the actual figure, the running total or one period's, for the period asked or the latest.

use super::asked::Asked;
use super::{Metric, Observation, ObservationKind};
use crate::domain::fold::fold;

/// The figures that answer a question about one metric.
#[derive(Debug, Clone, Default)]
pub struct Lead<'a> {
    /// The figure(s) to lead with: one, or several of the same period and kind when sources differ.
    /// Empty when the metric has no figure for the period asked.
    pub observations: Vec<&'a Observation>,
    /// The province the question named when the metric has no figure for it: the figures are the
    /// national ones, and the answer must say so.
    pub scope_missing: Option<String>,
}

/// Chooses the figures of `metric` that answer `asked`.
pub fn lead<'a>(metric: &'a Metric, asked: &Asked) -> Lead<'a> {
    let all: Vec<&Observation> = metric.observations.iter().collect();
    let national: Vec<&Observation> = all.iter().copied().filter(|o| o.scope.is_national()).collect();
    // A metric known only from provinces still answers, labelled with its province.
    let national_or_all = if national.is_empty() { all.clone() } else { national };
    let (mut pool, scope_missing) = match &asked.province {
        Some(province) => {
            let wanted = fold(province);
            let local: Vec<&Observation> =
                all.iter().copied().filter(|o| o.scope.province().is_some_and(|p| fold(p) == wanted)).collect();
            if local.is_empty() { (national_or_all, Some(province.clone())) } else { (local, None) }
        }
        None => (national_or_all, None),
    };

    // The period first: a year known only by its target answers with the target, labelled so.
    if let Some(period) = asked.period {
        pool.retain(|o| o.period.overlaps(period));
    }
    let kind = if asked.target { ObservationKind::Target } else { ObservationKind::Actual };
    prefer(&mut pool, |o| o.kind == kind);
    // Without a period, "how many procedures were simplified" means all of them so far.
    let cumulative = asked.cumulative || asked.period.is_none();
    prefer(&mut pool, |o| o.cumulative == cumulative);

    let best = pool
        .iter()
        .map(|o| (asked.period == Some(o.period), o.period.end(), o.period.start()))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
    let observations = match best {
        Some((_, end, start)) => {
            pool.into_iter().filter(|o| o.period.end() == end && o.period.start() == start).collect()
        }
        None => Vec::new(),
    };
    Lead { observations, scope_missing }
}

/// Keeps the figures that have `wanted`, if any do.
fn prefer(pool: &mut Vec<&Observation>, wanted: impl Fn(&Observation) -> bool) {
    if pool.iter().any(|o| wanted(o)) {
        pool.retain(|o| wanted(o));
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{catalog, obs};
    use super::*;
    use crate::domain::metric::Scope;
    use crate::domain::period::Period;

    fn values(lead: &Lead) -> Vec<f64> {
        lead.observations.iter().map(|o| o.value).collect()
    }

    fn metric(key: &str) -> Metric {
        catalog().into_iter().find(|m| m.key == key).unwrap()
    }

    #[test]
    fn a_year_asked_gets_that_years_figure_not_the_running_total() {
        let m = metric("procedures");
        let asked = Asked { period: Some(Period::Year(2024)), ..Asked::default() };
        assert_eq!(values(&lead(&m, &asked)), vec![313.0]);
        let so_far = Asked { cumulative: true, ..Asked::default() };
        assert_eq!(values(&lead(&m, &so_far)), vec![898.0]);
        assert_eq!(values(&lead(&m, &Asked::default())), vec![898.0], "no period: the total so far");
    }

    #[test]
    fn a_target_question_gets_the_target_and_others_the_actual_figure() {
        let m = metric("de-share");
        assert_eq!(values(&lead(&m, &Asked { target: true, ..Asked::default() })), vec![20.5]);
        assert_eq!(values(&lead(&m, &Asked::default())), vec![18.3]);
    }

    #[test]
    fn a_province_gets_its_own_figure_or_the_national_one_flagged() {
        let m = metric("members");
        let asked = Asked { province: Some("Hà Giang".into()), ..Asked::default() };
        let l = lead(&m, &asked);
        assert_eq!(values(&l), vec![12131.0]);
        assert_eq!(l.scope_missing, None);
        let asked = Asked { province: Some("Sơn La".into()), ..Asked::default() };
        let l = lead(&m, &asked);
        assert_eq!(values(&l), vec![350000.0], "the national figure");
        assert!(l.observations[0].scope.is_national());
        assert_eq!(l.scope_missing.as_deref(), Some("Sơn La"));
        let national = lead(&m, &Asked::default());
        assert_eq!(values(&national), vec![350000.0], "without a province the national figure leads");
    }

    #[test]
    fn a_metric_known_only_in_a_province_still_answers_with_its_scope() {
        let mut m = metric("members");
        m.observations.retain(|o| !o.scope.is_national());
        let l = lead(&m, &Asked::default());
        assert_eq!(l.observations[0].scope, Scope::Province("Hà Giang".into()));
    }

    #[test]
    fn a_period_with_no_figure_leads_with_nothing() {
        let m = metric("de-share");
        let asked = Asked { period: Some(Period::Year(2019)), ..Asked::default() };
        assert!(lead(&m, &asked).observations.is_empty());
        let target_year = Asked { period: Some(Period::Year(2025)), ..Asked::default() };
        assert_eq!(values(&lead(&m, &target_year)), vec![20.5], "a year known only by its target");
        let june = Asked { period: Some(Period::Month(2022, 6)), ..Asked::default() };
        assert_eq!(values(&lead(&m, &june)), vec![10.41], "a June question holds the half-year figure");
        let _ = obs(1.0, "2024", ObservationKind::Actual);
    }
}
