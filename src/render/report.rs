//! The per-owner report in the words of the Government Office's own reports.

use super::html::escape;
use super::i18n::{fill, texts};
use crate::domain::lang::Lang;
use crate::domain::period::Period;
use crate::domain::report::{Counts, Report};
use crate::domain::report_schedule::ReportEvery;

/// How many owners one message lists before it asks to narrow the scope.
pub const MAX_OWNERS: usize = 40;

/// "21.914" in Vietnamese, "21,914" in English.
pub fn count(n: u32, lang: Lang) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(texts(lang).thousands_mark);
        }
        out.push(c);
    }
    out
}

/// "98,62%" / "98.62%"; a dash when nothing is due yet.
pub fn percent(rate: Option<f64>, lang: Lang) -> String {
    match rate {
        Some(rate) => format!("{:.2}%", rate * 100.0).replace('.', texts(lang).decimal_mark),
        None => "—".to_owned(),
    }
}

fn totals(c: &Counts, lang: Lang) -> String {
    let n = |v| count(v, lang);
    fill(
        texts(lang).report_totals,
        &[
            ("assigned", &n(c.assigned())),
            ("done", &n(c.done())),
            ("done_rate", &percent(c.done_rate(), lang)),
            ("on_time", &n(c.done_on_time)),
            ("late", &n(c.done_late)),
            ("not_done", &n(c.not_done())),
            ("within", &n(c.within_term)),
            ("overdue", &n(c.overdue)),
            ("rate", &percent(c.on_time_rate(), lang)),
        ],
    )
}

/// `/report`: the totals worded as the official reports, then one line per owner.
pub fn report(report: &Report, scope: &str, lang: Lang) -> String {
    let t = texts(lang);
    let mut head = vec![fill(t.report_title, &[("date", &Period::Day(report.as_of).label(lang))])];
    if !scope.trim().is_empty() {
        head.push(fill(t.report_scope, &[("filter", &escape(scope.trim()))]));
    }
    if report.totals.assigned() == 0 && report.totals.cancelled == 0 {
        head.push(t.report_empty.to_owned());
        return head.join("\n");
    }
    let mut parts = vec![head.join("\n"), totals(&report.totals, lang)];
    let mut notes = Vec::new();
    if report.adjusted > 0 {
        notes.push(fill(t.report_adjusted, &[("n", &count(report.adjusted, lang))]));
    }
    if report.totals.cancelled > 0 {
        notes.push(fill(t.report_cancelled, &[("n", &count(report.totals.cancelled, lang))]));
    }
    if !notes.is_empty() {
        parts.push(notes.join("\n"));
    }
    let mut lines = vec![t.report_owners.to_owned()];
    for row in report.owners.iter().filter(|r| r.counts.assigned() > 0).take(MAX_OWNERS) {
        let owner = match (lang, row.owner_en, row.owner) {
            (_, _, "") => t.owner_unnamed,
            (Lang::En, en, _) if !en.is_empty() => en,
            (_, _, vi) => vi,
        };
        let c = &row.counts;
        let n = |v| count(v, lang);
        lines.push(fill(
            t.report_owner_line,
            &[
                ("owner", &escape(owner)),
                ("assigned", &n(c.assigned())),
                ("due", &n(c.due())),
                ("on_time", &n(c.done_on_time)),
                ("late", &n(c.done_late)),
                ("within", &n(c.within_term)),
                ("overdue", &n(c.overdue)),
                ("rate", &percent(c.on_time_rate(), lang)),
            ],
        ));
    }
    let listed = report.owners.iter().filter(|r| r.counts.assigned() > 0).count();
    if listed > MAX_OWNERS {
        lines.push(fill(t.report_more_owners, &[("n", &(listed - MAX_OWNERS).to_string())]));
    }
    parts.push(lines.join("\n"));
    parts.join("\n\n")
}

/// The report a chat gets on a schedule: what it is, late if the bot was down, the report as
/// `/report` words it, and how to see it now or stop it.
pub fn scheduled(counted: &Report, scope: &str, every: ReportEvery, late: bool, lang: Lang) -> String {
    let t = texts(lang);
    let mut head = vec![match every {
        ReportEvery::Month => t.report_scheduled_month,
        ReportEvery::Week => t.report_scheduled_week,
    }];
    if late {
        head.push(t.report_scheduled_late);
    }
    let command = escape(format!("/report {}", scope.trim()).trim_end());
    let footer = fill(t.report_scheduled_footer, &[("command", &command)]);
    format!("{}\n\n{}\n\n{footer}", head.join("\n"), report(counted, scope, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_vietnamese_or_english_way() {
        assert_eq!(count(21_914, Lang::Vi), "21.914");
        assert_eq!(count(21_914, Lang::En), "21,914");
        assert_eq!(count(223, Lang::Vi), "223");
        assert_eq!(count(1_000_000, Lang::En), "1,000,000");
        assert_eq!(percent(Some(0.98624), Lang::Vi), "98,62%");
        assert_eq!(percent(Some(0.5), Lang::En), "50.00%");
        assert_eq!(percent(None, Lang::En), "—");
    }

    #[test]
    fn the_totals_read_like_the_official_report() {
        let c = Counts { done_on_time: 14_068, done_late: 1_983, within_term: 5_640, overdue: 223, cancelled: 0 };
        let text = totals(&c, Lang::Vi);
        assert!(text.contains("Tổng số nhiệm vụ được giao: 21.914"), "{text}");
        assert!(
            text.contains("hoàn thành 16.051 nhiệm vụ (98,63%), trong đó đúng hạn 14.068, quá hạn 1.983"),
            "{text}"
        );
        assert!(text.contains("Chưa hoàn thành 5.863 nhiệm vụ, trong đó trong hạn 5.640, quá hạn 223"), "{text}");
    }
}
