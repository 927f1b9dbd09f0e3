//! A full disk, simulated without root: the running binary's file size limit is lowered (so every
//! write to the database fails as on a full disk) and raised again. The bot recovers by itself:
//! the write lock is released, so another process can write, and delivery resumes, within 10 s of
//! space returning.

use crate::support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hanchot::store::{ChatKind, Store};
use sqlx::{Connection, Executor};
use support::fake_bot_api::{FakeBotApi, TOKEN};

/// Sets the soft limit on the size of the files `pid` writes (`unlimited`, or bytes).
fn file_size_limit(pid: u32, soft: &str) {
    let status = Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--fsize={soft}:unlimited")])
        .status()
        .expect("prlimit runs");
    assert!(status.success(), "prlimit failed");
}

/// `hanchot serve` with SIGXFSZ ignored (inherited through exec), so that a write past the limit
/// fails with an error, as on a full disk, instead of killing the process.
fn serve_ignoring_sigxfsz(api: &FakeBotApi, db: &str, dir: &std::path::Path) -> Child {
    let log = std::fs::File::create(dir.join("serve.log")).expect("the log file opens");
    Command::new("sh")
        .args(["-c", "trap '' XFSZ; exec \"$0\" serve", env!("CARGO_BIN_EXE_hanchot")])
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api.url())
        .env("HANCHOT_DATABASE_URL", db)
        .env("HANCHOT_DIGEST_CRON", "*/2 * * * * *")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("hanchot serve starts")
}

/// Whether another process can take the write lock now.
async fn can_write(db: &str) -> bool {
    let Ok(mut other) = sqlx::SqliteConnection::connect(db).await else { return false };
    let _ = other.execute("PRAGMA busy_timeout = 0").await;
    let wrote = other.execute("BEGIN IMMEDIATE").await.is_ok();
    if wrote {
        let _ = other.execute("ROLLBACK").await;
    }
    wrote
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_full_disk_the_lock_is_released_and_delivery_resumes_by_itself() {
    let _one = crate::ONE_AT_A_TIME.lock().await;
    assert!(Command::new("prlimit").arg("--version").output().is_ok(), "prlimit (util-linux) simulates the full disk");
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hanchot.db").display());
    {
        let store = Store::open(&db).await.unwrap();
        for chat in 1..=3 {
            store.subscribe(chat, ChatKind::Private, "", chrono::Utc::now()).await.unwrap();
        }
    }
    let mut running = support::KillOnDrop(serve_ignoring_sigxfsz(&api, &db, dir.path()));
    let bot = &mut running.0;
    api.wait_for_sent(3, Duration::from_secs(30)).await;
    assert!(api.sent().len() >= 3, "digests go out before the disk fills");

    // The disk is full: no write past the first page of any file succeeds.
    file_size_limit(bot.id(), "4096");
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(bot.try_wait().unwrap().is_none(), "a full disk does not stop the bot");
    let during = api.sent().len();

    file_size_limit(bot.id(), "unlimited");
    let back = Instant::now();
    while !can_write(&db).await {
        assert!(back.elapsed() < Duration::from_secs(10), "the write lock is still held 10 s after space returned");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // By itself, with no restart (a loaded machine may take longer than the 10 s it takes here alone).
    let sent = api.wait_until(|sent| sent.len() >= during + 3, Duration::from_secs(30)).await;
    if sent.len() < during + 3 {
        // What to look at when this fails on another machine.
        let alive = bot.try_wait().unwrap().is_none();
        let outbox: Vec<(String, i64)> = match sqlx::SqliteConnection::connect(&db).await {
            Ok(mut db) => sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(&mut db)
                .await
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect();
        panic!(
            "delivery did not resume by itself: {during} then {}; bot running: {alive}; outbox: {outbox:?}; its log ends:\n{}",
            sent.len(),
            tail.join("\n")
        );
    }

    let status = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while bot.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
