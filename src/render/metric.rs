//! Figures as people read them: a `/metric` answer with its series and source, and `/metrics`.

use super::html::escape;
use super::i18n::{fill, texts};
use super::keyboard::{Button, Keyboard};
use crate::domain::catalog::Catalog;
use crate::domain::lang::Lang;
use crate::domain::metric::{
    Asked, Confidence, Lead, Metric, MetricAnswer, MetricButton, Observation, ObservationKind, Qualifier, Scope, lead,
};
use crate::domain::number::{format_figure, format_plain};
use crate::domain::period::Period;

/// How many metrics `/metrics` lists.
pub const MAX_METRICS_LISTED: usize = 120;

/// "18,3% GDP", "55,25 triệu tài khoản", "hạng 71/193", "152 tỷ USD".
pub fn figure(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    let unit = metric.unit(lang);
    let value = match (obs.out_of, obs.upper) {
        (Some(total), _) => format!("{}/{}", format_plain(obs.value, 2, lang), format_plain(total, 2, lang)),
        // A range stays a range: "8–10%".
        (None, Some(upper)) => format!("{}–{}", format_figure(obs.value, lang), format_figure(upper, lang)),
        (None, None) => format_figure(obs.value, lang),
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

/// A headline figure's line, with the address of its source when one is known.
fn headline_line(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    let line = observation_line(metric, obs, lang);
    match obs.source.address() {
        Some(url) => format!("{line}\n🌐 {}", escape(url)),
        None => line,
    }
}

fn observation_line(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    let t = texts(lang);
    let mut period = obs.period.label(lang);
    if obs.kind == ObservationKind::Target {
        period = format!("{} {period}", t.metric_target);
    }
    period = format!("{period}, {}", scope_label(&obs.scope, lang));
    let mut line = format!("{}: <b>{}</b>", escape(&period), escape(&figure(metric, obs, lang)));
    if !obs.note(lang).is_empty() {
        line.push_str(&format!(" ({})", escape(obs.note(lang))));
    }
    line.push_str(&format!(" — <i>{}</i>", escape(&obs.source.citation(lang))));
    line
}

/// "cả nước", "Hà Giang": where a figure applies.
pub fn scope_label(scope: &Scope, lang: Lang) -> &str {
    scope.province().unwrap_or(texts(lang).scope_national)
}

/// One metric's answer: the figures that answer the question (or, for a period it has none for,
/// what it has), the rest of its series, and a note when a named province had to fall back to the
/// national figure.
fn metric_text(metric: &Metric, lead: &Lead, period: Option<Period>, lang: Lang) -> Vec<String> {
    let t = texts(lang);
    let mut parts = vec![format!("📊 <b>{}</b>", escape(metric.name(lang)))];
    if let Some(province) = &lead.scope_missing {
        parts.push(fill(t.metric_scope_missing, &[("province", &escape(province))]));
    }
    let headline = &lead.observations;
    match (period, headline.is_empty()) {
        (Some(period), true) => parts.push(fill(t.metric_no_period, &[("period", &escape(&period.label(lang)))])),
        _ => parts.push(headline.iter().map(|o| headline_line(metric, o, lang)).collect::<Vec<_>>().join("\n")),
    }
    let rest: Vec<&Observation> =
        metric.observations.iter().filter(|o| !headline.iter().any(|h| std::ptr::eq(*h, *o))).collect();
    if !rest.is_empty() {
        let mut series = vec![t.metric_series.to_owned()];
        series.extend(rest.iter().map(|o| format!("• {}", observation_line(metric, o, lang))));
        parts.push(series.join("\n"));
    }
    parts
}

/// Buttons for figures, each answering the question as asked.
fn figure_buttons(metrics: &[&Metric], asked: &Asked, lang: Lang) -> Vec<Vec<Button>> {
    metrics
        .iter()
        .map(|m| {
            let label: String = m.name(lang).chars().take(60).collect();
            vec![Button::new(&label, MetricButton { metric_id: m.id, asked: asked.clone() })]
        })
        .collect()
}

/// A `/metric` answer: the figure asked for with its source and series; when other figures come
/// close, buttons for them; when nothing matches, buttons for the closest figures.
pub fn metric_answer(answer: &MetricAnswer, query: &str, lang: Lang) -> Keyboard {
    let t = texts(lang);
    let Some(best) = answer.best() else {
        let mut html = fill(t.metric_not_found, &[("query", &escape(query))]);
        html.push_str(&format!("\n{}", if answer.alternatives.is_empty() { t.metric_usage } else { t.metric_suggest }));
        return Keyboard { html, buttons: figure_buttons(&answer.alternatives, &answer.asked, lang) };
    };
    let mut parts = metric_text(best.metric, &best.lead, answer.period, lang);
    let buttons = match answer.confidence {
        Confidence::Close if !answer.alternatives.is_empty() => {
            parts.push(t.metric_alternatives.to_owned());
            figure_buttons(&answer.alternatives, &answer.asked, lang)
        }
        _ => Vec::new(),
    };
    Keyboard { html: parts.join("\n\n"), buttons }
}

/// The answer for a figure picked from the buttons, to the question as it was asked.
pub fn picked(metric: &Metric, asked: &Asked, lang: Lang) -> String {
    metric_text(metric, &lead(metric, asked), asked.period, lang).join("\n\n")
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
                    // A metric known only by its target says so; every figure says where it applies.
                    let target =
                        if o.kind == ObservationKind::Target { format!("{} ", t.metric_target) } else { String::new() };
                    let scope = scope_label(&o.scope, lang);
                    format!(" — {target}{} ({}, {scope})", figure(m, o, lang), o.period.label(lang))
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
