//! Shared test helpers: the fake Bot API server, an app on a fresh database, and the real binary.

#![allow(dead_code)]

pub mod fake_bot_api;

use std::path::Path;
use std::process::{Command, Output};

use hanchot::app::App;
use hanchot::clock::{Clock, parse_at};
use hanchot::config::Config;

/// "Today" in most tests: after every seeded deadline.
pub const TODAY: &str = "2026-11-22";

/// A config on a private database in `dir`.
pub fn config_in(dir: &Path) -> Config {
    Config { database_url: format!("sqlite://{}", dir.join("hanchot.db").display()), ..Config::default() }
}

/// An app on a fresh in-memory database, at `at` (YYYY-MM-DD or a local date and time).
pub async fn app_at(at: &str) -> App {
    let config = Config { database_url: "sqlite::memory:".into(), ..Config::default() };
    let clock = Clock::fixed(parse_at(at, config.timezone).expect("valid --at"));
    App::start(config, clock).await.expect("app starts")
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
