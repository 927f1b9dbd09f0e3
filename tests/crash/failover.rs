//! Two bot processes on one database: the one holding the sending lease sends and polls Telegram,
//! the other waits (two pollers on one token draw 409s). Killed with SIGKILL, the holder's work
//! passes to the other once the lease lapses: a command sent after the kill is answered, once.

use crate::support;

use std::time::{Duration, Instant};

use hanchot::store::Store;
use support::KillOnDrop;
use support::fake_bot_api::FakeBotApi;

const USER: i64 = 501;

/// The pid in the lease holder's name (`{pid}-{start}-{n}`).
async fn lease_holder(store: &Store) -> Option<u32> {
    let holder = support::db::strings(store, "SELECT holder FROM sender_lease").await.pop();
    holder?.split('-').next()?.parse().ok()
}

/// Sends `/help` and returns how long the answer took; panics when none comes within `within`.
async fn ask_help(api: &FakeBotApi, within: Duration) -> Duration {
    let (before, asked) = (api.sent().len(), Instant::now());
    api.push_text(USER, USER, "vi", "/help");
    let sent = api.wait_for_sent(before + 1, within).await;
    assert!(sent.len() > before, "no answer within {within:?}");
    asked.elapsed()
}

#[tokio::test(flavor = "multi_thread")]
async fn of_two_processes_one_polls_and_after_it_is_killed_the_other_answers_once() {
    one_polls_and_after_it_is_killed_the_other_answers_once(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_postgres_of_two_processes_one_polls_and_after_it_is_killed_the_other_answers_once() {
    one_polls_and_after_it_is_killed_the_other_answers_once(true).await;
}

async fn one_polls_and_after_it_is_killed_the_other_answers_once(postgres: bool) {
    let _one = crate::ONE_AT_A_TIME.lock().await;
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = match postgres {
        false => format!("sqlite://{}", dir.path().join("hanchot.db").display()),
        true => match support::postgres::fresh_database("failover").await {
            Some(url) => url,
            None => return,
        },
    };
    let store = Store::open(&db).await.unwrap();
    let spawn = || {
        let mut command = support::serve_command(&api, &db, dir.path(), &[]);
        command.env("RUST_LOG", "warn");
        KillOnDrop(command.spawn().expect("hanchot serve starts"))
    };
    let mut bots = [spawn(), spawn()];

    let first = ask_help(&api, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(api.sent().len(), 1, "answered once, by one of the two");
    assert_eq!(api.poll_conflicts(), 0, "the process without the lease does not poll");

    let holder = lease_holder(&store).await.expect("one process holds the lease");
    let (killed, survivor) = if bots[0].0.id() == holder { (0, 1) } else { (1, 0) };
    assert_eq!(bots[killed].0.id(), holder, "the holder is one of the two");
    bots[killed].0.kill().unwrap();
    bots[killed].0.wait().unwrap();

    let after_kill = ask_help(&api, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(api.sent().len(), 2, "the command after the kill is answered once");
    assert_eq!(api.poll_conflicts(), 0, "one poller at a time, before and after");
    assert_eq!(lease_holder(&store).await, Some(bots[survivor].0.id()), "the survivor holds the lease");
    assert!(bots[survivor].0.try_wait().unwrap().is_none(), "the survivor still runs");
    eprintln!("failover: first answer in {first:?}; after the kill, in {after_kill:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sending_process_killed_mid_broadcast_the_other_sends_the_rest_once_and_answers_within_20_s() {
    killed_mid_broadcast_the_other_sends_the_rest_once(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_postgres_the_sending_process_killed_mid_broadcast_the_other_sends_the_rest_once_and_answers_within_20_s() {
    killed_mid_broadcast_the_other_sends_the_rest_once(true).await;
}

async fn killed_mid_broadcast_the_other_sends_the_rest_once(postgres: bool) {
    const ASKER: i64 = 9_001;
    let _one = crate::ONE_AT_A_TIME.lock().await;
    let run = crate::Run { chats: 300, per_second: 30, paid: false, kills: 1, seed: 0x5eed, postgres };
    let Some(broadcast) = crate::Broadcast::prepare(&run).await else { return };
    let api = &broadcast.api;
    let mut bots = [KillOnDrop(broadcast.start(&run)), KillOnDrop(broadcast.start(&run))];
    api.wait_for_sent(100, Duration::from_secs(60)).await;
    let holder = lease_holder(&broadcast.store).await.expect("one process holds the lease");
    let (killed, survivor) = if bots[0].0.id() == holder { (0, 1) } else { (1, 0) };
    assert_eq!(bots[killed].0.id(), holder, "the sender is one of the two");
    bots[killed].0.kill().unwrap();
    bots[killed].0.wait().unwrap();

    let asked = Instant::now();
    api.push_text(ASKER, ASKER, "vi", "/help");
    let answered = api.wait_until(|sent| sent.iter().any(|s| s.chat_id == ASKER), Duration::from_secs(20)).await;
    assert!(answered.iter().any(|s| s.chat_id == ASKER), "no answer within 20 s of the kill");
    let answer_after = asked.elapsed();

    // Once nothing is pending, `finish` stops the survivor and reads the outcome.
    let mut outcome = broadcast.finish(&run, &mut bots[survivor].0).await;
    assert_eq!(outcome.received.remove(&ASKER), Some(1), "the command is answered once");
    assert_eq!(api.poll_conflicts(), 0, "one poller at a time");
    // What this test is about is the hand-over: nothing twice, at most 3 in doubt, the rest sent.
    // A request held up on a loaded machine can reach the fake server inside the window of the
    // second before (it counts arrivals); it is answered 429 and sent again after the wait, lost
    // nowhere. Keeping to the limits is the broadcast tests' and the benchmark's to check.
    let too_many = std::mem::take(&mut outcome.too_many_requests);
    assert!(too_many <= 2, "{too_many} requests over a limit around a hand-over");
    crate::assert_nothing_twice_nothing_lost(&run, &outcome, 3);
    eprintln!("failover mid-broadcast: the command after the kill answered in {answer_after:?}");
}
