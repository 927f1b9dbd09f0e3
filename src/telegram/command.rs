//! The bot's commands: parsed by teloxide's `BotCommands`, described in both languages for
//! `/help` and `setMyCommands`.

use teloxide::macros::BotCommands;
use teloxide::types::BotCommand;

use crate::domain::lang::Lang;

/// Every command takes the rest of the message as its argument, so that extra words are the
/// handler's to judge rather than a parse error.
#[derive(BotCommands, Debug, Clone, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Help(String),
    Deadlines(String),
    Metric(String),
    Metrics(String),
    Subscribe(String),
    Unsubscribe(String),
    Settings(String),
    Digest(String),
    Timezone(String),
    Remind(String),
    Mute(String),
    Lang(String),
    Deadline(String),
    Ics(String),
    Add(String),
    Done(String),
    Reopen(String),
    Note(String),
}

/// (command, Vietnamese description, English description), in menu order.
pub const MENU: &[(&str, &str, &str)] = &[
    (
        "deadlines",
        "Hạn chót: sắp tới, quá hạn, theo tháng hoặc đơn vị",
        "Deadlines: upcoming, overdue, by month or owner",
    ),
    (
        "deadline",
        "Chi tiết một nhiệm vụ (5 rõ, lịch sử): /deadline 12",
        "One task in full (the five clears, history): /deadline 12",
    ),
    ("ics", "Tải lịch hạn chót (.ics) cho Google Calendar, Outlook", "Deadlines as a calendar file (.ics)"),
    ("metric", "Tra cứu số liệu, ví dụ /metric tài khoản VNeID", "Look up a figure, e.g. /metric VNeID accounts"),
    ("metrics", "Danh sách số liệu theo chủ đề", "All figures by topic"),
    ("subscribe", "Đăng ký bản tin sáng và nhắc hạn", "Get the morning digest and reminders"),
    ("unsubscribe", "Hủy đăng ký", "Stop the digest and reminders"),
    ("settings", "Xem cài đặt của cuộc trò chuyện", "This chat's settings"),
    ("digest", "Giờ gửi bản tin: /digest 07:30 hoặc off", "Digest time: /digest 07:30 or off"),
    ("remind", "Nhắc trước hạn: /remind 30,7,1,0", "Reminder days: /remind 30,7,1,0"),
    ("mute", "Tạm tắt thông báo: /mute 3 (ngày) hoặc off", "Mute notifications: /mute 3 (days) or off"),
    ("timezone", "Múi giờ: /timezone Asia/Ho_Chi_Minh", "Time zone: /timezone Asia/Ho_Chi_Minh"),
    ("lang", "Ngôn ngữ: /lang vi hoặc /lang en", "Language: /lang vi or /lang en"),
    ("add", "Quản trị: thêm nhiệm vụ /add 15/10/2026 Bộ X | việc", "Admins: add a task /add 15/10/2026 Owner | task"),
    ("done", "Quản trị: đánh dấu hoàn thành /done 12", "Admins: mark a task done /done 12"),
    ("reopen", "Quản trị: mở lại /reopen 12", "Admins: reopen a task /reopen 12"),
    ("note", "Quản trị: ghi chú /note 12 nội dung", "Admins: add a note /note 12 text"),
    ("help", "Hướng dẫn sử dụng", "How to use the bot"),
    ("start", "Giới thiệu", "About the bot"),
];

/// The command menu for `setMyCommands` in one language.
pub fn menu(lang: Lang) -> Vec<BotCommand> {
    MENU.iter().map(|(command, vi, en)| BotCommand::new(*command, if lang == Lang::Vi { *vi } else { *en })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::utils::command::{BotCommands, ParseError};

    #[test]
    fn commands_parse_with_and_without_the_bot_name() {
        assert_eq!(
            Command::parse("/deadlines quá hạn", "hanchot_bot").ok(),
            Some(Command::Deadlines("quá hạn".into()))
        );
        assert_eq!(Command::parse("/metrics@hanchot_bot", "hanchot_bot").ok(), Some(Command::Metrics(String::new())));
        assert!(matches!(Command::parse("/metrics@other_bot", "hanchot_bot"), Err(ParseError::WrongBotName(_))));
        assert!(matches!(Command::parse("/nope", "hanchot_bot"), Err(ParseError::UnknownCommand(_))));
    }

    #[test]
    fn the_menu_lists_every_command_once_in_each_language() {
        for lang in [Lang::Vi, Lang::En] {
            let names: Vec<String> = menu(lang).into_iter().map(|c| c.command).collect();
            for name in &names {
                assert!(Command::parse(&format!("/{name}"), "b").is_ok(), "/{name} is in the menu but not parsed");
            }
            assert_eq!(names.len(), 19);
        }
    }
}
