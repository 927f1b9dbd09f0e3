//! `cargo bench`: command latency, broadcast pacing, planning, memory and start-up, offline,
//! against the project's own fake Bot API server. Sizes can be changed from the environment:
//!
//! - `HANCHOT_BENCH_RUNS` (1000): runs per command for the latency figures;
//! - `HANCHOT_BENCH_TASKS` (10000) and `HANCHOT_BENCH_METRICS` (2000): the generated database;
//! - `HANCHOT_BENCH_CHATS` (1000): chats in the broadcast at Telegram's real limits (30/s);
//! - `HANCHOT_BENCH_FAST_CHATS` (10000): chats in the broadcast with both limits raised tenfold;
//! - `HANCHOT_BENCH_PAID_CHATS` (100000): chats in the paid broadcast at 1,000/s;
//! - `HANCHOT_BENCH_BURST_CHATS` (10000) and `HANCHOT_BENCH_BURST_COMMANDS` (1000): the broadcast
//!   running, and the commands sent within 10 s, in the burst;
//! - `HANCHOT_BENCH_PLAN_CHATS` (100000): subscriptions planned at once;
//! - `HANCHOT_BENCH_EXTRACT_BYTES` (10485760): the largest generated text extracted (with a
//!   quarter and a half of it);
//! - `HANCHOT_BENCH_RUNON_BYTES` (10485760): the one line of comma-separated dated clauses extracted;
//! - `HANCHOT_BENCH_SECTIONS` (all): a comma-separated choice of `plan`, `throughput` (the paid
//!   broadcast), `latency`, `startup`, `broadcast`, `burst`, `questions` (the /metric development
//!   set: right, wrong, not found), `extract` (with the hostile PDFs through the child reader),
//!   `sources`, `webhook`;
//! - `HANCHOT_BENCH_SOURCES` (200) and `HANCHOT_BENCH_SOURCE_ITEMS` (50): the watched sources
//!   polled, all answering 304, and the new items of the changed feed;
//! - `HANCHOT_BENCH_DATABASE` (`sqlite`): `postgres` runs the `plan` and `throughput` sections on
//!   a new database of the PostgreSQL server `HANCHOT_TEST_POSTGRES_URL` names;
//! - `HANCHOT_BENCH_WEBHOOK_RATE` (200) and `HANCHOT_BENCH_WEBHOOK_SECONDS` (30): updates a second
//!   posted to the webhook, and for how long.
//!
//! The results and what bounds them are in BENCHMARKS.md.

#[allow(dead_code)]
#[path = "../it/dev_set/mod.rs"]
mod dev_set;
#[path = "../it/support/mod.rs"]
mod support;

#[path = "../it/corpus/mod.rs"]
mod corpus;
#[path = "extraction.rs"]
mod extraction;
#[path = "hostile.rs"]
mod hostile;
#[path = "sending.rs"]
mod sending;
#[path = "watching.rs"]
mod watching;
#[path = "webhook.rs"]
mod webhook;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use hanchot::app::App;
use hanchot::chat::access::Authority;
use hanchot::chat::handlers::respond;
use hanchot::chat::message::Incoming;
use hanchot::clock::parse_at;
use hanchot::config::Config;
use hanchot::seeds::SeedSet;
use hanchot::store::ChatKind;
use support::fake_bot_api::{FakeBotApi, TOKEN};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Peak resident memory of this process so far, in MiB (VmHWM).
fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU time (user + system) of this process so far.
fn cpu_time() -> Duration {
    cpu_time_in("/proc/self/stat")
}

/// CPU time (user + system) in a `/proc` stat file: a process's, or one thread's
/// (`/proc/<pid>/task/<tid>/stat`).
fn cpu_time_in(stat: &str) -> Duration {
    let stat = std::fs::read_to_string(stat).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks of 1/100 s.
    let ticks: u64 = fields.get(11..13).map_or(0, |f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum());
    Duration::from_millis(ticks * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn app_at(config: Config, at: &str) -> App {
    support::app_with(config, at).await
}

/// Writes a seed folder with `tasks` tasks and `metrics` metrics of the seeds' shape.
fn generate_seeds(dir: &Path, tasks: usize, metrics: usize) {
    let owners = ["Bộ Công an", "Bộ Tư pháp", "UBND các tỉnh", "Bộ Tài chính", "Văn phòng Chính phủ", "Bộ Nội vụ"];
    let words = ["số hóa", "dữ liệu", "đất đai", "hộ tịch", "định danh", "dịch vụ công", "ký số", "báo cáo"];
    let mut text = String::from(
        "[source]\nkey = \"bench\"\ntitle = \"Bench\"\npublisher = \"Bench\"\npublished = 2025-01-01\nfile = \"bench.txt\"\n\n\
         [[directives]]\nkey = \"bench-directive\"\nname_vi = \"Chỉ thị thử\"\n\n[[topics]]\nkey = \"bench-topic\"\nname_vi = \"Thử\"\nname_en = \"Bench\"\n\n",
    );
    for i in 0..tasks {
        let month = 1 + (i % 12);
        let year = 2024 + (i / 12) % 4;
        let _ = write!(
            text,
            "[[tasks]]\nkey = \"bench-{i}\"\ndirective = \"bench-directive\"\ntitle_vi = \"Nhiệm vụ {i}: {} {}\"\n\
             owner = \"{}\"\ndue = {year}-{month:02}-{:02}\nprecision = \"month\"\ndue_phrase = \"trong tháng {month}/{year}\"\n\n",
            words[i % words.len()],
            words[(i / 3) % words.len()],
            owners[i % owners.len()],
            hanchot::domain::due::end_of_month(year as i32, month as u32).unwrap().format("%d"),
        );
    }
    for i in 0..metrics {
        let _ = write!(
            text,
            "[[metrics]]\nkey = \"bench-metric-{i}\"\ntopic = \"bench-topic\"\nname_vi = \"Chỉ số thử {i} {}\"\n\
             name_en = \"Bench metric {i}\"\nunit_vi = \"%\"\nunit_en = \"%\"\naliases = [\"chi so {i}\", \"metric {i}\"]\n\n\
             [[observations]]\nmetric = \"bench-metric-{i}\"\nvalue = {i}.5\nperiod = \"2024\"\nkind = \"actual\"\n\n",
            words[i % words.len()],
        );
    }
    std::fs::write(dir.join("bench.toml"), text).unwrap();
}

const COMMANDS: &[&str] = &[
    "/deadlines",
    "/deadlines upcoming",
    "/deadlines overdue",
    "/deadlines all",
    "/deadlines 6/2025",
    "/deadlines Bộ Công an",
    "/metric tài khoản VNeID",
    "/metric tai khoan vneid",
    "/metric digital economy share of GDP 2024",
    "/metric bao nhiêu người đã kích hoạt VNeID?",
    "/metric KTS chiếm bao nhiêu % GDP nam 2024",
    "/metric how many ppl were supposed to use VNeID by end of 2023",
];

/// The /metric development set through `metric::search` on the built-in seeds: first answers right,
/// wrong and not found, by language, and how sure the answers were.
async fn questions(report: &mut String) {
    use hanchot::domain::metric::{Confidence, search};
    let catalog = dev_set::seeded_catalog().await;
    let all = dev_set::questions();
    for lang in ["vi", "en", "all"] {
        let chosen: Vec<dev_set::Question> = all.iter().filter(|q| lang == "all" || q.lang == lang).cloned().collect();
        let tally = dev_set::run(&catalog, &chosen);
        let _ = writeln!(
            report,
            "| {lang} | {} | {} ({:.1}%) | {} | {} | {} |",
            tally.total(),
            tally.right,
            100.0 * tally.top1(),
            tally.wrong,
            tally.wrong_but_offered,
            tally.not_found
        );
    }
    let (mut clear, mut close, mut none) = (0, 0, 0);
    for q in &all {
        match search(&catalog.metrics, &catalog.metric_index, &q.q).confidence {
            Confidence::Clear => clear += 1,
            Confidence::Close => close += 1,
            Confidence::NotFound => none += 1,
        }
    }
    let _ = writeln!(
        report,
        "\nConfidence over the {} questions: clear {clear}, close (alternatives offered) {close}, not found {none}.",
        all.len()
    );
}

async fn latency(app: &App, label: &str, runs: usize, report: &mut String) {
    let authority = Authority::Operator;
    for command in COMMANDS {
        let incoming = Incoming {
            chat_id: 42,
            chat_kind: ChatKind::Private,
            user_id: Some(42),
            user_lang: Some("vi".into()),
            as_chat: false,
            text: (*command).to_owned(),
        };
        // Warm up.
        for _ in 0..10 {
            respond(app, &incoming, "hanchot_bot", &authority).await;
        }
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let replies = respond(app, &incoming, "hanchot_bot", &authority).await;
            times.push(start.elapsed());
            assert!(!replies.is_empty());
        }
        times.sort();
        let _ = writeln!(
            report,
            "| {label} | `{command}` | {:.3} | {:.3} |",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3
        );
    }
}

/// The database a sending or planning run uses: a file `name` in `dir`, or with
/// `HANCHOT_BENCH_DATABASE=postgres` a new database on the test server.
pub async fn bench_database(dir: &Path, name: &str) -> String {
    match std::env::var("HANCHOT_BENCH_DATABASE").as_deref() {
        Ok("postgres") => support::postgres::fresh_database(name)
            .await
            .unwrap_or_else(|| panic!("HANCHOT_BENCH_DATABASE=postgres needs {}", support::postgres::SERVER)),
        Ok("sqlite") | Err(_) => format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
        Ok(other) => panic!("HANCHOT_BENCH_DATABASE: sqlite or postgres, not {other:?}"),
    }
}

/// Which database the runs are on, for the reports.
pub fn database_label() -> &'static str {
    match std::env::var("HANCHOT_BENCH_DATABASE").as_deref() {
        Ok("postgres") => "PostgreSQL",
        _ => "SQLite",
    }
}

/// Planning alone: `chats` subscriptions at one slot.
async fn planning(chats: usize, report: &mut String) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config { database_url: bench_database(dir.path(), "plan").await, ..Config::default() };
    let app = app_at(config, "2025-06-02T06:59:59").await;
    sending::subscribe_many(&app, chats).await;
    app.clock.set(parse_at("2025-06-02T07:00:01", app.config.timezone).unwrap());
    let delivery = support::delivery(&app, teloxide::Bot::new(TOKEN));
    let start = Instant::now();
    let rows = delivery.plan(app.clock.now()).await.unwrap();
    let _ = writeln!(
        report,
        "| {chats} subscriptions ({}) | {rows} rows | {:.3} s | {:.0} MiB |",
        database_label(),
        start.elapsed().as_secs_f64(),
        peak_memory_mib()
    );
}

/// Time from starting `hanchot serve` to its first getUpdates.
async fn startup(label: &str, seeds: Option<&Path>, report: &mut String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("start.db").display());
    if let Some(seeds) = seeds {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
            .args(["seed", seeds.to_str().unwrap()])
            .env("HANCHOT_DATABASE_URL", &db)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let mut runs = Vec::new();
    for _ in 0..5 {
        let api = FakeBotApi::start().await;
        let start = tokio::time::Instant::now();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
            .arg("serve")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", api.url())
            .env("HANCHOT_DATABASE_URL", &db)
            .env("RUST_LOG", "error")
            .current_dir(dir.path())
            .spawn()
            .unwrap();
        while api.first_get_updates().is_none() && start.elapsed() < Duration::from_secs(20) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        runs.push(api.first_get_updates().unwrap().duration_since(start));
        let _ = child.kill();
        let _ = child.wait();
    }
    runs.sort();
    let _ = writeln!(
        report,
        "| {label} | {:.0} ms | {:.0} ms |",
        runs[runs.len() / 2].as_secs_f64() * 1e3,
        runs[runs.len() - 1].as_secs_f64() * 1e3
    );
}

const BROADCAST_HEADER: &str = "## Broadcast (fake server enforcing the limits)\n\n| run | sent | time | pace | 429s | planning | CPU per message: bot (fake server) | peak memory (process) |\n|---|---|---|---|---|---|---|---|\n";

fn section(name: &str) -> bool {
    std::env::var("HANCHOT_BENCH_SECTIONS").map_or(true, |s| s.split(',').any(|p| p.trim() == name))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test` builds benches only when asked.
    let runs = env("HANCHOT_BENCH_RUNS", 1000);

    // First, so that the process's peak memory is the planning's own.
    if section("plan") {
        let mut report = String::from(
            "## Planning a slot\n\n| run | outbox rows | time | peak memory (process) |\n|---|---|---|---|\n",
        );
        planning(env("HANCHOT_BENCH_PLAN_CHATS", 100_000), &mut report).await;
        println!("{report}");
    }

    // Next, so that the peak memory is the paid broadcast's own (when run alone, as BENCHMARKS.md says).
    if section("throughput") {
        let mut report = BROADCAST_HEADER.replace("## Broadcast", "## Paid broadcast");
        sending::broadcast(env("HANCHOT_BENCH_PAID_CHATS", 100_000), 1_000, true, &mut report).await;
        println!("{report}");
    }

    let seeds_dir = tempfile::tempdir().unwrap();
    let (tasks, metrics) = (env("HANCHOT_BENCH_TASKS", 10_000), env("HANCHOT_BENCH_METRICS", 2_000));
    generate_seeds(seeds_dir.path(), tasks, metrics);
    let generated_label = format!("{tasks} tasks, {metrics} metrics");

    if section("latency") {
        let mut report = String::from(
            "## Command latency (ms, through `respond`, the handler Telegram uses)\n\n| database | command | median | p99 |\n|---|---|---|---|\n",
        );
        let seeded = app_at(Config { database_url: "sqlite::memory:".into(), ..Config::default() }, "2025-06-02").await;
        latency(&seeded, "seeded", runs, &mut report).await;
        let generated =
            app_at(Config { database_url: "sqlite::memory:".into(), ..Config::default() }, "2025-06-02").await;
        generated.seed(&SeedSet::from_dir(seeds_dir.path()).unwrap()).await.unwrap();
        latency(&generated, &generated_label, runs, &mut report).await;
        println!("{report}");
    }

    if section("questions") {
        let mut report = String::from(
            "## /metric on natural questions (tests/data/metric_questions.toml)\n\n| questions | n | top-1 right | wrong | wrong, right one offered | not found |\n|---|---|---|---|---|---|\n",
        );
        questions(&mut report).await;
        println!("{report}");
    }

    if section("startup") {
        let mut report = String::from(
            "## Start-up (process start to first getUpdates)\n\n| database | median | worst of 5 |\n|---|---|---|\n",
        );
        startup("seeded", None, &mut report).await;
        startup(&generated_label, Some(seeds_dir.path()), &mut report).await;
        println!("{report}");
    }

    if section("extract") {
        let mut report = String::from(
            "## Extraction (`domain::extract::extract` on generated directives)\n\n| text | found | time | per byte |\n|---|---|---|---|\n",
        );
        extraction::extraction(&mut report);
        hostile::hostile_pdfs(&mut report).await;
        println!("{report}");
    }

    if section("sources") {
        let mut report = String::from(
            "## Watched sources (feeds on loopback, served from a thread of their own)\n\n| run | outcome | CPU: watcher | CPU: feeds' server | wall |\n|---|---|---|---|---|\n",
        );
        let (sources, items) = (env("HANCHOT_BENCH_SOURCES", 200), env("HANCHOT_BENCH_SOURCE_ITEMS", 50));
        watching::watching(sources, items, &mut report).await;
        println!("{report}");
    }

    if section("webhook") {
        let mut report = String::from(
            "## Webhook (posted on loopback, the fake server enforcing 30/s and 1/s per chat)\n\n| run | acknowledged | ack p50 | ack p99 | slowest | answered | twice | 429s | inbox backlog | timed by the bot | load average |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        let (rate, seconds) = (env("HANCHOT_BENCH_WEBHOOK_RATE", 200), env("HANCHOT_BENCH_WEBHOOK_SECONDS", 30));
        webhook::webhook(rate as u64, seconds as u64, &mut report).await;
        println!("{report}");
    }

    if section("broadcast") {
        let mut report = String::from(BROADCAST_HEADER);
        sending::broadcast(env("HANCHOT_BENCH_CHATS", 1_000), 30, false, &mut report).await;
        sending::broadcast(env("HANCHOT_BENCH_FAST_CHATS", 10_000), 300, false, &mut report).await;
        println!("{report}");
    }

    if section("burst") {
        let mut report = String::from(
            "## Burst of commands during a broadcast (real dispatcher and delivery)\n\n| run | answered once | reply p50 | reply p99 | slowest | digests meanwhile | all sends |429s |\n|---|---|---|---|---|---|---|---|\n",
        );
        let (chats, commands) = (env("HANCHOT_BENCH_BURST_CHATS", 10_000), env("HANCHOT_BENCH_BURST_COMMANDS", 1_000));
        sending::burst(chats, commands, Duration::from_secs(10), &mut report).await;
        println!("{report}");
    }
}
