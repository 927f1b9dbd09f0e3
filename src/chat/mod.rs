//! The bot's conversation, whatever carries it: commands read from text, who may use them, and one
//! handler per use case answering with [`message::Reply`]. Telegram and `hanchot ask` both call
//! [`handlers::respond`]: one code path. It calls `app` for every change and `render` for every
//! word; it knows nothing of Telegram.

pub mod access;
pub mod buttons;
pub mod calendar;
pub mod command;
pub mod handlers;
pub mod message;
pub mod report;
pub mod review;
pub mod settings;
pub mod sources;
pub mod tasks;
