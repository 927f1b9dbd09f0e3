//! Rendering answers as Telegram HTML. Everything that came from data or users is escaped here.

use chrono::NaiveDate;
use teloxide::utils::html::escape;

use super::i18n::{fill, texts};
use crate::domain::catalog::Catalog;
use crate::domain::deadline::{DeadlineFilter, Listed, Section, SectionKind};
use crate::domain::due::{Due, DuePrecision};
use crate::domain::lang::Lang;
use crate::domain::metric::{Metric, MetricAnswer, Observation, ObservationKind};
use crate::domain::number::{format_figure, format_plain};
use crate::domain::period::Period;
use crate::domain::task::{Status, Task};

/// How many tasks one listing shows before it asks the user to narrow it.
pub const MAX_LISTED: usize = 30;
/// How many tasks each section of the default listing shows.
pub const MAX_LISTED_PER_SECTION: usize = 10;
/// How many metrics `/metrics` lists.
pub const MAX_METRICS_LISTED: usize = 120;

/// "tháng 6/2025 (30/06/2025)", "01/07/2025", "June 2025 (30 Jun 2025)".
pub fn due_label(due: Due, occurrence: NaiveDate, lang: Lang) -> String {
    let day = Period::Day(occurrence).label(lang);
    let period = match due.precision {
        DuePrecision::Day => return day,
        DuePrecision::Month => Period::Month(chrono::Datelike::year(&occurrence), chrono::Datelike::month(&occurrence)),
        DuePrecision::Quarter => {
            Period::Quarter(chrono::Datelike::year(&occurrence), chrono::Datelike::month(&occurrence).div_ceil(3))
        }
        DuePrecision::Half => Period::Half(
            chrono::Datelike::year(&occurrence),
            if chrono::Datelike::month(&occurrence) <= 6 { 1 } else { 2 },
        ),
        DuePrecision::Year => Period::Year(chrono::Datelike::year(&occurrence)),
    };
    let period = match (due.precision, lang) {
        (DuePrecision::Year, Lang::Vi) => format!("năm {}", period.label(lang)),
        _ => period.label(lang),
    };
    format!("{period} ({day})")
}

/// "còn 5 ngày", "3 days overdue", "✅ done".
pub fn standing(listed: &Listed, lang: Lang) -> String {
    let t = texts(lang);
    match listed.task.status {
        Status::Done => return t.status_done.to_owned(),
        Status::Cancelled => return t.status_cancelled.to_owned(),
        Status::Open => {}
    }
    let n = listed.days_left;
    let days = match n {
        1 => t.one_day_left.to_owned(),
        0 => t.due_today.to_owned(),
        -1 => t.one_day_overdue.to_owned(),
        n if n > 1 => fill(t.days_left, &[("n", &n.to_string())]),
        n => fill(t.days_overdue, &[("n", &(-n).to_string())]),
    };
    format!("{days} · {}", t.status_open)
}

/// One task as a few lines: title, due and standing, owner, directive and source.
pub fn task_block(listed: &Listed, lang: Lang) -> String {
    let task = listed.task;
    let t = texts(lang);
    let mut due_line = format!("⏰ {} · {}", escape(&due_label(task.due, listed.due, lang)), standing(listed, lang));
    if task.recurrence.is_some() {
        due_line.push_str(&format!(" · {}", t.monthly));
    }
    let owner = match task.owner(lang) {
        "" => t.owner_unnamed.to_owned(),
        owner => escape(owner),
    };
    let mut block = format!("<b>#{} {}</b>\n{due_line}\n👤 {owner}", task.id, escape(task.title(lang)));
    if let Some(provenance) = provenance(task, lang) {
        block.push_str(&format!("\n📄 {provenance}"));
    }
    block
}

/// "Chỉ thị 07/CT-TTg · Tạp chí Người Hà Nội, 18/03/2025", escaped.
fn provenance(task: &Task, lang: Lang) -> Option<String> {
    let directive =
        task.directive.as_ref().map(|d| escape(d.code.as_deref().filter(|c| !c.is_empty()).unwrap_or(d.name(lang))));
    let source = task.source.as_ref().map(|s| escape(&s.citation(lang)));
    match (directive, source) {
        (Some(d), Some(s)) => Some(format!("{d} · {s}")),
        (one, other) => one.or(other),
    }
}

fn section_header(section: &Section, filter: &DeadlineFilter, lang: Lang) -> String {
    let t = texts(lang);
    let n = section.items.len().to_string();
    match section.kind {
        SectionKind::Upcoming => fill(t.upcoming, &[("n", &n)]),
        SectionKind::Overdue => fill(t.overdue, &[("n", &n)]),
        SectionKind::All => fill(t.all_tasks, &[("n", &n)]),
        SectionKind::Matching => match filter {
            DeadlineFilter::Within(period) => {
                fill(t.matching_period, &[("period", &escape(&period.label(lang))), ("n", &n)])
            }
            DeadlineFilter::Keyword(words) => fill(t.matching_words, &[("words", &escape(words)), ("n", &n)]),
            _ => fill(t.all_tasks, &[("n", &n)]),
        },
    }
}

fn empty_section(kind: SectionKind, lang: Lang) -> &'static str {
    let t = texts(lang);
    match kind {
        SectionKind::Upcoming => t.none_upcoming,
        SectionKind::Overdue => t.none_overdue,
        SectionKind::All | SectionKind::Matching => t.none_matching,
    }
}

/// A `/deadlines` answer: today's date, then each section, capped so a reply stays readable.
pub fn deadlines(sections: &[Section], filter: &DeadlineFilter, today: NaiveDate, lang: Lang) -> String {
    let t = texts(lang);
    let mut parts = vec![fill(t.today, &[("date", &Period::Day(today).label(lang))])];
    let cap = if sections.len() > 1 { MAX_LISTED_PER_SECTION } else { MAX_LISTED };
    for section in sections {
        parts.push(section_header(section, filter, lang));
        if section.items.is_empty() {
            parts.push(empty_section(section.kind, lang).to_owned());
            continue;
        }
        parts.extend(section.items.iter().take(cap).map(|l| task_block(l, lang)));
        if section.items.len() > cap {
            parts.push(fill(t.more_tasks, &[("n", &(section.items.len() - cap).to_string())]));
        }
    }
    if *filter == DeadlineFilter::Open {
        parts.push(t.deadlines_hint.to_owned());
    }
    parts.join("\n\n")
}

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
        Some(q) => format!("{} {text}", q.word(lang)),
        None => text,
    }
}

fn observation_line(metric: &Metric, obs: &Observation, lang: Lang) -> String {
    let t = texts(lang);
    let mut period = obs.period.label(lang);
    if obs.kind == ObservationKind::Target {
        period = format!("{} {period}", t.metric_target);
    }
    if let Some(province) = obs.scope.province() {
        period = format!("{period}, {province}");
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
    let headline = best.lead.observations.clone();
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

/// `/start` and `/help`.
pub fn help(lang: Lang, with_intro: bool) -> String {
    let t = texts(lang);
    let commands: Vec<String> = super::command::MENU
        .iter()
        .map(|(name, vi, en)| format!("/{name} — {}", escape(if lang == Lang::Vi { vi } else { en })))
        .collect();
    let mut parts = Vec::new();
    if with_intro {
        parts.push(t.intro.to_owned());
    }
    parts.push(format!("{}\n{}", t.help_title, commands.join("\n")));
    parts.push(t.help_examples.to_owned());
    parts.join("\n\n")
}

/// How many tasks each part of a digest names.
pub const DIGEST_SECTION_MAX: usize = 8;

/// One digest line: "• 05/06 · #3 Title — Owner · còn 3 ngày".
fn digest_line(listed: &Listed, lang: Lang) -> String {
    let t = texts(lang);
    let owner = match listed.task.owner(lang) {
        "" => t.owner_unnamed.to_owned(),
        owner => escape(owner),
    };
    let date = listed.due.format("%d/%m").to_string();
    format!("• {date} · #{} {} — {owner} · {}", listed.task.id, escape(listed.task.title(lang)), standing(listed, lang))
}

/// The morning digest. `late` notes that it was sent after its time because the bot was down.
pub fn digest(digest: &crate::domain::digest::Digest, filter: &str, late: bool, lang: Lang) -> String {
    let t = texts(lang);
    let mut parts = vec![fill(t.digest_title, &[("date", &Period::Day(digest.today).label(lang))])];
    if late {
        parts.push(t.digest_late.to_owned());
    }
    if !filter.trim().is_empty() {
        parts.push(fill(t.digest_filter, &[("filter", &escape(filter.trim()))]));
    }
    if digest.is_empty() {
        parts.push(t.digest_nothing.to_owned());
        return parts.join("\n");
    }
    let mut sections = Vec::new();
    for (title, items) in [
        (t.digest_today, &digest.due_today),
        (t.digest_week, &digest.this_week),
        (t.digest_month, &digest.next_30_days),
        (t.digest_overdue, &digest.overdue),
    ] {
        if items.is_empty() {
            continue;
        }
        let mut lines = vec![fill(title, &[("n", &items.len().to_string())])];
        let shown = if std::ptr::eq(items, &digest.overdue) {
            crate::domain::digest::OVERDUE_NAMED
        } else {
            DIGEST_SECTION_MAX
        };
        lines.extend(items.iter().take(shown).map(|l| digest_line(l, lang)));
        if items.len() > shown {
            lines.push(fill(t.digest_more, &[("n", &(items.len() - shown).to_string())]));
        }
        sections.push(lines.join("\n"));
    }
    format!("{}\n\n{}", parts.join("\n"), sections.join("\n\n"))
}

/// A reminder `lead` days before a task's due date.
pub fn reminder(reminder: &crate::domain::digest::Reminder, lang: Lang) -> String {
    let t = texts(lang);
    let title = match reminder.lead {
        0 => t.reminder_today.to_owned(),
        n => fill(t.reminder_days, &[("n", &n.to_string())]),
    };
    format!("{title}\n{}", task_block(&reminder.listed, lang))
}
