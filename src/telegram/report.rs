//! Report commands: `/report [owner | directive | period]`, the counts the Government Office keeps.

use super::reply::{Reply, html};
use super::tasks::filter_or_reply;
use crate::app::App;
use crate::domain::lang::Lang;
use crate::domain::report::report as count;
use crate::render;

/// `/report [filter]`: the totals and the owners, most overdue first.
pub fn report(app: &App, argument: &str, lang: Lang) -> Vec<Reply> {
    let filter = match filter_or_reply(argument, lang) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let catalog = app.catalog();
    let counted = count(&catalog.tasks, &filter, app.today());
    html(render::report::report(&counted, argument, lang))
}
