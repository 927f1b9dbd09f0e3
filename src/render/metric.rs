//! Figures as people read them: a `/metric` answer with its series and source, and `/metrics`.

use super::html::escape;
use super::i18n::{fill, texts};
use crate::domain::catalog::Catalog;
use crate::domain::lang::Lang;
use crate::domain::metric::{Metric, MetricAnswer, Observation, ObservationKind, Qualifier};
use crate::domain::number::{format_figure, format_plain};

/// How many metrics `/metrics` lists.
pub const MAX_METRICS_LISTED: usize = 120;

/// "18,3% GDP", "55,25 triệu tài khoản", "hạng 71/193", "152 tỷ USD".
pub fn figure(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    let unit = metric.unit(lang);
    let value = match obs.out_of {
        Some(total) => format!("{}/{}", format_plain(obs.value, 2, lang), format_plain(total, 2, lang)),
        None => format_figure(obs.value, lang),
    };
    let text = if unit.is_empty() {
        value
    } else if unit.starts_with('%') {
        format!("{value}{unit}")
    } else if obs.out_of.is_some() && matches!(unit, "hạng" | "rank") {
        format!("{unit} {value}")
    } else {
        format!("{value} {unit}")
    };
    match obs.qualifier {
        Some(q) => format!("{} {text}", qualifier_word(q, lang)),
        None => text,
    }
}

fn observation_line(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    let t = texts(lang);
    let mut period = obs.period.label(lang);
    if obs.kind == ObservationKind::Target {
        period = format!("{} {period}", t.metric_target);
    }
    if !obs.scope.is_empty() {
        period = format!("{period}, {}", obs.scope);
    }
    let mut line = format!("{}: <b>{}</b>", escape(&period), escape(&figure(metric, obs, lang)));
    if !obs.note(lang).is_empty() {
        line.push_str(&format!(" ({})", escape(obs.note(lang))));
    }
    line.push_str(&format!(" — <i>{}</i>", escape(&obs.source.citation(lang))));
    line
}

/// A `/metric` answer: the figure asked for with its source, the series, and related metrics.
pub fn metric_answer(answer: &MetricAnswer, query: &str, lang: Lang) -> String {
    let t = texts(lang);
    let Some(best) = answer.matches.first() else {
        let mut text = fill(t.metric_not_found, &[("query", &escape(query))]);
        if !answer.suggestions.is_empty() {
            text.push_str(&format!("\n{}", t.metric_suggest));
            for metric in &answer.suggestions {
                text.push_str(&format!("\n• /metric {}", escape(metric.name(lang))));
            }
        } else {
            text.push_str(&format!("\n{}", t.metric_usage));
        }
        return text;
    };
    let metric = best.metric;
    let mut parts = vec![format!("📊 <b>{}</b>", escape(metric.name(lang)))];
    let headline = metric.headline(answer.period);
    match (answer.period, headline.is_empty()) {
        (Some(period), true) => parts.push(fill(t.metric_no_period, &[("period", &escape(&period.label(lang)))])),
        _ => parts.push(headline.iter().map(|o| observation_line(metric, o, lang)).collect::<Vec<_>>().join("\n")),
    }
    let rest: Vec<&Observation> =
        metric.observations.iter().filter(|o| !headline.iter().any(|h| std::ptr::eq(*h, *o))).collect();
    if !rest.is_empty() {
        let mut series = vec![t.metric_series.to_owned()];
        series.extend(rest.iter().map(|o| format!("• {}", observation_line(metric, o, lang))));
        parts.push(series.join("\n"));
    }
    let related: Vec<String> =
        answer.matches.iter().skip(1).take(3).map(|m| format!("• /metric {}", escape(m.metric.name(lang)))).collect();
    if !related.is_empty() {
        parts.push(format!("{}\n{}", t.metric_also, related.join("\n")));
    }
    parts.join("\n\n")
}

/// `/metrics`: every metric by topic, with its latest figure.
pub fn metrics_list(catalog: &Catalog, lang: Lang) -> String {
    let t = texts(lang);
    if catalog.metrics.is_empty() {
        return t.metrics_empty.to_owned();
    }
    let mut parts = vec![fill(t.metrics_title, &[("n", &catalog.metrics.len().to_string())])];
    let mut listed = 0;
    let topics = catalog.topics.iter().map(|t| (t.key.as_str(), t.name(lang).to_owned()));
    let known: Vec<&str> = catalog.topics.iter().map(|t| t.key.as_str()).collect();
    let orphan_topics: Vec<(&str, String)> =
        catalog.metrics.iter().map(|m| m.topic.as_str()).filter(|k| !known.contains(k)).fold(
            Vec::new(),
            |mut acc, k| {
                if !acc.iter().any(|(seen, _)| *seen == k) {
                    acc.push((k, k.to_owned()));
                }
                acc
            },
        );
    for (key, name) in topics.chain(orphan_topics) {
        let lines: Vec<String> = catalog
            .metrics
            .iter()
            .filter(|m| m.topic == key)
            .map(|m| {
                let latest = m.headline(None).first().map(|o| {
                    // A metric known only by its target says so.
                    let target =
                        if o.kind == ObservationKind::Target { format!("{} ", t.metric_target) } else { String::new() };
                    format!(" — {target}{} ({})", figure(m, o, lang), o.period.label(lang))
                });
                format!("• {}{}", escape(m.name(lang)), escape(&latest.unwrap_or_default()))
            })
            .collect();
        if lines.is_empty() || listed >= MAX_METRICS_LISTED {
            continue;
        }
        let room = MAX_METRICS_LISTED - listed;
        listed += lines.len().min(room);
        parts.push(format!(
            "<b>{}</b>\n{}",
            escape(&name),
            lines.into_iter().take(room).collect::<Vec<_>>().join("\n")
        ));
    }
    if catalog.metrics.len() > listed {
        parts.push(fill(t.metrics_more, &[("n", &(catalog.metrics.len() - listed).to_string())]));
    }
    parts.join("\n\n")
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
