//! The command menu for `setMyCommands`, from the words table.

use teloxide::types::BotCommand;

use crate::domain::lang::Lang;
use crate::render::texts;

/// The command menu for `setMyCommands` in one language.
pub fn menu(lang: Lang) -> Vec<BotCommand> {
    texts(lang).menu.iter().map(|(command, description)| BotCommand::new(*command, *description)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::command::read;

    #[test]
    fn the_menu_lists_every_command_once_in_each_language() {
        for lang in [Lang::Vi, Lang::En] {
            let names: Vec<String> = menu(lang).into_iter().map(|c| c.command).collect();
            for name in &names {
                assert!(read(&format!("/{name}"), "b").is_ok(), "/{name} is in the menu but not parsed");
            }
            assert_eq!(names.len(), 24);
            let unique: std::collections::HashSet<&String> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "a command is listed twice");
        }
    }
}
