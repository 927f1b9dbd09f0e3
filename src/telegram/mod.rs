//! Telegram: the command enum, the shared handlers, rendering to HTML, i18n, and the teloxide adapter.

pub mod bot;
pub mod command;
pub mod handlers;
pub mod i18n;
pub mod intake;
pub mod render;
pub mod send;
pub mod settings;
pub mod split;
pub mod tasks;
