//! The bot's commands, read from a message's text whatever carries it, each with who may use it.

use super::report::parse_request;

/// Every command takes the rest of the message as its argument, so that extra words are the
/// handler's to judge rather than a parse error. The name is the variant's, in lower case.
#[derive(Debug, Clone, PartialEq, Eq, strum::EnumDiscriminants)]
#[strum_discriminants(name(CommandName), derive(strum::EnumString, strum::IntoStaticStr, strum::EnumIter))]
#[strum_discriminants(strum(serialize_all = "lowercase"))]
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
    Calendar(String),
    /// The watched sources and their health (bot admins).
    Sources(String),
    /// `add URL`, `on N`, `off N` (bot admins).
    Source(String),
}

/// Why a message that starts with `/` is not one of the bot's commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// `/command@other_bot`: meant for another bot in the group.
    #[error("addressed to another bot")]
    OtherBot,
    /// Not a command this bot knows.
    #[error("unknown command {0}")]
    Unknown(String),
}

impl Command {
    fn new(name: CommandName, argument: String) -> Self {
        use CommandName as N;
        match name {
            N::Start => Self::Start(argument),
            N::Help => Self::Help(argument),
            N::Deadlines => Self::Deadlines(argument),
            N::Metric => Self::Metric(argument),
            N::Metrics => Self::Metrics(argument),
            N::Subscribe => Self::Subscribe(argument),
            N::Unsubscribe => Self::Unsubscribe(argument),
            N::Settings => Self::Settings(argument),
            N::Digest => Self::Digest(argument),
            N::Timezone => Self::Timezone(argument),
            N::Remind => Self::Remind(argument),
            N::Mute => Self::Mute(argument),
            N::Lang => Self::Lang(argument),
            N::Deadline => Self::Deadline(argument),
            N::Ics => Self::Ics(argument),
            N::Add => Self::Add(argument),
            N::Done => Self::Done(argument),
            N::Reopen => Self::Reopen(argument),
            N::Note => Self::Note(argument),
            N::Extend => Self::Extend(argument),
            N::Report => Self::Report(argument),
            N::Xlsx => Self::Xlsx(argument),
            N::Calendar => Self::Calendar(argument),
            N::Sources => Self::Sources(argument),
            N::Source => Self::Source(argument),
        }
    }

    /// The command's name as typed after `/`.
    pub fn name(&self) -> &'static str {
        CommandName::from(self).into()
    }
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
            | Done(a) | Reopen(a) | Note(a) | Extend(a) | Report(a) | Xlsx(a) | Calendar(a) | Sources(a)
            | Source(a) => a,
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
            // A group's calendar address is given (and replaced) by its administrators.
            Subscribe(_) | Unsubscribe(_) | Digest(_) | Timezone(_) | Remind(_) | Mute(_) | Lang(_) | Calendar(_) => {
                Access::ChatAdmins
            }
            Add(_) | Done(_) | Reopen(_) | Note(_) | Extend(_) | Sources(_) | Source(_) => Access::BotAdmins,
        }
    }
}

/// Reads a command as people type it: the name in any case (`/Deadlines`), with or without
/// `@bot_name`, the argument after any whitespace (a line break too).
pub fn read(text: &str, bot_username: &str) -> Result<Command, CommandError> {
    let text = text.trim();
    let (head, argument) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let head = head.strip_prefix('/').unwrap_or(head);
    let (name, addressee) = head.split_once('@').map_or((head, None), |(n, a)| (n, Some(a)));
    if addressee.is_some_and(|a| !a.eq_ignore_ascii_case(bot_username)) {
        return Err(CommandError::OtherBot);
    }
    let name: CommandName = name.to_lowercase().parse().map_err(|_| CommandError::Unknown(name.to_owned()))?;
    Ok(Command::new(name, argument.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_and_without_the_bot_name() {
        assert_eq!(read("/deadlines quá hạn", "hanchot_bot").ok(), Some(Command::Deadlines("quá hạn".into())));
        assert_eq!(read("/metrics@hanchot_bot", "hanchot_bot").ok(), Some(Command::Metrics(String::new())));
        assert_eq!(read("/metrics@other_bot", "hanchot_bot"), Err(CommandError::OtherBot));
        assert_eq!(read("/nope", "hanchot_bot"), Err(CommandError::Unknown("nope".into())));
    }

    #[test]
    fn commands_are_read_in_any_case_after_any_whitespace() {
        let expected = Some(Command::Deadlines("quá hạn".into()));
        assert_eq!(read("/Deadlines@HanChot_Bot quá hạn", "hanchot_bot").ok(), expected);
        assert_eq!(read("  /DEADLINES\nquá hạn ", "hanchot_bot").ok(), expected);
        assert_eq!(read("/metrics", "hanchot_bot").ok(), Some(Command::Metrics(String::new())));
        assert!(matches!(read("/Metrics@other_bot", "hanchot_bot"), Err(CommandError::OtherBot)));
        assert!(matches!(read("/Nope", "hanchot_bot"), Err(CommandError::Unknown(_))));
    }

    #[test]
    fn every_name_reads_back_as_its_command() {
        use strum::IntoEnumIterator;
        for name in CommandName::iter() {
            let text: &'static str = name.into();
            let command = read(&format!("/{text} x"), "b").expect(text);
            assert_eq!((command.name(), command.argument()), (text, "x"));
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
