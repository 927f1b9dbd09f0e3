//! Sending what the outbox holds, as fast as Telegram allows and no faster.
//!
//! Chats are served side by side, each chat's messages one after another in the order they were
//! planned; every send waits for its turn from the [`Pacer`], and a row is claimed only when its
//! turn has come, so a crash leaves in doubt only what was on the wire. One chat's trouble (a 429,
//! a 5xx, a slow answer) holds up that chat alone: the others, and the next rows, go on.

mod row;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::lease::Lease;
use super::outage::Outage;
use super::pacer::{Pacer, Priority};
use super::recorder::Recorder;
use super::texts::{Parts, Texts};
use super::transport::{DeliveryError, SendFailure, Transport};
use crate::clock::Clock;
use crate::store::{Migration, OutboxRow, SentMark, Store, StoreError};

/// What one drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: usize,
    pub failed: usize,
    pub rescheduled: usize,
    pub chats_gone: usize,
}

/// How many times a message is tried on 5xx or a connection that could not be made before it is
/// failed. The Telegram client itself waits 10 s after every 5xx, so three attempts already span half a minute.
const MAX_ATTEMPTS: u32 = 3;
/// How many 429s one message may draw before it is failed: a chat that is always "too many
/// requests" must not be tried for ever.
const MAX_RATE_LIMITED: u32 = 6;
/// A 429 asking to wait longer than this puts the row back in the outbox instead of waiting; the
/// chat's later rows wait behind it.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(60);
/// How many chats are served at once.
const CHATS_IN_FLIGHT: usize = 256;
/// The most ready rows one read takes.
const BATCH: i64 = 1_024;
/// While serving, how often the outbox is looked at when nothing else wakes the sender.
const POLL: Duration = Duration::from_secs(1);
/// How long a write that must not be lost (a row sent) is retried while the database fails.
const STORE_RETRY_FOR: Duration = Duration::from_secs(300);

#[derive(Clone)]
pub struct Sender<T: Transport> {
    store: Store,
    transport: T,
    clock: Clock,
    pacer: Pacer,
    worker: String,
    /// Claims and marks go through it, batched with the other chats'.
    recorder: Recorder,
    texts: Texts,
    /// Database trouble, shared with the lease, the recorder and planning: logged a bounded number of times.
    outage: Outage,
    /// Whether this process holds the sending lease now.
    lease_held: watch::Sender<bool>,
    /// Serving (not draining once): a row is claimed only while the lease is held, so a process
    /// that lost it (stalled past its lapse) starts nothing beside the one that took it over.
    claims_need_lease: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Failed,
    Rescheduled,
    ChatGone,
    /// Not sent and not claimed (stopping), or claimed by another process first.
    Released,
}

/// What serving one chat came to.
type ChatTask = Result<Vec<Outcome>, StoreError>;
/// The chats being served, by their task.
type Busy = HashMap<tokio::task::Id, i64>;

impl DrainReport {
    fn count(&mut self, outcomes: &[Outcome]) {
        for outcome in outcomes {
            match outcome {
                Outcome::Sent => self.sent += 1,
                Outcome::Failed => self.failed += 1,
                Outcome::Rescheduled => self.rescheduled += 1,
                Outcome::ChatGone => {
                    self.chats_gone += 1;
                    self.failed += 1;
                }
                Outcome::Released => {}
            }
        }
    }
}

impl<T: Transport> Sender<T> {
    pub fn new(store: Store, transport: T, clock: Clock, pacer: Pacer) -> Self {
        // Unique across processes (the pid) and within one (a count): the claims and the lease
        // tell senders apart by it.
        static SENDERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SENDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let worker = format!("{}-{}-{n}", std::process::id(), clock.now().timestamp_micros());
        let outage = Outage::default();
        let recorder = Recorder::start(store.clone(), worker.clone(), outage.clone());
        let lease_held = watch::Sender::new(false);
        Self {
            store,
            transport,
            clock,
            pacer,
            worker,
            recorder,
            texts: Texts::default(),
            outage,
            lease_held,
            claims_need_lease: false,
        }
    }

    /// Whether this process holds the sending lease, as it changes: what one process alone must
    /// do (polling Telegram for updates) follows it.
    pub fn lease_held(&self) -> watch::Receiver<bool> {
        self.lease_held.subscribe()
    }

    /// Sends everything ready now, until nothing is ready or in flight, or `stop` turns true. On
    /// stop, messages not yet started, or still waiting for their turn, stay in the outbox; a
    /// message being sent is finished and recorded.
    pub async fn drain(&self, stop: &watch::Receiver<bool>) -> Result<DrainReport, DeliveryError> {
        let mut report = DrainReport::default();
        let mut seen = HashSet::new();
        let (mut flight, mut busy) = (JoinSet::new(), HashMap::new());
        loop {
            if !*stop.borrow() && flight.len() < CHATS_IN_FLIGHT / 2 {
                self.launch(&mut flight, &mut busy, Some(&mut seen), stop).await?;
            }
            let Some(joined) = flight.join_next_with_id().await else { break };
            let (task, outcomes) = joined?;
            busy.remove(&task);
            report.count(&outcomes?);
        }
        Ok(report)
    }

    /// Sends what becomes ready, until `stop` turns true: woken by `rows_added`, by a chat that is
    /// done, or every second. A database error is logged (a bounded number of times) and the
    /// outbox read again once it answers.
    pub async fn serve(&self, mut stop: watch::Receiver<bool>, rows_added: Arc<Notify>) {
        let this = Self { claims_need_lease: true, ..self.clone() };
        this.serve_leased(&mut stop, rows_added).await;
    }

    async fn serve_leased(&self, stop: &mut watch::Receiver<bool>, rows_added: Arc<Notify>) {
        let (mut flight, mut busy) = (JoinSet::new(), HashMap::new());
        let outage = &self.outage;
        let mut lease = Lease::new(self.store.clone(), self.worker.clone(), outage.clone(), self.lease_held.clone());
        loop {
            if *stop.borrow() {
                break;
            }
            if !lease.hold(self.clock.now()).await {
                // Another process is sending: wait for its lease to lapse or be given up.
            } else if flight.len() < CHATS_IN_FLIGHT / 2 {
                // A read that works does not end an outage: writes can fail while reads work.
                if let Err(error) = self.launch(&mut flight, &mut busy, None, stop).await {
                    outage.failed("read the outbox", &error);
                }
            }
            let added = rows_added.notified();
            tokio::select! {
                Some(joined) = flight.join_next_with_id(), if !flight.is_empty() => {
                    finished(joined, &mut busy, outage);
                }
                () = added => {}
                () = tokio::time::sleep(outage.backoff().unwrap_or(POLL)) => {}
                _ = stop.changed() => {}
            }
        }
        while let Some(joined) = flight.join_next_with_id().await {
            finished(joined, &mut busy, outage);
        }
        lease.release().await;
    }

    /// Starts serving the chats with ready rows that are not being served already.
    async fn launch(
        &self,
        flight: &mut JoinSet<ChatTask>,
        busy: &mut Busy,
        mut seen: Option<&mut HashSet<i64>>,
        stop: &watch::Receiver<bool>,
    ) -> Result<(), StoreError> {
        // Only as many chats as there is room for: their texts are read now, the rest wait. The
        // chats being served still have their row ready (it is claimed only in its turn), so
        // the read takes those, the room, and as much again for rows that cannot go yet.
        let room = CHATS_IN_FLIGHT.saturating_sub(flight.len());
        let wanted = i64::try_from(flight.len() + 2 * room).unwrap_or(BATCH).min(BATCH);
        let mut ready = self.store.ready(self.clock.now(), wanted).await?;
        let serving: HashSet<i64> = busy.values().copied().collect();
        ready
            .retain(|row| !serving.contains(&row.chat_id) && !seen.as_ref().is_some_and(|seen| seen.contains(&row.id)));
        let mut by_chat: BTreeMap<i64, Vec<OutboxRow>> = BTreeMap::new();
        for row in ready {
            if by_chat.len() < room || by_chat.contains_key(&row.chat_id) {
                by_chat.entry(row.chat_id).or_default().push(row);
            }
        }
        let rows: Vec<OutboxRow> = by_chat.values().flatten().cloned().collect();
        let mut parts = self.texts.parts(&self.store, &rows).await?.into_iter();
        for (chat_id, rows) in by_chat {
            let rows: Vec<(OutboxRow, Parts)> = rows.into_iter().zip(parts.by_ref()).collect();
            if flight.len() >= CHATS_IN_FLIGHT {
                break;
            }
            if let Some(seen) = seen.as_mut() {
                seen.extend(rows.iter().map(|(r, _)| r.id));
            }
            let (sender, stop) = (self.clone(), stop.clone());
            let task = flight.spawn(async move { sender.serve_chat(chat_id, rows, stop).await });
            busy.insert(task.id(), chat_id);
        }
        Ok(())
    }

    /// Sends one chat's rows in order. After a row that waits (a long 429, a retry later) or a chat
    /// that is gone, the rest stay in the outbox: a chat gets its messages in order.
    async fn serve_chat(
        &self,
        chat_id: i64,
        rows: Vec<(OutboxRow, Parts)>,
        stop: watch::Receiver<bool>,
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut chat_id = chat_id;
        let mut halted = false;
        for (row, parts) in rows {
            if *stop.borrow() || halted {
                outcomes.push(Outcome::Released);
                continue;
            }
            let outcome = self.send_row(row, &parts, &mut chat_id, &stop).await?;
            halted = matches!(outcome, Outcome::ChatGone | Outcome::Rescheduled);
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// The database trouble delivery has met: planning reports its own to the same tracker.
    pub fn outage(&self) -> &Outage {
        &self.outage
    }

    /// Takes up the pacing where an earlier process left it: a chat sent to shortly before a
    /// restart waits one full interval. A claim can precede its send by the wait for a 429, so the
    /// claim's time is not trusted to the millisecond: the cost is one interval of delay for those
    /// chats, once. Returns how many chats that was.
    pub async fn resume_pacing(&self, within: chrono::Duration) -> Result<usize, StoreError> {
        let recent = self.store.chats_sent_to_since(self.clock.now() - within).await?;
        let limits = self.pacer.limits();
        for &chat_id in &recent {
            self.pacer.hold(chat_id, limits.chat_interval(chat_id));
        }
        Ok(recent.len())
    }

    /// Waits for the chat's turn; false if `stop` turned true first (a 429 can ask for a minute,
    /// and shutdown must not wait for it).
    async fn wait_for_turn(&self, chat_id: i64, stop: &watch::Receiver<bool>) -> bool {
        let mut stop = stop.clone();
        let stopped = async move {
            // A stop signal whose sender is gone can no longer turn true.
            if stop.wait_for(|stopped| *stopped).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            () = self.pacer.reserve(chat_id, Priority::Broadcast) => true,
            () = stopped => false,
        }
    }
}

/// A chat's task ended: the chat may be served again; a database error is counted.
fn finished(joined: Result<(tokio::task::Id, ChatTask), tokio::task::JoinError>, busy: &mut Busy, outage: &Outage) {
    match joined {
        Ok((task, outcome)) => {
            busy.remove(&task);
            if let Err(error) = outcome {
                outage.failed("send", &error);
            }
        }
        Err(error) => {
            busy.remove(&error.id());
            tracing::error!(%error, "a chat's delivery task panicked; its rows stay in the outbox");
        }
    }
}
