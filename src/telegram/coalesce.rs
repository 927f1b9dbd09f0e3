//! In a group's reply queue ([`super::replier`]), identical commands are answered once.
//!
//! A group gets 20 messages a minute. When ten people type `/deadlines` while the group waits for
//! its turn, the answers would spend half a minute of the group's budget on copies; instead, a
//! reply still waiting is given up for the newer identical one, which goes as a reply to the
//! latest message. The handler still runs for every command (its side effects are its own): only
//! the replies are merged. A reply already on the wire is never undone.

use std::collections::VecDeque;
use std::fmt;

use teloxide::types::MessageId;

use crate::chat::command::{Access, read};
use crate::chat::message::Reply;
use crate::domain::lang::Lang;

/// What makes two commands the same question: the command, its argument with its whitespace
/// collapsed, in one Unicode form and one case, the language the answer is in, and for an answer that depends on who asks, who.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asked {
    command: String,
    argument: String,
    lang: Lang,
    asker: Option<u64>,
}

impl Asked {
    /// The question a group message asks, or `None` for one whose answer is never merged: not one
    /// of the bot's commands, or a change to the tasks (each answer says what that change did:
    /// the id of the task added, for one).
    pub fn read(text: &str, bot_username: &str, lang: Lang, user_id: Option<u64>) -> Option<Self> {
        let command = read(text, bot_username).ok()?;
        let asker = match command.access() {
            // Everyone in the group gets the same answer.
            Access::Anyone => None,
            // A group's administrator is answered, anyone else refused: the same person's
            // repeats are one question, two people's are two.
            Access::ChatAdmins => Some(user_id?),
            Access::BotAdmins => return None,
        };
        let name = text.split_whitespace().next()?.split('@').next()?.to_lowercase();
        // The bot reads arguments folded (case, composed or decomposed accents): so does this.
        let argument = crate::domain::text::clean(command.argument()).to_lowercase();
        Some(Self { command: name, argument, lang, asker })
    }
}

impl fmt::Display for Asked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.argument.as_str() {
            "" => write!(f, "{}", self.command),
            argument => write!(f, "{} {argument}", self.command),
        }
    }
}

/// Replies waiting for their chat's turn.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// `None`: merged with nothing.
    pub asked: Option<Asked>,
    pub replies: Vec<Reply>,
    /// The message answered (in a group, the latest of those merged); `None` in a private chat.
    pub reply_to: Option<MessageId>,
    /// How many identical commands before it this reply answers too.
    pub merged: u32,
    /// The message these replies rewrite (a pressed button's), rather than new messages.
    pub edits: Option<MessageId>,
}

impl Waiting {
    /// Replies to no message in particular, merged with nothing.
    pub fn new(replies: Vec<Reply>) -> Self {
        Self { asked: None, replies, reply_to: None, merged: 0, edits: None }
    }
}

/// A reply given up for a newer identical one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenUp {
    pub asked: Asked,
    pub reply_to: Option<MessageId>,
    /// How many commands the newer reply now answers, itself included.
    pub merged: u32,
}

/// Queues `new` behind a group's waiting replies. A waiting reply to the same question is given
/// up: the newer one goes instead, behind what was asked between them, so that the answers come
/// in the order of the state they show.
pub fn enqueue(queue: &mut VecDeque<Waiting>, mut new: Waiting) -> Option<GivenUp> {
    let given_up = new.asked.as_ref().and_then(|asked| {
        let at = queue.iter().position(|w| w.asked.as_ref() == Some(asked))?;
        let old = queue.remove(at)?;
        new.merged = old.merged + 1;
        Some(GivenUp { asked: asked.clone(), reply_to: old.reply_to, merged: new.merged + 1 })
    });
    queue.push_back(new);
    given_up
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(text: &str, lang: Lang, user: u64) -> Option<Asked> {
        Asked::read(text, "hanchot_bot", lang, Some(user))
    }

    fn waiting(text: &str, message: i32) -> Waiting {
        Waiting { asked: asked(text, Lang::Vi, 1), reply_to: Some(MessageId(message)), ..Waiting::new(Vec::new()) }
    }

    #[test]
    fn the_same_command_typed_differently_is_the_same_question() {
        let plain = asked("/deadlines", Lang::Vi, 1);
        assert!(plain.is_some());
        for typed in ["/Deadlines@hanchot_bot", "/deadlines ", "  /DEADLINES"] {
            assert_eq!(asked(typed, Lang::Vi, 2), plain, "{typed}");
        }
        assert_eq!(asked("/metric  tài khoản\n VNeID", Lang::Vi, 1), asked("/metric tài khoản VNeID", Lang::Vi, 3));
        let decomposed = "/deadlines Bo\u{302}\u{323} Co\u{302}ng an";
        assert_eq!(asked(decomposed, Lang::Vi, 1), asked("/deadlines bộ công an", Lang::Vi, 2), "one form, one case");
        assert_ne!(asked("/deadlines quá hạn", Lang::Vi, 1), plain);
        assert_ne!(asked("/deadlines", Lang::En, 1), plain, "answers in two languages are two answers");
        assert_eq!(plain.unwrap().to_string(), "/deadlines");
        assert_eq!(asked("/Metric@hanchot_bot  VNeID ", Lang::Vi, 1).unwrap().to_string(), "/metric vneid");
    }

    #[test]
    fn answers_that_depend_on_who_asks_are_never_merged_across_people() {
        assert_eq!(asked("/subscribe", Lang::Vi, 1), asked("/Subscribe ", Lang::Vi, 1));
        assert_ne!(asked("/subscribe", Lang::Vi, 1), asked("/subscribe", Lang::Vi, 2));
        assert_eq!(Asked::read("/subscribe", "hanchot_bot", Lang::Vi, None), None);
        assert_eq!(asked("/add 15/10/2026 Bộ Công an | Báo cáo", Lang::Vi, 1), None, "each change is answered");
        assert_eq!(asked("/done 12", Lang::Vi, 1), None);
        assert_eq!(asked("/weather", Lang::Vi, 1), None);
        assert_eq!(asked("/deadlines@other_bot", Lang::Vi, 1), None);
    }

    #[test]
    fn a_waiting_reply_is_given_up_for_the_newer_identical_one_which_goes_behind_the_others() {
        let mut queue = VecDeque::new();
        assert_eq!(enqueue(&mut queue, waiting("/deadlines", 1)), None);
        assert_eq!(enqueue(&mut queue, waiting("/metrics", 2)), None);
        let given_up = enqueue(&mut queue, waiting("/Deadlines@hanchot_bot", 3)).expect("merged");
        assert_eq!((given_up.reply_to, given_up.merged), (Some(MessageId(1)), 2));
        let given_up = enqueue(&mut queue, waiting("/deadlines ", 4)).expect("merged");
        assert_eq!((given_up.reply_to, given_up.merged), (Some(MessageId(3)), 3));
        let order: Vec<(i32, u32)> = queue.iter().map(|w| (w.reply_to.unwrap().0, w.merged)).collect();
        assert_eq!(order, vec![(2, 0), (4, 2)]);
    }

    #[test]
    fn replies_merged_with_nothing_are_all_kept() {
        let mut queue = VecDeque::new();
        for message in 1..=3 {
            let unmerged = Waiting { asked: None, ..waiting("/add x", message) };
            assert_eq!(enqueue(&mut queue, unmerged), None);
        }
        assert_eq!(queue.len(), 3);
    }
}
