//! Which of a metric's figures answers a question: the province's or the nation's, the target or
//! the actual figure, the running total or one period's, for the period asked, as of a date, or
//! the latest; and when none honestly can, why.

use super::asked::Asked;
use super::{Measure, Metric, Observation, ObservationKind};
use crate::domain::fold::fold;
use crate::domain::period::Period;

/// Why no figure of a metric answers the question (the reply says what the bot has instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No figure for the period asked (or none at or before a date asked "as of").
    Period(Period),
    /// No figure for the place asked: `asked` is the province, or none for the whole country;
    /// `has` the provinces it does have figures for.
    Scope { asked: Option<String>, has: Vec<String> },
    /// A number asked of a metric of dated events ("how many 5G subscribers" of the 5G launch).
    NotACount,
    /// A change asked that neither a stored change nor two comparable figures give.
    NoChange,
    /// Another country asked: every figure here is Vietnam's.
    Abroad,
}

/// The figures that answer a question about one metric.
#[derive(Debug, Clone, Default)]
pub struct Lead<'a> {
    /// The figure(s) to lead with: one, or several of the same period and kind when sources differ.
    /// Empty when the metric has no figure that answers (see `refusal`).
    pub observations: Vec<&'a Observation>,
    /// The province the question named when the metric has no figure for it: the figures are the
    /// national ones, and the answer must say so.
    pub scope_missing: Option<String>,
    /// The period asked, when the figure that answers is for a longer period holding it (a quarter
    /// asked, the half-year's figure): the answer must say so.
    pub broader: Option<Period>,
    /// Why no figure answers.
    pub refusal: Option<Refusal>,
    /// The target the figures are measured against ("so với mục tiêu"): of the same place, the
    /// first one due at or after them, else the latest.
    pub target: Option<&'a Observation>,
}

impl<'a> Lead<'a> {
    fn refused(refusal: Refusal, scope_missing: Option<String>) -> Self {
        Lead { refusal: Some(refusal), scope_missing, ..Lead::default() }
    }
}

/// The figures of `metric` for the place asked: the province's, else the nation's (flagged), else
/// why not.
pub(super) fn in_scope<'a>(
    metric: &'a Metric,
    asked: &Asked,
) -> Result<(Vec<&'a Observation>, Option<String>), Refusal> {
    let all: Vec<&Observation> = metric.observations.iter().collect();
    let national: Vec<&Observation> = all.iter().copied().filter(|o| o.scope.is_national()).collect();
    let mut has: Vec<String> = all.iter().filter_map(|o| o.scope.province().map(str::to_owned)).collect();
    has.sort();
    has.dedup();
    match &asked.province {
        Some(province) => {
            let wanted = fold(province);
            let local: Vec<&Observation> =
                all.iter().copied().filter(|o| o.scope.province().is_some_and(|p| fold(p) == wanted)).collect();
            if !local.is_empty() {
                Ok((local, None))
            } else if !national.is_empty() {
                Ok((national, Some(province.clone())))
            } else {
                // Another province's figure is never shown as the nation's, nor as this one's.
                Err(Refusal::Scope { asked: Some(province.clone()), has })
            }
        }
        None if !national.is_empty() => Ok((national, None)),
        // The whole country asked of a figure only provinces have.
        None if asked.national && !all.is_empty() => Err(Refusal::Scope { asked: None, has }),
        // A metric known only from provinces still answers, labelled with its province.
        None => Ok((all, None)),
    }
}

/// Chooses the figures of `metric` that answer `asked`.
pub fn lead<'a>(metric: &'a Metric, asked: &Asked) -> Lead<'a> {
    if asked.abroad {
        return Lead::refused(Refusal::Abroad, None);
    }
    if metric.measure == Measure::Event && asked.count && !asked.when {
        return Lead::refused(Refusal::NotACount, None);
    }
    let (mut pool, scope_missing) = match in_scope(metric, asked) {
        Ok(found) => found,
        Err(refusal) => return Lead::refused(refusal, None),
    };
    let targets: Vec<&Observation> =
        pool.iter().copied().filter(|o| o.kind == ObservationKind::Target && asked.against_target).collect();

    // The period first: a year known only by its target answers with the target, labelled so.
    if let Some(period) = asked.period {
        if asked.as_of {
            pool.retain(|o| o.period != Period::Unstated && o.period.end() <= period.end());
        } else {
            pool.retain(|o| o.period.overlaps(period));
        }
        if pool.is_empty() {
            return Lead::refused(Refusal::Period(period), scope_missing);
        }
    }
    let kind = if asked.target { ObservationKind::Target } else { ObservationKind::Actual };
    prefer(&mut pool, |o| o.kind == kind);
    // Without a period, "how many procedures were simplified" means all of them so far.
    let cumulative = asked.cumulative || asked.period.is_none() || asked.as_of;
    prefer(&mut pool, |o| o.cumulative == cumulative);

    let best = pool
        .iter()
        .map(|o| (asked.period == Some(o.period), o.period.end(), o.period.start()))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
    let observations: Vec<&Observation> = match best {
        Some((_, end, start)) => {
            pool.into_iter().filter(|o| o.period.end() == end && o.period.start() == start).collect()
        }
        None => Vec::new(),
    };
    let broader = asked
        .period
        .filter(|&p| !asked.as_of && observations.first().is_some_and(|o| o.period != p && p.within(o.period)));
    let target = observations.first().filter(|o| o.kind == ObservationKind::Actual).and_then(|actual| {
        let due = |o: &&&Observation| o.period.end() >= actual.period.end() || o.period == Period::Unstated;
        let dated = |o: &&&Observation| (o.period == Period::Unstated, o.period.end());
        targets.iter().filter(due).min_by_key(dated).or_else(|| targets.iter().max_by_key(|o| o.period.end())).copied()
    });
    Lead { observations, scope_missing, broader, refusal: None, target }
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
        let elsewhere = lead(&m, &Asked { province: Some("Sơn La".into()), ..Asked::default() });
        assert!(elsewhere.observations.is_empty(), "another province's figure is never Sơn La's nor the nation's");
        assert_eq!(
            elsewhere.refusal,
            Some(Refusal::Scope { asked: Some("Sơn La".into()), has: vec!["Hà Giang".into()] })
        );
        let national = lead(&m, &Asked { national: true, ..Asked::default() });
        assert!(matches!(national.refusal, Some(Refusal::Scope { asked: None, .. })));
    }

    #[test]
    fn as_of_a_date_the_latest_figure_at_or_before_it_answers() {
        let m = metric("vneid");
        let july = Asked { period: Some(Period::Month(2023, 7)), as_of: true, ..Asked::default() };
        let l = lead(&m, &july);
        assert_eq!(values(&l), vec![48e6], "June 2023's figure, labelled with its own period");
        assert_eq!(l.broader, None);
        let plain_july = Asked { period: Some(Period::Month(2023, 7)), ..Asked::default() };
        assert_eq!(lead(&m, &plain_july).refusal, Some(Refusal::Period(Period::Month(2023, 7))));
    }

    #[test]
    fn against_its_target_the_actual_figure_leads_with_the_target_beside_it() {
        let m = metric("de-share");
        let asked = Asked { against_target: true, ..Asked::default() };
        let l = lead(&m, &asked);
        assert_eq!(values(&l), vec![18.3], "the actual figure");
        assert_eq!(l.target.map(|t| t.value), Some(20.5), "the first target due at or after it");
        assert!(lead(&m, &Asked::default()).target.is_none(), "no target unless asked against");
    }

    #[test]
    fn an_event_never_answers_a_count() {
        let mut m = metric("teams");
        m.measure = Measure::Event;
        let count = Asked { count: true, ..Asked::default() };
        assert_eq!(lead(&m, &count).refusal, Some(Refusal::NotACount));
        let when = Asked { count: true, when: true, ..Asked::default() };
        assert_eq!(lead(&m, &when).observations.len(), 1);
    }

    #[test]
    fn a_period_with_no_figure_leads_with_nothing() {
        let m = metric("de-share");
        let asked = Asked { period: Some(Period::Year(2019)), ..Asked::default() };
        assert!(lead(&m, &asked).observations.is_empty());
        let target_year = Asked { period: Some(Period::Year(2025)), ..Asked::default() };
        assert_eq!(values(&lead(&m, &target_year)), vec![20.5], "a year known only by its target");
        let june = Asked { period: Some(Period::Month(2022, 6)), ..Asked::default() };
        let l = lead(&m, &june);
        assert_eq!(values(&l), vec![10.41], "a June question holds the half-year figure");
        assert_eq!(l.broader, Some(Period::Month(2022, 6)), "and the answer must say it is the half-year's");
        assert_eq!(lead(&m, &asked).refusal, Some(Refusal::Period(Period::Year(2019))));
        let _ = obs(1.0, "2024", ObservationKind::Actual);
    }
}
