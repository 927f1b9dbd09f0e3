//! Telegram: the adapter only. Updates become [`reply::Incoming`], the handlers answer with
//! [`reply::Reply`], and the replies become Bot API calls; commands carry their access rules.
//! It calls `app` for every change and `render` for every word; nothing below imports it.

pub mod access;
pub mod bot;
pub mod coalesce;
pub mod command;
pub mod handlers;
pub mod reply;
pub mod report;
pub mod review;
pub mod send;
pub mod settings;
pub mod sources;
pub mod tasks;
