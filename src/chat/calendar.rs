//! `/calendar [filter]`: the chat's private address of a live calendar (the same calendar as
//! `/ics` with that filter), and its `webcal://` form; `/calendar new [filter]` replaces it. In a
//! group only its administrators get or replace it (the command's access).

use super::message::{Incoming, Reply, html};
use super::tasks::filter_or_reply;
use crate::app::{App, CALENDAR_PATH};
use crate::domain::lang::Lang;
use crate::render::{escape, fill, texts};

/// The words that ask for a new address.
const NEW: &[&str] = &["new", "mới", "moi"];

/// `/calendar [new] [filter]`.
pub async fn command(app: &App, incoming: &Incoming, argument: &str, lang: Lang) -> anyhow::Result<Vec<Reply>> {
    let t = texts(lang);
    let public = app.config.public_url.trim().trim_end_matches('/');
    if public.is_empty() {
        return Ok(html(t.calendar_no_public_url));
    }
    let (first, rest) = argument.trim().split_once(char::is_whitespace).unwrap_or((argument.trim(), ""));
    let renew = NEW.iter().any(|word| first.to_lowercase() == *word);
    let filter = if renew { rest.trim() } else { argument.trim() };
    if let Err(reply) = filter_or_reply(filter, lang) {
        return Ok(reply);
    }
    let token = app.calendar_token(incoming.chat_id, filter, renew).await?;
    let url = format!("{public}{CALENDAR_PATH}/{token}.ics");
    let webcal = match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.clone(),
    };
    let scope = if filter.is_empty() { String::new() } else { fill(t.calendar_scope, &[("filter", &escape(filter))]) };
    let mut text = fill(t.calendar_address, &[("scope", &scope), ("url", &escape(&url)), ("webcal", &escape(&webcal))]);
    if renew {
        text = format!("{}\n{text}", t.calendar_renewed);
    }
    Ok(html(text))
}
