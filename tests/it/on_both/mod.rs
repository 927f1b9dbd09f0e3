//! The store's behaviour on each database it runs on: every test here runs on SQLite (in memory)
//! and on a new PostgreSQL database when the test server is set (`support::postgres`). The rest of
//! the store (drafts, watched sources, the calendar) runs on PostgreSQL through the whole suite:
//! `HANCHOT_TEST_APPS_ON=postgres` (see docs/ARCHITECTURE.md, "Storage").

mod catalog;
mod chats;
mod lease;
mod outbox;

pub use crate::support::db::{execute, number, strings};
