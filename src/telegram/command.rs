//! The bot's commands: parsed by teloxide's `BotCommands`, each with who may use it; the menu for
//! `setMyCommands` comes from the words table.

use teloxide::macros::BotCommands;
use teloxide::types::BotCommand;
use teloxide::utils::command::{BotCommands as _, ParseError};

use super::report::parse_request;
use crate::domain::lang::Lang;
use crate::render::texts;

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
    Extend(String),
    Report(String),
    Xlsx(String),
    /// The watched sources and their health (bot admins).
    Sources(String),
    /// `add URL`, `on N`, `off N` (bot admins).
    Source(String),
}

/// Who may use a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading: anyone, anywhere.
    Anyone,
    /// Changing what a chat gets: anyone in a private chat, a group's administrators in a group.
    ChatAdmins,
    /// Changing the data (tasks): the bot's administrators listed in the config.
    BotAdmins,
}

impl Command {
    /// The words after the command.
    pub fn argument(&self) -> &str {
        use Command::*;
        match self {
            Start(a) | Help(a) | Deadlines(a) | Metric(a) | Metrics(a) | Subscribe(a) | Unsubscribe(a)
            | Settings(a) | Digest(a) | Timezone(a) | Remind(a) | Mute(a) | Lang(a) | Deadline(a) | Ics(a) | Add(a)
            | Done(a) | Reopen(a) | Note(a) | Extend(a) | Report(a) | Xlsx(a) | Sources(a) | Source(a) => a,
        }
    }

    /// Who may use it.
    pub fn access(&self) -> Access {
        use Command::*;
        match self {
            // Anyone may read the report; sending it to the chat on a schedule is the chat's choice.
            Report(a) if parse_request(a).changes_the_chat() => Access::ChatAdmins,
            Start(_) | Help(_) | Deadlines(_) | Metric(_) | Metrics(_) | Settings(_) | Deadline(_) | Ics(_)
            | Report(_) | Xlsx(_) => Access::Anyone,
            Subscribe(_) | Unsubscribe(_) | Digest(_) | Timezone(_) | Remind(_) | Mute(_) | Lang(_) => {
                Access::ChatAdmins
            }
            Add(_) | Done(_) | Reopen(_) | Note(_) | Extend(_) | Sources(_) | Source(_) => Access::BotAdmins,
        }
    }
}

/// Reads a command as people type it: the name in any case (`/Deadlines`), with or without
/// `@bot_name`, the argument after any whitespace (a line break too).
pub fn read(text: &str, bot_username: &str) -> Result<Command, ParseError> {
    let text = text.trim();
    let (name, argument) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    Command::parse(&format!("{} {}", name.to_lowercase(), argument.trim()), bot_username)
}

/// The command menu for `setMyCommands` in one language.
pub fn menu(lang: Lang) -> Vec<BotCommand> {
    texts(lang).menu.iter().map(|(command, description)| BotCommand::new(*command, *description)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn commands_are_read_in_any_case_after_any_whitespace() {
        let expected = Some(Command::Deadlines("quá hạn".into()));
        assert_eq!(read("/Deadlines@HanChot_Bot quá hạn", "hanchot_bot").ok(), expected);
        assert_eq!(read("  /DEADLINES\nquá hạn ", "hanchot_bot").ok(), expected);
        assert_eq!(read("/metrics", "hanchot_bot").ok(), Some(Command::Metrics(String::new())));
        assert!(matches!(read("/Metrics@other_bot", "hanchot_bot"), Err(ParseError::WrongBotName(_))));
        assert!(matches!(read("/Nope", "hanchot_bot"), Err(ParseError::UnknownCommand(_))));
    }

    #[test]
    fn the_menu_lists_every_command_once_in_each_language() {
        for lang in [Lang::Vi, Lang::En] {
            let names: Vec<String> = menu(lang).into_iter().map(|c| c.command).collect();
            for name in &names {
                assert!(Command::parse(&format!("/{name}"), "b").is_ok(), "/{name} is in the menu but not parsed");
            }
            assert_eq!(names.len(), 22);
            let unique: std::collections::HashSet<&String> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "a command is listed twice");
        }
    }

    #[test]
    fn only_the_bots_admins_change_tasks_and_only_chat_admins_change_a_groups_settings() {
        assert_eq!(Command::Add(String::new()).access(), Access::BotAdmins);
        assert_eq!(Command::Done("1".into()).access(), Access::BotAdmins);
        assert_eq!(Command::Extend("1 31/12/2026 lý do".into()).access(), Access::BotAdmins);
        assert_eq!(Command::Subscribe(String::new()).access(), Access::ChatAdmins);
        assert_eq!(Command::Lang("en".into()).access(), Access::ChatAdmins);
        assert_eq!(Command::Deadlines(String::new()).access(), Access::Anyone);
        assert_eq!(Command::Settings(String::new()).access(), Access::Anyone);
        assert_eq!(Command::Report("Bộ Công an".into()).access(), Access::Anyone);
        assert_eq!(Command::Report("hằng tháng Bộ Công an".into()).access(), Access::ChatAdmins);
        assert_eq!(Command::Report("off".into()).access(), Access::ChatAdmins);
    }
}
