//! A small Bot API server on loopback, for tests: it hands out updates through `getUpdates`, records
//! every call, and can answer a chat's sends with scripted errors (429, 403, migration, 5xx).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
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
            .route("/{bot}/{method}", post(handle))
            .route("/file/{bot}/{*path}", axum::routing::get(download))
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

    /// Queues a text message from a user in a chat. `chat_id` < 0 makes it a group
    /// (`supergroup` when below -1_000_000_000_000). Returns the message's id.
    pub fn push_text(&self, chat_id: i64, user_id: i64, language: &str, text: &str) -> i64 {
        let update = self.text_update(chat_id, user_id, language, text);
        let message_id = update["message"]["message_id"].as_i64().unwrap_or_default();
        self.push(update);
        message_id
    }

    /// Queues an update made by one of the `*_update` methods, as it is.
    pub fn push(&self, update: Value) {
        self.lock().updates.push_back(update);
        self.changed.notify_waiters();
    }

    /// A text message from a user in a chat, as an update with the next update id, not queued
    /// (for a webhook to be posted).
    pub fn text_update(&self, chat_id: i64, user_id: i64, language: &str, text: &str) -> Value {
        let chat = if chat_id > 0 {
            json!({"id": chat_id, "type": "private", "first_name": "Người dùng"})
        } else if chat_id < -1_000_000_000_000 {
            json!({"id": chat_id, "type": "supergroup", "title": "Tổ công tác"})
        } else {
            json!({"id": chat_id, "type": "group", "title": "Tổ công tác"})
        };
        let mut inner = self.lock();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let message_id = inner.next_message_id;
        let mut message = json!({
            "message_id": message_id,
            "date": 1_763_800_000,
            "chat": chat,
            "from": {"id": user_id, "is_bot": false, "first_name": "An", "language_code": language},
            "text": text,
        });
        if text.starts_with('/') {
            let length = text.split_whitespace().next().unwrap_or_default().encode_utf16().count();
            message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
        }
        json!({"update_id": inner.next_update_id, "message": message})
    }

    /// Makes the next sends to `chat_id` fail as scripted, in order.
    pub fn script(&self, chat_id: i64, failures: impl IntoIterator<Item = Scripted>) {
        self.lock().scripted.entry(chat_id).or_default().extend(failures);
    }

    /// Queues a press of an inline button under message `message_id`.
    pub fn push_callback(&self, chat_id: i64, user_id: i64, message_id: i64, data: &str) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        let update = json!({
            "update_id": inner.next_update_id,
            "callback_query": {
                "id": format!("cb{}", inner.next_update_id),
                "from": {"id": user_id, "is_bot": false, "first_name": "An", "language_code": "vi"},
                "message": {
                    "message_id": message_id,
                    "date": 1_763_800_000,
                    "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
                    "from": {"id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME},
                    "text": "…",
                },
                "chat_instance": "1",
                "data": data,
            },
        });
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
    }

    /// Queues an update as given, `update_id` added (for updates the bot cannot read).
    pub fn push_raw(&self, mut update: Value) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        update["update_id"] = json!(inner.next_update_id);
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
    }

    /// Queues a document (a file) sent by a user in a private chat.
    pub fn push_document(&self, chat_id: i64, user_id: i64, name: &str, content: &[u8]) {
        let mut inner = self.lock();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let file_id = format!("file{}", inner.next_message_id);
        inner.files.insert(file_id.clone(), content.to_vec());
        let message = json!({
            "message_id": inner.next_message_id,
            "date": 1_763_800_000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
            "from": {"id": user_id, "is_bot": false, "first_name": "An", "language_code": "vi"},
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": content.len()},
        });
        let update = json!({"update_id": inner.next_update_id, "message": message});
        inner.updates.push_back(update);
        drop(inner);
        self.changed.notify_waiters();
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

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn error(status: u16, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status, "description": description});
    if let Some(parameters) = parameters {
        body["parameters"] = parameters;
    }
    let status = axum::http::StatusCode::from_u16(status).expect("valid status");
    (status, axum::Json(body)).into_response()
}

/// Reads a request's parameters: teloxide sends JSON for every method without files.
fn parameters(body: &Bytes) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

async fn handle(
    State(server): State<FakeBotApi>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if bot != format!("bot{TOKEN}") {
        return error(401, "Unauthorized", None);
    }
    let params = parameters(&body);
    {
        let mut inner = server.lock();
        if !inner.forget_texts {
            inner.calls.push((method.clone(), params.clone()));
        }
    }
    match method.to_ascii_lowercase().as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false,
        })),
        "getupdates" if server.lock().webhook.is_some() => error(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            None,
        ),
        "getupdates" => get_updates(&server, &params).await,
        "getwebhookinfo" => {
            let url = server.lock().webhook.as_ref().map(|(url, _)| url.clone()).unwrap_or_default();
            ok(json!({"url": url, "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "setwebhook" => {
            // teloxide sends setWebhook as a form (it may carry a certificate).
            let field = |name| multipart_field(&body, name).map(|v| String::from_utf8_lossy(&v).trim().to_owned());
            let Some(url) = field("url").filter(|u| !u.is_empty()) else {
                return error(400, "Bad Request: bad webhook: an HTTPS URL must be provided for webhook", None);
            };
            server.lock().webhook = Some((url, field("secret_token")));
            ok(json!(true))
        }
        "deletewebhook" => {
            server.lock().webhook = None;
            ok(json!(true))
        }
        "sendmessage" => {
            if !wait_while_held(&server).await {
                return error(500, "Internal Server Error", None);
            }
            let delay = server.lock().delay;
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let (response, answer_after) = send_message(&server, &params);
            tokio::time::sleep(answer_after).await;
            response
        }
        "getchatmember" => get_chat_member(&server, &params),
        "senddocument" => send_document(&server, &body),
        "editmessagetext" => edit_message(&server, &params),
        "getfile" => {
            let id = params.get("file_id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let size = server.lock().files.get(&id).map(Vec::len);
            match size {
                Some(size) => ok(
                    json!({"file_id": id, "file_unique_id": id, "file_size": size, "file_path": format!("documents/{id}")}),
                ),
                None => error(400, "Bad Request: invalid file_id", None),
            }
        }
        _ => ok(json!(true)),
    }
}

/// Waits while sends are held; false when they were released to be dropped.
async fn wait_while_held(server: &FakeBotApi) -> bool {
    let dropped = server.lock().dropped;
    loop {
        let notified = server.changed.notified();
        {
            let inner = server.lock();
            if inner.dropped != dropped {
                return false;
            }
            if !inner.holding {
                return true;
            }
        }
        let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
    }
}

async fn get_updates(server: &FakeBotApi, params: &Value) -> Response {
    let poll = {
        let mut inner = server.lock();
        inner.first_get_updates.get_or_insert_with(tokio::time::Instant::now);
        inner.polls += 1;
        inner.polls
    };
    server.changed.notify_waiters();
    let offset = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let wait = params.get("timeout").and_then(Value::as_u64).unwrap_or(0).min(1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    loop {
        let notified = server.changed.notified();
        {
            let mut inner = server.lock();
            if inner.polls != poll {
                // As Telegram: a getUpdates that arrives while another waits ends the one waiting.
                inner.conflicts += 1;
                return error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    None,
                );
            }
            inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            if !inner.updates.is_empty() {
                return ok(Value::Array(inner.updates.iter().cloned().collect()));
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return ok(json!([]));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// The value of a multipart form field (enough for teloxide's sendDocument).
fn multipart_field(body: &[u8], name: &str) -> Option<Vec<u8>> {
    let marker = format!("name=\"{name}\"");
    let text = body;
    let at = text.windows(marker.len()).position(|w| w == marker.as_bytes())?;
    let rest = &text[at..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let end = rest[start..].windows(4).position(|w| w == b"\r\n--")?;
    Some(rest[start..start + end].to_vec())
}

fn multipart_filename(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let at = text.find("filename=\"")? + "filename=\"".len();
    Some(text[at..].split('"').next()?.to_owned())
}

fn send_document(server: &FakeBotApi, body: &Bytes) -> Response {
    let chat_id: Option<i64> =
        multipart_field(body, "chat_id").and_then(|v| String::from_utf8(v).ok()).and_then(|v| v.trim().parse().ok());
    let Some(chat_id) = chat_id else { return error(400, "Bad Request: chat_id is empty", None) };
    let caption =
        multipart_field(body, "caption").map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
    // teloxide sends `document=attach://<part>` and the file in that part.
    let mut file = multipart_field(body, "document").unwrap_or_default();
    if let Some(part) = String::from_utf8_lossy(&file).strip_prefix("attach://").map(str::to_owned) {
        file = multipart_field(body, &part).unwrap_or_default();
    }
    let name = multipart_filename(body).unwrap_or_default();
    let mut inner = server.lock();
    inner.next_message_id += 1;
    let message_id = inner.next_message_id;
    inner.sent.push(Sent {
        chat_id,
        text: caption.clone(),
        parse_mode: Some("HTML".into()),
        reply_to: None,
        message_id,
        at: tokio::time::Instant::now(),
        document: Some((name.clone(), file)),
        paid: false,
        buttons: Vec::new(),
    });
    drop(inner);
    server.changed.notify_waiters();
    ok(json!({
        "message_id": message_id,
        "date": 1_763_800_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
        "caption": caption,
        "document": {"file_id": "f1", "file_unique_id": "u1", "file_name": name, "file_size": 1},
    }))
}

async fn download(State(server): State<FakeBotApi>, Path((_, path)): Path<(String, String)>) -> Response {
    let id = path.trim_start_matches("documents/").to_owned();
    match server.lock().files.get(&id) {
        Some(bytes) => bytes.clone().into_response(),
        None => (axum::http::StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn edit_message(server: &FakeBotApi, params: &Value) -> Response {
    let chat_id = params.get("chat_id").and_then(Value::as_i64).unwrap_or_default();
    let message_id = params.get("message_id").and_then(Value::as_i64).unwrap_or_default();
    let text = params.get("text").and_then(Value::as_str).unwrap_or_default().to_owned();
    server.lock().edits.push(Edit { chat_id, message_id, text: text.clone() });
    server.changed.notify_waiters();
    ok(json!({
        "message_id": message_id,
        "date": 1_763_800_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Người dùng"},
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME},
        "text": text,
    }))
}

fn get_chat_member(server: &FakeBotApi, params: &Value) -> Response {
    let chat_id = params.get("chat_id").and_then(Value::as_i64).unwrap_or_default();
    let user_id = params.get("user_id").and_then(Value::as_i64).unwrap_or_default();
    let user = json!({"id": user_id, "is_bot": false, "first_name": "An"});
    if server.lock().admins.contains(&(chat_id, user_id)) {
        ok(json!({"status": "creator", "user": user, "is_anonymous": false}))
    } else {
        ok(json!({"status": "member", "user": user}))
    }
}

/// Answers a sendMessage, and says how long to hold the answer back.
fn send_message(server: &FakeBotApi, params: &Value) -> (Response, Duration) {
    let Some(chat_id) = params.get("chat_id").and_then(Value::as_i64) else {
        return (error(400, "Bad Request: chat_id is empty", None), Duration::ZERO);
    };
    let text = params.get("text").and_then(Value::as_str).unwrap_or_default().to_owned();
    if text.is_empty() {
        return (error(400, "Bad Request: message text is empty", None), Duration::ZERO);
    }
    if text.encode_utf16().count() > 4096 {
        return (error(400, "Bad Request: message is too long", None), Duration::ZERO);
    }
    let mut inner = server.lock();
    if let Some((per_second, per_chat)) = inner.limits {
        let now = tokio::time::Instant::now();
        let paid = params.get("allow_paid_broadcast").and_then(Value::as_bool).unwrap_or(false);
        let state = &mut *inner;
        for window in [&mut state.recent, &mut state.recent_free] {
            while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
                window.pop_front();
            }
        }
        let chat_gap = Duration::from_secs_f64(1.0 / per_chat);
        let chat_too_soon = inner.last_per_chat.get(&chat_id).is_some_and(|t| now.duration_since(*t) < chat_gap);
        let over = match inner.paid_limit {
            None => inner.recent.len() >= per_second,
            Some(paid_limit) => inner.recent.len() >= paid_limit || (!paid && inner.recent_free.len() >= per_second),
        };
        if over || chat_too_soon {
            inner.too_many += 1;
            drop(inner);
            return (error(429, "Too Many Requests: retry after 1", Some(json!({"retry_after": 1}))), Duration::ZERO);
        }
        inner.recent.push_back(now);
        if !paid {
            inner.recent_free.push_back(now);
        }
        inner.last_per_chat.insert(chat_id, now);
    }
    let mut answer_after = Duration::ZERO;
    match inner.scripted.get_mut(&chat_id).and_then(VecDeque::pop_front) {
        Some(Scripted::SlowAnswer(after)) => answer_after = after,
        Some(failure) => {
            drop(inner);
            return (scripted_error(failure), Duration::ZERO);
        }
        None => {}
    }
    inner.next_message_id += 1;
    let message_id = inner.next_message_id;
    let reply_to = params.pointer("/reply_parameters/message_id").and_then(Value::as_i64);
    let kept_text = if inner.forget_texts { String::new() } else { text.clone() };
    inner.sent.push(Sent {
        chat_id,
        text: kept_text,
        parse_mode: params.get("parse_mode").and_then(Value::as_str).map(str::to_owned),
        reply_to,
        paid: params.get("allow_paid_broadcast").and_then(Value::as_bool).unwrap_or(false),
        message_id,
        at: tokio::time::Instant::now(),
        document: None,
        buttons: params
            .pointer("/reply_markup/inline_keyboard")
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .map(|b| {
                        (
                            b["text"].as_str().unwrap_or_default().to_owned(),
                            b["callback_data"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    });
    drop(inner);
    server.changed.notify_waiters();
    let chat = if chat_id > 0 {
        json!({"id": chat_id, "type": "private", "first_name": "Người dùng"})
    } else {
        json!({"id": chat_id, "type": "group", "title": "Tổ công tác"})
    };
    (
        ok(json!({
            "message_id": message_id,
            "date": 1_763_800_000,
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "Hạn Chót", "username": BOT_USERNAME},
            "text": text,
        })),
        answer_after,
    )
}

fn scripted_error(failure: Scripted) -> Response {
    match failure {
        Scripted::RetryAfter(seconds) => {
            error(429, &format!("Too Many Requests: retry after {seconds}"), Some(json!({"retry_after": seconds})))
        }
        Scripted::Forbidden(description) => error(403, description, None),
        Scripted::BadRequest(description) => error(400, description, None),
        Scripted::Migrate(to) => error(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            Some(json!({"migrate_to_chat_id": to})),
        ),
        Scripted::ServerError => error(500, "Internal Server Error", None),
        Scripted::SlowAnswer(_) => unreachable!("a slow answer is an answer"),
    }
}
