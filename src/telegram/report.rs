//! Report commands: `/report [owner | directive | period]`, the counts the Government Office keeps,
//! and `/xlsx [filter]`, the tasks and the report as a workbook.

use super::reply::{Reply, html};
use super::tasks::filter_or_reply;
use crate::app::App;
use crate::domain::deadline::{DeadlineFilter, Listed, select};
use crate::domain::lang::Lang;
use crate::domain::report::report as count;
use crate::render::{self, fill, texts};

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

/// A chart of a metric's series, as a document, when it has one.
pub fn metric_chart(metric: &crate::domain::metric::Metric, lang: Lang) -> Option<Reply> {
    match render::chart::metric_chart(metric, lang) {
        Ok(Some(bytes)) => Some(Reply::Document {
            name: format!("{}.png", metric.key),
            bytes,
            caption: format!("📈 {}", render::escape(metric.name(lang))),
        }),
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(%error, key = metric.key, "metric chart failed");
            None
        }
    }
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
