//! What the store keeps of watched items and sources: a document proposed once whichever source
//! records it first, side by side included; a watched item's proposals reviewed with all that an
//! imported text's keep (owners and partners apart, the deliverable, "already due"); the daily
//! note of sources failing or silent.

use chrono::NaiveDate;

use crate::support::{admins_config, app_with, set_clock};
use hanchot::domain::due::{Due, DuePrecision};
use hanchot::domain::extract::Proposal;
use hanchot::sources::UNWELL_DAYS;
use hanchot::store::{Check, CheckStatus, ItemStatus, NewItem};

const NOW: &str = "2026-12-02T08:00";

fn proposal() -> Proposal {
    Proposal {
        sentence: "Bộ Công an chủ trì, phối hợp với Bộ Tư pháp và Văn phòng Chính phủ hoàn thành kết nối dữ liệu"
            .into(),
        owner: "Bộ Công an, Bộ Khoa học và Công nghệ".into(),
        owners: vec!["Bộ Công an".into(), "Bộ Khoa học và Công nghệ".into()],
        partners: vec!["Bộ Tư pháp".into(), "Văn phòng Chính phủ".into()],
        deliverable: "Báo cáo kết quả kết nối".into(),
        already_due: true,
        due: Due { date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), precision: DuePrecision::Month },
        due_phrase: "trong tháng 11/2026".into(),
        recurrence: None,
    }
}

fn item<'a>(key: &'a str, url: &'a str, proposals: &'a [Proposal]) -> NewItem<'a> {
    NewItem {
        key,
        url,
        title: "Chỉ thị 41/CT-TTg",
        published: NaiveDate::from_ymd_opt(2026, 11, 28),
        document_key: Some("no:41/ct-ttg@2026"),
        status: ItemStatus::Proposed,
        error: None,
        proposals,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_is_proposed_once_whichever_source_records_it_first() {
    let app = app_with(admins_config(&[42]), NOW).await;
    let now = app.clock.now();
    let mut ids = Vec::new();
    for n in 0..6 {
        let url = format!("https://portal-{n}.example.vn/rss");
        ids.push(app.add_source(&url, None, None, None).await.unwrap().unwrap());
    }
    let proposals = [proposal()];
    // Six sources record the same directive at once, each under its own address.
    let mut writers = tokio::task::JoinSet::new();
    for &id in &ids {
        let (store, proposals) = (app.store.clone(), proposals.clone());
        writers.spawn(async move {
            let url = format!("https://portal-{id}.example.vn/chi-thi-41.htm");
            store.record_item(id, &item("guid:41", &url, &proposals), now).await.unwrap()
        });
    }
    let recorded = writers.join_all().await;
    let proposed = recorded.iter().filter(|s| **s == Some(ItemStatus::Proposed)).count();
    let duplicates = recorded.iter().filter(|s| **s == Some(ItemStatus::Duplicate)).count();
    assert_eq!((proposed, duplicates), (1, 5), "{recorded:?}");
    let pending = app.store.pending_items().await.unwrap();
    assert_eq!(pending.len(), 1, "{pending:#?}");
    assert_eq!(pending[0].proposals.len(), 1);

    // Seen again in its source: nothing is recorded. Another year's 41/CT-TTg is another document.
    assert_eq!(app.store.record_item(ids[0], &item("guid:41", "x", &proposals), now).await.unwrap(), None);
    let next_year =
        NewItem { key: "guid:41-2027", document_key: Some("no:41/ct-ttg@2027"), ..item("", "y", &proposals) };
    assert_eq!(app.store.record_item(ids[0], &next_year, now).await.unwrap(), Some(ItemStatus::Proposed));
}

#[tokio::test]
async fn a_watched_items_review_keeps_partners_and_the_deliverable() {
    let app = app_with(admins_config(&[42]), NOW).await;
    let id = app.add_source("https://portal.example.vn/rss", None, None, None).await.unwrap().unwrap();
    let proposals = [proposal()];
    let url = "https://portal.example.vn/chi-thi-41.htm";
    app.store.record_item(id, &item("guid:41", url, &proposals), app.clock.now()).await.unwrap();

    let pending = app.store.pending_items().await.unwrap();
    assert_eq!(pending[0].proposals, proposals);
    let reviews = app.open_source_reviews().await.unwrap();
    let (chat, _, items) = &reviews[0].drafts[0];
    assert_eq!(*chat, 42);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].proposal, proposals[0], "the review shows what the import's would");
}

#[tokio::test]
async fn the_admins_hear_once_a_day_of_a_source_failing_or_silent_for_four_days() {
    let app = app_with(admins_config(&[42]), NOW).await;
    let quiet = app.add_source("https://quiet.example.vn/rss", None, None, None).await.unwrap().unwrap();
    let well = app.add_source("https://well.example.vn/rss", None, None, None).await.unwrap().unwrap();
    let failing = app.add_source("https://failing.example.vn/rss", None, None, None).await.unwrap().unwrap();
    let checked = |status: CheckStatus, new_items: u32| Check {
        status,
        error: (status == CheckStatus::Error).then(|| "HTTP 500".to_owned()),
        etag: None,
        last_modified: None,
        next_check_at: app.clock.now(),
        consecutive_errors: u32::from(status == CheckStatus::Error),
        items_listed: Some(new_items),
        new_items,
    };
    // Both well on the first day; then `well` brings an item on the fourth, `failing` only fails.
    let first = app.clock.now();
    app.store.record_check(well, &checked(CheckStatus::Ok, 3), first).await.unwrap();
    app.store.record_check(failing, &checked(CheckStatus::Ok, 3), first).await.unwrap();
    assert_eq!(app.unwell_sources_note(first, UNWELL_DAYS).await.unwrap(), None, "all new, none unwell yet");
    set_clock(&app, "2026-12-05T08:00");
    app.store.record_check(well, &checked(CheckStatus::Ok, 1), app.clock.now()).await.unwrap();
    app.store.record_check(failing, &checked(CheckStatus::Error, 0), app.clock.now()).await.unwrap();

    set_clock(&app, "2026-12-06T09:00");
    let note = app.unwell_sources_note(app.clock.now(), UNWELL_DAYS).await.unwrap().expect("a note");
    let ids: Vec<i64> = note.iter().map(|s| s.id).collect();
    assert_eq!(ids, [quiet, failing], "the built-in sources are off, and off is not unwell");
    // Once a day.
    assert_eq!(app.unwell_sources_note(app.clock.now(), UNWELL_DAYS).await.unwrap(), None);
    set_clock(&app, "2026-12-07T09:00");
    assert!(app.unwell_sources_note(app.clock.now(), UNWELL_DAYS).await.unwrap().is_some());
}
