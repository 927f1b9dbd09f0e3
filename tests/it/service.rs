//! Running as a service, end to end against the fake Bot API: the webhook (registered with a
//! secret, 401 without it), health and metrics, the inbox across `kill -9` (webhook and polling),
//! going back to polling, and the live calendar read back with a real iCalendar parser.

use crate::support;

use std::process::{Child, Stdio};
use std::time::Duration;

use hanchot::serve::{Options, serve_in};
use hanchot::service::Receive;
use support::fake_bot_api::{FakeBotApi, Scripted};
use support::{QUIET, WAIT, admins_config, app_with, bot_for};

const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";
const ADMIN: i64 = 900;

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

/// Posts an update to the webhook, with `secret` if given; the status.
async fn post(url: &str, secret: Option<&str>, update: &serde_json::Value) -> u16 {
    let mut request = client().post(url).header("content-type", "application/json").body(update.to_string());
    if let Some(secret) = secret {
        request = request.header(SECRET_HEADER, secret);
    }
    request.send().await.expect("the webhook answers").status().as_u16()
}

async fn get(url: &str) -> (u16, String) {
    let response = client().get(url).send().await.expect("the server answers");
    (response.status().as_u16(), response.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_with_its_secret_is_answered_once_one_without_is_refused_and_the_server_reports() {
    let api = FakeBotApi::start().await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let config = hanchot::config::Config {
        listen: format!("127.0.0.1:{port}"),
        webhook_url: format!("{base}/tg/hook"),
        ..admins_config(&[ADMIN])
    };
    let app = app_with(config, support::TODAY).await;
    support::init_logs();
    let bot = tokio::spawn(serve_in(app, bot_for(&api), Options::default(), Receive::Webhook, std::future::pending()));

    let (url, secret) = api.webhook_with_secret().await;
    assert_eq!(url, format!("{base}/tg/hook"), "registered at the configured address");
    assert!(secret.len() >= 32 && secret.bytes().all(|b| b.is_ascii_alphanumeric()), "a generated secret: {secret}");

    // With the secret: acknowledged and answered. The first reply meets a 429, to be counted.
    api.script(5, [Scripted::RetryAfter(1)]);
    // A command answered in one message (the list of deadlines now takes two).
    let update = api.text_update(5, 5, "vi", "/settings");
    assert_eq!(post(&url, Some(&secret), &update).await, 200);
    let sent = api.wait_for_sent(1, WAIT).await;
    assert_eq!(sent.len(), 1, "answered");
    assert_eq!(sent[0].chat_id, 5);

    // Without the secret, or with another: 401, and nothing is answered.
    let stranger = api.text_update(6, 6, "vi", "/settings");
    assert_eq!(post(&url, None, &stranger).await, 401);
    assert_eq!(post(&url, Some("not-the-secret"), &stranger).await, 401);
    // Telegram sending the first one again: acknowledged, not answered twice.
    assert_eq!(post(&url, Some(&secret), &update).await, 200);
    let sent = api.settle(QUIET * 2).await;
    assert_eq!(sent.len(), 1, "neither the refused update nor the resent one is answered: {sent:?}");
    assert_eq!(post(&url, Some(&secret), &serde_json::json!({"no": "update"})).await, 400);

    assert_eq!(get(&format!("{base}/healthz")).await.0, 200);
    let (status, ready) = get(&format!("{base}/readyz")).await;
    assert_eq!(status, 200, "{ready}");
    hanchot::metrics::source_polled("chinhphu.vn", "ok");
    let (status, metrics) = get(&format!("{base}/metrics")).await;
    assert_eq!(status, 200);
    for line in [
        "hanchot_updates_received_total{kind=\"message\"}",
        "hanchot_updates_repeated_total",
        "hanchot_replies_sent_total",
        "hanchot_sends_total{kind=\"reply\",result=\"ok\"}",
        "hanchot_sends_total{kind=\"reply\",result=\"rate_limited\"}",
        "hanchot_telegram_429_total",
        "hanchot_telegram_request_seconds_bucket",
        "hanchot_webhook_ack_seconds_bucket",
        "hanchot_outbox_pending",
        "hanchot_outbox_oldest_pending_seconds",
        "hanchot_inbox_backlog 0",
        "hanchot_inbox_oldest_unhandled_seconds",
        "hanchot_source_polls_total{source=\"chinhphu.vn\",outcome=\"ok\"}",
    ] {
        assert!(metrics.contains(line), "/metrics lacks {line}:\n{metrics}");
    }
    bot.abort();
}

/// A running bot, killed if the test fails before it does.
struct Running(Child);

impl Running {
    fn kill(&mut self) -> std::io::Result<()> {
        self.0.kill()
    }

    fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        self.0.wait()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hanchot serve` with these settings, logging errors only.
fn start_bot(api: &FakeBotApi, dir: &std::path::Path, settings: &[(&str, String)], webhook: bool) -> Running {
    let db = format!("sqlite://{}", dir.join("hanchot.db").display());
    let mut command = support::serve_command(api, &db, dir, settings);
    if webhook {
        command.arg("--webhook");
    }
    Running(command.env("RUST_LOG", "error").stderr(Stdio::inherit()).spawn().expect("hanchot serve starts"))
}

/// Waits until the bot has started to send (the update was kept, and its handler is under way).
async fn wait_for_a_send(api: &FakeBotApi) {
    for _ in 0..400 {
        if !api.calls("sendMessage").is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the bot never started to answer");
}

async fn unhandled(dir: &std::path::Path) -> i64 {
    let store = hanchot::store::Store::open(&format!("sqlite://{}", dir.join("hanchot.db").display())).await.unwrap();
    store.inbox_backlog().await.unwrap().unhandled
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_acknowledged_to_the_webhook_before_kill_9_is_answered_once_after_the_restart() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let settings = [("listen", format!("127.0.0.1:{port}")), ("public_url", public.clone())];

    let mut bot = start_bot(&api, dir.path(), &settings, true);
    let (url, secret) = api.webhook_with_secret().await;
    assert_eq!(url, format!("{public}/telegram"), "serve --webhook without webhook_url: under public_url");
    api.hold_sends();
    let update = api.text_update(11, 11, "vi", "/deadlines");
    assert_eq!(post(&url, Some(&secret), &update).await, 200, "acknowledged");
    wait_for_a_send(&api).await;
    bot.kill().unwrap();
    bot.wait().unwrap();
    api.release_sends(true);
    assert!(api.sent().is_empty(), "the reply was lost with the process");
    assert_eq!(unhandled(dir.path()).await, 1, "kept, not handled");

    let mut bot = start_bot(&api, dir.path(), &settings, true);
    let (_, same_secret) = api.webhook_with_secret().await;
    assert_eq!(same_secret, secret, "the generated secret is kept across restarts");
    api.wait_for_sent(1, WAIT).await;
    // Telegram may send it again: it is recognised.
    assert_eq!(post(&url, Some(&secret), &update).await, 200);
    let sent = api.settle(QUIET * 2).await;
    assert_eq!(sent.iter().filter(|s| s.chat_id == 11).count(), 1, "answered exactly once: {sent:?}");
    bot.kill().unwrap();
    bot.wait().unwrap();

    // Back to polling: the webhook is deleted, and updates are polled.
    let mut bot = start_bot(&api, dir.path(), &settings, false);
    api.push_text(12, 12, "vi", "/help");
    api.wait_until(|sent| sent.iter().any(|s| s.chat_id == 12), WAIT).await;
    assert!(api.webhook().is_none(), "deleteWebhook when going back to polling");
    assert!(!api.calls("deleteWebhook").is_empty());
    bot.kill().unwrap();
    bot.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_polled_update_kept_before_kill_9_is_answered_once_after_the_restart() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut bot = start_bot(&api, dir.path(), &[], false);
    api.hold_sends();
    api.push_text(21, 21, "vi", "/settings");
    wait_for_a_send(&api).await;
    bot.kill().unwrap();
    bot.wait().unwrap();
    api.release_sends(true);
    assert!(api.sent().is_empty());
    assert_eq!(unhandled(dir.path()).await, 1, "kept before the next getUpdates, not handled");

    let mut bot = start_bot(&api, dir.path(), &[], false);
    api.wait_for_sent(1, WAIT).await;
    let sent = api.settle(QUIET * 2).await;
    assert_eq!(sent.iter().filter(|s| s.chat_id == 21).count(), 1, "answered exactly once: {sent:?}");
    assert_eq!(unhandled(dir.path()).await, 0);
    bot.kill().unwrap();
    bot.wait().unwrap();
}

/// `hanchot serve --webhook` on the database `db`, listening on `port` under its own address.
fn start_webhook_process(api: &FakeBotApi, db: &str, dir: &std::path::Path, port: u16) -> Running {
    let settings = [("listen", format!("127.0.0.1:{port}")), ("public_url", format!("http://127.0.0.1:{port}"))];
    let mut command = support::serve_command(api, db, dir, &settings);
    command.arg("--webhook");
    Running(command.env("RUST_LOG", "error").stderr(Stdio::inherit()).spawn().expect("hanchot serve starts"))
}

/// How many messages each of `chats` was sent.
fn answers(api: &FakeBotApi, chats: impl IntoIterator<Item = i64>) -> Vec<usize> {
    let sent = api.sent();
    chats.into_iter().map(|chat| sent.iter().filter(|s| s.chat_id == chat).count()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn on_postgres_two_webhook_processes_answer_every_update_once_whichever_took_it_and_one_killed_the_other_goes_on()
{
    let Some(db) = support::postgres::fresh_database("two_webhooks").await else { return };
    let api = FakeBotApi::start().await;
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let ports = [free_port(), free_port()];
    let hook = |n: usize| format!("http://127.0.0.1:{}/telegram", ports[n % 2]);
    let mut first = start_webhook_process(&api, &db, dirs[0].path(), ports[0]);
    let (_, secret) = api.webhook_with_secret().await;
    // The first is answering an update (its reply held on the way) when the second starts: the
    // second, finding it unhandled in the inbox, leaves it to the first, which holds the lease.
    api.hold_sends();
    let busy = api.text_update(299, 299, "vi", "/settings");
    assert_eq!(post(&hook(0), Some(&secret), &busy).await, 200);
    wait_for_a_send(&api).await;
    let mut second = start_webhook_process(&api, &db, dirs[1].path(), ports[1]);
    let store = hanchot::store::Store::open(&db).await.unwrap();
    // Both up: the second registered too (behind one address in production; two here).
    for _ in 0..200 {
        if api.calls("setWebhook").len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(api.calls("setWebhook").len(), 2, "both processes registered");
    tokio::time::sleep(Duration::from_secs(1)).await;
    api.release_sends(false);
    api.settle(QUIET * 2).await;
    assert_eq!(answers(&api, [299]), [1], "the update in hand was answered once, by the first");

    // Ten chats, their updates posted to one process and the other in turn: each answered once.
    let chats: Vec<i64> = (300..310).collect();
    for (n, &chat) in chats.iter().enumerate() {
        let update = api.text_update(chat, chat, "vi", "/settings");
        assert_eq!(post(&hook(n), Some(&secret), &update).await, 200, "kept by process {}", n % 2);
    }
    api.wait_until(|sent| chats.iter().all(|c| sent.iter().any(|s| s.chat_id == *c)), WAIT).await;
    api.settle(QUIET * 2).await;
    assert_eq!(answers(&api, chats.iter().copied()), vec![1; 10], "each update answered once");

    // The process holding the sending lease is killed: the other takes over and answers what is
    // posted to it, and to nobody else.
    let (holder, _) = store.sender_lease().await.unwrap().expect("one process holds the lease");
    let pids = [first.0.id(), second.0.id()];
    let killed =
        pids.iter().position(|pid| holder.starts_with(&format!("{pid}-"))).expect("a process of ours holds it");
    if killed == 0 {
        first.kill().unwrap()
    } else {
        second.kill().unwrap()
    };
    let survivor = 1 - killed;
    let later: Vec<i64> = (310..314).collect();
    for &chat in &later {
        let update = api.text_update(chat, chat, "vi", "/settings");
        assert_eq!(post(&hook(survivor), Some(&secret), &update).await, 200);
    }
    api.wait_until(|sent| later.iter().all(|c| sent.iter().any(|s| s.chat_id == *c)), WAIT).await;
    api.settle(QUIET * 2).await;
    assert_eq!(answers(&api, later.iter().copied()), vec![1; 4], "answered once by the survivor");
    assert_eq!(store.inbox_backlog().await.unwrap().unhandled, 0, "nothing left in the inbox");
}
