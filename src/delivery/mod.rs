//! Digests and reminders: the planner decides what is owed (rows in the outbox), the sender sends
//! them within Telegram's limits. Independent of the command handlers and of the app: it needs the
//! store (whose writes ring it), the clock, the catalog and a [`Transport`], its own port.

mod lease;
mod outage;
pub mod pacer;
pub mod planner;
mod recorder;
pub mod sender;
mod texts;
pub mod transport;

use std::time::Duration;

use chrono::{DateTime, Utc};
use std::sync::Arc;

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::catalog::Catalog;
use crate::domain::schedule::slots_between;
use crate::store::{CatalogHandle, PlanRecord, Planned, SkipReason, Store, StoreError};
pub use pacer::{Limits, Pacer, Priority};
use planner::{PlanContext, PlanOutcome, RenderCache, chat_schedule, plan_slot, plan_subscription};
use sender::{DrainReport, Sender};
pub use transport::{DeliveryError, SendFailure, SendFuture, Transport};

/// A row whose claim is older than this was interrupted mid-send by a process that is gone: a live
/// sender renews its claim before every attempt after the first, and one attempt (a wait for the
/// chat's turn, at most a minute after a 429, then an HTTP request and the Telegram client's own 10 s pause
/// after a 5xx) takes well under this.
const INTERRUPTED_AFTER: chrono::Duration = chrono::Duration::minutes(2);
/// The longest the loop sleeps before looking again, unless told otherwise: the clock may be
/// moved by hand (tests, `--at`), and a slot computed before a settings change may be stale.
pub const MAX_SLEEP: Duration = Duration::from_secs(5);
/// Finished outbox rows deleted per statement by the daily prune.
const PRUNE_BATCH: i64 = 5_000;
/// How many chats are planned, and their plans written in one transaction, at a time.
const PLAN_PAGE: i64 = 1_000;

pub fn plan_context(config: &Config) -> PlanContext {
    PlanContext {
        schedule: config.digest_cron.clone(),
        timezone: config.timezone,
        remind_days: config.remind_days.clone(),
        grace: chrono::Duration::hours(i64::from(config.grace_hours)),
        default_lang: config.default_lang,
    }
}

pub fn limits(config: &Config) -> Limits {
    Limits {
        per_second: config.max_per_second,
        per_chat_per_second: config.max_per_chat_per_second,
        per_group_per_minute: config.max_per_group_per_minute,
        paid_broadcast: config.paid_broadcast,
    }
}

/// What delivery reads: the database, the clock, the catalog and the settings it plans by.
#[derive(Debug, Clone)]
pub struct Parts {
    pub store: Store,
    pub clock: Clock,
    pub catalog: CatalogHandle,
    pub ctx: PlanContext,
    pub limits: Limits,
    /// How long finished outbox rows are kept before the daily prune deletes them.
    pub keep: chrono::Duration,
}

impl Parts {
    pub fn new(store: Store, clock: Clock, catalog: CatalogHandle, config: &Config) -> Self {
        let keep = chrono::Duration::days(i64::from(config.outbox_keep_days));
        Self { store, clock, catalog, ctx: plan_context(config), limits: limits(config), keep }
    }
}

/// The delivery loop's parts.
#[derive(Clone)]
pub struct Delivery<T: Transport> {
    store: Store,
    clock: Clock,
    catalog: CatalogHandle,
    ctx: PlanContext,
    keep: chrono::Duration,
    pub sender: Sender<T>,
    max_sleep: Duration,
    /// Rung when planning added rows, so the sender looks at once.
    rows_added: Arc<Notify>,
}

impl<T: Transport> Delivery<T> {
    /// Delivery taking its turns from `pacer`, which the replies to commands share.
    pub fn new(parts: Parts, transport: T, pacer: Pacer) -> Self {
        let Parts { store, clock, catalog, ctx, keep, .. } = parts;
        let sender = Sender::new(store.clone(), transport, clock.clone(), pacer);
        Self { store, clock, catalog, ctx, keep, sender, max_sleep: MAX_SLEEP, rows_added: Arc::new(Notify::new()) }
    }

    /// Sleeps at most this long between passes when nothing rings (tests use a long one to show
    /// that a write wakes delivery by itself).
    pub fn with_max_sleep(mut self, max_sleep: Duration) -> Self {
        self.max_sleep = max_sleep;
        self
    }

    /// Plans every subscription whose next slot has come by `now`. Returns how many rows were new.
    ///
    /// A page of subscriptions is read and planned while the page before it is written: reading
    /// and writing take most of the time in about equal parts, and SQLite (WAL) lets a reader work
    /// beside the writer. Each page is one transaction.
    pub async fn plan(&self, now: DateTime<Utc>) -> Result<usize, DeliveryError> {
        // Most passes find nothing due: the index answers that without reading the pages.
        if self.store.next_slot_at().await?.is_none_or(|next| next > now) {
            return Ok(0);
        }
        let catalog = self.catalog.fresh(&self.store).await?;
        let mut cache = RenderCache::default();
        let mut inserted = 0;
        let mut after = i64::MIN;
        let mut writing: Option<JoinHandle<Result<usize, StoreError>>> = None;
        loop {
            let page = self.store.due_subscriptions(now, after, PLAN_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.chat_id;
            let outcomes: Vec<(i64, PlanOutcome)> = page
                .iter()
                .map(|sub| (sub.chat_id, plan_subscription(sub, &catalog.tasks, now, &self.ctx, &mut cache)))
                .collect();
            if let Some(previous) = writing.take() {
                inserted += previous.await??;
            }
            let store = self.store.clone();
            writing = Some(tokio::spawn(async move { record_outcomes(&store, &outcomes, now).await }));
        }
        if let Some(previous) = writing {
            inserted += previous.await??;
        }
        Ok(inserted)
    }

    /// Plans and sends once.
    pub async fn run_once(&self, stop: &watch::Receiver<bool>) -> Result<DrainReport, DeliveryError> {
        self.plan(self.clock.now()).await?;
        self.sender.drain(stop).await
    }

    /// Runs until `stop` turns true: the sender serves the outbox without pause, while planning
    /// adds what each slot owes, sleeping until the next slot (or until a use case rings).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let wakeups = self.store.wakeups();
        match self.sender.resume_pacing(INTERRUPTED_AFTER).await {
            Ok(0) => {}
            Ok(chats) => tracing::info!(chats, "pacing resumed for chats sent to just before this start"),
            Err(error) => tracing::error!(%error, "cannot read recent sends; pacing starts afresh"),
        }
        let sender = self.sender.clone();
        let (sender_stop, rows_added) = (stop.clone(), self.rows_added.clone());
        let sending = tokio::spawn(async move { sender.serve(sender_stop, rows_added).await });
        let mut pruned_at: Option<DateTime<Utc>> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            self.prune_daily(&mut pruned_at).await;
            self.fail_interrupted().await;
            match self.plan(self.clock.now()).await {
                Ok(0) => {}
                Ok(rows) => {
                    tracing::info!(rows, "planned");
                    self.rows_added.notify_one();
                }
                Err(DeliveryError::Store(error)) => self.sender.outage().failed("plan", &error),
                Err(error) => tracing::error!(%error, "planning failed; trying again at the next pass"),
            }
            let sleep = self.until_next_wake().await;
            let woken = wakeups.rung();
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = woken => {}
                _ = stop.changed() => {}
            }
        }
        if let Err(error) = sending.await {
            tracing::error!(%error, "the sender panicked");
        }
        tracing::info!("delivery stopped");
    }

    /// Fails the rows a crashed process left half-sent: Telegram may or may not have them, and
    /// resending could duplicate. Checked on every pass, so a quick restart does not leave them
    /// "sending" for ever.
    async fn fail_interrupted(&self) {
        match self.store.fail_interrupted(self.clock.now() - INTERRUPTED_AFTER).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::warn!(rows = n, "messages interrupted mid-send by a crash were marked failed, not resent")
            }
            Err(error) => self.sender.outage().failed("check for interrupted messages", &error),
        }
    }

    /// Once a day (and at start), deletes the finished rows older than the retention window.
    async fn prune_daily(&self, pruned_at: &mut Option<DateTime<Utc>>) {
        let now = self.clock.now();
        if pruned_at.is_some_and(|at| now - at < chrono::Duration::days(1)) {
            return;
        }
        *pruned_at = Some(now);
        match self.store.prune_outbox(now - self.keep, PRUNE_BATCH).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, days = self.keep.num_days(), "finished outbox rows pruned"),
            Err(error) => self.sender.outage().failed("prune the outbox", &error),
        }
    }

    async fn until_next_wake(&self) -> Duration {
        let next = self.store.next_slot_at().await.ok().flatten();
        next.map(|at| (at - self.clock.now()).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(self.max_sleep)
            .clamp(Duration::from_millis(50), self.max_sleep)
    }
}

/// Writes one page of plans; returns how many rows were new.
async fn record_outcomes(
    store: &Store,
    outcomes: &[(i64, PlanOutcome)],
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let records: Vec<PlanRecord> = outcomes
        .iter()
        .map(|(chat_id, o)| PlanRecord {
            chat_id: *chat_id,
            planned: &o.planned,
            planned_through: o.planned_through,
            next_slot_at: o.next_slot,
        })
        .collect();
    store.record_plans(&records, now).await
}

/// What would be sent from `now` for `hours`: a dry run, nothing stored or sent.
pub async fn preview(
    store: &Store,
    catalog: &Catalog,
    ctx: &PlanContext,
    now: DateTime<Utc>,
    hours: u32,
) -> Result<Vec<Planned>, StoreError> {
    let until = now + chrono::Duration::hours(i64::from(hours));
    let mut cache = RenderCache::default();
    let mut out = Vec::new();
    for sub in store.active_subscriptions().await? {
        let (schedule, tz) = chat_schedule(&sub, ctx);
        for slot in slots_between(schedule, tz, now, until, 1_000) {
            let muted = sub.settings.is_muted(slot).then_some(SkipReason::Muted);
            out.extend(plan_slot(&sub, &catalog.tasks, slot, (schedule, tz), ctx, false, muted, &mut cache));
        }
    }
    out.sort_by(|a, b| a.scheduled_at.cmp(&b.scheduled_at).then(a.chat_id.cmp(&b.chat_id)));
    // The same reminder would be planned at every slot of its day; it is sent once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.key.clone()));
    Ok(out)
}
