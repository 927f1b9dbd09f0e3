//! A small Bot API server on loopback, for tests: it hands out updates through `getUpdates`, records
//! every call, and can answer a chat's sends with scripted errors (429, 403, migration, 5xx).

mod methods;
mod updates;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const BOT_USERNAME: &str = "hanchot_test_bot";
pub const BOT_ID: i64 = 7_000_000;
pub const TOKEN: &str = "7000000:TEST-TOKEN";

/// A message the bot sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub chat_id: i64,
    pub text: String,
    pub parse_mode: Option<String>,
    pub reply_to: Option<i64>,
    pub message_id: i64,
    /// When the server received it.
    pub at: tokio::time::Instant,
    /// For sendDocument: the file's name and content.
    pub document: Option<(String, Vec<u8>)>,
    /// Inline buttons: (label, callback data).
    pub buttons: Vec<(String, String)>,
    /// Sent with `allow_paid_broadcast`.
    pub paid: bool,
}

/// An edit of a message the bot sent (after a button was pressed).
#[derive(Debug, Clone)]
pub struct Edit {
    pub chat_id: i64,
    pub message_id: i64,
    pub text: String,
}

/// What the server answers to a chat's next send.
#[derive(Debug, Clone)]
pub enum Scripted {
    RetryAfter(u64),
    Forbidden(&'static str),
    BadRequest(&'static str),
    Migrate(i64),
    ServerError,
    /// The message is delivered, but the answer comes only after this long.
    SlowAnswer(Duration),
}

#[derive(Default)]
struct Inner {
    updates: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: i64,
    sent: Vec<Sent>,
    calls: Vec<(String, Value)>,
    /// For the benchmark: requests and texts are not kept, only who got what when.
    forget_texts: bool,
    scripted: HashMap<i64, VecDeque<Scripted>>,
    admins: Vec<(i64, i64)>,
    delay: Duration,
    edits: Vec<Edit>,
    files: HashMap<String, Vec<u8>>,
    /// Telegram's limits, when enforced: (messages per second overall, per second per chat).
    limits: Option<(usize, f64)>,
    /// With paid broadcasts: the overall limit of every message, paid or not; `limits` then
    /// bounds the messages sent without `allow_paid_broadcast`.
    paid_limit: Option<usize>,
    recent: VecDeque<tokio::time::Instant>,
    recent_free: VecDeque<tokio::time::Instant>,
    last_per_chat: HashMap<i64, tokio::time::Instant>,
    too_many: usize,
    first_get_updates: Option<tokio::time::Instant>,
    /// Bumped by each getUpdates: one still waiting that sees it changed was cut off by another.
    polls: u64,
    /// getUpdates answered 409 because another came while they waited (two pollers on one token).
    conflicts: usize,
    /// The webhook set with setWebhook: (url, secret token).
    webhook: Option<(String, Option<String>)>,
    /// Sends wait while this is set; [`FakeBotApi::release_sends`] lets them go or drops them.
    holding: bool,
    /// Bumped by each release that drops the sends held: a held send that sees it changed fails.
    dropped: u64,
}

#[derive(Clone, Default)]
pub struct FakeBotApi {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
    pub addr: Option<SocketAddr>,
    /// The server's own thread, when it has one ([`FakeBotApi::start_apart`]), as `/proc` names it.
    thread: Option<String>,
}

impl FakeBotApi {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Self {
        let mut server = Self::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        server.addr = Some(listener.local_addr().expect("local addr"));
        let app = Router::new()
            .route("/{bot}/{method}", post(methods::handle))
            .route("/file/{bot}/{*path}", axum::routing::get(methods::download))
            .with_state(server.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake Bot API server runs");
        });
        server
    }

    /// Starts the server on a thread and runtime of its own, as Telegram is apart from the bot: the
    /// times it records do not wait for the bot's tasks, and its CPU can be told from the bot's.
    pub fn start_apart() -> Self {
        let (started, api) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async move {
                let mut api = FakeBotApi::start().await;
                api.thread = std::fs::read_link("/proc/thread-self").ok().map(|p| p.display().to_string());
                started.send(api).expect("the starter waits");
                std::future::pending::<()>().await;
            });
        });
        api.recv().expect("the server starts")
    }

    /// CPU time (user + system) of the server's own thread so far (Linux; [`FakeBotApi::start_apart`]).
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.thread.as_ref()?)).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        // utime and stime, fields 14 and 15 of stat, in clock ticks of 1/100 s.
        let ticks: u64 = fields.get(11..13)?.iter().filter_map(|v| v.parse::<u64>().ok()).sum();
        Some(Duration::from_millis(ticks * 10))
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr.expect("started"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn edits(&self) -> Vec<Edit> {
        self.lock().edits.clone()
    }

    /// Makes `user_id` an administrator (the creator) of `chat_id`.
    pub fn set_admin(&self, chat_id: i64, user_id: i64) {
        self.lock().admins.push((chat_id, user_id));
    }

    /// Enforces Telegram's limits as Telegram does: a send over them gets a 429.
    pub fn enforce_limits(&self, per_second: usize, per_chat_per_second: f64) {
        self.lock().limits = Some((per_second, per_chat_per_second));
    }

    /// Paid broadcasts, as Telegram allows them: messages with `allow_paid_broadcast` may go at up
    /// to `per_second` overall; those without it stay within `enforce_limits`' overall limit.
    pub fn enforce_paid_limit(&self, per_second: usize) {
        self.lock().paid_limit = Some(per_second);
    }

    /// Keeps no request and no text from now on (`Sent::text` is empty): a benchmark of 100,000
    /// messages measures the bot's memory, not the fake server's.
    pub fn forget_texts(&self) {
        self.lock().forget_texts = true;
    }

    /// How many sends were refused with a 429 for exceeding the limits.
    pub fn too_many_requests(&self) -> usize {
        self.lock().too_many
    }

    /// When the first getUpdates arrived.
    pub fn first_get_updates(&self) -> Option<tokio::time::Instant> {
        self.lock().first_get_updates
    }

    /// How many getUpdates were cut off by another (409), as Telegram does when two bot
    /// processes poll with one token.
    pub fn poll_conflicts(&self) -> usize {
        self.lock().conflicts
    }

    /// The webhook set (url, secret token), if one is.
    pub fn webhook(&self) -> Option<(String, Option<String>)> {
        self.lock().webhook.clone()
    }

    /// Waits until a webhook with a secret token is set (up to 20 s), and returns both.
    pub async fn webhook_with_secret(&self) -> (String, String) {
        for _ in 0..400 {
            if let Some((url, Some(secret))) = self.webhook() {
                return (url, secret);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no webhook was set");
    }

    /// Holds every send from now on: it is not answered nor recorded until released.
    pub fn hold_sends(&self) {
        self.lock().holding = true;
    }

    /// Lets the held sends go (recorded and answered), or, with `lose`, fails them unrecorded,
    /// as if they never reached Telegram (their sender was killed).
    pub fn release_sends(&self, lose: bool) {
        let mut inner = self.lock();
        inner.holding = false;
        if lose {
            inner.dropped += 1;
        }
        drop(inner);
        self.changed.notify_waiters();
    }

    /// Forgets the messages sent so far (long benchmarks).
    pub fn clear_sent(&self) {
        self.lock().sent.clear();
    }

    /// Makes every send take this long, like a slow server.
    pub fn set_delay(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    /// Queues the service message Telegram sends in a group that became a supergroup.
    pub fn push_migration(&self, from: i64, to: i64) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let message = json!({
            "message_id": inner.next_message_id,
            "date": 1_763_800_000,
            "chat": {"id": from, "type": "group", "title": "Tổ công tác"},
            "from": {"id": 1, "is_bot": false, "first_name": "An"},
            "migrate_to_chat_id": to,
        });
        let update = json!({"update_id": inner.next_update_id, "message": message});
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.sent().into_iter().filter(|s| s.chat_id == chat_id).collect()
    }

    pub fn calls(&self, method: &str) -> Vec<Value> {
        self.lock().calls.iter().filter(|(m, _)| m.eq_ignore_ascii_case(method)).map(|(_, v)| v.clone()).collect()
    }

    /// Waits until `count` messages have been sent in all (or `timeout` passes), then returns them.
    pub async fn wait_for_sent(&self, count: usize, timeout: Duration) -> Vec<Sent> {
        self.wait_until(|sent| sent.len() >= count, timeout).await
    }

    /// Waits until the messages sent so far satisfy `done` (or `timeout` passes), then returns them.
    /// Woken by each message, so it returns right after the one that satisfies it.
    pub async fn wait_until(&self, done: impl Fn(&[Sent]) -> bool, timeout: Duration) -> Vec<Sent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            let sent = self.sent();
            if done(&sent) || tokio::time::Instant::now() >= deadline {
                return sent;
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }

    /// Waits until every queued update was fetched and `quiet` passed with no new message sent
    /// (or 30 s passed: a bot that stopped polling must fail the test, not hang it).
    pub async fn settle(&self, quiet: Duration) -> Vec<Sent> {
        let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if tokio::time::Instant::now() > give_up {
                return self.sent();
            }
            let before = self.sent().len();
            let pending = !self.lock().updates.is_empty();
            tokio::time::sleep(quiet).await;
            if !pending && self.sent().len() == before && self.lock().updates.is_empty() {
                return self.sent();
            }
        }
    }
}
