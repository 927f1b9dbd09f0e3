//! The store's behaviour on each database it runs on: every test here runs on SQLite (in memory)
//! and on a new PostgreSQL database when the test server is set (`support::postgres`).

mod catalog;
mod chats;
mod drafts;
mod lease;
mod outbox;
mod sources;

pub use crate::support::db::{execute, number, strings};
