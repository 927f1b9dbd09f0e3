//! Delivery across processes and restarts: a sender restarted mid-broadcast sends the rest once
//! and keeps each chat's pace, two processes on one database never send a row twice and keep one
//! budget, and a message whose answer never came is not sent again.

use super::*;

/// One process plans the slot and sends until the server got `count` messages, then stops as on
/// SIGTERM.
async fn plan_and_send_until(app: &App, api: &FakeBotApi, count: usize) {
    let first = support::delivery(app, bot(api));
    first.plan(app.clock.now()).await.unwrap();
    let (stop, stopped) = watch::channel(false);
    let watcher = {
        let api = api.clone();
        tokio::spawn(async move {
            api.wait_for_sent(count, Duration::from_secs(30)).await;
            let _ = stop.send(true);
        })
    };
    first.sender.drain(&stopped).await.unwrap();
    watcher.await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_in_the_middle_sends_the_rest_and_repeats_none() {
    let api = FakeBotApi::start().await;
    let app = app(Config { max_per_second: 200, ..fast_config() }, BEFORE).await;
    subscribe(&app, 1..=300).await;
    at(&app, AFTER);
    // Stop the first process (as on SIGTERM) once 100 messages went out.
    plan_and_send_until(&app, &api, 100).await;
    let sent_before_restart = api.sent().len();
    let pending = app.store.outbox_counts().await.unwrap().pending;
    assert!(sent_before_restart >= 100 && pending > 0, "stopped midway: {sent_before_restart} sent, {pending} left");

    // A crash: a second process on the same database, with a fresh sender.
    let second = support::delivery(&app, bot(&api));
    second.run_once(&never_stop()).await.unwrap();
    let per_chat = digests_per_chat(&api.sent());
    assert_eq!(per_chat.len(), 300, "every chat got its digest");
    assert!(per_chat.values().all(|&n| n == 1), "nothing was sent twice");
    assert!(test_reminders_per_chat(&api.sent()).values().all(|&n| n == 1));
    assert_each_row_sent_once(&api, &app).await;
    assert_eq!(app.store.outbox_counts().await.unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restarted_sender_keeps_each_chats_pace() {
    let api = FakeBotApi::start().await;
    let config =
        Config { max_per_second: 30, max_per_chat_per_second: 1, max_per_group_per_minute: 20, ..fast_config() };
    let app = app(config, BEFORE).await;
    // Each chat is owed two messages (its digest and a reminder).
    let (private, group) = (1, -1);
    subscribe(&app, [private, group]).await;
    at(&app, AFTER);
    plan_and_send_until(&app, &api, 2).await;
    assert_eq!(api.sent().len(), 2, "the first process sent one message to each chat, then stopped");

    let second = support::delivery(&app, bot(&api));
    second.sender.resume_pacing(chrono::Duration::minutes(2)).await.unwrap();
    second.sender.drain(&never_stop()).await.unwrap();
    for (chat, least) in [(private, Duration::from_millis(950)), (group, Duration::from_millis(2_900))] {
        let at: Vec<_> = api.sent().iter().filter(|s| s.chat_id == chat).map(|s| s.at).collect();
        assert_eq!(at.len(), 2, "chat {chat} got both messages");
        let gap = at[1].duration_since(at[0]);
        assert!(gap >= least, "chat {chat}: {gap:?} between the messages either side of the restart");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_on_one_database_never_send_the_same_row() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config =
        Config { database_url: format!("sqlite://{}", dir.path().join("shared.db").display()), ..fast_config() };
    let app_a = app(config.clone(), BEFORE).await;
    subscribe(&app_a, 1..=200).await;
    let app_b = app(config, BEFORE).await;
    at(&app_a, AFTER);
    at(&app_b, AFTER);
    let a = support::delivery(&app_a, bot(&api));
    let b = support::delivery(&app_b, bot(&api));
    let (stop_a, stop_b) = (never_stop(), never_stop());
    let (ra, rb) = tokio::join!(a.run_once(&stop_a), b.run_once(&stop_b));
    assert_eq!(ra.unwrap().sent + rb.unwrap().sent, api.sent().len());
    let per_chat = digests_per_chat(&api.sent());
    assert_eq!(per_chat.len(), 200);
    assert!(per_chat.values().all(|&n| n == 1));
    let mut seen = std::collections::HashSet::new();
    assert!(api.sent().iter().all(|s| seen.insert((s.chat_id, s.text.clone()))), "no message twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_whose_answer_never_came_is_not_sent_again() {
    support::init_logs();
    let api = FakeBotApi::start().await;
    let app = app(fast_config(), BEFORE).await;
    let (slow, fine) = (21, 22);
    subscribe(&app, [slow, fine]).await;
    // Telegram takes the digest but answers only after the client has given up waiting.
    api.script(slow, [Scripted::SlowAnswer(Duration::from_secs(3))]);
    let client = teloxide::net::default_reqwest_settings().timeout(Duration::from_secs(1)).build().unwrap();
    let impatient = Bot::with_client(support::fake_bot_api::TOKEN, client).set_api_url(api.url().parse().unwrap());
    at(&app, AFTER);
    support::delivery(&app, impatient).run_once(&never_stop()).await.unwrap();
    // Let the slow answer come, and any resend with it.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let digests = digests_per_chat(&api.sent());
    assert_eq!(digests.get(&slow), Some(&1), "delivered once, never resent");
    assert_eq!(digests.get(&fine), Some(&1));
    let error = support::db::optional_string(
        &app.store,
        &format!("SELECT error FROM outbox WHERE key LIKE 'digest:{slow}:%' AND status = 'failed'"),
    )
    .await
    .expect("the failure is recorded");
    assert!(error.contains("may have been delivered"), "{error}");
    assert_eq!(test_reminders_per_chat(&api.sent()).get(&slow), Some(&1), "the chat's next message went out");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_running_processes_on_one_database_keep_one_budget() {
    support::init_logs();
    let api = FakeBotApi::start().await;
    api.enforce_limits(20, 1.0);
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        database_url: format!("sqlite://{}", dir.path().join("shared.db").display()),
        max_per_second: 20,
        max_per_chat_per_second: 1,
        ..fast_config()
    };
    let app_a = app(config.clone(), BEFORE).await;
    subscribe(&app_a, 1..=40).await;
    let app_b = app(config, BEFORE).await;
    at(&app_a, AFTER);
    at(&app_b, AFTER);
    let (stop, stopped) = watch::channel(false);
    let a = tokio::spawn(support::delivery(&app_a, bot(&api)).run(stopped.clone()));
    let b = tokio::spawn(support::delivery(&app_b, bot(&api)).run(stopped));
    // A digest and a reminder to each chat.
    api.wait_for_sent(80, Duration::from_secs(60)).await;
    api.settle(Duration::from_millis(1500)).await;
    let _ = stop.send(true);
    let _ = tokio::join!(a, b);
    assert_eq!(api.too_many_requests(), 0, "the two processes together went over the limit");
    let per_chat = digests_per_chat(&api.sent());
    assert_eq!(per_chat.len(), 40);
    assert!(per_chat.values().all(|&n| n == 1));
    assert_each_row_sent_once(&api, &app_a).await;
}
