//! A group's replies wait for its turn in one queue, where identical commands are answered once.
//!
//! A group gets 20 messages a minute. When ten people type `/deadlines` while the group waits for
//! its turn, the answers would spend half a minute of the group's budget on copies; instead, a
//! reply still waiting is given up for the newer identical one, which goes as a reply to the
//! latest message. The handler still runs for every command (its side effects are its own): only
//! the replies are merged. A reply already on the wire is never undone.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};

use teloxide::Bot;
use teloxide::types::MessageId;
use tokio::sync::Notify;

use super::send::Turn;
use crate::app::App;
use crate::chat::command::{Access, read};
use crate::chat::message::Reply;
use crate::delivery::{Pacer, Priority};
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

/// A reply waiting for its group's turn.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// `None`: merged with nothing.
    pub asked: Option<Asked>,
    pub replies: Vec<Reply>,
    /// The message answered: the latest of those merged.
    pub reply_to: MessageId,
    /// How many identical commands before it this reply answers too.
    pub merged: u32,
}

/// A reply given up for a newer identical one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenUp {
    pub asked: Asked,
    pub reply_to: MessageId,
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

/// The groups' reply queues, one sender each while it has replies waiting. Cheap to clone.
#[derive(Clone)]
pub struct Coalescer {
    bot: Bot,
    pacer: Pacer,
    app: App,
    queues: Arc<Mutex<HashMap<i64, VecDeque<Waiting>>>>,
    idle: Arc<Notify>,
}

impl Coalescer {
    pub fn new(bot: Bot, pacer: Pacer, app: App) -> Self {
        Self { bot, pacer, app, queues: Arc::default(), idle: Arc::new(Notify::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, VecDeque<Waiting>>> {
        self.queues.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues a group's replies to one message; they go in the group's turn, unless an identical
    /// command comes first. Returns at once.
    pub fn answer(&self, chat_id: i64, waiting: Waiting) {
        let (given_up, start) = {
            let mut queues = self.lock();
            let start = !queues.contains_key(&chat_id);
            (enqueue(queues.entry(chat_id).or_default(), waiting), start)
        };
        if let Some(GivenUp { asked, reply_to, merged }) = given_up {
            tracing::info!(
                chat_id,
                command = %asked,
                message_id = reply_to.0,
                merged,
                "an identical command came while the group waited for its turn; its reply goes instead"
            );
        }
        if start {
            tokio::spawn(self.clone().serve(chat_id));
        }
    }

    /// Sends a group's replies one by one, each in the group's turn. The turn is taken before the
    /// reply is picked, so that a reply stays replaceable until the moment it can go.
    async fn serve(self, chat_id: i64) {
        let _panic = OnPanic { coalescer: &self, chat_id };
        loop {
            self.pacer.turn(chat_id, Priority::Reply).await;
            // Only this task takes from the queue, which is not empty while the task runs.
            let next = {
                let mut queues = self.lock();
                match queues.get_mut(&chat_id).and_then(VecDeque::pop_front) {
                    Some(next) => next,
                    None => {
                        queues.remove(&chat_id);
                        break;
                    }
                }
            };
            if next.merged > 0
                && let Some(asked) = &next.asked
            {
                let answered = next.merged + 1;
                tracing::info!(chat_id, command = %asked, answered, "one reply for identical commands");
            }
            let (bot, pacer, app) = (&self.bot, &self.pacer, &self.app);
            super::send::send_replies(bot, pacer, app, chat_id, next.replies, Some(next.reply_to), Turn::Taken).await;
            let mut queues = self.lock();
            if queues.get(&chat_id).is_none_or(VecDeque::is_empty) {
                queues.remove(&chat_id);
                break;
            }
        }
        self.idle.notify_waiters();
    }

    /// Completes when no group has a reply waiting (at shutdown: what was asked is answered).
    pub async fn drained(&self) {
        loop {
            let idle = self.idle.notified();
            if self.lock().is_empty() {
                return;
            }
            idle.await;
        }
    }
}

/// Clears a group's queue if its sender panics, so that the group's next command starts a new one
/// and shutdown does not wait forever; what was waiting is logged.
struct OnPanic<'a> {
    coalescer: &'a Coalescer,
    chat_id: i64,
}

impl Drop for OnPanic<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let lost = self.coalescer.lock().remove(&self.chat_id).map_or(0, |queue| queue.len());
        tracing::error!(chat_id = self.chat_id, lost, "the group's reply queue failed; its waiting replies are lost");
        self.coalescer.idle.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(text: &str, lang: Lang, user: u64) -> Option<Asked> {
        Asked::read(text, "hanchot_bot", lang, Some(user))
    }

    fn waiting(text: &str, message: i32) -> Waiting {
        Waiting { asked: asked(text, Lang::Vi, 1), replies: Vec::new(), reply_to: MessageId(message), merged: 0 }
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
        assert_eq!((given_up.reply_to, given_up.merged), (MessageId(1), 2));
        let given_up = enqueue(&mut queue, waiting("/deadlines ", 4)).expect("merged");
        assert_eq!((given_up.reply_to, given_up.merged), (MessageId(3), 3));
        let order: Vec<(i32, u32)> = queue.iter().map(|w| (w.reply_to.0, w.merged)).collect();
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
