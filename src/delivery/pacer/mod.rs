//! Telegram's limits, kept for every send the bot makes: replies to commands and the outbox's
//! digests and reminders take their turns from this one pacer.
//!
//! Each chat is spaced by its own limit (1 message a second, 20 a minute in a group); across all
//! chats, one slot is handed out every 1/30 s, and a reply waiting for a slot gets it before any
//! broadcast message does, so a user who types a command in the middle of a 100,000-chat
//! broadcast is answered within about a second.

mod limits;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, oneshot};
use tokio::time::Instant;

pub use limits::Limits;

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
    chat_free: Arc<Mutex<ChatTimes>>,
    /// With paid broadcasts: when the next reply may go within the free limit.
    free_lane: Arc<Mutex<Instant>>,
    /// When the last requests actually left: the last check before the wire.
    wire: Arc<Mutex<Wire>>,
}

/// The requests that left in the last second, overall and unpaid, and when each chat's last one
/// left. A turn is counted from its slot, but the request leaves later (after its claim is
/// written, or when a busy machine gets to it), and requests delayed unevenly can bunch: this is
/// what Telegram counts, so it is checked last, just before the request goes.
#[derive(Debug, Default)]
struct Wire {
    all: VecDeque<Instant>,
    unpaid: VecDeque<Instant>,
    last_to_chat: ChatTimes,
}

/// An instant per chat, forgotten once it can no longer matter: a broadcast to 100,000 chats must
/// not leave 100,000 entries behind for ever.
#[derive(Debug, Default)]
struct ChatTimes {
    at: HashMap<i64, Instant>,
    inserts: usize,
}

/// How many new entries between two sweeps of the idle ones.
const SWEEP_EVERY: usize = 4_096;
/// An entry older than this no longer holds any chat back: no chat's interval is longer than a
/// minute (one message a minute to a group at the lowest setting).
const IDLE_AFTER: Duration = Duration::from_secs(61);

impl ChatTimes {
    fn get(&self, chat_id: &i64) -> Option<&Instant> {
        self.at.get(chat_id)
    }

    /// Keeps the later of the instant recorded and `at`.
    fn keep_later(&mut self, chat_id: i64, at: Instant) {
        let entry = self.at.entry(chat_id).or_insert(at);
        *entry = (*entry).max(at);
        self.inserts += 1;
        if self.inserts >= SWEEP_EVERY {
            self.inserts = 0;
            let now = Instant::now();
            self.at.retain(|_, at| now.saturating_duration_since(*at) < IDLE_AFTER);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.at.len()
    }
}

impl Pacer {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            queues: Arc::default(),
            waiting: Arc::new(Notify::new()),
            chat_free: Arc::default(),
            free_lane: Arc::new(Mutex::new(Instant::now())),
            wire: Arc::default(),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Waits until a message may go to `chat_id` and records that it goes: [`Pacer::reserve`],
    /// then [`Pacer::leave`]. Dropping the future gives the turn up.
    pub async fn turn(&self, chat_id: i64, priority: Priority) {
        self.reserve(chat_id, priority).await;
        self.leave(chat_id, priority).await;
    }

    /// Waits for the chat's own turn, then a global slot. The chat's next turn is counted from
    /// now. Dropping the future gives the turn up.
    pub async fn reserve(&self, chat_id: i64, priority: Priority) {
        let free_at = self.chat_free.lock().unwrap_or_else(|p| p.into_inner()).get(&chat_id).copied();
        if let Some(at) = free_at {
            tokio::time::sleep_until(at).await;
        }
        if let (Priority::Reply, Some(interval)) = (priority, self.limits.free_interval()) {
            let at = {
                let mut lane = self.free_lane.lock().unwrap_or_else(|p| p.into_inner());
                let at = (*lane).max(Instant::now());
                *lane = at + interval;
                at
            };
            tokio::time::sleep_until(at).await;
        }
        self.slot(priority).await;
        let next = Instant::now() + self.limits.chat_interval(chat_id);
        self.chat_free.lock().unwrap_or_else(|p| p.into_inner()).keep_later(chat_id, next);
    }

    /// The last check before a request to `chat_id` goes, after its turn: waits while the requests
    /// that actually left in the last second are at the limit, or the chat's last one left less
    /// than its interval ago, then records this one. Rarely waits: turns are spaced under the
    /// limits, and only requests delayed unevenly after their turn bunch up.
    pub async fn leave(&self, chat_id: i64, priority: Priority) {
        let unpaid = priority == Priority::Reply || !self.limits.paid_broadcast;
        let second = Duration::from_secs(1);
        loop {
            let ready = {
                let mut guard = self.wire.lock().unwrap_or_else(|p| p.into_inner());
                let wire = &mut *guard;
                let now = Instant::now();
                for window in [&mut wire.all, &mut wire.unpaid] {
                    while window.front().is_some_and(|at| now.duration_since(*at) >= second) {
                        window.pop_front();
                    }
                }
                let mut ready = wire.last_to_chat.get(&chat_id).map(|at| *at + self.limits.chat_interval(chat_id));
                if wire.all.len() >= self.limits.wire_cap(self.limits.per_second) {
                    ready = ready.max(wire.all.front().map(|at| *at + second));
                }
                if unpaid && wire.unpaid.len() >= self.limits.wire_cap(self.limits.free_limit()) {
                    ready = ready.max(wire.unpaid.front().map(|at| *at + second));
                }
                match ready {
                    Some(at) if at > now => at,
                    _ => {
                        wire.all.push_back(now);
                        if unpaid {
                            wire.unpaid.push_back(now);
                        }
                        wire.last_to_chat.keep_later(chat_id, now);
                        return;
                    }
                }
            };
            tokio::time::sleep_until(ready).await;
        }
    }

    /// Keeps a chat waiting at least `wait` (Telegram said 429, or a restart must respect the pace
    /// of the process before it).
    pub fn hold(&self, chat_id: i64, wait: Duration) {
        let until = Instant::now() + wait;
        self.chat_free.lock().unwrap_or_else(|p| p.into_inner()).keep_later(chat_id, until);
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
            let (interval, catch_up) = (self.limits.global_interval(), self.limits.catch_up());
            tokio::spawn(tick(self.queues.clone(), self.waiting.clone(), interval, catch_up));
        }
        self.waiting.notify_one();
        // The ticker never drops a waiter without sending; an error means the runtime is going down.
        let _ = rx.await;
    }
}

/// Hands out one slot per `interval`, replies first. A waiter that gave up (its future was
/// dropped) costs no slot. Runs as long as the runtime does: it sleeps while nobody waits.
async fn tick(queues: Arc<Mutex<Queues>>, waiting: Arc<Notify>, interval: Duration, catch_up: u32) {
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
        if next > Instant::now() {
            tokio::time::sleep_until(next).await;
        }
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
            // to every gap, which at hundreds a second would cost a quarter of the pace), and
            // slots a late wake-up missed are handed out at once, up to `catch_up` of them;
            // after an idle time, or a wake-up later than that, from now.
            let now = Instant::now();
            next = if now.saturating_duration_since(next) > interval * catch_up {
                now + interval
            } else {
                next + interval
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_second: u32) -> Limits {
        Limits { per_second, per_chat_per_second: 1_000, per_group_per_minute: 60_000, paid_broadcast: false }
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

    #[tokio::test(start_paused = true)]
    async fn chats_idle_for_a_minute_are_forgotten_and_a_held_one_is_kept() {
        let mut times = ChatTimes::default();
        times.keep_later(-1, Instant::now() + Duration::from_secs(600));
        for chat in 0..SWEEP_EVERY as i64 - 3 {
            times.keep_later(chat, Instant::now());
        }
        tokio::time::advance(IDLE_AFTER).await;
        times.keep_later(1_000_000, Instant::now());
        assert_eq!(times.len(), SWEEP_EVERY - 1, "no sweep before its count");
        times.keep_later(1_000_001, Instant::now());
        assert_eq!(times.len(), 3, "the idle chats go, the held one and the fresh ones stay");
        assert!(times.get(&-1).is_some());
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

    #[tokio::test]
    async fn requests_let_out_together_still_keep_under_the_limit_each_second() {
        let pacer = Pacer::new(limits(30));
        let start = Instant::now();
        // Turns already given, their requests held up and let out at once: 29 may go in one
        // second, the 30th waits for the first to be a second old.
        for chat in 0..30 {
            pacer.leave(chat, Priority::Broadcast).await;
        }
        assert!(start.elapsed() >= Duration::from_secs(1), "{:?}", start.elapsed());
    }

    #[tokio::test]
    async fn with_paid_broadcasts_replies_keep_within_the_free_limit() {
        let pacer = Pacer::new(Limits { paid_broadcast: true, ..limits(1_000) });
        let start = Instant::now();
        for chat in 100..111 {
            pacer.turn(chat, Priority::Reply).await;
        }
        // Ten intervals of the free limit (34.8 ms) after the first reply.
        assert!(start.elapsed() >= Duration::from_millis(340), "{:?}", start.elapsed());
    }
}
