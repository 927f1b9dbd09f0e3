//! What the store keeps of watched items: a document proposed once whichever source records it
//! first, side by side included; a watched item's proposals reviewed with all that an imported
//! text's keep (owners and partners apart, the deliverable, "already due").

use chrono::NaiveDate;

use crate::support::{admins_config, app_with};
use hanchot::domain::due::{Due, DuePrecision};
use hanchot::domain::extract::Proposal;
use hanchot::store::{ItemStatus, NewItem};

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
