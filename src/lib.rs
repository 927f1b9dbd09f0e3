//! Hạn Chót: a Telegram bot that keeps Vietnam's digital-transformation directives on schedule.
//!
//! `domain` is the pure core; `store` keeps it; `app` holds the use cases; `render` is every word
//! a person sees; `delivery` sends digests and reminders; `telegram` and `cli` are the edges, and
//! `serve` starts the bot. `intake` keeps each update in the inbox before it is handled;
//! `http` is the server (webhook, health, metrics, calendars); `metrics` names what is counted.

pub mod app;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod document;
pub mod domain;
pub mod http;
pub mod metrics;
pub mod render;
pub mod seed_audit;
pub mod seeds;
pub mod serve;
pub mod service;
pub mod sources;
pub mod store;
pub mod telegram;
