//! Nobody stalled by one user: each chat's replies wait in its own bounded queue, outside the
//! handlers. A chat that floods the bot is told once to wait and its surplus is dropped; anyone
//! else is answered in their turn, presses are answered at once, and SIGTERM exits promptly.

use crate::support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hanchot::config::Config;
use support::fake_bot_api::{FakeBotApi, Sent};
use support::{TestBot, WAIT, memory_config};

const FLOODER: i64 = 1001;
const OTHER: i64 = 2002;
const BUSY: &str = "Bạn gửi nhiều yêu cầu quá nhanh";

/// Telegram's own pace: one message a second to a chat.
fn paced_config() -> Config {
    Config { max_per_chat_per_second: 1, max_per_group_per_minute: 20, ..memory_config() }
}

fn position(sent: &[Sent], chat: i64) -> Option<usize> {
    sent.iter().position(|s| s.chat_id == chat)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_and_fifty_questions_from_one_chat_leave_another_users_deadlines_answered_in_turn() {
    let bot = TestBot::start_with(paced_config(), "2026-12-02").await;
    for _ in 0..150 {
        bot.api.push_text(FLOODER, FLOODER, "vi", "/help");
    }
    // The flood is being answered, one a second, when the other user asks.
    bot.api.wait_until(|sent| position(sent, FLOODER).is_some(), WAIT).await;
    bot.api.push_text(OTHER, OTHER, "vi", "/deadlines");
    let sent = bot.api.wait_until(|sent| position(sent, OTHER).is_some(), WAIT).await;
    let flooders_before = sent.iter().take(position(&sent, OTHER).unwrap()).filter(|s| s.chat_id == FLOODER).count();
    // At one a second, 30 queued replies take half a minute: the other answer does not wait for
    // them (a generous margin for a loaded machine; the benchmark measures the seconds).
    assert!(flooders_before < 10, "the other user waited behind {flooders_before} of the flooder's replies");
    assert!(!sent[position(&sent, OTHER).unwrap()].text.is_empty(), "the deadlines were listed");

    // The flooder is told once to wait, early, and gets no more than its bound of answers.
    let sent =
        bot.api.wait_until(|sent| sent.iter().any(|s| s.chat_id == FLOODER && s.text.contains(BUSY)), WAIT).await;
    let to_flooder: Vec<&Sent> = sent.iter().filter(|s| s.chat_id == FLOODER).collect();
    let told = to_flooder.iter().position(|s| s.text.contains(BUSY)).unwrap();
    assert!(told < 5, "told to wait only after {told} answers");
    // Later questions are answered again once the queue is empty: nothing more was queued.
    let waiting = hanchot::telegram::replier::BOUND;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let flooded = bot.api.sent_to(FLOODER);
    assert_eq!(flooded.iter().filter(|s| s.text.contains(BUSY)).count(), 1, "told once");
    assert!(flooded.len() <= waiting + 2, "{} messages to the flooder, bound {waiting}", flooded.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_press_is_answered_at_once_while_the_chats_replies_wait_their_turn() {
    let bot = TestBot::start_with(paced_config(), "2026-12-02").await;
    for _ in 0..12 {
        bot.api.push_text(FLOODER, FLOODER, "vi", "/help");
    }
    bot.api.wait_until(|sent| position(sent, FLOODER).is_some(), WAIT).await;
    bot.api.push_callback(FLOODER, FLOODER, 1, "imp:1:1:keep");
    let deadline = tokio::time::Instant::now() + WAIT;
    while bot.api.calls("answerCallbackQuery").is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the press was never answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let replies = bot.api.sent_to(FLOODER).len();
    assert!(replies < 8, "the press waited behind {replies} of the chat's replies");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_with_replies_queued_sends_what_it_can_for_ten_seconds_and_exits_0() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hanchot.db").display());
    let mut running = support::KillOnDrop(
        support::serve_command(&api, &db, dir.path(), &[])
            .env("RUST_LOG", "warn")
            .stderr(Stdio::piped())
            .spawn()
            .expect("hanchot serve starts"),
    );
    let bot = &mut running.0;
    for _ in 0..25 {
        api.push_text(FLOODER, FLOODER, "vi", "/help");
    }
    api.wait_until(|sent| position(sent, FLOODER).is_some(), WAIT).await;
    // Every question read before the signal (an update is marked handled once its reply went, so
    // the inbox holds the 25 and the replies go one a second): the first replies went.
    let store = hanchot::store::Store::open(&db).await.unwrap();
    let kept =
        || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM inbox").fetch_one(store.pool()).await.unwrap() };
    let deadline = Instant::now() + WAIT;
    while kept().await < 25 || api.sent_to(FLOODER).len() < 2 {
        assert!(Instant::now() < deadline, "the questions were not all read");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status().unwrap();
    assert!(status.success());
    let signalled = Instant::now();
    let deadline = signalled + Duration::from_secs(20);
    let exit = loop {
        if let Some(status) = bot.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 20 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exit.success(), "SIGTERM exits 0: {exit:?}");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut bot.stderr.take().unwrap(), &mut log).unwrap();
    let sent = api.sent_to(FLOODER).len();
    // One a second for ten seconds, then the rest given up, and said so.
    assert!(sent < 25, "all 25 went: the drain is not bounded ({sent})");
    assert!(log.contains("replies not sent in time"), "what was given up is recorded: {log}");
    // What was given up stays unhandled in the inbox, to be answered at the next start.
    let unhandled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(unhandled as usize >= 25 - sent, "{unhandled} unhandled, {sent} sent");
}
