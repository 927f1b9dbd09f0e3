//! The sending sections of the benchmark: a broadcast at Telegram's limits, a burst of commands
//! during a broadcast, and a paid-speed broadcast of 100,000 digests.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hanchot::app::App;
use hanchot::clock::parse_at;
use hanchot::config::Config;

use hanchot::serve::Options;

use super::support::fake_bot_api::FakeBotApi;
use super::support::{self, TestBot};
use super::{cpu_time, peak_memory_mib, percentile};

/// Subscribes `chats` private chats (ids `1..=chats`) directly in SQL: the bench measures sending,
/// not /subscribe.
pub async fn subscribe_many(app: &App, chats: usize) {
    support::subscribe_many(&app.store, chats, app.clock.now()).await;
}

/// A config on a fresh database (a file in `dir`, or see [`super::bench_database`]).
async fn config_in(dir: &std::path::Path, per_second: u32, paid_broadcast: bool) -> Config {
    Config {
        database_url: super::bench_database(dir, "bench").await,
        max_per_second: per_second,
        max_per_chat_per_second: (per_second / 30).max(1),
        paid_broadcast,
        ..Config::default()
    }
}

/// Messages after the first, over the time from the first to the last.
fn pace(times: &[tokio::time::Instant]) -> f64 {
    match (times.first(), times.last()) {
        (Some(first), Some(last)) if times.len() > 1 => {
            (times.len() - 1) as f64 / last.duration_since(*first).as_secs_f64()
        }
        _ => f64::NAN,
    }
}

/// A digest to `chats` chats at `per_second`, with the fake server enforcing the same limits; with
/// `paid`, as paid broadcasts (the server then allows `per_second` to paid messages only).
pub async fn broadcast(chats: usize, per_second: u32, paid: bool, report: &mut String) {
    let api = FakeBotApi::start_apart();
    api.forget_texts();
    if paid {
        api.enforce_limits(30, f64::from(per_second / 30));
        api.enforce_paid_limit(per_second as usize);
    } else {
        api.enforce_limits(per_second as usize, f64::from((per_second / 30).max(1)));
    }
    let dir = tempfile::tempdir().unwrap();
    let app = support::app_with(config_in(dir.path(), per_second, paid).await, "2025-06-02T06:59:59").await;
    subscribe_many(&app, chats).await;
    app.clock.set(parse_at("2025-06-02T07:00:01", app.config.timezone).unwrap());
    let delivery = support::delivery(&app, support::bot_for(&api));
    let plan_start = Instant::now();
    delivery.plan(app.clock.now()).await.unwrap();
    let planning = plan_start.elapsed();
    let (cpu_before, server_before) = (cpu_time(), api.cpu_time().unwrap_or_default());
    let start = Instant::now();
    let (_, stop) = tokio::sync::watch::channel(false);
    let sent = delivery.sender.drain(&stop).await.unwrap().sent;
    let elapsed = start.elapsed();
    // The bot's CPU: the process's, less the fake server's thread.
    let server = api.cpu_time().unwrap_or_default() - server_before;
    let cpu = (cpu_time() - cpu_before).saturating_sub(server);
    let messages = api.sent();
    let rate = pace(&messages.iter().map(|s| s.at).collect::<Vec<_>>());
    let paid_sent = messages.iter().filter(|s| s.paid).count();
    let _ = writeln!(
        report,
        "| {chats} chats, limit {per_second}/s{} ({}) | {sent} | {:.1} s | {rate:.1}/s = {:.1}% | {} | {:.3} s | {:.0} µs (server {:.0} µs) | {:.0} MiB |",
        if paid { format!(", paid ({paid_sent} flagged)") } else { String::new() },
        super::database_label(),
        elapsed.as_secs_f64(),
        rate / f64::from(per_second) * 100.0,
        api.too_many_requests(),
        planning.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / sent.max(1) as f64,
        server.as_secs_f64() * 1e6 / sent.max(1) as f64,
        peak_memory_mib(),
    );
}

/// `commands` private chats each send `/subscribe` within `spread` (a group announced the bot),
/// while a digest goes to `chats` other chats, through the real dispatcher and delivery at
/// Telegram's free limit (30/s). `/subscribe` is answered in one message and writes to the
/// database beside the sender; `/deadlines` on this day takes two messages (BENCHMARKS.md).
pub async fn burst(chats: usize, commands: usize, spread: Duration, report: &mut String) {
    const PER_SECOND: u32 = 30;
    let dir = tempfile::tempdir().unwrap();
    let config = Config { max_per_chat_per_second: 1, ..config_in(dir.path(), PER_SECOND, false).await };
    let app = support::app_with(config, "2025-06-02T06:59:59").await;
    subscribe_many(&app, chats).await;
    app.clock.set(parse_at("2025-06-02T07:00:01", app.config.timezone).unwrap());
    let bot = TestBot::serve(app, Options::default()).await;
    let api = &bot.api;
    api.enforce_limits(PER_SECOND as usize, 1.0);
    api.forget_texts();
    // The broadcast gets going first.
    api.wait_for_sent(100, Duration::from_secs(60)).await;

    let first_asker = 1_000_000_i64;
    let mut asked = HashMap::new();
    let start = tokio::time::Instant::now();
    for n in 0..commands {
        let at = start + spread.mul_f64(n as f64 / commands as f64);
        tokio::time::sleep_until(at).await;
        let chat = first_asker + n as i64;
        api.push_text(chat, chat, "vi", "/subscribe");
        asked.insert(chat, tokio::time::Instant::now());
    }
    let askers = |sent: &[support::fake_bot_api::Sent]| sent.iter().filter(|s| s.chat_id >= first_asker).count();
    api.wait_until(|sent| askers(sent) >= commands, Duration::from_secs(600)).await;
    let sent = api.settle(Duration::from_secs(2)).await;
    let answered = sent.iter().filter(|s| s.chat_id >= first_asker);
    let mut per_chat: HashMap<i64, Vec<tokio::time::Instant>> = HashMap::new();
    for reply in answered {
        per_chat.entry(reply.chat_id).or_default().push(reply.at);
    }
    let once = per_chat.values().filter(|times| times.len() == 1).count();
    let mut latencies: Vec<Duration> =
        per_chat.iter().map(|(chat, times)| times[0].duration_since(asked[chat])).collect();
    latencies.sort();
    let last_reply = per_chat.values().flatten().max().copied().unwrap_or(start);
    let during: Vec<_> =
        sent.iter().filter(|s| s.chat_id < first_asker && s.at >= start && s.at <= last_reply).map(|s| s.at).collect();
    let everything: Vec<_> = sent.iter().filter(|s| s.at >= start && s.at <= last_reply).map(|s| s.at).collect();
    let _ = writeln!(
        report,
        "| {commands} commands in {:.0} s during a {chats}-chat broadcast, limit {PER_SECOND}/s | {once} of {commands} | {:.2} s | {:.2} s | {:.2} s | {} in {:.1} s ({:.1}/s) | {:.1}/s | {} |",
        spread.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64(),
        percentile(&latencies, 0.99).as_secs_f64(),
        latencies.last().copied().unwrap_or_default().as_secs_f64(),
        during.len(),
        last_reply.duration_since(start).as_secs_f64(),
        pace(&during),
        pace(&everything),
        api.too_many_requests(),
    );
}
