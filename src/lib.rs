//! Hạn Chót: a Telegram bot that keeps Vietnam's digital-transformation directives on schedule.
//!
//! `domain` is the pure core; `store` keeps it; `app` holds the use cases; `render` is every word
//! a person sees; `delivery` sends digests and reminders; `telegram` and `cli` are the edges, and
//! `serve` starts the bot.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod document;
pub mod domain;
pub mod render;
pub mod seeds;
pub mod serve;
pub mod sources;
pub mod store;
pub mod telegram;
