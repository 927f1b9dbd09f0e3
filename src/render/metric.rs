//! Figures as people read them: a `/metric` answer with its series and source, and `/metrics`.

use super::html::escape;
use super::i18n::{fill, texts};
use super::keyboard::{Button, Keyboard};
use crate::domain::callback::Callback;
use crate::domain::catalog::Catalog;
use crate::domain::lang::Lang;
use crate::domain::metric::{
    Asked, Confidence, Metric, MetricAnswer, MetricButton, Observation, Refusal, Resolved, Scope, resolve,
};

/// How many metrics `/metrics` lists.
pub const MAX_METRICS_LISTED: usize = 120;

use super::figure_lines::{change_line, fact_line, facts, headline, place, target_line, when};
pub use super::figure_lines::{figure, qualifier_word};

/// What the bot has of a metric, besides what leads: the rest of its figures, one line per fact.
fn series(metric: &Metric, leading: &[&Observation], lang: Lang) -> Vec<String> {
    let rest: Vec<&Observation> =
        metric.observations.iter().filter(|o| !leading.iter().any(|h| std::ptr::eq(*h, *o))).collect();
    facts(&rest).iter().map(|fact| format!("• {}", fact_line(metric, fact, lang))).collect()
}

/// The one heading of a refusal: the figure, why it cannot answer, and that what follows is what
/// the bot has instead.
fn refusal_heading(metric: &Metric, refusal: &Refusal, asked: &Asked, query: &str, lang: Lang) -> String {
    let t = texts(lang);
    let name = format!("📊 <b>{}</b>", escape(metric.name(lang)));
    let reason = match refusal {
        Refusal::Period(period) if asked.as_of => {
            fill(t.metric_refused_as_of, &[("period", &escape(&period.label(lang)))])
        }
        Refusal::Period(period) => fill(t.metric_refused_period, &[("period", &escape(&period.label(lang)))]),
        Refusal::Scope { asked: Some(province), has } => {
            fill(t.metric_refused_scope, &[("province", &escape(province)), ("has", &escape(&has.join(", ")))])
        }
        Refusal::Scope { asked: None, has } => fill(t.metric_refused_national, &[("has", &escape(&has.join(", ")))]),
        Refusal::NotACount => return fill(t.metric_refused_count, &[("query", &escape(query)), ("name", &name)]),
        Refusal::Abroad => return fill(t.metric_refused_abroad, &[("name", &name)]),
        Refusal::NoChange => {
            let since = asked.base.map(|b| fill(t.metric_since, &[("base", &b.label(lang))])).unwrap_or_default();
            fill(t.metric_refused_change, &[("since", &escape(&since))])
        }
    };
    format!("{name}: {reason}")
}

/// One metric's answer: the change asked, or the figures that answer (with what the reader must
/// know: a national figure for a province asked, a longer period than the one asked), then the
/// rest of what it has; or, when nothing answers, one heading saying so and what it has.
fn metric_text(metric: &Metric, resolved: &Resolved, asked: &Asked, query: &str, lang: Lang) -> Vec<String> {
    let t = texts(lang);
    let lead = &resolved.lead;
    if let Some(refusal) = &resolved.refusal {
        let mut block = vec![refusal_heading(metric, refusal, asked, query, lang)];
        block.extend(series(metric, &[], lang));
        return vec![block.join("\n")];
    }
    if let Some(change) = &resolved.change {
        let mut parts = vec![format!("📊 <b>{}</b>\n{}", escape(change.metric.name(lang)), change_line(change, lang))];
        let ends: Vec<&Observation> = change.from.into_iter().chain([change.to]).collect();
        let rest = series(change.metric, &ends, lang);
        if !rest.is_empty() {
            parts.push(format!("{}\n{}", t.metric_series, rest.join("\n")));
        }
        return parts;
    }
    let mut head = vec![format!("📊 <b>{}</b>", escape(metric.name(lang)))];
    if let Some(province) = &lead.scope_missing {
        head.push(fill(t.metric_scope_missing, &[("province", &escape(province))]));
    }
    if let (Some(asked_period), Some(first)) = (lead.broader, lead.observations.first()) {
        head.push(fill(
            t.metric_broader,
            &[("asked", &escape(&asked_period.label(lang))), ("period", &escape(&when(first, lang)))],
        ));
    }
    head.extend(headline(metric, &lead.observations, lang));
    if let (Some(target), Some(actual)) = (lead.target, lead.observations.first()) {
        head.push(target_line(metric, actual, target, lang));
    }
    // Where the headline figures can be read: each source's address once.
    let mut addresses: Vec<&str> = lead.observations.iter().filter_map(|o| o.source.address()).collect();
    addresses.dedup();
    head.extend(addresses.into_iter().map(|url| format!("🌐 {}", escape(url))));
    let mut parts = vec![head.join("\n")];
    let shown: Vec<&Observation> = lead.observations.iter().copied().chain(lead.target).collect();
    let rest = series(metric, &shown, lang);
    if !rest.is_empty() {
        parts.push(format!("{}\n{}", t.metric_series, rest.join("\n")));
    }
    parts
}

/// Buttons for figures, each answering the question as asked.
fn figure_buttons(metrics: &[&Metric], asked: &Asked, lang: Lang) -> Vec<Vec<Button>> {
    metrics
        .iter()
        .map(|m| {
            let label: String = m.name(lang).chars().take(60).collect();
            vec![Button::new(&label, Callback::Metric(MetricButton { metric_id: m.id, asked: asked.clone() }))]
        })
        .collect()
}

/// A `/metric` answer: the figure asked for with its source and series; when other figures come
/// close, buttons for them; when nothing matches, buttons for the closest figures.
pub fn metric_answer(answer: &MetricAnswer, query: &str, lang: Lang) -> Keyboard {
    let t = texts(lang);
    let Some(best) = answer.best() else {
        let mut html = fill(t.metric_not_found, &[("query", &escape(query))]);
        if !answer.unheard.is_empty() {
            html.push_str(&format!("\n{}", fill(t.metric_unheard, &[("words", &escape(&answer.unheard.join(", ")))])));
        }
        html.push_str(&format!("\n{}", if answer.alternatives.is_empty() { t.metric_usage } else { t.metric_suggest }));
        return Keyboard { html, buttons: figure_buttons(&answer.alternatives, &answer.asked, lang) };
    };
    let resolved = Resolved { lead: best.lead.clone(), change: answer.change.clone(), refusal: answer.refusal.clone() };
    let mut parts = metric_text(best.metric, &resolved, &answer.asked, query, lang);
    // The second figure the question names, answered as fully as the first.
    if let Some(also) = &answer.also {
        let resolved = Resolved { lead: also.lead.clone(), change: None, refusal: None };
        parts.extend(metric_text(also.metric, &resolved, &answer.asked, query, lang));
    }
    let others: Vec<&Metric> = answer
        .alternatives
        .iter()
        .copied()
        .filter(|m| answer.also.as_ref().is_none_or(|a| !std::ptr::eq(a.metric, *m)))
        .collect();
    let buttons = match answer.confidence {
        Confidence::Close if !others.is_empty() => {
            parts.push(t.metric_alternatives.to_owned());
            figure_buttons(&others, &answer.asked, lang)
        }
        _ => Vec::new(),
    };
    Keyboard { html: parts.join("\n\n"), buttons }
}

/// The answer for a figure picked from the buttons (one of `metrics`), to the question as asked.
pub fn picked(metrics: &[Metric], metric: &Metric, asked: &Asked, lang: Lang) -> String {
    let resolved = resolve(metrics, metric, asked, &[]);
    metric_text(metric, &resolved, asked, metric.name(lang), lang).join("\n\n")
}

/// "cả nước", "Hà Giang", "Việt Nam": where a figure applies.
pub fn scope_label(metric: &Metric, scope: &Scope, lang: Lang) -> String {
    place(metric, scope, lang)
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
                    let scope = scope_label(m, &o.scope, lang);
                    format!(" — {} ({}, {scope})", figure(m, o, lang), when(o, lang))
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
