//! Report commands: `/report [owner | directive | period]`, the counts the Government Office keeps,
//! `/report monthly | weekly | off`, the same on a schedule, and `/xlsx [filter]`, the tasks and the
//! report as a workbook.

use super::message::{Incoming, Reply, html};
use super::tasks::filter_or_reply;
use crate::app::App;
use crate::domain::deadline::{DeadlineFilter, Listed, select};
use crate::domain::fold::fold;
use crate::domain::lang::Lang;
use crate::domain::report::report as count;
use crate::domain::report_schedule::{ReportEvery, ReportSchedule};
use crate::render::i18n::{EN, VI};
use crate::render::{self, fill, texts};

/// What `/report` was asked: the report now, or to send it on a schedule, or to stop that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRequest<'a> {
    /// `/report [filter]`.
    Now(&'a str),
    /// `/report monthly [filter]`, `/report hằng tuần [filter]`.
    Every(ReportEvery, String),
    /// `/report off`, `/report tắt`.
    Off,
}

impl ReportRequest<'_> {
    /// Whether it changes what the chat gets (a group's admins decide) rather than reads.
    pub fn changes_the_chat(&self) -> bool {
        !matches!(self, Self::Now(_))
    }
}

/// Reads `/report`'s argument: a leading word of the words table (either language, with or without
/// tone marks) asks for a schedule or stops it; the words after it are the filter.
pub fn parse_request(argument: &str) -> ReportRequest<'_> {
    let folded: Vec<String> = fold(argument).split_whitespace().map(str::to_owned).collect();
    let mut best: Option<(usize, Option<ReportEvery>)> = None;
    for t in [&VI, &EN] {
        let kinds = [
            (t.report_month_words, Some(ReportEvery::Month)),
            (t.report_week_words, Some(ReportEvery::Week)),
            (t.report_off_words, None),
        ];
        for (words, every) in kinds {
            for phrase in words {
                let phrase = fold(phrase);
                let n = phrase.split_whitespace().count();
                let leads = folded.len() >= n && folded[..n].iter().map(String::as_str).eq(phrase.split_whitespace());
                if leads && best.is_none_or(|(longest, _)| n > longest) {
                    best = Some((n, every));
                }
            }
        }
    }
    match best {
        None => ReportRequest::Now(argument),
        Some((_, None)) => ReportRequest::Off,
        Some((n, Some(every))) => {
            ReportRequest::Every(every, argument.split_whitespace().skip(n).collect::<Vec<_>>().join(" "))
        }
    }
}

/// `/report …`: the report now, or the chat's schedule changed.
pub async fn command(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let schedule = match parse_request(argument) {
        ReportRequest::Now(filter) => return Ok(report(app, filter, lang)),
        ReportRequest::Off => None,
        ReportRequest::Every(every, filter) => {
            // A filter that does not read is refused now, not at the first of the month.
            let tasks = match filter_or_reply(&filter, lang) {
                Ok(tasks) => tasks,
                Err(reply) => return Ok(reply),
            };
            Some(ReportSchedule { every, filter, tasks })
        }
    };
    let set = app.set_report(incoming.chat_id, incoming.chat_kind, schedule).await?;
    Ok(html(render::settings::report_set(set.change, set.report.as_ref(), set.next, set.timezone, lang)))
}

/// `/report [filter]`: the totals and the owners, most overdue first.
pub fn report(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let filter = match filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let catalog = app.catalog();
    let counted = count(&catalog.tasks, &filter, app.today());
    let mut replies = html(render::report::report(&counted, argument, lang));
    if counted.totals.assigned() > 0 {
        // The words stand without the chart: a chart that fails to draw is logged, not an error.
        match render::chart::report_chart(&counted, lang) {
            Ok(bytes) => replies.push(Reply::Document {
                name: "hanchot-bao-cao.png".to_owned(),
                bytes,
                caption: render::escape(&render::chart::report_title(&counted, lang)),
            }),
            Err(error) => tracing::warn!(%error, "report chart failed"),
        }
    }
    replies
}

/// The tasks and report a workbook holds for `filter` on `today`; without a filter, every task,
/// since a tracking sheet keeps the done ones too.
pub fn workbook_bytes(app: &App, filter: &DeadlineFilter, lang: Lang) -> anyhow::Result<(Vec<u8>, usize)> {
    let filter = if *filter == DeadlineFilter::Open { DeadlineFilter::All } else { filter.clone() };
    let catalog = app.catalog();
    let today = app.today();
    let tasks: Vec<Listed> = select(&catalog.tasks, &filter, today).into_iter().flat_map(|s| s.items).collect();
    let counted = count(&catalog.tasks, &filter, today);
    Ok((render::xlsx::workbook(&tasks, &counted, lang)?, tasks.len()))
}

/// `/xlsx [filter]`: the workbook as a document.
pub fn xlsx(app: &App, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let filter = match filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return Ok(reply),
    };
    let (bytes, n) = workbook_bytes(app, &filter, lang)?;
    Ok(vec![Reply::Document {
        name: "hanchot-bao-cao.xlsx".to_owned(),
        bytes,
        caption: fill(texts(lang).xlsx_caption, &[("n", &n.to_string())]),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_words_are_read_in_either_language_with_or_without_tone_marks() {
        let monthly = |filter: &str| ReportRequest::Every(ReportEvery::Month, filter.to_owned());
        assert_eq!(parse_request("monthly"), monthly(""));
        assert_eq!(parse_request("hằng tháng Bộ Công an"), monthly("Bộ Công an"));
        assert_eq!(parse_request("Hàng  tháng   Bộ Công an"), monthly("Bộ Công an"));
        assert_eq!(parse_request("hang thang 2026"), monthly("2026"));
        assert_eq!(parse_request("định kỳ hằng tháng"), monthly(""), "the longest phrase wins");
        assert_eq!(parse_request("hằng tuần UBND"), ReportRequest::Every(ReportEvery::Week, "UBND".into()));
        assert_eq!(parse_request("weekly"), ReportRequest::Every(ReportEvery::Week, String::new()));
        assert_eq!(parse_request("tắt"), ReportRequest::Off);
        assert_eq!(parse_request("OFF"), ReportRequest::Off);
        for now in ["", "Bộ Công an", "quý III/2026", "tháng 11/2026", "07/CT-TTg"] {
            assert_eq!(parse_request(now), ReportRequest::Now(now), "{now}");
        }
    }
}
