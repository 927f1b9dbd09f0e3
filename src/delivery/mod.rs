//! Digests and reminders: the planner decides what is owed (rows in the outbox), the sender sends
//! them within Telegram's limits. Independent of the command handlers: it needs only a
//! [`Transport`], its own port, and wakes when a use case rings [`crate::app::Wakeups`].

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

use crate::app::App;
use crate::config::Config;
use crate::domain::schedule::{parse_cron, slots_between};
use crate::store::{PlanRecord, Planned, Store, StoreError};
pub use pacer::{Limits, Pacer, Priority};
use planner::{PlanContext, PlanOutcome, RenderCache, chat_schedule, plan_slot, plan_subscription};
use sender::{DrainReport, Sender};
pub use transport::{DeliveryError, SendFailure, SendFuture, Transport};

/// A row whose claim is older than this was interrupted mid-send by a process that is gone: a live
/// sender renews its claim before every attempt after the first, and one attempt (a wait for the
/// chat's turn, at most a minute after a 429, then an HTTP request and teloxide's own 10 s pause
/// after a 5xx) takes well under this.
const INTERRUPTED_AFTER: chrono::Duration = chrono::Duration::minutes(2);
/// The longest the loop sleeps before looking again, unless told otherwise: the clock may be
/// moved by hand (tests, `--at`), and a slot computed before a settings change may be stale.
pub const MAX_SLEEP: Duration = Duration::from_secs(5);
/// How many chats are planned, and their plans written in one transaction, at a time.
const PLAN_PAGE: i64 = 1_000;

pub fn plan_context(config: &Config) -> PlanContext {
    PlanContext {
        schedule: parse_cron(&config.digest_cron).expect("digest_cron was validated when the config was loaded"),
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

/// The delivery loop's parts.
#[derive(Clone)]
pub struct Delivery<T: Transport> {
    app: App,
    ctx: PlanContext,
    pub sender: Sender<T>,
    max_sleep: Duration,
    /// Rung when planning added rows, so the sender looks at once.
    rows_added: Arc<Notify>,
}

impl<T: Transport> Delivery<T> {
    /// Delivery with a pacer of its own (tests, dry runs).
    pub fn new(app: App, transport: T) -> Self {
        let pacer = Pacer::new(limits(&app.config));
        Self::with_pacer(app, transport, pacer)
    }

    /// Delivery taking its turns from `pacer`, which the replies to commands share.
    pub fn with_pacer(app: App, transport: T, pacer: Pacer) -> Self {
        let ctx = plan_context(&app.config);
        let sender = Sender::new(app.store.clone(), transport, app.clock.clone(), pacer);
        Self { app, ctx, sender, max_sleep: MAX_SLEEP, rows_added: Arc::new(Notify::new()) }
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
        if self.app.store.next_slot_at().await?.is_none_or(|next| next > now) {
            return Ok(0);
        }
        let catalog = self.app.catalog();
        let mut cache = RenderCache::default();
        let mut inserted = 0;
        let mut after = i64::MIN;
        let mut writing: Option<JoinHandle<Result<usize, StoreError>>> = None;
        loop {
            let page = self.app.store.due_subscriptions(now, after, PLAN_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.chat_id;
            let outcomes: Vec<(i64, PlanOutcome)> = page
                .iter()
                .map(|sub| (sub.chat_id, plan_subscription(sub, &catalog.tasks, now, &self.ctx, &mut cache)))
                .collect();
            if let Some(previous) = writing.take() {
                inserted += previous.await??;
            }
            let store = self.app.store.clone();
            writing = Some(tokio::spawn(async move { record_outcomes(&store, &outcomes, now).await }));
        }
        if let Some(previous) = writing {
            inserted += previous.await??;
        }
        Ok(inserted)
    }

    /// Plans and sends once.
    pub async fn run_once(&self, stop: &watch::Receiver<bool>) -> Result<DrainReport, DeliveryError> {
        self.plan(self.app.clock.now()).await?;
        self.sender.drain(stop).await
    }

    /// Runs until `stop` turns true: the sender serves the outbox without pause, while planning
    /// adds what each slot owes, sleeping until the next slot (or until a use case rings).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let wakeups = self.app.wakeups();
        match self.sender.resume_pacing(INTERRUPTED_AFTER).await {
            Ok(0) => {}
            Ok(chats) => tracing::info!(chats, "pacing resumed for chats sent to just before this start"),
            Err(error) => tracing::error!(%error, "cannot read recent sends; pacing starts afresh"),
        }
        let sender = self.sender.clone();
        let (sender_stop, rows_added) = (stop.clone(), self.rows_added.clone());
        let sending = tokio::spawn(async move { sender.serve(sender_stop, rows_added).await });
        loop {
            if *stop.borrow() {
                break;
            }
            self.fail_interrupted().await;
            match self.plan(self.app.clock.now()).await {
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
        match self.app.store.fail_interrupted(self.app.clock.now() - INTERRUPTED_AFTER).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::warn!(rows = n, "messages interrupted mid-send by a crash were marked failed, not resent")
            }
            Err(error) => self.sender.outage().failed("check for interrupted messages", &error),
        }
    }

    async fn until_next_wake(&self) -> Duration {
        let next = self.app.store.next_slot_at().await.ok().flatten();
        next.map(|at| (at - self.app.clock.now()).to_std().unwrap_or(Duration::ZERO))
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
pub async fn preview(app: &App, now: DateTime<Utc>, hours: u32) -> Result<Vec<Planned>, StoreError> {
    let ctx = plan_context(&app.config);
    let until = now + chrono::Duration::hours(i64::from(hours));
    let catalog = app.catalog();
    let mut cache = RenderCache::default();
    let mut out = Vec::new();
    for sub in app.store.active_subscriptions().await? {
        let (schedule, tz) = chat_schedule(&sub, &ctx);
        for slot in slots_between(&schedule, tz, now, until, 1_000) {
            let muted = sub.settings.is_muted(slot).then(|| "muted".to_owned());
            out.extend(plan_slot(&sub, &catalog.tasks, slot, (&schedule, tz), &ctx, false, muted, &mut cache));
        }
    }
    out.sort_by(|a, b| a.scheduled_at.cmp(&b.scheduled_at).then(a.chat_id.cmp(&b.chat_id)));
    // The same reminder would be planned at every slot of its day; it is sent once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.key.clone()));
    Ok(out)
}
