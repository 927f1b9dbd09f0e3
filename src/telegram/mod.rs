//! Telegram: the adapter only. Updates become [`crate::chat::message::Incoming`], the chat's
//! handlers answer, and the replies become Bot API calls; group admins are asked of Telegram.
//! Nothing below imports it.

pub mod bot;
pub mod broadcast;
pub mod coalesce;
pub mod intake;
mod members;
pub mod menu;
pub mod replier;
pub mod send;
pub mod sources;
pub mod webhook;
