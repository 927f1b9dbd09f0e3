//! Chats, their settings and subscriptions, a group's migration to a supergroup, and the inbox.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use hanchot::domain::lang::Lang;
use hanchot::domain::report_schedule::{ReportChange, ReportEvery, ReportSchedule};
use hanchot::domain::schedule::DigestTime;
use hanchot::domain::settings::ChatSettings;
use hanchot::store::{
    ChatKind, DeliveryKey, DeliveryKind, InboxBacklog, Migration, PlanRecord, Planned, SentMark, Store,
};

use super::{execute, number, strings};
use crate::support::postgres::databases;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

/// One pending digest owed to `chat`.
async fn owe(store: &Store, chat: i64, period: &str, now: DateTime<Utc>) {
    let row = Planned {
        key: DeliveryKey::Report { chat_id: chat, period: period.into() },
        chat_id: chat,
        kind: DeliveryKind::Digest,
        body: format!("owed to {chat}"),
        scheduled_at: now,
        late: false,
        skipped: None,
    };
    let plan = PlanRecord { chat_id: chat, planned: &[row], planned_through: now, next_slot_at: None };
    store.record_plans(&[plan], now).await.unwrap();
}

#[tokio::test]
async fn settings_language_and_subscription_read_back_as_written() {
    for url in databases("chat_settings").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2026-12-02T01:00:00Z");
        assert_eq!(store.chat_settings(7).await.unwrap(), ChatSettings::default(), "{url}: an unknown chat");
        assert_eq!(store.chat_lang(7).await.unwrap(), None);
        store.set_chat_lang(7, ChatKind::Group, Lang::En, now).await.unwrap();
        assert_eq!(store.chat_lang(7).await.unwrap(), Some(Lang::En), "{url}");

        let settings = ChatSettings {
            digest: DigestTime::At(NaiveTime::from_hms_opt(7, 30, 0).unwrap()),
            timezone: Some(chrono_tz::Asia::Bangkok),
            remind_days: Some(vec![14, 3, 0]),
            muted_until: Some(at("2026-12-24T17:00:00.250Z")),
            empty_digest: true,
        };
        store.save_settings(7, ChatKind::Group, &settings, now).await.unwrap();
        assert_eq!(store.chat_settings(7).await.unwrap(), settings, "{url}: every setting round-trips");
        let off = ChatSettings { digest: DigestTime::Off, ..ChatSettings::default() };
        store.save_settings(7, ChatKind::Group, &off, now).await.unwrap();
        assert_eq!(store.chat_settings(7).await.unwrap(), off, "{url}");

        store.subscribe(7, ChatKind::Group, "Bộ Công an", now).await.unwrap();
        let subscription = store.subscription(7).await.unwrap().unwrap();
        assert!(subscription.active && subscription.filter == "Bộ Công an", "{url}: {subscription:?}");
        let due = store.due_subscriptions(now, 0, 10).await.unwrap();
        assert_eq!(due.len(), 1, "{url}: not yet scheduled is due");
        assert_eq!(due[0].planned_through, Some(now), "{url}: nothing before the subscription is owed");
        assert_eq!(due[0].kind, ChatKind::Group);
        assert_eq!(due[0].lang, Some(Lang::En));
        assert!(store.due_subscriptions(now, 7, 10).await.unwrap().is_empty(), "{url}: pages go past the id");

        let monthly = ReportSchedule::new(ReportEvery::Month, String::new()).unwrap();
        assert_eq!(store.set_report(7, ChatKind::Group, Some(&monthly), now).await.unwrap(), ReportChange::On);
        assert_eq!(store.subscription(7).await.unwrap().unwrap().report, Some(monthly.clone()), "{url}");
        assert_eq!(store.set_report(7, ChatKind::Group, None, now).await.unwrap(), ReportChange::Off);
        assert_eq!(store.set_report(7, ChatKind::Group, None, now).await.unwrap(), ReportChange::WasOff);

        owe(&store, 7, "owed", now).await;
        assert!(store.unsubscribe(7, now).await.unwrap(), "{url}");
        assert!(!store.unsubscribe(7, now).await.unwrap(), "{url}: only once");
        assert_eq!(store.outbox_counts().await.unwrap().skipped, 1, "{url}: what was owed is skipped");
        assert!(store.active_subscriptions().await.unwrap().is_empty());

        // Alone: the report subscribes the chat for itself, and turning it off ends that.
        assert_eq!(store.set_report(8, ChatKind::Private, Some(&monthly), now).await.unwrap(), ReportChange::OnAlone);
        assert!(store.subscription(8).await.unwrap().unwrap().report_only, "{url}");
        assert_eq!(store.set_report(8, ChatKind::Private, None, now).await.unwrap(), ReportChange::OffAlone);
        assert!(!store.subscription(8).await.unwrap().unwrap().active, "{url}");
    }
}

#[tokio::test]
async fn a_group_migrating_moves_or_merges_what_it_was_owed_never_both() {
    for url in databases("chat_migration").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2026-12-02T01:00:00Z");
        // Unknown new id: everything moves.
        store.subscribe(-1, ChatKind::Group, "", now).await.unwrap();
        owe(&store, -1, "moved", now).await;
        assert_eq!(store.migrate_chat(-1, -1001, now).await.unwrap(), Migration::Moved, "{url}");
        assert!(store.subscription(-1001).await.unwrap().unwrap().active);
        assert_eq!(number(&store, "SELECT COUNT(*) FROM outbox WHERE chat_id = -1001").await, 1, "{url}");

        // Known (a language chosen there), not subscribed: the group's subscription takes over.
        store.subscribe(-2, ChatKind::Group, "Bộ Tài chính", now).await.unwrap();
        store.set_chat_lang(-1002, ChatKind::Supergroup, Lang::En, now).await.unwrap();
        assert_eq!(store.migrate_chat(-2, -1002, now).await.unwrap(), Migration::Moved, "{url}");
        assert_eq!(store.subscription(-1002).await.unwrap().unwrap().filter, "Bộ Tài chính", "{url}");
        assert_eq!(store.chat_lang(-1002).await.unwrap(), Some(Lang::En), "{url}: its own language stays");

        // Already subscribed: it keeps its own; the old group's owed digest is skipped.
        store.subscribe(-3, ChatKind::Group, "", now).await.unwrap();
        store.subscribe(-1003, ChatKind::Supergroup, "", now).await.unwrap();
        owe(&store, -3, "merged", now).await;
        assert_eq!(store.migrate_chat(-3, -1003, now).await.unwrap(), Migration::Merged, "{url}");
        assert!(!store.subscription(-3).await.unwrap().unwrap().active);
        assert_eq!(
            strings(&store, "SELECT status FROM outbox WHERE key = 'report:-3:merged'").await,
            ["skipped"],
            "{url}"
        );
    }
}

#[tokio::test]
async fn retries_renewals_and_rows_a_crash_interrupted() {
    for url in databases("outbox_retries").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2026-12-02T01:00:00Z");
        store.subscribe(5, ChatKind::Private, "", now).await.unwrap();
        owe(&store, 5, "a", now).await;
        owe(&store, 5, "b", now).await;
        let ready = store.ready(now, 10).await.unwrap();
        assert_eq!(ready.len(), 1, "{url}: a chat's rows go in order, one at a time");
        let first = ready[0].id;
        assert_eq!(store.claim_many(&[first], "me", now).await.unwrap(), [first]);
        store.reschedule(first, now + Duration::seconds(30), Some("429"), true).await.unwrap();
        assert!(store.ready(now, 10).await.unwrap().is_empty(), "{url}: the retry waits, and holds the chat");
        let later = store.ready(now + Duration::seconds(30), 10).await.unwrap();
        assert_eq!(later.iter().map(|r| (r.id, r.attempts)).collect::<Vec<_>>(), [(first, 1)], "{url}");

        store.claim_many(&[first], "me", now).await.unwrap();
        store.record_part_sent(first, 1).await.unwrap();
        store.renew_claim(first, now + Duration::minutes(5)).await.unwrap();
        assert_eq!(store.fail_interrupted(now + Duration::minutes(4)).await.unwrap(), 0, "{url}: renewed");
        assert_eq!(store.chats_sent_to_since(now).await.unwrap(), [5], "{url}: a send started counts");
        assert_eq!(store.fail_interrupted(now + Duration::minutes(6)).await.unwrap(), 1, "{url}: left sending");
        let second = store.ready(now, 10).await.unwrap();
        assert_eq!(second.len(), 1, "{url}: the chat's next row is free");
        store.claim_many(&[second[0].id], "me", now).await.unwrap();
        store.mark_sent_many(&[SentMark { id: second[0].id, message_id: 77, chat_id: 5, at: now }]).await.unwrap();
        let counts = store.outbox_counts().await.unwrap();
        assert_eq!((counts.failed, counts.sent, counts.pending, counts.sending), (1, 1, 0, 0), "{url}");

        // The next slot: none scheduled yet means "plan now".
        assert_eq!(store.next_slot_at().await.unwrap(), Some(DateTime::<Utc>::MIN_UTC), "{url}");
        execute(&store, "UPDATE subscriptions SET next_slot_at = planned_through").await;
        assert_eq!(store.next_slot_at().await.unwrap(), Some(now), "{url}");
    }
}

#[tokio::test]
async fn an_update_is_kept_once_handled_once_and_pruned_after() {
    for url in databases("inbox").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2026-12-02T01:00:00.125Z");
        assert!(store.inbox_put(10, "message", "{\"update_id\":10}", now).await.unwrap(), "{url}");
        assert!(!store.inbox_put(10, "message", "{\"update_id\":10}", now).await.unwrap(), "{url}: resent");
        assert!(store.inbox_put(11, "message", "{\"update_id\":11}", now + Duration::seconds(1)).await.unwrap());
        assert_eq!(store.inbox_backlog().await.unwrap(), InboxBacklog { unhandled: 2, oldest: Some(now) }, "{url}");
        store.inbox_tried(&[10, 11]).await.unwrap();
        store.inbox_handled(10, now).await.unwrap();
        let unhandled = store.inbox_unhandled().await.unwrap();
        assert_eq!(unhandled.iter().map(|u| (u.update_id, u.attempts)).collect::<Vec<_>>(), [(11, 1)], "{url}");
        assert_eq!(store.inbox_prune(now).await.unwrap(), 0, "{url}: handled at `now`, not before");
        assert_eq!(store.inbox_prune(now + Duration::seconds(1)).await.unwrap(), 1, "{url}");
        assert!(!store.inbox_put(11, "message", "{}", now).await.unwrap(), "{url}: an unhandled one stays");
    }
}
