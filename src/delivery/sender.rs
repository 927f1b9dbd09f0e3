//! Sending what the outbox holds, as fast as Telegram allows and no faster.
//!
//! Each chat's messages go one after another, spaced by the per-chat limit (1 per second, one per
//! three seconds in a group); chats run side by side, and every send takes the next slot of one
//! global limiter (30 per second). A 429 makes only its own chat wait.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::transport::{DeliveryError, SendFailure, Transport};
use crate::clock::Clock;
use crate::render::split::{MAX_MESSAGE_CHARS, split_html};
use crate::store::{Claimed, Migration, OutboxRow, Store, StoreError};

/// Telegram's limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: u32,
    pub per_chat_per_second: u32,
    pub per_group_per_minute: u32,
}

/// How far below Telegram's limits the sender paces itself: requests do not arrive exactly as
/// spaced, and one that arrives early is a 429. Measured in BENCHMARKS.md: without the margin a
/// broadcast drew a few 429s; with it, none, at over 97% of the limit.
const PACING_MARGIN: f64 = 1.02;

impl Limits {
    fn global_interval(&self) -> Duration {
        Duration::from_secs(1).mul_f64(PACING_MARGIN) / self.per_second.max(1)
    }

    /// Group and channel ids are negative on Telegram.
    fn chat_interval(&self, chat_id: i64) -> Duration {
        let interval = if chat_id < 0 {
            Duration::from_secs(60) / self.per_group_per_minute.max(1)
        } else {
            Duration::from_secs(1) / self.per_chat_per_second.max(1)
        };
        interval.mul_f64(PACING_MARGIN)
    }
}

/// Hands out send times at most `per_second` apart, across every chat.
#[derive(Debug)]
struct GlobalLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl GlobalLimiter {
    fn new(interval: Duration) -> Self {
        Self { interval, next: Mutex::new(Instant::now()) }
    }

    async fn acquire(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// What one drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: usize,
    pub failed: usize,
    pub rescheduled: usize,
    pub chats_gone: usize,
}

/// How many times a message is tried on 5xx or network errors before it is failed. teloxide itself
/// waits 10 s after every 5xx, so three attempts already span half a minute.
const MAX_ATTEMPTS: u32 = 3;
/// A 429 asking to wait longer than this puts the row back in the outbox instead of waiting.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(60);
/// How many chats are served at once.
const CHATS_IN_FLIGHT: usize = 256;
/// How many ready rows one pass reads.
const BATCH: i64 = 2_000;

#[derive(Clone)]
pub struct Sender<T: Transport> {
    store: Store,
    transport: T,
    clock: Clock,
    limits: Limits,
    worker: String,
    global: Arc<GlobalLimiter>,
    /// When each chat may next receive a message.
    chat_free: Arc<Mutex<HashMap<i64, Instant>>>,
}

enum Outcome {
    Sent,
    Failed,
    Rescheduled,
    ChatGone,
    Released,
}

impl<T: Transport> Sender<T> {
    pub fn new(store: Store, transport: T, clock: Clock, limits: Limits) -> Self {
        let worker = format!("{}-{}", std::process::id(), clock.now().timestamp_micros());
        Self {
            store,
            transport,
            clock,
            global: Arc::new(GlobalLimiter::new(limits.global_interval())),
            limits,
            worker,
            chat_free: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Sends everything ready now, until nothing is left or `stop` turns true. On stop, messages not
    /// yet started, or still waiting for their chat's turn, stay in the outbox; a message being sent
    /// is finished and recorded.
    pub async fn drain(&self, stop: &watch::Receiver<bool>) -> Result<DrainReport, DeliveryError> {
        let mut report = DrainReport::default();
        let mut seen: HashSet<i64> = HashSet::new();
        loop {
            if *stop.borrow() {
                break;
            }
            let ready = self.store.ready(self.clock.now(), BATCH).await?;
            let fresh: Vec<OutboxRow> = ready.into_iter().filter(|r| seen.insert(r.id)).collect();
            if fresh.is_empty() {
                break;
            }
            let mut by_chat: BTreeMap<i64, Vec<OutboxRow>> = BTreeMap::new();
            for row in fresh {
                by_chat.entry(row.chat_id).or_default().push(row);
            }
            let permits = Arc::new(Semaphore::new(CHATS_IN_FLIGHT));
            let mut tasks = JoinSet::new();
            for (chat_id, rows) in by_chat {
                let permit = permits.clone().acquire_owned().await.expect("semaphore is never closed");
                let sender = self.clone();
                let stop = stop.clone();
                tasks.spawn(async move {
                    let _permit = permit;
                    sender.serve_chat(chat_id, rows, stop).await
                });
            }
            while let Some(joined) = tasks.join_next().await {
                let outcomes = joined??;
                for outcome in outcomes {
                    match outcome {
                        Outcome::Sent => report.sent += 1,
                        Outcome::Failed => report.failed += 1,
                        Outcome::Rescheduled => report.rescheduled += 1,
                        Outcome::ChatGone => {
                            report.chats_gone += 1;
                            report.failed += 1;
                        }
                        Outcome::Released => {}
                    }
                }
            }
        }
        Ok(report)
    }

    /// Sends one chat's rows in order, at the chat's pace.
    async fn serve_chat(
        &self,
        chat_id: i64,
        rows: Vec<OutboxRow>,
        stop: watch::Receiver<bool>,
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut chat_id = chat_id;
        let mut gone = false;
        for row in rows {
            if *stop.borrow() || gone {
                outcomes.push(Outcome::Released);
                continue;
            }
            // Claim right before sending, so a crash leaves at most this one row in doubt.
            let Some(row) = self.store.claim(row, &self.worker, self.clock.now()).await? else {
                continue;
            };
            let outcome = self.send_row(&row, &mut chat_id, &stop).await?;
            gone = matches!(outcome, Outcome::ChatGone);
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// Takes up the pacing where an earlier process left it: a chat sent to shortly before a
    /// restart waits one full interval. A claim can precede its send by the waits in between (the
    /// global limiter's queue, a 429), so the claim's time is not trusted to the millisecond: the
    /// cost is one interval of delay for those chats, once. Returns how many chats that was.
    pub async fn resume_pacing(&self, within: chrono::Duration) -> Result<usize, StoreError> {
        let recent = self.store.chats_sent_to_since(self.clock.now() - within).await?;
        let mut chat_free = self.chat_free.lock().await;
        for &chat_id in &recent {
            let free_at = Instant::now() + self.limits.chat_interval(chat_id);
            let entry = chat_free.entry(chat_id).or_insert(free_at);
            *entry = (*entry).max(free_at);
        }
        Ok(recent.len())
    }

    /// Waits for the chat's turn; false if `stop` turned true first (a 429 can ask for a minute,
    /// and shutdown must not wait for it).
    async fn wait_for_chat(&self, chat_id: i64, stop: &watch::Receiver<bool>) -> bool {
        let mut stop = stop.clone();
        let stopped = async move {
            // A stop signal whose sender is gone can no longer turn true.
            if stop.wait_for(|stopped| *stopped).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            () = self.wait_for_turn(chat_id) => true,
            () = stopped => false,
        }
    }

    async fn wait_for_turn(&self, chat_id: i64) {
        let free_at = self.chat_free.lock().await.get(&chat_id).copied();
        if let Some(at) = free_at {
            tokio::time::sleep_until(at).await;
        }
        self.global.acquire().await;
        self.chat_free.lock().await.insert(chat_id, Instant::now() + self.limits.chat_interval(chat_id));
    }

    async fn hold_chat(&self, chat_id: i64, wait: Duration) {
        self.chat_free.lock().await.insert(chat_id, Instant::now() + wait);
    }

    /// Sends every part of a row not yet sent, handling Telegram's errors. The row was just claimed;
    /// every later attempt renews the claim.
    async fn send_row(
        &self,
        row: &Claimed,
        chat_id: &mut i64,
        stop: &watch::Receiver<bool>,
    ) -> Result<Outcome, StoreError> {
        let parts = split_html(&row.body, MAX_MESSAGE_CHARS);
        let mut part = usize::try_from(row.parts_sent).unwrap_or(0);
        let mut attempts = u32::try_from(row.attempts).unwrap_or(0);
        let mut migrated = false;
        let mut last_message_id = 0;
        let mut first_attempt = true;
        while part < parts.len() {
            if !first_attempt {
                self.store.renew_claim(row.id, self.clock.now()).await?;
            }
            first_attempt = false;
            if !self.wait_for_chat(*chat_id, stop).await {
                // Not sent yet: back to the outbox for the next process, parts already sent kept.
                self.store.reschedule(row.id, self.clock.now(), None, false).await?;
                return Ok(Outcome::Released);
            }
            match self.transport.send(*chat_id, &parts[part]).await {
                Ok(message_id) => {
                    last_message_id = message_id;
                    part += 1;
                    if part < parts.len() {
                        self.store.record_part_sent(row.id, part as i64).await?;
                    }
                }
                Err(SendFailure::RetryAfter(wait)) if wait <= MAX_INLINE_WAIT => {
                    tracing::info!(chat_id = *chat_id, key = %row.key, wait_s = wait.as_secs(), "429: waiting");
                    self.hold_chat(*chat_id, wait).await;
                }
                Err(SendFailure::RetryAfter(wait)) => {
                    let at = self.clock.now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                    self.hold_chat(*chat_id, wait).await;
                    self.store.reschedule(row.id, at, Some("rate limited"), false).await?;
                    return Ok(Outcome::Rescheduled);
                }
                Err(SendFailure::Migrated(new_id)) if !migrated => {
                    tracing::info!(from = *chat_id, to = new_id, "group migrated to a supergroup; following it");
                    if self.store.migrate_chat(*chat_id, new_id, self.clock.now()).await? == Migration::Merged {
                        // The supergroup gets its own copy; migrate_chat skipped this one.
                        return Ok(Outcome::Released);
                    }
                    *chat_id = new_id;
                    migrated = true;
                }
                Err(SendFailure::ChatGone(why)) => {
                    tracing::info!(chat_id = *chat_id, %why, "chat gone; deactivating its subscription");
                    self.store.mark_failed(row.id, &why).await?;
                    self.store.deactivate(*chat_id, Some(&why), self.clock.now()).await?;
                    return Ok(Outcome::ChatGone);
                }
                Err(SendFailure::Transient(why)) if attempts + 1 < MAX_ATTEMPTS => {
                    attempts += 1;
                    let backoff = Duration::from_millis(250 * 2u64.pow(attempts));
                    tracing::warn!(chat_id = *chat_id, key = %row.key, %why, attempts, "transient error; retrying");
                    tokio::time::sleep(backoff).await;
                }
                Err(failure) => {
                    tracing::warn!(chat_id = *chat_id, key = %row.key, %failure, "not delivered");
                    self.store.mark_failed(row.id, &failure.to_string()).await?;
                    return Ok(Outcome::Failed);
                }
            }
        }
        self.store.mark_sent(row.id, last_message_id, *chat_id, self.clock.now()).await?;
        Ok(Outcome::Sent)
    }
}
