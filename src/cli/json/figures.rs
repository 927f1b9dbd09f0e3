//! The figures as `metric`, `metrics` and `import --figures` print them with `--json`.

use serde::Serialize;

use crate::domain::figures::FigureProposal;
use crate::domain::lang::Lang;
use crate::domain::metric::{Confidence, Metric, MetricAnswer, Observation};

/// A figure proposed from an imported text (`import --json --figures`), not yet stored.
#[derive(Debug, Serialize)]
pub struct FigureJson<'a> {
    context: &'a str,
    kind: &'static str,
    metric: &'a str,
    out_of: Option<f64>,
    period: String,
    qualifier: Option<&'static str>,
    source: &'a str,
    value: f64,
}

impl<'a> FigureJson<'a> {
    pub fn new(f: &'a FigureProposal, source: &'a str) -> Self {
        Self {
            context: &f.context,
            kind: f.kind.as_str(),
            metric: &f.metric,
            out_of: f.out_of,
            period: f.period.to_string(),
            qualifier: f.qualifier.map(|q| q.as_str()),
            source,
            value: f.value,
        }
    }
}

/// One published figure of a metric.
#[derive(Debug, Serialize)]
pub struct ObservationJson<'a> {
    cumulative: bool,
    kind: &'static str,
    out_of: Option<f64>,
    period: String,
    qualifier: Option<&'static str>,
    /// "national", or the province the figure belongs to.
    scope: &'a str,
    source: String,
    source_file: &'a str,
    /// Where the source can be read (http or https), when known.
    source_url: Option<&'a str>,
    unit: &'a str,
    unit_en: &'a str,
    /// The top of a range ("8-10%"), when the figure is one.
    upper: Option<f64>,
    value: f64,
}

impl<'a> ObservationJson<'a> {
    fn new(obs: &'a Observation, metric: &'a Metric) -> Self {
        Self {
            cumulative: obs.cumulative,
            kind: obs.kind.as_str(),
            out_of: obs.out_of,
            period: obs.period.to_string(),
            qualifier: obs.qualifier.map(|q| q.as_str()),
            scope: obs.scope.province().unwrap_or("national"),
            source: obs.source.citation(Lang::Vi),
            source_file: &obs.source.seed_file,
            source_url: obs.source.address(),
            unit: &metric.unit_vi,
            unit_en: &metric.unit_en,
            upper: obs.upper,
            value: obs.value,
        }
    }
}

/// A metric: the figure for the asked period (or the latest), and every observation.
#[derive(Debug, Serialize)]
pub struct MetricJson<'a> {
    also: Vec<ObservationJson<'a>>,
    key: &'a str,
    kind: Option<&'static str>,
    name: &'a str,
    name_en: &'a str,
    observations: Vec<ObservationJson<'a>>,
    out_of: Option<f64>,
    period: Option<String>,
    qualifier: Option<&'static str>,
    score: f64,
    /// The share of the question's telling words this metric holds.
    coverage: f64,
    scope: Option<&'a str>,
    source: Option<String>,
    topic: &'a str,
    unit: &'a str,
    unit_en: &'a str,
    upper: Option<f64>,
    value: Option<f64>,
}

impl<'a> MetricJson<'a> {
    /// `headline`: the figures that answer the question, first the one to lead with.
    fn new(metric: &'a Metric, headline: &[&'a Observation], score: f64, coverage: f64) -> Self {
        let lead = headline.first();
        Self {
            also: headline.iter().skip(1).map(|o| ObservationJson::new(o, metric)).collect(),
            key: &metric.key,
            kind: lead.map(|o| o.kind.as_str()),
            name: &metric.name_vi,
            name_en: &metric.name_en,
            observations: metric.observations.iter().map(|o| ObservationJson::new(o, metric)).collect(),
            out_of: lead.and_then(|o| o.out_of),
            period: lead.map(|o| o.period.to_string()),
            qualifier: lead.and_then(|o| o.qualifier.map(|q| q.as_str())),
            score: (score * 1000.0).round() / 1000.0,
            coverage: (coverage * 1000.0).round() / 1000.0,
            scope: lead.map(|o| o.scope.province().unwrap_or("national")),
            source: lead.map(|o| o.source.citation(Lang::Vi)),
            topic: &metric.topic,
            unit: &metric.unit_vi,
            unit_en: &metric.unit_en,
            upper: lead.and_then(|o| o.upper),
            value: lead.map(|o| o.value),
        }
    }
}

/// One figure of `metrics --json`, with every observation.
#[derive(Debug, Serialize)]
pub struct MetricListJson<'a> {
    key: &'a str,
    name: &'a str,
    name_en: &'a str,
    observations: Vec<ObservationJson<'a>>,
    topic: &'a str,
    unit: &'a str,
    unit_en: &'a str,
}

impl<'a> From<&'a Metric> for MetricListJson<'a> {
    fn from(metric: &'a Metric) -> Self {
        Self {
            key: &metric.key,
            name: &metric.name_vi,
            name_en: &metric.name_en,
            observations: metric.observations.iter().map(|o| ObservationJson::new(o, metric)).collect(),
            topic: &metric.topic,
            unit: &metric.unit_vi,
            unit_en: &metric.unit_en,
        }
    }
}

/// `metric --json`: the best matches first, how sure, the figures offered, and the suggestions.
#[derive(Debug, Serialize)]
pub struct MetricAnswerJson<'a> {
    /// The other figures offered as buttons (close ones, or the closest when nothing matched).
    alternatives: Vec<&'a str>,
    /// "clear", "close" or "not_found".
    confidence: &'static str,
    matches: Vec<MetricJson<'a>>,
    period: Option<String>,
    query: &'a str,
    /// The province the question named when only the national figure exists.
    scope_missing: Option<&'a str>,
    suggestions: Vec<&'a str>,
    /// The change asked, when one answers: the metric, both ends (or the stored change) and the difference.
    change: Option<ChangeJson<'a>>,
    /// Why no figure answers, when none does.
    refusal: Option<String>,
}

/// A change in `metric --json`.
#[derive(Debug, Serialize)]
pub struct ChangeJson<'a> {
    metric: &'a str,
    from: Option<ObservationJson<'a>>,
    to: ObservationJson<'a>,
    base: Option<String>,
    difference: f64,
}

impl<'a> MetricAnswerJson<'a> {
    pub fn new(answer: &'a MetricAnswer<'a>, query: &'a str) -> Self {
        Self {
            alternatives: answer.alternatives.iter().map(|m| m.key.as_str()).collect(),
            confidence: match answer.confidence {
                Confidence::Clear => "clear",
                Confidence::Close => "close",
                Confidence::NotFound => "not_found",
            },
            matches: answer
                .matches
                .iter()
                .map(|m| MetricJson::new(m.metric, &m.lead.observations, m.score, m.coverage))
                .collect(),
            period: answer.period.map(|p| p.to_string()),
            query,
            scope_missing: answer.scope_missing.as_deref(),
            suggestions: answer.suggestions.iter().map(|m| m.key.as_str()).collect(),
            change: answer.change.as_ref().map(|c| ChangeJson {
                metric: &c.metric.key,
                from: c.from.map(|o| ObservationJson::new(o, c.metric)),
                to: ObservationJson::new(c.to, c.metric),
                base: c.base().map(|b| b.to_string()),
                difference: c.difference(),
            }),
            refusal: answer.refusal.as_ref().map(|r| format!("{r:?}")),
        }
    }
}
