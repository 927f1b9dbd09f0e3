//! The store's behaviour on each database it runs on: every test here runs on SQLite (in memory)
//! and on a new PostgreSQL database when the test server is set (`support::postgres`).

mod catalog;
mod drafts;
mod lease;
mod sources;
