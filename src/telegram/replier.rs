//! The one way replies leave: each chat's replies wait in its own bounded queue, outside the
//! handler, and go one by one in the chat's turn from the pacer. A handler queues and returns, so a
//! chat that asks a hundred questions never holds up the dispatcher, nor anyone else's answer.
//!
//! A chat with [`BOUND`] replies waiting is told once to wait a moment; what it sends meanwhile is
//! dropped (and logged) until its queue is empty again. In a group, a reply still waiting is given
//! up for a newer identical one ([`super::coalesce`]). At shutdown what is queued has
//! [`DRAIN`] to go; the rest is logged, chat by chat.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use teloxide::Bot;
use teloxide::payloads::EditMessageTextSetters;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, MessageId, ParseMode};
use tokio::sync::{Notify, oneshot};

use super::coalesce::{GivenUp, Waiting, enqueue};
use super::send::{Turn, deliver, keyboard};
use crate::app::App;
use crate::chat::message::{Reply, html};
use crate::delivery::{Pacer, Priority, SendFailure};
use crate::render::texts;

/// The most replies one chat may have waiting; past it the chat is asked to wait.
pub const BOUND: usize = 30;
/// How long queued replies have to go at shutdown.
pub const DRAIN: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
struct ChatQueue {
    jobs: VecDeque<Waiting>,
    /// The chat was told to wait; it is not told again until its queue is empty.
    told_to_wait: bool,
    /// Who waits for this queue to be empty ([`Replier::flushed`]), each told alone: one
    /// `Notify` for all chats woke every waiting update at each chat's last send, thousands of
    /// wake-ups a second when thousands wait for their turn.
    flushed: Vec<oneshot::Sender<bool>>,
}

impl ChatQueue {
    /// Tells those waiting for this queue whether its replies went (false: shutdown gave them up).
    fn finish(self, sent: bool) {
        for waiting in self.flushed {
            let _ = waiting.send(sent);
        }
    }
}

/// Whether a chat's update is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Taken,
    /// Over [`BOUND`]: dropped; `first` when this is the update that made the chat be told.
    Dropped {
        first: bool,
    },
}

/// The chats' reply queues, one sender task each while it has replies waiting. Cheap to clone.
#[derive(Clone)]
pub struct Replier {
    bot: Bot,
    pacer: Pacer,
    app: App,
    queues: Arc<Mutex<HashMap<i64, ChatQueue>>>,
    /// Rung when a chat's queue is emptied, for [`Replier::drain`].
    idle: Arc<Notify>,
    /// Shutdown gave up what was still queued.
    given_up: Arc<std::sync::atomic::AtomicBool>,
}

impl Replier {
    pub fn new(bot: Bot, pacer: Pacer, app: App) -> Self {
        Self { bot, pacer, app, queues: Arc::default(), idle: Arc::new(Notify::new()), given_up: Arc::default() }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<i64, ChatQueue>> {
        self.queues.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether an update from `chat_id` is taken. The update that finds [`BOUND`] replies
    /// waiting has "wait a moment" put first in the chat's queue; it and the updates after it are
    /// dropped, each with a log line, until the queue is empty.
    pub async fn admit(&self, chat_id: i64, user_lang: Option<&str>) -> Admission {
        let admission = {
            let mut queues = self.lock();
            match queues.get_mut(&chat_id) {
                Some(queue) if queue.jobs.len() >= BOUND => {
                    Admission::Dropped { first: !std::mem::replace(&mut queue.told_to_wait, true) }
                }
                _ => Admission::Taken,
            }
        };
        if let Admission::Dropped { first } = admission {
            tracing::warn!(chat_id, waiting = BOUND, "too many replies waiting for this chat; its update is dropped");
            if first {
                let lang = self.app.language(chat_id, user_lang).await;
                self.push(chat_id, Waiting::new(html(texts(lang).too_many_requests)), true);
            }
        }
        admission
    }

    /// Queues replies to one message; in a group an identical command's reply still waiting is
    /// given up for this one. Returns at once.
    pub fn answer(&self, chat_id: i64, waiting: Waiting) {
        if waiting.replies.is_empty() {
            return;
        }
        self.push(chat_id, waiting, false);
    }

    /// Queues replies that answer no particular message. Returns at once.
    pub fn queue(&self, chat_id: i64, replies: Vec<Reply>) {
        self.answer(chat_id, Waiting::new(replies));
    }

    /// Queues the rewrite of a pressed button's message. Returns at once.
    pub fn edit(&self, chat_id: i64, message_id: MessageId, reply: Reply) {
        self.push(chat_id, Waiting { edits: Some(message_id), ..Waiting::new(vec![reply]) }, false);
    }

    /// Completes once `chat_id` has no reply waiting or being sent: true when they went (or there
    /// were none), false when shutdown gave them up.
    pub async fn flushed(&self, chat_id: i64) -> bool {
        let emptied = {
            let mut queues = self.lock();
            let Some(queue) = queues.get_mut(&chat_id) else {
                return !self.given_up.load(std::sync::atomic::Ordering::SeqCst);
            };
            let (tell, told) = oneshot::channel();
            queue.flushed.push(tell);
            told
        };
        // Dropped untold: the chat's sender panicked, and what it held is logged as lost.
        emptied.await.unwrap_or_else(|_| !self.given_up.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// Sends replies now, in the chat's turn, and returns once they went (for the background
    /// jobs, which have nobody waiting behind them).
    pub async fn send(&self, chat_id: i64, replies: Vec<Reply>) {
        self.sent(chat_id, deliver(&self.bot, &self.pacer, chat_id, replies, None, Turn::Wait).await).await;
    }

    fn push(&self, chat_id: i64, waiting: Waiting, first: bool) {
        let (given_up, start) = {
            let mut queues = self.lock();
            let start = !queues.contains_key(&chat_id);
            let queue = queues.entry(chat_id).or_default();
            let given_up = if first {
                queue.jobs.push_front(waiting);
                None
            } else {
                enqueue(&mut queue.jobs, waiting)
            };
            (given_up, start)
        };
        if let Some(GivenUp { asked, reply_to, merged }) = given_up {
            tracing::info!(
                chat_id,
                command = %asked,
                message_id = reply_to.map(|m| m.0),
                merged,
                "an identical command came while the chat waited for its turn; its reply goes instead"
            );
        }
        if start {
            tokio::spawn(self.clone().serve(chat_id));
        }
    }

    /// Sends a chat's queue one by one, each in the chat's turn. The turn is taken before the job
    /// is picked, so that a group's reply stays replaceable until the moment it can go.
    async fn serve(self, chat_id: i64) {
        let _panic = OnPanic { replier: &self, chat_id };
        let emptied = loop {
            self.pacer.turn(chat_id, Priority::Reply).await;
            // Only this task takes from the queue, which is not empty while the task runs.
            let next = {
                let mut queues = self.lock();
                match queues.get_mut(&chat_id).and_then(|q| q.jobs.pop_front()) {
                    Some(next) => next,
                    None => break queues.remove(&chat_id),
                }
            };
            if next.merged > 0
                && let Some(asked) = &next.asked
            {
                tracing::info!(chat_id, command = %asked, answered = next.merged + 1, "one reply for identical commands");
            }
            match next.edits {
                Some(message_id) => {
                    for reply in next.replies {
                        self.rewrite(chat_id, message_id, reply).await;
                    }
                }
                None => {
                    let (bot, pacer) = (&self.bot, &self.pacer);
                    let result = deliver(bot, pacer, chat_id, next.replies, next.reply_to, Turn::Taken).await;
                    self.sent(chat_id, result).await;
                }
            }
            let mut queues = self.lock();
            if queues.get(&chat_id).is_none_or(|q| q.jobs.is_empty()) {
                break queues.remove(&chat_id);
            }
        };
        // None when shutdown took the queue, and told its waiters.
        if let Some(queue) = emptied {
            queue.finish(true);
        }
        self.idle.notify_waiters();
    }

    async fn rewrite(&self, chat_id: i64, message_id: MessageId, reply: Reply) {
        let edit = match reply {
            Reply::Keyboard { html, buttons } => self
                .bot
                .edit_message_text(ChatId(chat_id), message_id, html)
                .parse_mode(ParseMode::Html)
                .reply_markup(keyboard(&buttons))
                .await
                .map(|_| ()),
            reply => self
                .bot
                .edit_message_text(ChatId(chat_id), message_id, reply.text())
                .parse_mode(ParseMode::Html)
                .await
                .map(|_| ()),
        };
        if let Err(error) = edit {
            tracing::warn!(chat_id, message_id = message_id.0, %error, "a pressed button's message was not rewritten");
        }
    }

    /// What a send's failure means: a chat that is gone is unsubscribed, anything else logged.
    async fn sent(&self, chat_id: i64, result: Result<(), SendFailure>) {
        match result {
            Ok(()) => {}
            Err(SendFailure::ChatGone(why)) => {
                tracing::info!(chat_id, %why, "chat is gone; unsubscribing it");
                if let Err(error) = self.app.chat_gone(chat_id, &why).await {
                    tracing::error!(chat_id, %error, "cannot unsubscribe a chat that is gone");
                }
            }
            Err(failure) => tracing::warn!(chat_id, %failure, "reply not delivered"),
        }
    }

    /// Completes when no chat has a reply waiting, or after `within`: then what is still queued
    /// is logged, chat by chat, and given up. Returns how many replies were given up.
    pub async fn drain(&self, within: Duration) -> usize {
        let drained = async {
            loop {
                let idle = self.idle.notified();
                if self.lock().is_empty() {
                    return;
                }
                idle.await;
            }
        };
        if tokio::time::timeout(within, drained).await.is_ok() {
            return 0;
        }
        self.given_up.store(true, std::sync::atomic::Ordering::SeqCst);
        let left: Vec<(i64, ChatQueue)> = self.lock().drain().collect();
        let mut given_up = 0;
        for (chat_id, queue) in left {
            let messages: Vec<i32> = queue.jobs.iter().filter_map(|w| w.edits.or(w.reply_to)).map(|m| m.0).collect();
            given_up += queue.jobs.len();
            tracing::warn!(
                chat_id,
                replies = queue.jobs.len(),
                ?messages,
                "stopping: replies not sent in time, given up"
            );
            queue.finish(false);
        }
        given_up
    }
}

/// Clears a chat's queue if its sender panics, so that the chat's next reply starts a new one and
/// shutdown does not wait for ever; what was waiting is logged.
struct OnPanic<'a> {
    replier: &'a Replier,
    chat_id: i64,
}

impl Drop for OnPanic<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let lost = self.replier.lock().remove(&self.chat_id).map_or(0, |queue| queue.jobs.len());
        tracing::error!(chat_id = self.chat_id, lost, "the chat's reply queue failed; its waiting replies are lost");
        self.replier.idle.notify_waiters();
    }
}
