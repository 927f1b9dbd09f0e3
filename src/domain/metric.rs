//! The programme's official figures, and finding the one a question asks for.
//!
//! A question is folded ("tài khoản VNeID" and "tai khoan vneid" are the same), a period is taken
//! out of it ("2024", "6 tháng đầu năm 2022", "H1 2023"), and the rest is matched word by word
//! against each metric's names and aliases in both languages.

use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::fold::{fold, words};
use super::lang::Lang;
use super::period::Period;
use super::task::Source;

/// An actual figure or a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObservationKind {
    Actual,
    Target,
}

impl ObservationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Actual => "actual",
            Self::Target => "target",
        }
    }
}

impl FromStr for ObservationKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "actual" => Ok(Self::Actual),
            "target" => Ok(Self::Target),
            other => Err(format!("unknown observation kind {other:?}")),
        }
    }
}

/// How the source hedged a figure: "trên 60 triệu" is over, "ước 10,41%" about, "gần 8 triệu" nearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    Over,
    About,
    Nearly,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Over => "over",
            Self::About => "about",
            Self::Nearly => "nearly",
        }
    }

    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Over, Lang::Vi) => "trên",
            (Self::About, Lang::Vi) => "khoảng",
            (Self::Nearly, Lang::Vi) => "gần",
            (Self::Over, Lang::En) => "over",
            (Self::About, Lang::En) => "about",
            (Self::Nearly, Lang::En) => "nearly",
        }
    }
}

impl FromStr for Qualifier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "over" => Ok(Self::Over),
            "about" => Ok(Self::About),
            "nearly" => Ok(Self::Nearly),
            other => Err(format!("unknown qualifier {other:?}")),
        }
    }
}

/// One published figure of a metric.
#[derive(Debug, Clone)]
pub struct Observation {
    pub value: f64,
    pub out_of: Option<f64>,
    pub period: Period,
    pub kind: ObservationKind,
    pub qualifier: Option<Qualifier>,
    /// "" for a national figure, else the province it is about.
    pub scope: String,
    pub note_vi: String,
    pub note_en: String,
    pub source: Arc<Source>,
}

impl Observation {
    pub fn note(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.note_en.is_empty() => &self.note_en,
            _ => &self.note_vi,
        }
    }
}

/// A metric, with its figures ordered by period (then actual before target).
#[derive(Debug, Clone)]
pub struct Metric {
    pub id: i64,
    pub key: String,
    pub topic: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit_vi: String,
    pub unit_en: String,
    pub aliases: Vec<String>,
    pub observations: Vec<Observation>,
    /// The folded words of each name and alias, computed once when loaded.
    pub phrases: Vec<Vec<String>>,
}

impl Metric {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_vi,
        }
    }

    pub fn unit(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.unit_en.is_empty() => &self.unit_en,
            _ => &self.unit_vi,
        }
    }

    /// Orders the figures and folds the names, once, after loading.
    pub fn prepare(&mut self) {
        self.observations.sort_by_key(|o| (o.period.end(), o.period.start(), o.kind == ObservationKind::Target));
        let names = [&self.name_vi, &self.name_en, &self.key].into_iter().chain(self.aliases.iter());
        self.phrases = names.map(|n| words(n)).filter(|w| !w.is_empty()).collect();
    }

    /// The figure to lead with: for an asked period, the actual figures within it (national first);
    /// otherwise the latest actual figure.
    pub fn headline(&self, period: Option<Period>) -> Vec<&Observation> {
        match period {
            Some(asked) => {
                let mut within: Vec<&Observation> =
                    self.observations.iter().filter(|o| o.period.within(asked) || asked.within(o.period)).collect();
                within.sort_by_key(|o| (o.kind == ObservationKind::Target, !o.scope.is_empty(), o.period != asked));
                let best = within.first().map(|o| (o.kind, o.period, o.scope.clone()));
                within.retain(|o| Some((o.kind, o.period, o.scope.clone())) == best);
                within
            }
            None => {
                let national_actual = |o: &&Observation| o.kind == ObservationKind::Actual && o.scope.is_empty();
                let latest = self.observations.iter().filter(national_actual).map(|o| o.period.end()).max();
                let pick: Vec<&Observation> = match latest {
                    Some(end) => {
                        self.observations.iter().filter(national_actual).filter(|o| o.period.end() == end).collect()
                    }
                    None => self.observations.last().into_iter().collect(),
                };
                pick
            }
        }
    }
}

/// A metric that matched a question, with how well.
#[derive(Debug, Clone, Copy)]
pub struct MetricMatch<'a> {
    pub metric: &'a Metric,
    pub score: f64,
}

/// What a `/metric` question resolved to.
#[derive(Debug, Clone)]
pub struct MetricAnswer<'a> {
    /// The period the question named, if any.
    pub period: Option<Period>,
    /// Matching metrics, best first.
    pub matches: Vec<MetricMatch<'a>>,
    /// When nothing matched: the closest names, to suggest.
    pub suggestions: Vec<&'a Metric>,
}

/// Words that say nothing about which metric is meant.
const STOPWORDS: &[&str] = &[
    // Vietnamese, folded.
    "cua", "la", "bao", "nhieu", "the", "nao", "gi", "hien", "nay", "duoc", "da", "va", "cac", "nhung", "o", "tai",
    "trong", "nam", "viet", "con", "khong", "may", "mot", "voi", "cho", "ve", "theo", "den", "thang", "dau", "cuoi",
    "quy", "ti", "le", // English.
    "of", "in", "what", "is", "was", "how", "many", "much", "for", "a", "an", "and", "to", "vietnam", "vietnams", "s",
    "by", "year", "as", "at", "on", "are", "number", "figure", "first", "second", "half", "quarter",
];

fn half(c: &regex::Captures, first: bool) -> Option<Period> {
    Some(Period::Half(c.name("y")?.as_str().parse().ok()?, if first { 1 } else { 2 }))
}

/// Builds the period a question names from a pattern's captures.
type BuildPeriod = fn(&regex::Captures) -> Option<Period>;

static PERIOD_PATTERNS: LazyLock<Vec<(Regex, BuildPeriod)>> = LazyLock::new(|| {
    vec![
        (Regex::new(r"\b6 thang (?P<h>dau|cuoi)(?: nam)? (?P<y>(?:19|20)\d{2})\b").expect("valid"), |c| {
            half(c, &c["h"] == "dau")
        }),
        (Regex::new(r"\b(?P<h>first|second) half(?: of)? (?P<y>(?:19|20)\d{2})\b").expect("valid"), |c| {
            half(c, &c["h"] == "first")
        }),
        (Regex::new(r"\bh(?P<h>[12])[ /\-]?(?P<y>(?:19|20)\d{2})\b").expect("valid"), |c| half(c, &c["h"] == "1")),
        (Regex::new(r"\b(?P<y>(?:19|20)\d{2})[ /\-]?h(?P<h>[12])\b").expect("valid"), |c| half(c, &c["h"] == "1")),
        (
            Regex::new(r"\b(?:quy|q)\s*(?P<q>iv|iii|ii|i|[1-4])\s*[/\- ]\s*(?:nam )?(?P<y>(?:19|20)\d{2})\b")
                .expect("valid"),
            |c| Some(Period::Quarter(c["y"].parse().ok()?, crate::domain::due::quarter_number(&c["q"])?)),
        ),
        (Regex::new(r"\b(?:thang )?(?P<m>1[0-2]|0?[1-9])\s*/\s*(?P<y>(?:19|20)\d{2})\b").expect("valid"), |c| {
            Some(Period::Month(c["y"].parse().ok()?, c["m"].parse().ok()?))
        }),
        (Regex::new(r"\b(?P<y>(?:19|20)\d{2})\b").expect("valid"), |c| Some(Period::Year(c["y"].parse().ok()?))),
    ]
});

/// Takes the period out of a folded question: "kinh te so 2024" → (Some(2024), "kinh te so ").
pub fn split_period(folded: &str) -> (Option<Period>, String) {
    for (pattern, build) in PERIOD_PATTERNS.iter() {
        if let Some(caps) = pattern.captures(folded)
            && let Some(period) = build(&caps)
        {
            let whole = caps.get(0).expect("group 0 always matches");
            let rest = format!("{} {}", &folded[..whole.start()], &folded[whole.end()..]);
            return (Some(period), rest);
        }
    }
    (None, folded.to_owned())
}

/// Whether two folded words are the same word: equal, or one a plural or stem of the other
/// ("account"/"accounts", "ranking"/"rank").
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 4 && long.starts_with(short) && long.len() - short.len() <= 3
}

/// How well the question's words cover one name or alias (0..=1).
fn phrase_score(query: &[String], phrase: &[String]) -> f64 {
    if query.is_empty() || phrase.is_empty() {
        return 0.0;
    }
    let matched_query = query.iter().filter(|q| phrase.iter().any(|p| same_word(q, p))).count();
    let matched_phrase = phrase.iter().filter(|p| query.iter().any(|q| same_word(q, p))).count();
    if matched_query == 0 {
        return 0.0;
    }
    let coverage = matched_query as f64 / query.len() as f64;
    let precision = matched_phrase as f64 / phrase.len() as f64;
    0.7 * coverage + 0.3 * precision
}

/// The key two words share when [`same_word`] holds: their first four letters, or the whole word
/// when shorter.
fn word_key(word: &str) -> &str {
    match word.char_indices().nth(4) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// Which metrics have a name or alias word under each [`word_key`], so that a question is scored
/// only against the metrics that share a word with it.
#[derive(Debug, Clone, Default)]
pub struct MetricIndex {
    by_key: std::collections::HashMap<String, Vec<usize>>,
}

impl MetricIndex {
    pub fn build(metrics: &[Metric]) -> Self {
        let mut by_key: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, metric) in metrics.iter().enumerate() {
            for word in metric.phrases.iter().flatten() {
                let entry = by_key.entry(word_key(word).to_owned()).or_default();
                if entry.last() != Some(&i) {
                    entry.push(i);
                }
            }
        }
        Self { by_key }
    }

    /// The metrics sharing a word with `query`, each once.
    fn candidates(&self, query: &[String]) -> Vec<usize> {
        let mut found: Vec<usize> =
            query.iter().filter_map(|q| self.by_key.get(word_key(q))).flatten().copied().collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The least score for a metric to count as an answer rather than a suggestion.
pub const MATCH_THRESHOLD: f64 = 0.6;

/// Finds the metrics a question asks for, best first. `index` is [`MetricIndex::build`] of `metrics`.
pub fn search<'a>(metrics: &'a [Metric], index: &MetricIndex, question: &str) -> MetricAnswer<'a> {
    let (period, rest) = split_period(&fold(question));
    let query: Vec<String> = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .map(str::to_owned)
        .collect();
    let mut scored: Vec<MetricMatch<'a>> = index
        .candidates(&query)
        .into_iter()
        .map(|i| &metrics[i])
        .map(|metric| {
            let score = metric.phrases.iter().map(|p| phrase_score(&query, p)).fold(0.0, f64::max);
            MetricMatch { metric, score }
        })
        .filter(|m| m.score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.metric.key.cmp(&b.metric.key)));
    let (matches, near): (Vec<_>, Vec<_>) = scored.into_iter().partition(|m| m.score >= MATCH_THRESHOLD);
    let suggestions = if matches.is_empty() { suggest(metrics, &query, &near) } else { Vec::new() };
    MetricAnswer { period, matches, suggestions }
}

/// The closest metric names to a question that matched nothing: partial word matches first, then
/// spelling neighbours, so that "vneld" still points at VNeID.
fn suggest<'a>(metrics: &'a [Metric], query: &[String], near: &[MetricMatch<'a>]) -> Vec<&'a Metric> {
    const HOW_MANY: usize = 3;
    let mut out: Vec<&Metric> = near.iter().take(HOW_MANY).map(|m| m.metric).collect();
    if out.len() < HOW_MANY && !query.is_empty() {
        let joined = query.join(" ");
        let mut by_spelling: Vec<(f64, &Metric)> = metrics
            .iter()
            .filter(|m| !out.iter().any(|o| o.key == m.key))
            .map(|m| {
                let best = m
                    .phrases
                    .iter()
                    .map(|p| {
                        let whole = strsim::jaro_winkler(&joined, &p.join(" "));
                        let per_word = query
                            .iter()
                            .map(|q| p.iter().map(|w| strsim::jaro_winkler(q, w)).fold(0.0, f64::max))
                            .sum::<f64>()
                            / query.len() as f64;
                        whole.max(per_word)
                    })
                    .fold(0.0, f64::max);
                (best, m)
            })
            .filter(|(s, _)| *s >= 0.75)
            .collect();
        by_spelling.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
        out.extend(by_spelling.into_iter().take(HOW_MANY - out.len()).map(|(_, m)| m));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn source() -> Arc<Source> {
        Arc::new(Source {
            key: "s".into(),
            title: "t".into(),
            publisher: "VOV".into(),
            published: NaiveDate::from_ymd_opt(2025, 2, 6).unwrap(),
            seed_file: "f".into(),
        })
    }

    fn obs(value: f64, period: &str, kind: ObservationKind) -> Observation {
        Observation {
            value,
            out_of: None,
            period: period.parse().unwrap(),
            kind,
            qualifier: None,
            scope: String::new(),
            note_vi: String::new(),
            note_en: String::new(),
            source: source(),
        }
    }

    fn metric(key: &str, vi: &str, en: &str, aliases: &[&str], observations: Vec<Observation>) -> Metric {
        let mut m = Metric {
            id: 0,
            key: key.into(),
            topic: "t".into(),
            name_vi: vi.into(),
            name_en: en.into(),
            unit_vi: "%".into(),
            unit_en: "%".into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            observations,
            phrases: Vec::new(),
        };
        m.prepare();
        m
    }

    fn catalog() -> Vec<Metric> {
        use ObservationKind::*;
        vec![
            metric(
                "de-share",
                "Tỷ trọng kinh tế số trong GDP",
                "Digital economy share of GDP",
                &["kinh tế số GDP"],
                vec![
                    obs(18.3, "2024", Actual),
                    obs(9.6, "2021", Actual),
                    obs(10.41, "2022-H1", Actual),
                    obs(20.5, "2025", Target),
                ],
            ),
            metric(
                "de-revenue",
                "Doanh thu kinh tế số",
                "Digital economy revenue",
                &[],
                vec![obs(152e9, "2024", Actual)],
            ),
            metric(
                "vneid",
                "Tài khoản định danh điện tử",
                "e-ID accounts",
                &["tài khoản VNeID", "VNeID accounts"],
                vec![obs(48e6, "2023-06", Actual), obs(60e6, "2024", Actual), obs(55.25e6, "2024", Actual)],
            ),
        ]
    }

    #[test]
    fn vietnamese_with_and_without_tone_marks_find_the_same_metric() {
        let metrics = catalog();
        for q in ["tài khoản VNeID", "tai khoan vneid", "định danh điện tử", "dinh danh"] {
            let answer = search(&metrics, &MetricIndex::build(&metrics), q);
            assert_eq!(answer.matches.first().map(|m| m.metric.key.as_str()), Some("vneid"), "{q}");
        }
    }

    #[test]
    fn english_questions_find_the_metric_and_the_period() {
        let metrics = catalog();
        let answer = search(&metrics, &MetricIndex::build(&metrics), "digital economy share of GDP 2024");
        assert_eq!(answer.matches[0].metric.key, "de-share");
        assert_eq!(answer.period, Some(Period::Year(2024)));
        let headline = answer.matches[0].metric.headline(answer.period);
        assert_eq!(headline.len(), 1);
        assert_eq!(headline[0].value, 18.3);
    }

    #[test]
    fn a_half_year_question_gets_the_half_year_figure() {
        let metrics = catalog();
        let answer = search(&metrics, &MetricIndex::build(&metrics), "tỷ trọng kinh tế số 6 tháng đầu năm 2022");
        assert_eq!(answer.period, Some(Period::Half(2022, 1)));
        assert_eq!(answer.matches[0].metric.headline(answer.period)[0].value, 10.41);
        let answer = search(&metrics, &MetricIndex::build(&metrics), "digital economy share H1 2022");
        assert_eq!(answer.matches[0].metric.headline(answer.period)[0].value, 10.41);
    }

    #[test]
    fn without_a_period_the_latest_actual_figure_leads_and_differing_sources_are_both_kept() {
        let metrics = catalog();
        let vneid = &metrics[2];
        let headline: Vec<f64> = vneid.headline(None).iter().map(|o| o.value).collect();
        assert_eq!(headline.len(), 2);
        assert!(headline.contains(&60e6) && headline.contains(&55.25e6));
        assert_eq!(metrics[0].headline(None)[0].value, 18.3, "a target is not the latest actual figure");
    }

    #[test]
    fn unknown_questions_get_suggestions_not_matches() {
        let metrics = catalog();
        let answer = search(&metrics, &MetricIndex::build(&metrics), "giá vàng");
        assert!(answer.matches.is_empty());
        let answer = search(&metrics, &MetricIndex::build(&metrics), "vneld acounts");
        assert!(answer.matches.is_empty());
        assert_eq!(answer.suggestions.first().map(|m| m.key.as_str()), Some("vneid"));
    }

    #[test]
    fn series_is_ordered_by_period() {
        let metrics = catalog();
        let periods: Vec<String> = metrics[0].observations.iter().map(|o| o.period.to_string()).collect();
        assert_eq!(periods, vec!["2021", "2022-H1", "2024", "2025"]);
    }
}
