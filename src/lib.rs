//! Hạn Chót: a Telegram bot that keeps Vietnam's digital-transformation directives on schedule.
//!
//! `domain` is the pure core; `store`, `telegram` and `cli` are the adapters around it.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod document;
pub mod domain;
pub mod ics;
pub mod seeds;
pub mod store;
pub mod telegram;
