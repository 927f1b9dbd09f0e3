//! A chat's live calendar: a private address per chat and filter (`/calendar`), and the feed it
//! serves, the same calendar as `/ics` with revisions that move when a task changes.
//!
//! The token in the address is the HMAC-SHA-256 of the chat, the filter and a generation under a
//! random key the database keeps, so asking again gives the same address; `/calendar new` moves
//! to the next generation. Only the token's SHA-256 is stored: the table alone opens nothing.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{App, Result};
use crate::domain::deadline::{Listed, select};
use crate::render::ics::{Revised, calendar_with, uid};
use crate::store::Revision;

/// Where the calendars are served, below the public address: `{public_url}/cal/{token}.ics`.
pub const CALENDAR_PATH: &str = "/cal";
/// Characters of the token in an address (hex: 160 bits).
pub const TOKEN_CHARS: usize = 40;
const KEY: &str = "calendar_key";

/// A calendar served at an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub ics: String,
    pub events: usize,
}

impl App {
    /// The token of the chat's address for `filter` (the filter as typed, trimmed); `renew` gives
    /// it a new one, and the old address opens nothing from then on.
    pub async fn calendar_token(&self, chat_id: i64, filter: &str, renew: bool) -> Result<String> {
        let made = random_key()?;
        let key = self.store.service_value_or(KEY, || made).await?;
        let filter = filter.trim();
        let generation = match self.store.calendar_generation(chat_id, filter).await? {
            Some(generation) if !renew => return Ok(token(&key, chat_id, filter, generation)),
            Some(generation) => generation.saturating_add(1),
            None => 0,
        };
        let token = token(&key, chat_id, filter, generation);
        self.store.set_calendar_token(chat_id, filter, generation, &hash_of(&token), self.clock.now()).await?;
        Ok(token)
    }

    /// The calendar an address serves, or `None` for a token that opens none.
    pub async fn calendar_feed(&self, token: &str) -> Result<Option<Feed>> {
        if token.len() != TOKEN_CHARS || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(address) = self.store.calendar_address(&hash_of(&token.to_ascii_lowercase())).await? else {
            return Ok(None);
        };
        let lang = self.language(address.chat_id, None).await;
        // The filter read when the address was made; one that no longer does opens nothing.
        let filter = match crate::domain::deadline::parse_filter(&address.filter) {
            Ok(filter) => filter,
            Err(error) => {
                tracing::error!(filter = %address.filter, ?error, "a stored calendar filter does not read");
                return Ok(None);
            }
        };
        let catalog = self.catalog();
        let tasks: Vec<Listed> =
            select(&catalog.tasks, &filter, self.today()).into_iter().flat_map(|s| s.items).collect();
        let events: Vec<(String, String)> = tasks.iter().map(|l| (uid(l.task), fingerprint(l))).collect();
        let revisions = self.store.calendar_revisions(&events, self.clock.now()).await?;
        let by_uid: std::collections::HashMap<&str, Revision> =
            events.iter().map(|(uid, _)| uid.as_str()).zip(revisions).collect();
        let revision = |task: &crate::domain::task::Task| {
            by_uid.get(uid(task).as_str()).map(|r| Revised { sequence: r.sequence, modified_at: r.modified_at })
        };
        let ics = calendar_with(&tasks, &self.config.remind_days, self.clock.now(), lang, &revision);
        Ok(Some(Feed { ics, events: tasks.len() }))
    }
}

/// What an event says about its task, whatever the day or the reader's language: the task as
/// stored (title, owner, due date, adjustments, status, completion…).
fn fingerprint(listed: &Listed) -> String {
    hex::encode(Sha256::digest(format!("{:?}", listed.task).as_bytes()))
}

fn token(key: &str, chat_id: i64, filter: &str, generation: u32) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{chat_id}\n{filter}\n{generation}").as_bytes());
    let mut token = hex::encode(mac.finalize().into_bytes());
    token.truncate(TOKEN_CHARS);
    token
}

fn hash_of(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 32 random bytes from the system, in hex (64 of `0-9a-f`: a valid webhook secret too).
pub fn random_key() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| super::AppError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}
