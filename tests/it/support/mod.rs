//! The one test harness: the fake Bot API server, an app on a fresh database at a fixed time, the
//! real dispatcher and delivery running against the fake server ([`TestBot`]), and the real binary.

#![allow(dead_code)]

pub mod db;
pub mod fake_bot_api;
pub mod hostile_pdf;
pub mod portals;
pub mod postgres;

#[allow(unused_imports)] // Not every test file broadcasts.
pub use db::subscribe_many;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use fake_bot_api::{FakeBotApi, Sent, TOKEN};
use hanchot::app::App;
use hanchot::clock::{Clock, parse_at};
use hanchot::config::Config;
use hanchot::serve::{Options, serve_with};
use teloxide::Bot;

/// "Today" in most tests: after every seeded deadline.
pub const TODAY: &str = "2026-11-22";

/// The real binary, which the bot in a test reads received files with (`hanchot read-document`):
/// the test binary itself has no such command.
pub fn reader_program() -> Option<std::path::PathBuf> {
    Some(env!("CARGO_BIN_EXE_hanchot").into())
}

/// A config on a private database in `dir`.
pub fn config_in(dir: &Path) -> Config {
    Config {
        database_url: format!("sqlite://{}", dir.join("hanchot.db").display()),
        document_reader: reader_program(),
        ..Config::default()
    }
}

/// The default config on a private in-memory database, with per-chat limits loose enough that
/// a reply of several messages (an import review) arrives at once; tests of pacing set their own.
pub fn memory_config() -> Config {
    Config {
        database_url: "sqlite::memory:".into(),
        max_per_chat_per_second: 100,
        max_per_group_per_minute: 6_000,
        document_reader: reader_program(),
        ..Config::default()
    }
}

/// [`memory_config`] with these users as the bot's admins.
pub fn admins_config(admins: &[i64]) -> Config {
    Config { admins: admins.iter().map(|&a| a as u64).collect(), ..memory_config() }
}

/// An app on `config` with the clock fixed at `at` (YYYY-MM-DD or a local date and time).
///
/// With `HANCHOT_TEST_APPS_ON=postgres`, an app on SQLite in memory runs on a new PostgreSQL
/// database instead (see [`postgres::fresh_database`]): the whole suite, on the other database.
pub async fn app_with(mut config: Config, at: &str) -> App {
    if config.database_url == "sqlite::memory:" && std::env::var("HANCHOT_TEST_APPS_ON").as_deref() == Ok("postgres") {
        config.database_url = postgres::fresh_database("app").await.expect("HANCHOT_TEST_POSTGRES_URL is set");
    }
    let clock = Clock::fixed(parse_at(at, config.timezone).expect("valid --at"));
    App::start(config, clock).await.expect("app starts")
}

/// An app on a fresh in-memory database, at `at`.
pub async fn app_at(at: &str) -> App {
    app_with(memory_config(), at).await
}

/// Moves the app's clock to `when`.
pub fn set_clock(app: &App, when: &str) {
    app.clock.set(parse_at(when, app.config.timezone).expect("valid time"));
}

/// A teloxide `Bot` that talks to the fake server.
pub fn bot_for(api: &FakeBotApi) -> Bot {
    Bot::new(TOKEN).set_api_url(api.url().parse().expect("the fake server's url"))
}

/// How long a test waits for the bot before it fails.
pub const WAIT: Duration = Duration::from_secs(20);
/// How long without a new message counts as "the bot has said everything", where nothing tells.
pub const QUIET: Duration = Duration::from_millis(400);
/// After the inbox says an update was handled (its replies went): how long a message to another
/// chat, that a reply set off, may take to follow.
const AFTER_HANDLED: Duration = Duration::from_millis(100);

/// The real dispatcher and delivery, running against the fake Bot API server.
pub struct TestBot {
    pub api: FakeBotApi,
    pub app: App,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Drop for TestBot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestBot {
    /// On a fresh in-memory database at `at`.
    pub async fn start(at: &str) -> Self {
        Self::start_with(memory_config(), at).await
    }

    /// On `config` at `at`.
    pub async fn start_with(config: Config, at: &str) -> Self {
        Self::serve(app_with(config, at).await, Options::default()).await
    }

    /// Serves `app` with `options`.
    pub async fn serve(app: App, options: Options) -> Self {
        Self::serve_on(FakeBotApi::start().await, app, options)
    }

    /// Serves `app` against `api`, already set up (limits, scripted failures).
    pub fn serve_on(api: FakeBotApi, app: App, options: Options) -> Self {
        init_logs();
        let task = tokio::spawn(serve_with(app.clone(), bot_for(&api), options, std::future::pending()));
        Self { api, app, task }
    }

    /// Sends one message and returns the bot's replies to it, each checked to be valid for Telegram.
    pub async fn ask(&self, chat: i64, user: i64, language: &str, text: &str) -> Vec<Sent> {
        let before = self.api.sent().len();
        let update = self.api.text_update(chat, user, language, text);
        let update_id = update["update_id"].as_i64().expect("the update has an id");
        self.api.push(update);
        self.api.wait_for_sent(before + 1, WAIT).await;
        // The update is marked handled once its chat's replies were sent: no quiet time to wait out.
        self.wait_handled(update_id).await;
        let mut replies: Vec<Sent> = self.api.settle(AFTER_HANDLED).await.into_iter().skip(before).collect();
        // A late message to another chat (a chart drawn when its turn came) is not this reply; a
        // reply that went elsewhere (a group that migrated) is kept whole.
        if replies.iter().any(|r| r.chat_id == chat) {
            replies.retain(|r| r.chat_id == chat);
        }
        for reply in &replies {
            assert_eq!(reply.parse_mode.as_deref(), Some("HTML"));
            assert!(reply.text.encode_utf16().count() <= 4096, "reply over Telegram's limit");
            assert!(balanced_html(&reply.text), "unbalanced HTML: {}", reply.text);
        }
        replies
    }

    /// Waits until the inbox has update `update_id` handled.
    async fn wait_handled(&self, update_id: i64) {
        let give_up = tokio::time::Instant::now() + WAIT;
        loop {
            let sql = format!("SELECT COUNT(*) FROM inbox WHERE update_id = {update_id} AND handled_at IS NOT NULL");
            if db::number(&self.app.store, &sql).await > 0 {
                return;
            }
            assert!(tokio::time::Instant::now() < give_up, "update {update_id} was not handled within {WAIT:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the bot has edited `count` messages in all.
    pub async fn wait_for_edits(&self, count: usize) {
        for _ in 0..200 {
            if self.api.edits().len() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no edit came");
    }
}

/// `hanchot serve` against `api`, on the database `db`, in `dir`, with these `HANCHOT_*` settings;
/// standard output discarded.
#[allow(dead_code)] // Not every test file starts the binary.
pub fn serve_command(api: &FakeBotApi, db: &str, dir: &Path, settings: &[(&str, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hanchot"));
    command
        .arg("serve")
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env("HANCHOT_DATABASE_URL", db)
        .stdout(std::process::Stdio::null());
    for (key, value) in settings {
        command.env(format!("HANCHOT_{}", key.to_uppercase()), value);
    }
    command
}

/// A child process killed when the test ends, even by a failed assertion.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A day of the calendar.
pub fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a day")
}

/// Adds a task as `admin` (one of the bot's admins) with `/add <line>` and returns its id.
pub async fn add_task(bot: &TestBot, admin: i64, line: &str) -> i64 {
    let added = joined(&bot.ask(admin, admin, "vi", &format!("/add {line}")).await);
    let id: String = added.split('#').nth(1).expect("an id").chars().take_while(char::is_ascii_digit).collect();
    id.parse().expect("a task id")
}

/// The texts of several replies, one after another.
pub fn joined(replies: &[Sent]) -> String {
    replies.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Runs the real `hanchot` binary in `dir` with a private database there.
pub fn hanchot(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hanchot"))
        .args(args)
        .current_dir(dir)
        .env("HANCHOT_DATABASE_URL", format!("sqlite://{}", dir.join("hanchot.db").display()))
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELOXIDE_API_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("hanchot runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether an HTML message is well-formed for Telegram: every tag closed in order.
pub fn balanced_html(text: &str) -> bool {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else { return false };
        let inner = &rest[start + 1..start + end];
        if let Some(name) = inner.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name) {
                return false;
            }
        } else {
            stack.push(inner.split_whitespace().next().unwrap_or_default().to_owned());
        }
        rest = &rest[start + end + 1..];
    }
    stack.is_empty()
}

/// Shows the bot's logs in a test's output when RUST_LOG is set.
pub fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// Delivery for `app` through the production transport, with a pacer of its own.
pub fn delivery(app: &App, bot: Bot) -> hanchot::delivery::Delivery<hanchot::telegram::broadcast::Broadcaster> {
    use hanchot::delivery::{Delivery, Pacer, Parts};
    let parts = Parts::new(app.store.clone(), app.clock.clone(), app.catalog_handle(), &app.config);
    let pacer = Pacer::new(parts.limits);
    Delivery::new(parts, hanchot::telegram::broadcast::Broadcaster::new(bot, app.config.paid_broadcast), pacer)
}

/// What delivery would send from `now` for `hours`, for `app`'s chats.
pub async fn preview(app: &App, now: chrono::DateTime<chrono::Utc>, hours: u32) -> Vec<hanchot::store::Planned> {
    let ctx = hanchot::delivery::plan_context(&app.config);
    hanchot::delivery::preview(&app.store, &app.catalog(), &ctx, now, hours).await.unwrap()
}
