//! A group that becomes a supergroup ends with exactly one subscription at the new id, whether the
//! bot learns it from Telegram's service message or from a send refused with the new id, and
//! whether the new id was unknown, known (someone used `/lang` there) or already subscribed.

use crate::support;

use std::time::Duration;

use hanchot::app::App;
use hanchot::delivery::Delivery;
use hanchot::store::ChatKind;
use support::fake_bot_api::{FakeBotApi, Scripted};
use support::{TODAY, TestBot, joined};
use tokio::sync::watch;

const GROUP: i64 = -4242;
const SUPERGROUP: i64 = -1_000_000_004_242;
const ADMIN: i64 = 501;
/// The morning digest slots of two days running (seeded tasks are overdue: each slot has a digest).
const FIRST_SLOT: &str = "2026-11-22T07:00:01";
const SECOND_SLOT: &str = "2026-11-23T07:00:01";

fn never_stop() -> watch::Receiver<bool> {
    watch::channel(false).1
}

fn is_digest(text: &str) -> bool {
    text.contains("Bản tin hạn chót") || text.contains("Deadline digest")
}

/// Runs one delivery pass at `when` and returns how many digests each of the two chats got in it;
/// no chat ever gets the same message twice.
async fn pass(app: &App, api: &FakeBotApi, when: &str) -> (usize, usize) {
    support::set_clock(app, when);
    let digests = |chat| api.sent_to(chat).iter().filter(|s| is_digest(&s.text)).count();
    let before = (digests(GROUP), digests(SUPERGROUP));
    Delivery::new(app.clone(), support::bot_for(api)).run_once(&never_stop()).await.unwrap();
    let mut seen = std::collections::HashSet::new();
    assert!(api.sent().iter().all(|s| seen.insert((s.chat_id, s.text.clone()))), "a message sent twice");
    (digests(GROUP) - before.0, digests(SUPERGROUP) - before.1)
}

async fn wait_for_subscription(app: &App, chat_id: i64) {
    for _ in 0..200 {
        if app.store.subscription(chat_id).await.unwrap().is_some_and(|s| s.active) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no active subscription at {chat_id}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_supergroup_already_known_takes_over_the_groups_subscription_and_settings() {
    let bot = TestBot::start(TODAY).await;
    bot.api.set_admin(GROUP, ADMIN);
    bot.api.set_admin(SUPERGROUP, ADMIN);
    bot.ask(GROUP, ADMIN, "vi", "/subscribe Bộ Công an").await;
    bot.ask(GROUP, ADMIN, "vi", "/timezone Asia/Bangkok").await;
    bot.ask(SUPERGROUP, ADMIN, "vi", "/lang en").await;

    bot.api.push_migration(GROUP, SUPERGROUP);
    wait_for_subscription(&bot.app, SUPERGROUP).await;

    let settings = joined(&bot.ask(SUPERGROUP, ADMIN, "vi", "/settings").await);
    assert!(settings.contains("Subscribed: yes, tasks matching “Bộ Công an”"), "{settings}");
    assert!(settings.contains("Asia/Bangkok"), "the group's settings came along: {settings}");
    let old = bot.app.store.subscription(GROUP).await.unwrap();
    assert!(old.is_none_or(|s| !s.active), "the old id has no active subscription");

    assert_eq!(pass(&bot.app, &bot.api, FIRST_SLOT).await, (0, 1), "one digest, at the new id");
    assert_eq!(pass(&bot.app, &bot.api, SECOND_SLOT).await, (0, 1));

    let reply = joined(&bot.ask(SUPERGROUP, ADMIN, "en", "/unsubscribe").await);
    assert!(reply.contains("Unsubscribed"), "{reply}");
    assert_eq!(pass(&bot.app, &bot.api, "2026-11-24T07:00:01").await, (0, 0), "nothing after /unsubscribe");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_supergroup_already_subscribed_keeps_its_own_and_gets_one_digest_per_slot() {
    let bot = TestBot::start(TODAY).await;
    bot.api.set_admin(GROUP, ADMIN);
    bot.api.set_admin(SUPERGROUP, ADMIN);
    bot.ask(GROUP, ADMIN, "vi", "/subscribe UBND").await;
    bot.ask(SUPERGROUP, ADMIN, "vi", "/subscribe").await;

    bot.api.push_migration(GROUP, SUPERGROUP);
    for _ in 0..200 {
        if bot.app.store.subscription(GROUP).await.unwrap().is_some_and(|s| !s.active) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!bot.app.store.subscription(GROUP).await.unwrap().unwrap().active, "the old one ended");
    let settings = joined(&bot.ask(SUPERGROUP, ADMIN, "vi", "/settings").await);
    assert!(settings.contains("Đăng ký: có, mọi nhiệm vụ"), "the supergroup's own is kept: {settings}");

    assert_eq!(pass(&bot.app, &bot.api, FIRST_SLOT).await, (0, 1));
    assert_eq!(pass(&bot.app, &bot.api, SECOND_SLOT).await, (0, 1));
}

/// The same two cases when the bot learns of the migration from a refused send: the message owed
/// to the group goes to the supergroup once, or not at all when the supergroup is owed its own.
#[tokio::test(flavor = "multi_thread")]
async fn a_send_refused_with_the_new_id_moves_or_skips_never_both() {
    for supergroup_subscribed in [false, true] {
        let app = support::app_at(TODAY).await;
        let api = FakeBotApi::start().await;
        let now = app.clock.now();
        app.store.subscribe(GROUP, ChatKind::Group, "Bộ Công an", now).await.unwrap();
        if supergroup_subscribed {
            app.store.subscribe(SUPERGROUP, ChatKind::Supergroup, "", now).await.unwrap();
        } else {
            app.store
                .set_chat_lang(SUPERGROUP, ChatKind::Supergroup, hanchot::domain::lang::Lang::En, now)
                .await
                .unwrap();
        }
        api.script(GROUP, [Scripted::Migrate(SUPERGROUP)]);

        assert_eq!(pass(&app, &api, FIRST_SLOT).await, (0, 1), "subscribed before: {supergroup_subscribed}");
        assert_eq!(pass(&app, &api, SECOND_SLOT).await, (0, 1), "subscribed before: {supergroup_subscribed}");
        let kept = app.store.subscription(SUPERGROUP).await.unwrap().expect("one at the new id");
        assert!(kept.active);
        let expected_filter = if supergroup_subscribed { "" } else { "Bộ Công an" };
        assert_eq!(kept.filter, expected_filter);
        assert!(app.store.subscription(GROUP).await.unwrap().is_none_or(|s| !s.active));
        assert_eq!(app.store.outbox_counts().await.unwrap().pending, 0);
    }
}
