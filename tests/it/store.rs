//! The store on a real database file: waiting for a database another process holds, times from
//! the app's clock, claims, and stored values that are corrupt.

use crate::support;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use hanchot::domain::due::{Due, DuePrecision};
use hanchot::domain::lang::Lang;
use hanchot::domain::settings::ChatSettings;
use hanchot::domain::task::EventKind;
use hanchot::store::{
    Actor, ChatKind, DeliveryKey, DeliveryKind, NewTask, PlanRecord, Planned, Store, StoreError, timestamp_text,
};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

async fn column(store: &Store, sql: &str) -> String {
    sqlx::query_scalar(sql).fetch_one(store.pool()).await.unwrap()
}

#[tokio::test]
async fn a_database_another_process_holds_locked_at_start_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::config_in(dir.path()).database_url;
    // Another process (a `sqlite3` shell, say) created the file and is writing to it: the journal
    // mode cannot change and the migrations cannot run until it commits.
    let options = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
    let mut other = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
    sqlx::query("CREATE TABLE notes (text TEXT)").execute(&mut other).await.unwrap();
    let holder = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        sqlx::query("COMMIT").execute(&mut other).await.unwrap();
        other.close().await.unwrap();
    });

    let store = Store::open(&url).await.expect("open waits for the lock instead of failing");
    holder.await.unwrap();
    let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('notes', 'tasks')")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(tables, 2, "the other process's table and the migrated ones are both there");
}

#[tokio::test]
async fn every_time_a_write_records_comes_from_the_app_clock() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let subscribed = at("2031-01-02T03:04:05Z");
    store.subscribe(42, ChatKind::Group, "", subscribed).await.unwrap();
    let expected = timestamp_text(subscribed);
    assert_eq!(column(&store, "SELECT created_at FROM chats WHERE chat_id = 42").await, expected);
    assert_eq!(column(&store, "SELECT updated_at FROM subscriptions WHERE chat_id = 42").await, expected);

    let lang_set = at("2031-02-01T00:00:00Z");
    store.set_chat_lang(42, ChatKind::Group, Lang::En, lang_set).await.unwrap();
    assert_eq!(column(&store, "SELECT updated_at FROM chats WHERE chat_id = 42").await, timestamp_text(lang_set));
    assert_eq!(store.chat_lang(42).await.unwrap(), Some(Lang::En));

    let saved = at("2031-03-01T00:00:00Z");
    let settings = ChatSettings { remind_days: Some(vec![14, 1]), ..ChatSettings::default() };
    store.save_settings(42, ChatKind::Group, &settings, saved).await.unwrap();
    assert_eq!(column(&store, "SELECT updated_at FROM chats WHERE chat_id = 42").await, timestamp_text(saved));
    assert_eq!(store.chat_settings(42).await.unwrap().remind_days, Some(vec![14, 1]));

    let left = at("2031-04-01T00:00:00Z");
    assert!(store.unsubscribe(42, left).await.unwrap());
    assert_eq!(column(&store, "SELECT updated_at FROM subscriptions WHERE chat_id = 42").await, timestamp_text(left));

    let added = at("2031-05-01T00:00:00Z");
    let task = NewTask {
        title_vi: "Báo cáo thử".into(),
        owner: "Bộ Thử nghiệm".into(),
        owners: vec!["Bộ Thử nghiệm".into()],
        partners: Vec::new(),
        deliverable: String::new(),
        due: Due { date: NaiveDate::from_ymd_opt(2031, 6, 30).unwrap(), precision: DuePrecision::Month },
        due_phrase: "trong tháng 6/2031".into(),
        recurrence: None,
        import_key: None,
    };
    let id = store.add_task(&task, Actor { user_id: Some(7), at: added }, EventKind::Added).await.unwrap().unwrap();
    let done = at("2031-06-01T00:00:00Z");
    store.set_done(id, Some(done.date_naive()), None, Actor { user_id: Some(7), at: done }, "").await.unwrap();
    let sql = format!("SELECT created_at || ' ' || updated_at FROM tasks WHERE id = {id}");
    assert_eq!(column(&store, &sql).await, format!("{} {}", timestamp_text(added), timestamp_text(done)));

    let planned_at = at("2031-07-01T00:00:00Z");
    // Planning writes rows only for a chat still subscribed.
    store.subscribe(42, ChatKind::Group, "", planned_at).await.unwrap();
    let row = Planned {
        key: DeliveryKey::Report { chat_id: 42, period: "test".into() },
        chat_id: 42,
        kind: DeliveryKind::Digest,
        body: "<b>hi</b>".into(),
        scheduled_at: planned_at,
        late: false,
        skipped: None,
    };
    let plan = PlanRecord { chat_id: 42, planned: &[row], planned_through: planned_at, next_slot_at: None };
    assert_eq!(store.record_plans(&[plan], planned_at).await.unwrap(), 1);
    assert_eq!(column(&store, "SELECT created_at FROM outbox").await, timestamp_text(planned_at));
}

#[tokio::test]
async fn corrupt_stored_settings_are_a_store_error_not_a_users_mistake() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    store.subscribe(42, ChatKind::Private, "", at("2031-01-01T00:00:00Z")).await.unwrap();
    // Typed by a user, "7 1" would be read as 7 and 1; stored, only what the codec writes is valid.
    sqlx::query("UPDATE chats SET remind_days = '7 1' WHERE chat_id = 42").execute(store.pool()).await.unwrap();
    match store.chat_settings(42).await {
        Err(StoreError::Corrupt(why)) => assert!(why.contains("reminder days"), "{why}"),
        other => panic!("expected corrupt data, got {other:?}"),
    }
}
