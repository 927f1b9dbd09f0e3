//! The real binary, `hanchot serve`, against the fake Bot API server: a digest every two seconds,
//! a chat that blocked the bot, a group that migrates, `kill -9` and a restart, then SIGTERM.

use crate::support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hanchot::store::{ChatKind, Store};
use support::fake_bot_api::{FakeBotApi, Scripted};

fn start_bot(api: &FakeBotApi, db: &str, dir: &std::path::Path) -> Child {
    support::serve_command(api, db, dir, &[("digest_cron", "*/2 * * * * *".into())])
        .env("RUST_LOG", "warn")
        .stderr(Stdio::inherit())
        .spawn()
        .expect("hanchot serve starts")
}

async fn wait_for_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_delivers_each_slot_once_survives_kill_9_and_stops_on_sigterm() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hanchot.db").display());

    let (blocked, group, supergroup) = (3, -7, -1_000_000_000_007);
    {
        let store = Store::open(&db).await.unwrap();
        let now = chrono::Utc::now();
        for chat in 1..=5 {
            store.subscribe(chat, ChatKind::Private, "", now).await.unwrap();
        }
        store.subscribe(group, ChatKind::Group, "", now).await.unwrap();
    }
    api.script(blocked, [Scripted::Forbidden("Forbidden: bot was blocked by the user")]);
    api.script(group, [Scripted::Migrate(supergroup)]);

    let mut bot = start_bot(&api, &db, dir.path());
    api.wait_for_sent(6, Duration::from_secs(20)).await;
    // Kill right after the group's second digest: the restarted bot must still keep its pace.
    api.wait_until(|sent| sent.iter().filter(|s| s.chat_id == supergroup).count() >= 2, Duration::from_secs(20)).await;
    bot.kill().unwrap(); // SIGKILL: no chance to clean up.
    bot.wait().unwrap();
    let before_restart = api.sent().len();

    let mut bot = start_bot(&api, &db, dir.path());
    api.wait_for_sent(before_restart + 4, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let status = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = wait_for_exit(&mut bot, Duration::from_secs(10)).await.expect("exits within a few seconds of SIGTERM");
    assert!(exit.success(), "SIGTERM exits 0: {exit:?}");

    let store = Store::open(&db).await.unwrap();
    let sent = api.sent();
    assert!(sent.len() > before_restart, "the restarted bot went on sending");

    // Every message received is one outbox row marked sent, or the one the kill interrupted mid-send
    // (left "sending", failed later, never resent): nothing was sent twice.
    let rows: Vec<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT chat_id, status, message_id FROM outbox").fetch_all(store.pool()).await.unwrap();
    let sent_rows = rows.iter().filter(|r| r.1 == "sent").count();
    let in_doubt = rows.iter().filter(|r| r.1 == "sending").count();
    assert!(in_doubt <= 1, "only the row in flight at the kill can be in doubt: {in_doubt}");
    assert!(
        sent.len() >= sent_rows && sent.len() <= sent_rows + in_doubt,
        "{} received, {sent_rows} sent rows, {in_doubt} in doubt",
        sent.len()
    );
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    let unique = {
        ids.sort_unstable();
        ids.windows(2).all(|w| w[0] != w[1])
    };
    assert!(unique, "one Telegram message per row");

    // Digests came every slot, to each chat at most once per two-second slot, so at most one a second.
    for chat in [1, 2, 4, 5, supergroup] {
        let times: Vec<_> = sent.iter().filter(|s| s.chat_id == chat).map(|s| s.at).collect();
        assert!(times.len() >= 2, "chat {chat} got {} messages", times.len());
        assert!(
            times.windows(2).all(|w| w[1].duration_since(w[0]) >= Duration::from_millis(900)),
            "chat {chat} too fast"
        );
    }
    assert!(api.sent_to(blocked).is_empty(), "nothing reached the chat that blocked the bot");
    assert!(!store.subscription(blocked).await.unwrap().unwrap().active, "and it was unsubscribed");
    assert!(api.sent_to(group).is_empty());
    assert!(store.subscription(supergroup).await.unwrap().unwrap().active, "the subscription followed the migration");
}
