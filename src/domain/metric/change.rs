//! A change asked ("so với năm 2023 tăng bao nhiêu", "up how many places", "compared with 2022"):
//! a stored change whose base is the one asked, or the difference of two comparable figures of the
//! metric compared, from the base (or the figure before) to the period asked (or the latest).

use super::asked::Asked;
use super::lead::{Lead, Refusal, in_scope, lead};
use super::{Measure, Metric, Observation, ObservationKind};
use crate::domain::period::Period;

/// A change that answers a question.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The metric the change is of: a metric of stored changes ("places gained"), or the metric
    /// whose two figures are compared.
    pub metric: &'a Metric,
    /// The figure it is measured from, for a change computed from two figures; none for a stored one.
    pub from: Option<&'a Observation>,
    /// The later figure (computed), or the stored change.
    pub to: &'a Observation,
}

impl Change<'_> {
    /// The change: a stored one's value, or the later figure less the earlier (for a rank, the
    /// places gained: the earlier rank less the later).
    pub fn difference(&self) -> f64 {
        match self.from {
            Some(from) if self.metric.is_rank() => from.value - self.to.value,
            Some(from) => self.to.value - from.value,
            None => self.to.value,
        }
    }

    /// The period it is measured from, when known.
    pub fn base(&self) -> Option<Period> {
        self.from.map(|f| f.period).or(self.to.base)
    }
}

/// What answers a question about one metric: its figures, the change asked, or why neither.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub lead: Lead<'a>,
    pub change: Option<Change<'a>>,
    pub refusal: Option<Refusal>,
}

/// Resolves `asked` for `metric` (one of `metrics`): [`lead`], and the change when one is asked.
pub fn resolve<'a>(metrics: &'a [Metric], metric: &'a Metric, asked: &Asked, units: &[String]) -> Resolved<'a> {
    let lead = lead(metric, asked);
    let (change, refusal) = match lead.refusal.clone() {
        Some(refusal @ (Refusal::Abroad | Refusal::NotACount | Refusal::Scope { .. })) => (None, Some(refusal)),
        _ if asked.change => match change(metrics, metric, asked, units) {
            Some(found) => (Some(found), None),
            // A base asked that no figures reach: say so. Without one, "cắt giảm bao nhiêu %" of a
            // figure that is itself a cut asks the figure.
            None if asked.base.is_some() || asked.base_previous_year || lead.observations.is_empty() => {
                (None, Some(lead.refusal.clone().unwrap_or(Refusal::NoChange)))
            }
            None => (None, None),
        },
        refusal => (None, refusal),
    };
    Resolved { lead, change, refusal }
}

/// Two periods are one base when they end on the same day: "cuối năm 2022" is "2022", "T12/2021"
/// is "2021-12"; or when a year is asked and the stored base falls within it.
fn same_base(asked: Period, stored: Period) -> bool {
    let dated = asked != Period::Unstated && stored != Period::Unstated;
    asked == stored || (dated && asked.end() == stored.end())
        // "so với cùng kỳ năm 2021" of a change from June 2021: a year asked holds its months.
        || (dated && matches!(asked, Period::Year(_)) && stored.within(asked))
}

/// The change `asked` of `best` (a metric of changes, or a metric whose change is asked), looked up
/// among `metrics` for the metric it is the change of, or that is its change. `units`: the units the
/// question names ("tỷ USD"): a stored change in another unit (a growth rate) does not answer it.
pub fn change<'a>(metrics: &'a [Metric], best: &'a Metric, asked: &Asked, units: &[String]) -> Option<Change<'a>> {
    let by_key = |key: &str| metrics.iter().find(|m| m.key == key);
    let (stored, level) = match &best.change_of {
        Some(of) => (Some(best), by_key(of)),
        None => (metrics.iter().find(|m| m.change_of.as_deref() == Some(best.key.as_str())), Some(best)),
    };
    let dated;
    let asked = match previous_year(metrics, best, asked) {
        Some(base) => {
            dated = Asked { base: Some(base), ..asked.clone() };
            &dated
        }
        None => asked,
    };
    let counted_in =
        |m: &Metric, u: &String| m.unit_vi.to_lowercase().contains(u) || m.unit_en.to_lowercase().contains(u);
    // "tăng bao nhiêu tỷ USD" names the compared metric's unit: a growth rate does not answer it.
    let other_unit = |c: &Metric| level.is_some_and(|l| units.iter().any(|u| counted_in(l, u) && !counted_in(c, u)));
    if let Some(found) = stored.filter(|c| !other_unit(c)).and_then(|m| stored_change(m, asked)) {
        return Some(found);
    }
    level.filter(|m| m.measure == Measure::Level).and_then(|m| computed(m, asked))
}

/// "So với năm ngoái": the year before the period asked, or before the latest figure's year of
/// `best` (for a metric of changes, of the metric it changes).
pub fn previous_year(metrics: &[Metric], best: &Metric, asked: &Asked) -> Option<Period> {
    use chrono::Datelike;
    if !asked.base_previous_year || asked.base.is_some() {
        return None;
    }
    let of = best.change_of.as_deref().and_then(|key| metrics.iter().find(|m| m.key == key));
    let metric = of.unwrap_or(best);
    let year = match asked.period {
        Some(p) => p.end().year(),
        None => {
            let (pool, _) = in_scope(metric, asked).ok()?;
            pool.iter()
                .filter(|o| o.kind == ObservationKind::Actual && o.period != Period::Unstated)
                .map(|o| o.period.end().year())
                .max()?
        }
    };
    Some(Period::Year(year - 1))
}

/// A stored change for the period asked (or the latest) whose base is the one asked, if any.
fn stored_change<'a>(metric: &'a Metric, asked: &Asked) -> Option<Change<'a>> {
    // The nation's change never stands for a province asked.
    let (pool, None) = in_scope(metric, asked).ok()? else { return None };
    pool.into_iter()
        .filter(|o| o.kind == ObservationKind::Actual)
        .filter(|o| asked.period.is_none_or(|p| o.period.overlaps(p) || (asked.as_of && o.period.end() <= p.end())))
        .filter(|o| asked.base.is_none_or(|b| o.base.is_some_and(|ob| same_base(b, ob))))
        .max_by_key(|o| (o.period.end(), std::cmp::Reverse(o.period.start())))
        .map(|to| Change { metric, from: None, to })
}

/// The difference of two actual figures of `metric`, of one place and one kind of total.
fn computed<'a>(metric: &'a Metric, asked: &Asked) -> Option<Change<'a>> {
    let (pool, None) = in_scope(metric, asked).ok()? else { return None };
    let pool: Vec<&Observation> =
        pool.into_iter().filter(|o| o.kind == ObservationKind::Actual && o.period != Period::Unstated).collect();
    let latest = |candidates: Vec<&'a Observation>| {
        candidates.into_iter().max_by_key(|o| (o.period.end(), std::cmp::Reverse(o.period.start()), o.cumulative))
    };
    let to = latest(
        pool.iter()
            .copied()
            .filter(|o| {
                asked.period.is_none_or(|p| if asked.as_of { o.period.end() <= p.end() } else { o.period.overlaps(p) })
            })
            .collect(),
    )?;
    // A running total and one period's figure compare only for a level (accounts, services): a
    // metric of flows (procedures simplified in 2024, and in all) keeps its two kinds apart.
    let flows = flows(&pool);
    let comparable = |o: &&Observation| {
        (o.cumulative == to.cumulative || !flows) && o.scope == to.scope && o.period.end() < to.period.end()
    };
    let from = match asked.base {
        Some(base) => latest(pool.iter().copied().filter(comparable).filter(|o| o.period.overlaps(base)).collect()),
        None => latest(pool.iter().copied().filter(comparable).collect()),
    }?;
    Some(Change { metric, from: Some(from), to })
}

/// Whether the figures are flows: some period has both a running total and that period's own figure.
fn flows(pool: &[&Observation]) -> bool {
    pool.iter().any(|a| pool.iter().any(|b| a.period == b.period && a.cumulative != b.cumulative))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{catalog, obs};
    use super::*;

    fn teams_catalog() -> Vec<Metric> {
        let mut metrics = catalog();
        let teams = metrics.iter_mut().find(|m| m.key == "teams").unwrap();
        teams.observations.push(obs(40590.0, "2022-06", ObservationKind::Actual));
        teams.prepare();
        let mut added = super::super::fixtures::metric(
            "teams-added",
            "Tổ tăng thêm",
            "Teams added",
            &[],
            vec![{
                let mut o = obs(6000.0, "2023-H1", ObservationKind::Actual);
                o.base = Some(Period::Year(2022));
                o
            }],
        );
        added.change_of = Some("teams".into());
        metrics.push(added);
        metrics
    }

    #[test]
    fn a_base_asked_computes_from_two_figures_or_takes_the_stored_change() {
        let metrics = teams_catalog();
        let teams = metrics.iter().find(|m| m.key == "teams").unwrap();
        let since_june = Asked { base: Some(Period::Month(2022, 6)), change: true, ..Asked::default() };
        let c = change(&metrics, teams, &since_june, &[]).unwrap();
        assert_eq!((c.from.unwrap().value, c.to.value, c.difference()), (40590.0, 75000.0, 34410.0));
        let since_end_2022 = Asked { base: Some(Period::Year(2022)), change: true, ..Asked::default() };
        let c = change(&metrics, teams, &since_end_2022, &[]).unwrap();
        assert_eq!((c.metric.key.as_str(), c.difference()), ("teams-added", 6000.0), "the stored change of that base");
        let no_base = Asked { change: true, ..Asked::default() };
        assert_eq!(change(&metrics, teams, &no_base, &[]).unwrap().metric.key, "teams-added");
        let before = Asked { base: Some(Period::Year(2019)), change: true, ..Asked::default() };
        assert!(change(&metrics, teams, &before, &[]).is_none(), "no figure at the base: no change");
    }

    #[test]
    fn the_year_before_is_the_base_of_last_year() {
        let metrics = catalog();
        let vneid = metrics.iter().find(|m| m.key == "vneid").unwrap();
        let last_year = Asked { base_previous_year: true, change: true, ..Asked::default() };
        assert_eq!(previous_year(&metrics, vneid, &last_year), Some(Period::Year(2023)), "the year before the latest");
        let c = change(&metrics, vneid, &last_year, &[]).unwrap();
        assert_eq!((c.from.unwrap().period, c.to.period), (Period::Month(2023, 6), Period::Year(2024)));
        let of_2024 = Asked { period: Some(Period::Year(2025)), ..last_year.clone() };
        assert_eq!(previous_year(&metrics, vneid, &of_2024), Some(Period::Year(2024)), "the year before the one asked");
        let named = Asked { base: Some(Period::Year(2021)), ..last_year };
        assert_eq!(previous_year(&metrics, vneid, &named), None, "a base named wins");
    }

    #[test]
    fn a_rank_gains_places_when_its_number_falls() {
        let mut metrics = catalog();
        let egdi = metrics.iter_mut().find(|m| m.key == "egdi").unwrap();
        egdi.unit_vi = "hạng".into();
        egdi.observations.push(obs(86.0, "2022", ObservationKind::Actual));
        egdi.prepare();
        let egdi = metrics.iter().find(|m| m.key == "egdi").unwrap();
        let asked = Asked { base: Some(Period::Year(2022)), change: true, ..Asked::default() };
        assert_eq!(change(&metrics, egdi, &asked, &[]).unwrap().difference(), 15.0);
    }
}
