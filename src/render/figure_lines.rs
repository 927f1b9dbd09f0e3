//! The lines of a figure answer: one line per fact (the same figure and period from several
//! outlets is one line with its sources), figures that differ shown together with why, a change
//! with both its ends, an event with its date.

use super::html::escape;
use super::i18n::{fill, texts};
use crate::domain::fold::fold;
use crate::domain::lang::Lang;
use crate::domain::metric::{Change, Measure, Metric, Observation, ObservationKind, Qualifier, Scope};
use crate::domain::number::{format_figure, format_plain};
use crate::domain::period::Period;

/// "18,3% GDP", "55,25 triệu tài khoản", "hạng 71/193", "152 tỷ USD"; an event's text.
pub fn figure(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    if metric.measure == Measure::Event || !obs.text_vi.is_empty() {
        return obs.text(lang).to_owned();
    }
    let value = match (obs.out_of, obs.upper) {
        (Some(total), _) => format!("{}/{}", format_plain(obs.value, 2, lang), format_plain(total, 2, lang)),
        // A range stays a range: "8–10%".
        (None, Some(upper)) => format!("{}–{}", format_figure(obs.value, lang), format_figure(upper, lang)),
        (None, None) => format_figure(obs.value, lang),
    };
    let text = with_unit(metric, value, obs.out_of.is_some(), lang);
    match obs.qualifier {
        Some(q) => format!("{} {text}", qualifier_word(q, lang)),
        None => text,
    }
}

/// A number with the metric's unit, as a reader writes it: "18,3% GDP", "hạng 71/193", "152 tỷ USD".
fn with_unit(metric: &Metric, value: String, ranked: bool, lang: Lang) -> String {
    let unit = metric.unit(lang);
    if unit.is_empty() {
        value
    } else if unit.starts_with('%') {
        format!("{value}{unit}")
    } else if metric.is_rank() && (ranked || matches!(unit, "hạng" | "rank")) {
        format!("{unit} {value}")
    } else {
        format!("{value} {unit}")
    }
}

/// "trên", "about": how the source hedged a figure.
pub fn qualifier_word(qualifier: Qualifier, lang: Lang) -> &'static str {
    let t = texts(lang);
    match qualifier {
        Qualifier::Over => t.qualifier_over,
        Qualifier::About => t.qualifier_about,
        Qualifier::Nearly => t.qualifier_nearly,
    }
}

/// "cả nước", "Hà Giang"; for a ranking, "Việt Nam": a country's rank is not "the whole country's".
pub fn place(metric: &Metric, scope: &Scope, lang: Lang) -> String {
    let t = texts(lang);
    match scope.province() {
        Some(province) => province.to_owned(),
        None if metric.is_rank() => t.scope_country.to_owned(),
        None => t.scope_national.to_owned(),
    }
}

/// "2024", "mục tiêu 2025", "mục tiêu (không nêu thời hạn)".
pub fn when(obs: &Observation, lang: Lang) -> String {
    let t = texts(lang);
    match (obs.kind, obs.period) {
        (ObservationKind::Target, Period::Unstated) => t.metric_target_undated.to_owned(),
        (ObservationKind::Target, period) => format!("{} {}", t.metric_target, period.label(lang)),
        (_, period) => period.label(lang),
    }
}

/// The note without what the line already says: a part restating the figure ("8–10%" of a figure
/// of 8–10%) is left out.
fn note(obs: &Observation, lang: Lang) -> String {
    let numbers: Vec<String> = [Some(obs.value), obs.upper]
        .into_iter()
        .flatten()
        .flat_map(|v| [format_plain(v, 2, lang), format_plain(v, 2, Lang::Vi), format_plain(v, 2, Lang::En)])
        .collect();
    let restates = |part: &str| {
        let digits: String = part.chars().filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.')).collect();
        !digits.is_empty() && numbers.iter().any(|n| part.contains(n.as_str())) && part.split_whitespace().count() <= 2
    };
    let kept: Vec<Vec<&str>> = obs
        .note(lang)
        .split("; ")
        .map(|clause| clause.split(", ").map(str::trim).filter(|p| !p.is_empty() && !restates(p)).collect())
        .collect();
    kept.iter().filter(|c| !c.is_empty()).map(|c| c.join(", ")).collect::<Vec<_>>().join("; ")
}

/// Groups figures that are one fact (same value, period, kind, scope), keeping their order.
pub fn facts<'a>(observations: &[&'a Observation]) -> Vec<Vec<&'a Observation>> {
    let mut groups: Vec<Vec<&Observation>> = Vec::new();
    for &obs in observations {
        match groups.iter_mut().find(|g| g[0].same_fact(obs)) {
            Some(group) => group.push(obs),
            None => groups.push(vec![obs]),
        }
    }
    groups
}

/// The sources of one fact, each once: "VOV, 06/02/2025; Báo Mới, 06/02/2025".
fn sources(fact: &[&Observation], lang: Lang) -> String {
    let mut cited: Vec<String> = Vec::new();
    for obs in fact {
        let citation = obs.source.citation(lang);
        if !cited.contains(&citation) {
            cited.push(citation);
        }
    }
    cited.join("; ")
}

/// One fact as a line: "2024, cả nước: <b>60 triệu tài khoản</b> (note) — <i>VOV; Báo Mới</i>".
pub fn fact_line(metric: &Metric, fact: &[&Observation], lang: Lang) -> String {
    let obs = fact[0];
    let head = format!("{}, {}", when(obs, lang), place(metric, &obs.scope, lang));
    let mut line = format!("{}: <b>{}</b>", escape(&head), escape(&figure(metric, obs, lang)));
    let notes: Vec<String> =
        fact.iter().map(|o| note(o, lang)).filter(|n| !n.is_empty()).fold(Vec::new(), |mut acc, n| {
            if !acc.iter().any(|a: &String| fold(a) == fold(&n)) {
                acc.push(n);
            }
            acc
        });
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", escape(&notes.join("; "))));
    }
    line.push_str(&format!(" — <i>{}</i>", escape(&sources(fact, lang))));
    line
}

/// Whether one value is the other rounded ("60 triệu" of 60.2 million).
fn rounded(a: f64, b: f64) -> bool {
    let (coarse, fine) = if a.fract() == 0.0 && b.fract() != 0.0 { (a, b) } else { (b, a) };
    // At least two significant digits: 60 million is not 55.25 million rounded.
    let magnitude = coarse.abs().max(1.0).log10().floor() as i32;
    let scale = 10f64.powi((magnitude - 1).max(0));
    coarse != fine && (fine / scale).round() * scale == coarse
}

/// The figures that answer, one line per fact; figures that differ for one period are introduced
/// as such, with the reason when it can be told ("one source rounds").
pub fn headline(metric: &Metric, observations: &[&Observation], lang: Lang) -> Vec<String> {
    let t = texts(lang);
    let groups = facts(observations);
    let mut lines = Vec::new();
    if groups.len() > 1 {
        let period = when(groups[0][0], lang);
        let values: Vec<f64> = groups.iter().map(|g| g[0].value).collect();
        let reason =
            if values.len() == 2 && rounded(values[0], values[1]) { t.metric_rounded } else { t.metric_sources_differ };
        lines.push(fill(reason, &[("period", &escape(&period))]));
        lines.extend(groups.iter().map(|g| format!("• {}", fact_line(metric, g, lang))));
    } else {
        lines.extend(groups.iter().map(|g| fact_line(metric, g, lang)));
    }
    lines
}

/// A change with both its ends: "Từ 40.590 tổ (tháng 6/2022) lên 75.000 tổ (tháng 6/2023): tăng
/// 34.410 tổ"; a stored one: "2024: tăng 15 bậc so với 2022".
/// A difference of `metric`'s figures as read: places for a rank, points for a share, else in its unit.
fn amount(metric: &Metric, difference: f64, lang: Lang) -> String {
    let t = texts(lang);
    if metric.is_rank() {
        format!("{} {}", format_plain(difference.abs(), 2, lang), t.metric_places)
    } else if metric.unit(lang).starts_with('%') {
        format!("{} {}", format_plain(difference.abs(), 2, lang), t.metric_points)
    } else {
        with_unit(metric, format_figure(difference.abs(), lang), false, lang)
    }
}

/// The figure measured against its target ("so với mục tiêu"): the target, and what is left to
/// reach it or by how much it was beaten (for a rank, a smaller number is better).
pub fn target_line(metric: &Metric, actual: &Observation, target: &Observation, lang: Lang) -> String {
    let t = texts(lang);
    let ahead = if metric.is_rank() { target.value - actual.value } else { actual.value - target.value };
    let template = match ahead {
        a if a < 0.0 => t.metric_target_short,
        a if a > 0.0 => t.metric_target_beaten,
        _ => t.metric_target_met,
    };
    let text = fill(
        template,
        &[
            ("when", &escape(&when(target, lang))),
            ("target", &escape(&figure(metric, target, lang))),
            ("gap", &escape(&amount(metric, ahead, lang))),
        ],
    );
    format!("{text} — <i>{}</i>", escape(&sources(&[target], lang)))
}

pub fn change_line(change: &Change, lang: Lang) -> String {
    let t = texts(lang);
    let metric = change.metric;
    let to = change.to;
    let Some(from) = change.from else {
        let mut line = format!("{}, {}: ", when(to, lang), place(metric, &to.scope, lang));
        line = escape(&line);
        line.push_str(&fill(t.metric_change_stored, &[("change", &escape(&figure(metric, to, lang)))]));
        if let Some(base) = to.base {
            line.push_str(&escape(&fill(t.metric_since, &[("base", &base.label(lang))])));
        }
        return format!("{line} — <i>{}</i>", escape(&sources(&[to], lang)));
    };
    let difference = change.difference();
    let amount = amount(metric, difference, lang);
    let template = match difference {
        d if d > 0.0 => t.metric_change_up,
        d if d < 0.0 => t.metric_change_down,
        _ => t.metric_change_same,
    };
    let text = fill(
        template,
        &[
            ("from", &escape(&figure(metric, from, lang))),
            ("from_period", &escape(&from.period.label(lang))),
            ("to", &escape(&figure(metric, to, lang))),
            ("to_period", &escape(&to.period.label(lang))),
            ("change", &escape(&amount)),
        ],
    );
    format!("{text} — <i>{}</i>", escape(&sources(&[from, to], lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_rounding_another_is_told_apart_from_sources_differing() {
        assert!(rounded(60.0, 60.2) && rounded(55.0, 55.25));
        assert!(!rounded(60.0, 55.25) && !rounded(20.0, 10.9));
    }
}
