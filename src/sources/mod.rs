//! Watched sources: the official feeds and listing pages the bot reads by itself. Each poll asks
//! every source due (conditionally), reads each item new to it once (its page's article text and
//! attachments), finds the dated tasks with the import's extraction, and keeps them for the admins'
//! review; nothing becomes a task here.
//!
//! `fetch` talks HTTP (limits, timeouts, redirects, `guard`'s addresses), `items` lists a feed's or a
//! page's items, `article` reads an item's page, `reading` reads an item whole and finds its tasks,
//! `poll` puts them together with the store.

pub mod article;
pub mod dates;
pub mod fetch;
pub mod guard;
pub mod items;
mod poll;
mod reading;

pub use fetch::{FetchOptions, Fetcher};
pub use guard::Reach;
pub use poll::{Poll, ProposedItem, SourceOutcome, Watcher, backoff};

/// A source that failed, or brought nothing new, for this many days is reported to the admins.
pub const UNWELL_DAYS: i64 = 4;
