//! The figures a text states for figures the bot knows ("đến nay đã có hơn 70 triệu tài khoản định
//! danh điện tử được kích hoạt" → the activated-accounts figure, 70 million, the month of publication),
//! proposed for review like a text's tasks, never stored unasked.
//!
//! Each number with its scale word (nghìn, triệu, tỷ), percent sign or "x/y" rank is read with the
//! words around it up to the neighbouring numbers; those words are asked of the figure search, and
//! the answer is kept only when it is clear and its unit fits the number (a percent for a "%"
//! figure, a rank for "44/139", a count otherwise).

use chrono::{Datelike, NaiveDate};

use super::fold::{NEAR, fold, head, tail as fold_tail};
use super::metric::{Confidence, Metric, MetricIndex, ObservationKind, Qualifier, search_passage};
use super::period::Period;

/// One figure a text states, as proposed.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureProposal {
    pub metric: String,
    pub value: f64,
    pub out_of: Option<f64>,
    pub period: Period,
    pub kind: ObservationKind,
    pub qualifier: Option<Qualifier>,
    /// The words the figure was read from.
    pub context: String,
}

/// How a number is written, which decides the units it can have.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Percent,
    Rank,
    Money,
    Count,
}

#[derive(Debug, Clone)]
struct Number {
    start: usize,
    end: usize,
    value: f64,
    out_of: Option<f64>,
    shape: Shape,
    /// The word after the number (and its scale): what is counted ("tài khoản", "thửa đất").
    noun: String,
}

/// "2.690" → 2690, "14,02" → 14.02, "1.052.916.823" → 1052916823.
fn parse_number(text: &str) -> Option<f64> {
    let groups: Vec<&str> = text.split('.').collect();
    let plain = if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) {
        groups.concat()
    } else if groups.len() == 1 {
        text.to_owned()
    } else {
        return None;
    };
    plain.replace(',', ".").parse().ok()
}

const SCALES: &[(&str, f64)] =
    &[("nghìn tỷ", 1e12), ("ngàn tỷ", 1e12), ("nghìn", 1e3), ("ngàn", 1e3), ("triệu", 1e6), ("tỷ", 1e9), ("tỉ", 1e9)];

/// The numbers of a clause that can be figures: not years, days or months, nor document numbers.
fn numbers(clause: &str) -> Vec<Number> {
    let bytes = clause.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'/')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || ((bytes[i] == b'.' || bytes[i] == b',') && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit()))
        {
            i += 1;
        }
        if clause[i..].chars().next().is_some_and(char::is_alphabetic) {
            continue; // "5G", "4G"
        }
        let digits = &clause[start..i];
        let Some(mut value) = parse_number(digits) else { continue };
        let mut end = i;
        let rest = &clause[i..];
        // "44/139": a rank or a share of a whole; "25/2", "26/11/2025": a date.
        let mut out_of = None;
        if let Some(after) = rest.strip_prefix('/') {
            let len = after.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
            let whole = parse_number(after[..len].trim_end_matches('.')).unwrap_or(0.0);
            let date_like =
                value <= 31.0 && whole <= 12.0 || after[len..].starts_with('/') || (1900.0..=2100.0).contains(&whole);
            if date_like || whole <= value {
                i = start + digits.len() + 1 + len;
                continue;
            }
            out_of = Some(whole);
            end = i + 1 + len;
            i = end;
        }
        let before = fold(&fold_tail(&clause[..start], NEAR));
        let before_words: Vec<&str> = before.split_whitespace().collect();
        let last = before_words.last().copied().unwrap_or("");
        if matches!(last, "ngay" | "thang" | "nam" | "so" | "quy" | "giai" | "doan" | "khoa" | "lan" | "thu" | "phien")
            && out_of.is_none()
            && !(last == "thu" && before_words.iter().rev().nth(1).is_some_and(|w| *w == "xep"))
        {
            continue;
        }
        if out_of.is_none() && (1990.0..=2100.0).contains(&value) && !digits.contains([',', '.']) {
            continue; // a year
        }
        let tail = rest.trim_start();
        let near = head(tail, NEAR);
        // "6 tháng", "3 giờ", "1,64 lần", "15 bậc": a time, a ratio or a change, not a figure.
        let next = fold(&near).split_whitespace().next().unwrap_or("").to_owned();
        if out_of.is_none()
            && matches!(
                next.as_str(),
                "thang" | "nam" | "ngay" | "gio" | "phut" | "tuan" | "quy" | "lan" | "bac" | "dai"
            )
        {
            continue;
        }
        let mut shape = if out_of.is_some() { Shape::Rank } else { Shape::Count };
        if tail.starts_with('%') || fold(&near).starts_with("phan tram") {
            shape = Shape::Percent;
            end = i + (rest.len() - tail.len()) + 1;
        } else if out_of.is_none() {
            let folded_tail = near.to_lowercase();
            let scale_word = |w: &str| {
                folded_tail.starts_with(w) && folded_tail[w.len()..].chars().next().is_none_or(|c| !c.is_alphabetic())
            };
            if let Some((word, scale)) = SCALES.iter().find(|(w, _)| scale_word(w)) {
                value *= scale;
                end = i + (rest.len() - tail.len()) + word.len();
                let after_scale = folded_tail[word.len()..].trim_start();
                if after_scale.starts_with("usd") || after_scale.starts_with("đô") {
                    shape = Shape::Money;
                } else if after_scale.starts_with("đồng") {
                    continue; // money in dong: no figure of the bot counts it
                }
            } else if folded_tail.starts_with("usd") {
                shape = Shape::Money;
            }
        }
        if last == "xep" || last == "hang" || (last == "thu" && before_words.iter().rev().nth(1) == Some(&"xep")) {
            shape = Shape::Rank;
        }
        let noun = fold(&head(&clause[end..], NEAR))
            .split(|c: char| !c.is_alphanumeric() && c != '%')
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_owned();
        found.push(Number { start, end, value, out_of, shape, noun });
    }
    found
}

/// Whether a metric's unit can be the unit of a number written as `shape`.
fn fits(metric: &Metric, shape: Shape) -> bool {
    let unit = fold(&metric.unit_vi);
    let percent = unit.starts_with('%');
    let rank = unit == "hang" || unit == "top";
    let money = unit.contains("usd") || unit.contains("dong");
    match shape {
        Shape::Percent => percent,
        Shape::Rank => rank,
        Shape::Money => money,
        Shape::Count => !percent && !rank && !money,
    }
}

/// Whether what a count counts is what the metric counts: the word after the number is in its
/// unit or one of its names ("48 tiện ích" is a count of utilities, "5,7 triệu lượt" is not).
fn counts_the_same(metric: &Metric, number: &Number) -> bool {
    if number.shape != Shape::Count || number.noun.is_empty() {
        return true;
    }
    let noun = &number.noun;
    let holds = |text: &str| fold(text).split(|c: char| !c.is_alphanumeric()).any(|w| w == noun);
    holds(&metric.unit_vi)
        || holds(&metric.unit_en)
        || holds(&metric.name_vi)
        || metric.aliases.iter().any(|a| holds(a))
}

/// "57,5% số trạm 4G" is a share of stations: a percent "of the number of" something is a figure
/// only of a metric that names that something.
fn share_of_the_same(metric: &Metric, number: &Number, folded_after: &str) -> bool {
    let mut words = folded_after.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    if number.shape != Shape::Percent || words.next() != Some("so") {
        return true;
    }
    let Some(what) = words.next() else { return true };
    let holds = |text: &str| fold(text).split(|c: char| !c.is_alphanumeric()).any(|w| w == what);
    holds(&metric.name_vi) || metric.aliases.iter().any(|a| holds(a))
}

/// Exports and imports are flows of their own: "xuất khẩu công nghệ số đạt 172 tỷ USD" is no revenue.
fn same_flow(metric: &Metric, folded_before: &str) -> bool {
    ["xuat khau", "nhap khau"].iter().all(|flow| {
        !folded_before.contains(flow)
            || fold(&metric.name_vi).contains(flow)
            || metric.aliases.iter().any(|a| fold(a).contains(flow))
    })
}

fn qualifier(before: &str) -> Option<Qualifier> {
    let words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
    let said = |w: &str| words.contains(&w);
    if said("hon") || said("tren") || said("vuot") {
        Some(Qualifier::Over)
    } else if said("gan") {
        Some(Qualifier::Nearly)
    } else if said("khoang") || said("uoc") {
        Some(Qualifier::About)
    } else {
        None
    }
}

fn month_of(day: NaiveDate) -> Period {
    format!("{}-{:02}", day.year(), day.month()).parse().expect("a month is a period")
}

/// The figures `text` (published on `published`) states for the figures the bot knows.
pub fn figures_in(text: &str, published: NaiveDate, metrics: &[Metric], index: &MetricIndex) -> Vec<FigureProposal> {
    let mut proposals: Vec<FigureProposal> = Vec::new();
    for sentence in sentences(text) {
        let found = numbers(sentence);
        for (k, number) in found.iter().enumerate() {
            let from = if k == 0 { 0 } else { found[k - 1].end };
            let to = found.get(k + 1).map_or(sentence.len(), |n| n.start);
            // A count is said by the words around it; a percent, rank or sum by its subject before it.
            let mut before_words: Vec<&str> = sentence[from..number.start].split_whitespace().collect();
            // The second count of a list ("kết nối với 16 bộ, ngành và 34 địa phương") shares the
            // list's subject, said before the first.
            if k > 0 && number.shape == Shape::Count && found[k - 1].shape == Shape::Count && before_words.len() < 4 {
                let start = if k == 1 { 0 } else { found[k - 2].end };
                let subject: Vec<&str> = sentence[start..found[k - 1].start].split_whitespace().collect();
                before_words = subject.into_iter().chain(before_words).collect();
            }
            let after = sentence[number.end..to].split(',').next().unwrap_or("");
            let context = match number.shape {
                Shape::Count => format!("{} {after}", before_words[before_words.len().saturating_sub(8)..].join(" ")),
                _ => {
                    let after: Vec<&str> = after.split_whitespace().take(3).collect();
                    format!("{} {}", before_words.join(" "), after.join(" "))
                }
            };
            let before = fold(&sentence[from..number.start]);
            let answer = search_passage(metrics, index, &context);
            if answer.confidence == Confidence::NotFound {
                continue;
            }
            // The best figure whose unit fits the number, among those the search found close.
            // A count of bodies ("12 bộ", "34 tỉnh") is a figure only when the answer is clear.
            let bodies = matches!(number.noun.as_str(), "bo" | "tinh" | "dia" | "xa" | "huyen" | "co");
            if bodies && answer.confidence != Confidence::Clear {
                continue;
            }
            let Some(best) = answer.matches.iter().find(|m| {
                fits(m.metric, number.shape)
                    && counts_the_same(m.metric, number)
                    && same_flow(m.metric, &before)
                    && share_of_the_same(m.metric, number, &fold(&sentence[number.end..to]))
            }) else {
                continue;
            };
            let asked = index.asked(&sentence[..to]);
            let folded = fold(sentence);
            let target = ["muc tieu", "chi tieu", "phan dau", "ke hoach dat"].iter().any(|w| folded.contains(w));
            let proposal = FigureProposal {
                metric: best.metric.key.clone(),
                value: number.value,
                out_of: number.out_of,
                period: asked.period.filter(|_| !folded.contains("giai doan")).unwrap_or_else(|| month_of(published)),
                kind: if target { ObservationKind::Target } else { ObservationKind::Actual },
                qualifier: qualifier(&before),
                context: sentence.trim().to_owned(),
            };
            if !proposals.iter().any(|p| p.metric == proposal.metric && p.value == proposal.value) {
                proposals.push(proposal);
            }
        }
    }
    proposals
}

/// A text's sentences: split at ". ", "; ", line breaks, "!" and "?", so that "2.690" and "14,02"
/// stay whole.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = matches!(b, b'\n' | b'!' | b'?')
            || (matches!(b, b'.' | b';') && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()));
        if ends {
            if i > start {
                out.push(&text[start..i]);
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_their_scale_and_shape() {
        let n = numbers("hơn 2.690 thủ tục, 68 triệu tài khoản, 14,02% GDP, xếp hạng 44/139, 72,1 tỷ USD");
        let read: Vec<(f64, Option<f64>, Shape)> = n.iter().map(|n| (n.value, n.out_of, n.shape)).collect();
        assert_eq!(
            read,
            vec![
                (2690.0, None, Shape::Count),
                (68_000_000.0, None, Shape::Count),
                (14.02, None, Shape::Percent),
                (44.0, Some(139.0), Shape::Rank),
                (72_100_000_000.0, None, Shape::Money),
            ]
        );
    }

    #[test]
    fn dates_years_and_document_numbers_are_not_figures() {
        assert!(numbers("ngày 23/7/2025, Nghị quyết số 214/NQ-CP, năm 2026, tháng 10/2025, sáng 14/7").is_empty());
        assert!(numbers("kinh phí 1.200 tỷ đồng").is_empty());
    }

    #[test]
    fn sentences_keep_decimals_and_thousands_whole() {
        assert_eq!(sentences("Đạt 14,02%. Có 2.690 thủ tục; xong"), vec!["Đạt 14,02%", " Có 2.690 thủ tục", " xong"]);
    }

    #[test]
    fn a_share_of_the_number_of_something_else_is_no_figure_of_ours() {
        let metric = |name: &str, alias: &str| Metric {
            id: 0,
            key: String::new(),
            topic: String::new(),
            name_vi: name.into(),
            name_en: String::new(),
            unit_vi: "%".into(),
            unit_en: "%".into(),
            aliases: vec![alias.into()],
            measure: Default::default(),
            change_of: None,
            observations: Vec::new(),
            phrases: Vec::new(),
        };
        let pct = numbers("bằng 57,5% số trạm 4G").remove(0);
        let coverage = metric("Tỷ lệ dân số được phủ sóng 5G", "phủ sóng 5G");
        assert!(!share_of_the_same(&coverage, &pct, &fold(" số trạm 4G")));
        let dossiers = metric("Tỷ lệ hồ sơ trực tuyến toàn trình", "hồ sơ toàn trình");
        assert!(share_of_the_same(&dossiers, &pct, &fold(" số hồ sơ")));
        let revenue = metric("Doanh thu phần mềm", "dịch vụ CNTT");
        assert!(!same_flow(&revenue, &fold("xuất khẩu công nghệ số đạt")));
        assert!(same_flow(&revenue, &fold("doanh thu đạt")));
    }
}
