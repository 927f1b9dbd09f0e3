//! The outbox: plans recorded once, claims that only one sender wins, marks, retries, rows a
//! crash interrupted, and the prune.

use chrono::{DateTime, Duration, Utc};
use hanchot::store::{ChatKind, DeliveryKey, DeliveryKind, PlanRecord, Planned, SentMark, SkipReason, Store};

use super::{number, strings};
use crate::support::postgres::databases;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

/// A digest to `chat` due `now`, keyed as a report of `period` so that tests choose the key.
fn digest(chat: i64, period: &str, now: DateTime<Utc>) -> Planned {
    Planned {
        key: DeliveryKey::Report { chat_id: chat, period: period.into() },
        chat_id: chat,
        kind: DeliveryKind::Digest,
        body: "hello".into(),
        scheduled_at: now,
        late: false,
        skipped: None,
    }
}

/// One record per row, each chat planned through `now`.
fn records(rows: &[Planned], now: DateTime<Utc>) -> Vec<PlanRecord<'_>> {
    rows.iter()
        .map(|row| PlanRecord {
            chat_id: row.chat_id,
            planned: std::slice::from_ref(row),
            planned_through: now,
            next_slot_at: None,
        })
        .collect()
}

#[tokio::test]
async fn a_row_is_claimed_once_and_a_read_row_is_not_a_claim() {
    for url in databases("a_row_is_claimed_once_and_a_re").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2031-01-01T07:00:00Z");
        store.subscribe(42, ChatKind::Private, "", now).await.unwrap();
        let row = digest(42, "claim", now);
        let plan = PlanRecord { chat_id: 42, planned: &[row], planned_through: now, next_slot_at: None };
        store.record_plans(&[plan], now).await.unwrap();

        let read = store.ready(now, 10).await.unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(store.outbox_counts().await.unwrap().sending, 0, "reading claims nothing");
        let again = store.ready(now, 10).await.unwrap();
        assert_eq!(store.claim_many(&[read[0].id], "first", now).await.unwrap(), [read[0].id], "the first claim wins");
        assert_eq!(read[0].key, "report:42:claim");
        let text = store.bodies(&[read[0].body_id.expect("the text is kept once")]).await.unwrap();
        assert_eq!(text.values().collect::<Vec<_>>(), ["hello"]);
        assert!(store.claim_many(&[again[0].id], "second", now).await.unwrap().is_empty(), "a second claim fails");
        assert_eq!(store.outbox_counts().await.unwrap().sending, 1);
    }
}

/// Planning reads a page of subscriptions, then writes what it decided: a chat that blocked the
/// bot in between (the sender deactivated it) must not get the rows planned for it.
#[tokio::test]
async fn a_chat_deactivated_while_its_page_was_planned_gets_no_rows() {
    for url in databases("a_chat_deactivated_while_its_p").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2031-01-01T07:00:00Z");
        let rows: Vec<Planned> = [1, 2].into_iter().map(|chat| digest(chat, "page", now)).collect();
        for chat in [1, 2] {
            store.subscribe(chat, ChatKind::Private, "", now).await.unwrap();
        }
        // The page was read with both chats active; chat 2 blocks the bot before it is written.
        store.deactivate(2, Some("Forbidden: bot was blocked by the user"), now).await.unwrap();
        assert_eq!(store.record_plans(&records(&rows, now), now).await.unwrap(), 1, "{url}");
        let ready: Vec<i64> = store.ready(now, 10).await.unwrap().iter().map(|r| r.chat_id).collect();
        assert_eq!(ready, [1], "{url}");
        assert_eq!(number(&store, "SELECT COUNT(*) FROM outbox WHERE chat_id = 2").await, 0, "{url}");
    }
}

#[tokio::test]
async fn a_batch_claims_only_the_rows_nobody_claimed_and_marks_them_sent_together() {
    for url in databases("a_batch_claims_only_the_rows_n").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2031-01-01T07:00:00Z");
        let mut plans = Vec::new();
        for chat in 1..=3 {
            store.subscribe(chat, ChatKind::Private, "", now).await.unwrap();
            plans.push(digest(chat, "batch", now));
        }
        store.record_plans(&records(&plans, now), now).await.unwrap();
        let ids: Vec<i64> = store.ready(now, 10).await.unwrap().iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), 3);

        // Another sender took the first row; a batch with every row gets the other two, once.
        assert_eq!(store.claim_many(&ids[..1], "other", now).await.unwrap(), ids[..1]);
        let mut claimed = store.claim_many(&ids, "this", now).await.unwrap();
        claimed.sort_unstable();
        assert_eq!(claimed, ids[1..]);
        assert!(store.claim_many(&ids, "third", now).await.unwrap().is_empty(), "no row is claimed twice");

        let marks: Vec<SentMark> =
            claimed.iter().map(|&id| SentMark { id, message_id: id as i32 + 100, chat_id: id, at: now }).collect();
        store.mark_sent_many(&marks).await.unwrap();
        let counts = store.outbox_counts().await.unwrap();
        assert_eq!((counts.sent, counts.sending), (2, 1));
        let stored =
            strings(&store, "SELECT CAST(message_id AS TEXT) FROM outbox WHERE status = 'sent' ORDER BY id").await;
        let expected: Vec<String> = marks.iter().map(|m| m.message_id.to_string()).collect();
        assert_eq!(stored, expected, "{url}");
    }
}

#[tokio::test]
async fn the_prune_deletes_finished_rows_past_the_window_and_never_a_pending_one() {
    for url in databases("the_prune_deletes_finished_row").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2031-03-01T07:00:00Z");
        store.subscribe(42, ChatKind::Private, "", now).await.unwrap();
        let row = |key: &str, body: &str, days_ago: i64, skipped: bool| Planned {
            key: DeliveryKey::Report { chat_id: 42, period: key.into() },
            chat_id: 42,
            kind: DeliveryKind::Digest,
            body: body.into(),
            scheduled_at: now - Duration::days(days_ago),
            late: false,
            skipped: skipped.then_some(SkipReason::Missed),
        };
        let rows = [
            row("old-sent", "old text", 40, false),
            row("old-failed", "old text", 40, false),
            row("old-skipped", "skipped text", 40, true),
            row("old-pending", "still owed", 40, false),
            row("young-sent", "young text", 10, false),
        ];
        let plan = PlanRecord { chat_id: 42, planned: &rows, planned_through: now, next_slot_at: None };
        store.record_plans(&[plan], now).await.unwrap();
        let id = |key: &'static str| {
            let store = store.clone();
            async move { number(&store, &format!("SELECT id FROM outbox WHERE key = 'report:42:{key}'")).await }
        };
        let marks: Vec<SentMark> = [id("old-sent").await, id("young-sent").await]
            .into_iter()
            .map(|id| SentMark { id, message_id: 1, chat_id: 42, at: now })
            .collect();
        store.mark_sent_many(&marks).await.unwrap();
        store.mark_failed(id("old-failed").await, "rejected").await.unwrap();

        // A batch of 1 row a statement: the loop, not one statement, does the work.
        let pruned = store.prune_outbox(now - Duration::days(30), 1).await.unwrap();
        assert_eq!(pruned, 3, "old sent, failed and skipped rows go");
        let left = strings(&store, "SELECT key FROM outbox ORDER BY key").await;
        assert_eq!(
            left,
            ["report:42:old-pending", "report:42:young-sent"],
            "a pending row stays however old; a young one stays"
        );
        let bodies = strings(&store, "SELECT body FROM outbox_bodies ORDER BY body").await;
        assert_eq!(bodies, ["still owed", "young text"], "texts no row uses are gone with them");
        assert_eq!(store.prune_outbox(now - Duration::days(30), 1).await.unwrap(), 0, "a second prune finds nothing");
    }
}
