//! The knowledge base on each database: the built-in seeds applied, the catalog read back the same
//! on PostgreSQL as on SQLite (every date, figure, alias order and completion), seeding again
//! changes nothing, and a task's history (done, reopened, extended, a note) reads back as written.

use chrono::{DateTime, NaiveDate, Utc};
use hanchot::domain::due::{Due, DuePrecision};
use hanchot::domain::task::EventKind;
use hanchot::seeds::SeedSet;
use hanchot::store::{Actor, NewTask, Store};

use crate::support::postgres::databases;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[tokio::test]
async fn the_seeded_catalog_reads_back_the_same_on_every_database_and_seeding_again_changes_nothing() {
    let seeds = SeedSet::builtin().unwrap();
    let now = at("2026-12-02T01:00:00Z");
    let mut catalogs = Vec::new();
    for url in databases("catalog").await {
        let store = Store::open(&url).await.unwrap();
        let first = store.apply_seeds(&seeds, now).await.unwrap();
        assert!(first.inserted > 100, "{url}: {first:?}");
        let again = store.apply_seeds(&seeds, now).await.unwrap();
        assert!(!again.changed(), "{url}: seeding twice changes nothing: {again:?}");
        let catalog = store.load_catalog().await.unwrap();
        assert!(catalog.tasks.iter().any(|t| t.completion_source.is_some()), "{url}: completions are read");
        // Tasks, metrics with their figures and aliases, topics: in order (the index holds maps).
        catalogs.push((url, format!("{:?}\n{:?}\n{:?}", catalog.tasks, catalog.metrics, catalog.topics)));
    }
    for (url, catalog) in &catalogs[1..] {
        let sqlite = &catalogs[0].1;
        if let Some(at) = catalog.bytes().zip(sqlite.bytes()).position(|(a, b)| a != b) {
            let around =
                |text: &str| text.get(at.saturating_sub(200)..(at + 200).min(text.len())).unwrap_or("").to_owned();
            panic!("{url}: the catalog differs from SQLite's\n here: {}\n SQLite: {}", around(catalog), around(sqlite));
        }
        assert_eq!(catalog.len(), sqlite.len(), "{url}: the catalog differs from SQLite's at its end");
    }
}

#[tokio::test]
async fn a_tasks_history_reads_back_as_written() {
    for url in databases("history").await {
        let store = Store::open(&url).await.unwrap();
        let added = Actor { user_id: Some(9), at: at("2026-12-02T01:00:00.125Z") };
        let task = NewTask {
            title_vi: "Hoàn thành kết nối dữ liệu dân cư".into(),
            owner: "Bộ Công an".into(),
            owners: vec!["Bộ Công an".into()],
            partners: vec!["Bộ Tư pháp".into()],
            deliverable: "Báo cáo".into(),
            due: Due { date: day("2026-12-31"), precision: DuePrecision::Day },
            due_phrase: "trước ngày 31/12/2026".into(),
            recurrence: None,
            import_key: Some("test:1".into()),
        };
        let id = store.add_task(&task, added, EventKind::Added).await.unwrap().expect("added");
        assert_eq!(store.add_task(&task, added, EventKind::Added).await.unwrap(), None, "{url}: added once");
        let later = Actor { user_id: None, at: at("2026-12-03T02:00:00Z") };
        assert!(store.set_done(id, Some(day("2026-12-03")), None, later, "xong").await.unwrap());
        assert!(store.set_done(id, None, None, later, "").await.unwrap(), "{url}: reopened");
        assert!(store.extend(id, None, day("2027-01-31"), later, "chờ dữ liệu").await.unwrap());
        assert!(store.add_note(id, later, "đang làm").await.unwrap());
        assert!(!store.add_note(id + 1000, later, "không có").await.unwrap(), "{url}: no such task");

        let events = store.task_events(id).await.unwrap();
        let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
        use EventKind::*;
        assert_eq!(kinds, [Added, Done, Reopened, Extended, Note], "{url}");
        assert_eq!((events[0].at, events[0].user_id), (added.at, Some(9)), "{url}: the instant to the millisecond");
        assert_eq!(events[3].new_due, Some(day("2027-01-31")), "{url}");
        let catalog = store.load_catalog().await.unwrap();
        let stored = catalog.task(id).unwrap();
        assert_eq!((stored.completed_on, stored.adjusted_due), (None, Some(day("2027-01-31"))), "{url}");
        assert_eq!(stored.partners, ["Bộ Tư pháp"], "{url}");
    }
}
