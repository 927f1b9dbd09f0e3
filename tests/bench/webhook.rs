//! The webhook's benchmark (issue 22): updates posted at a steady rate to the bot's webhook on
//! loopback, each acknowledgement timed from the poster (the inbox write included), then every
//! reply awaited at Telegram's limits, which the fake Bot API enforces on its own thread.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hanchot::serve::{Options, serve_in};
use hanchot::service::Receive;

use super::percentile;
use super::support::fake_bot_api::FakeBotApi;
use super::support::{self, bot_for};

const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Posts `updates` to `url`, one every `1 / per_second`, open loop (a slow answer does not delay
/// the next post), from a thread and runtime of its own, as Telegram is apart from the bot; each
/// post's status (0 when it failed) and how long its answer took.
fn post_all(url: String, secret: String, updates: Vec<String>, per_second: u64) -> Vec<(u16, Duration)> {
    let poster = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
            let started = tokio::time::Instant::now();
            let mut posts = tokio::task::JoinSet::new();
            for (i, update) in updates.into_iter().enumerate() {
                tokio::time::sleep_until(started + Duration::from_micros(1_000_000 / per_second * i as u64)).await;
                let request = client.post(&url).header(SECRET_HEADER, &secret).body(update);
                posts.spawn(async move {
                    let at = Instant::now();
                    let status = request.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
                    (status, at.elapsed())
                });
            }
            posts.join_all().await
        })
    });
    poster.join().expect("the poster runs")
}

/// The share of the webhook's acknowledgements the bot itself timed (`/metrics`, from the request
/// read to the answer, the inbox write included) within each of `bounds` (seconds, as the
/// histogram's buckets name them).
async fn timed_inside(metrics: &str, bounds: &[&str]) -> Vec<f64> {
    let text = reqwest::get(metrics).await.unwrap().text().await.unwrap();
    let value = |name: &str| {
        text.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(f64::NAN)
    };
    let count = value("hanchot_webhook_ack_seconds_count ");
    bounds.iter().map(|le| value(&format!("hanchot_webhook_ack_seconds_bucket{{le=\"{le}\"}} ")) / count).collect()
}

/// The load average over the last minute (other processes share the machine).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').next().unwrap_or("?").to_owned()
}

/// `per_second` updates a second for `seconds`, each from its own private chat (`/help`, answered
/// in one message), to the webhook of a bot on a database file; the fake server allows 30
/// messages a second and one a second per chat.
pub async fn webhook(per_second: u64, seconds: u64, report: &mut String) {
    let api = FakeBotApi::start_apart();
    api.enforce_limits(30, 1.0);
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = hanchot::config::Config {
        listen: format!("127.0.0.1:{port}"),
        webhook_url: format!("http://127.0.0.1:{port}/tg"),
        ..support::config_in(dir.path())
    };
    let app = support::app_with(config, support::TODAY).await;
    let store = app.store.clone();
    let bot = tokio::spawn(serve_in(app, bot_for(&api), Options::default(), Receive::Webhook, std::future::pending()));
    let (url, secret) = api.webhook_with_secret().await;
    let total = (per_second * seconds) as usize;
    let updates = (0..total).map(|i| api.text_update(10_000 + i as i64, 1, "vi", "/help").to_string()).collect();

    let (load_before, started) = (load(), Instant::now());
    let posted = tokio::task::spawn_blocking(move || post_all(url, secret, updates, per_second)).await.unwrap();
    let posting = started.elapsed();
    let load_after = load();
    let inside = timed_inside(&format!("http://127.0.0.1:{port}/metrics"), &["0.0025", "0.01"]).await;
    let acknowledged = posted.iter().filter(|(status, _)| *status == 200).count();
    let mut latencies: Vec<Duration> = posted.iter().map(|(_, took)| *took).collect();
    latencies.sort();

    // Replies go at Telegram's 30 a second: wait for them all, and a little more for any twice.
    api.wait_for_sent(total, Duration::from_secs(total as u64 / 25 + 60)).await;
    let answering = started.elapsed();
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for s in api.settle(Duration::from_secs(2)).await {
        *per_chat.entry(s.chat_id).or_default() += 1;
    }
    let backlog = store.inbox_backlog().await.unwrap().unhandled;
    let _ = writeln!(
        report,
        "| {per_second}/s for {seconds} s ({total} updates in {:.1} s) | {acknowledged} of {total} | {:.2} ms | {:.2} ms | {:.1} ms | {} in {:.0} s | {} | {} | {backlog} | {:.1}% ≤ 2.5 ms, {:.2}% ≤ 10 ms | {load_before} → {load_after} |",
        posting.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().map_or(f64::NAN, |d| d.as_secs_f64() * 1e3),
        per_chat.len(),
        answering.as_secs_f64(),
        per_chat.values().filter(|n| **n > 1).count(),
        api.too_many_requests(),
        inside[0] * 100.0,
        inside[1] * 100.0,
    );
    bot.abort();
}
