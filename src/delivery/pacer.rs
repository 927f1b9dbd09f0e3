//! Telegram's limits, kept for every send the bot makes: replies to commands and the outbox's
//! digests and reminders take their turns from this one pacer.
//!
//! Each chat is spaced by its own limit (1 message a second, 20 a minute in a group); across all
//! chats, one slot is handed out every 1/30 s, and a reply waiting for a slot gets it before any
//! broadcast message does, so a user who types a command in the middle of a 100,000-chat
//! broadcast is answered within about a second.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, oneshot};
use tokio::time::Instant;

/// Telegram's limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: u32,
    pub per_chat_per_second: u32,
    pub per_group_per_minute: u32,
}

/// How far below a chat's limit the bot paces itself: requests do not arrive exactly as spaced
/// (the network and a busy machine shift them by tens of milliseconds), and one that arrives early
/// is a 429. See BENCHMARKS.md for the pace reached.
const PACING_MARGIN: f64 = 1.03;

impl Limits {
    /// Slots are planned one short of the limit each second (and 1% slower): a slot handed out
    /// late by a busy machine is not made up for by the next, but it can land in the next second's
    /// window, which then must have room for it.
    fn global_interval(&self) -> Duration {
        Duration::from_secs(1).mul_f64(1.01) / self.per_second.saturating_sub(1).max(1)
    }

    /// The least time between two messages to one chat. Group and channel ids are negative.
    pub fn chat_interval(&self, chat_id: i64) -> Duration {
        let interval = if chat_id < 0 {
            Duration::from_secs(60) / self.per_group_per_minute.max(1)
        } else {
            Duration::from_secs(1) / self.per_chat_per_second.max(1)
        };
        interval.mul_f64(PACING_MARGIN)
    }
}

/// Who is waiting: a person who just asked, or the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Reply,
    Broadcast,
}

/// The global slots: waiters queue by priority, and one task hands out a slot per interval.
#[derive(Debug, Default)]
struct Queues {
    replies: VecDeque<oneshot::Sender<()>>,
    broadcast: VecDeque<oneshot::Sender<()>>,
    ticking: bool,
}

/// The one pacer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Pacer {
    limits: Limits,
    queues: Arc<Mutex<Queues>>,
    waiting: Arc<Notify>,
    /// When each chat may next receive a message.
    chat_free: Arc<Mutex<HashMap<i64, Instant>>>,
}

impl Pacer {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            queues: Arc::default(),
            waiting: Arc::new(Notify::new()),
            chat_free: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Waits until a message may go to `chat_id`: the chat's own turn, then a global slot. The
    /// chat's next turn is counted from now. Dropping the future gives the turn up.
    pub async fn turn(&self, chat_id: i64, priority: Priority) {
        let free_at = self.chat_free.lock().unwrap_or_else(|p| p.into_inner()).get(&chat_id).copied();
        if let Some(at) = free_at {
            tokio::time::sleep_until(at).await;
        }
        self.slot(priority).await;
        let next = Instant::now() + self.limits.chat_interval(chat_id);
        let mut chat_free = self.chat_free.lock().unwrap_or_else(|p| p.into_inner());
        let entry = chat_free.entry(chat_id).or_insert(next);
        *entry = (*entry).max(next);
    }

    /// Keeps a chat waiting at least `wait` (Telegram said 429, or a restart must respect the pace
    /// of the process before it).
    pub fn hold(&self, chat_id: i64, wait: Duration) {
        let until = Instant::now() + wait;
        let mut chat_free = self.chat_free.lock().unwrap_or_else(|p| p.into_inner());
        let entry = chat_free.entry(chat_id).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// Waits for one global slot.
    async fn slot(&self, priority: Priority) {
        let (tx, rx) = oneshot::channel();
        let start_ticker = {
            let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
            match priority {
                Priority::Reply => queues.replies.push_back(tx),
                Priority::Broadcast => queues.broadcast.push_back(tx),
            }
            !std::mem::replace(&mut queues.ticking, true)
        };
        if start_ticker {
            tokio::spawn(tick(self.queues.clone(), self.waiting.clone(), self.limits.global_interval()));
        }
        self.waiting.notify_one();
        // The ticker never drops a waiter without sending; an error means the runtime is going down.
        let _ = rx.await;
    }
}

/// Hands out one slot per `interval`, replies first. A waiter that gave up (its future was
/// dropped) costs no slot. Runs as long as the runtime does: it sleeps while nobody waits.
async fn tick(queues: Arc<Mutex<Queues>>, waiting: Arc<Notify>, interval: Duration) {
    let mut next = Instant::now();
    loop {
        let notified = waiting.notified();
        let waiter = {
            let mut queues = queues.lock().unwrap_or_else(|p| p.into_inner());
            match queues.replies.pop_front() {
                Some(reply) => Some((reply, Priority::Reply)),
                None => queues.broadcast.pop_front().map(|b| (b, Priority::Broadcast)),
            }
        };
        let Some((waiter, priority)) = waiter else {
            notified.await;
            continue;
        };
        if waiter.is_closed() {
            continue;
        }
        tokio::time::sleep_until(next).await;
        // The slot goes to whoever is first now: a reply that came during the sleep goes before
        // the broadcast message that was waiting.
        let first = match priority {
            Priority::Reply => waiter,
            Priority::Broadcast => {
                let mut queues = queues.lock().unwrap_or_else(|p| p.into_inner());
                match queues.replies.pop_front() {
                    Some(reply) => {
                        queues.broadcast.push_front(waiter);
                        reply
                    }
                    None => waiter,
                }
            }
        };
        if first.send(()).is_ok() {
            // On schedule, slots follow each other exactly (a wake-up a little late is not added
            // to every gap, which at hundreds a second would cost a quarter of the pace); after an
            // idle time, or a wake-up later than one interval, from now.
            let now = Instant::now();
            next = if now.saturating_duration_since(next) > interval { now + interval } else { next + interval };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_second: u32) -> Limits {
        Limits { per_second, per_chat_per_second: 1_000, per_group_per_minute: 60_000 }
    }

    #[tokio::test]
    async fn slots_are_spaced_across_chats() {
        let pacer = Pacer::new(limits(50));
        let start = Instant::now();
        for chat in 0..11 {
            pacer.turn(chat, Priority::Broadcast).await;
        }
        // Ten intervals of 20.4 ms after the first slot.
        assert!(start.elapsed() >= Duration::from_millis(200), "{:?}", start.elapsed());
    }

    #[tokio::test]
    async fn a_reply_goes_before_the_broadcast_queued_ahead_of_it() {
        let pacer = Pacer::new(limits(20));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for chat in 1..=10 {
            let (pacer, order) = (pacer.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                pacer.turn(chat, Priority::Broadcast).await;
                order.lock().unwrap().push(chat);
            }));
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
        let (reply_pacer, reply_order) = (pacer.clone(), order.clone());
        tasks.push(tokio::spawn(async move {
            reply_pacer.turn(-1, Priority::Reply).await;
            reply_order.lock().unwrap().push(-1);
        }));
        for task in tasks {
            task.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        let reply_at = order.iter().position(|&c| c == -1).unwrap();
        assert!(reply_at <= 3, "the reply waited behind the broadcast: {order:?}");
    }

    #[tokio::test]
    async fn a_held_chat_waits_and_others_do_not() {
        let pacer = Pacer::new(limits(1_000));
        pacer.hold(7, Duration::from_millis(300));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for chat in [7, 8] {
            let (pacer, order) = (pacer.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                pacer.turn(chat, Priority::Broadcast).await;
                order.lock().unwrap().push(chat);
            }));
        }
        let start = Instant::now();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![8, 7], "the held chat went first or held the other up");
        assert!(start.elapsed() >= Duration::from_millis(250));
    }
}
