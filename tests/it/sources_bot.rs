//! Watched sources end to end: `serve` with an admin and a source sends the admin the review of a
//! new item within one poll interval; saving it stores the tasks citing the item's address; a
//! restart proposes nothing again.

use std::time::{Duration, Instant};

use crate::support::fake_bot_api::Sent;
use crate::support::portals::Portals;
use crate::support::{TestBot, app_with, config_in, set_clock};
use hanchot::serve::Options;

const ADMIN: i64 = 4242;
const POLL_SECONDS: u32 = 3;

fn config(dir: &std::path::Path) -> hanchot::config::Config {
    hanchot::config::Config {
        admins: vec![ADMIN as u64],
        allow_private_sources: true,
        source_poll_seconds: POLL_SECONDS,
        max_per_chat_per_second: 100,
        ..config_in(dir)
    }
}

fn reviews_of(sent: &[Sent], title: &str) -> usize {
    sent.iter().filter(|s| s.chat_id == ADMIN && s.text.contains(title)).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_reviews_a_new_items_tasks_and_a_restart_proposes_nothing_again() {
    let dir = tempfile::tempdir().unwrap();
    let portals = Portals::start().await;
    let title = "Thủ tướng ban hành Chỉ thị 41/CT-TTg";
    let running = TestBot::serve(app_with(config(dir.path()), "2026-12-02T08:00").await, Options::default()).await;
    // Added while the bot runs: read at the next poll.
    let added = Instant::now();
    running.app.add_source(&portals.url("/rss/home.rss"), Some("Chính phủ"), None, None).await.unwrap().unwrap();
    let sent = running
        .api
        .wait_until(
            |sent| sent.iter().any(|s| s.chat_id == ADMIN && s.buttons.iter().any(|(l, _)| l.contains("Lưu"))),
            Duration::from_secs(30),
        )
        .await;
    let waited = added.elapsed();
    assert!(waited < Duration::from_secs(u64::from(POLL_SECONDS) + 10), "{waited:?}");
    let sent: Vec<Sent> = sent.into_iter().filter(|s| s.chat_id == ADMIN).collect();
    assert_eq!(sent.len(), 6, "the item and what was found, four proposals, save: {sent:#?}");
    let head = &sent[0].text;
    let directive = portals.url("/thu-tuong-ban-hanh-chi-thi-41-ct-ttg-102261128151.htm");
    assert!(head.contains(title) && head.contains("28/11/2026") && head.contains(&directive), "{head}");
    assert!(head.contains("Tìm thấy 4 nhiệm vụ"), "{head}");
    assert!(sent[1].text.contains("Bộ Công an") && sent[1].text.contains("31/03/2027"), "{}", sent[1].text);
    // The conference report proposes nothing; the chrome of the directive's page neither.
    let all = crate::support::joined(&sent);
    assert!(!all.contains("Bộ Tài chính") && !all.contains("học bạ"), "{all}");

    // Save: the tasks are stored, each citing the item's address.
    let before = running.app.catalog().tasks.len();
    let save = sent[5].buttons.iter().find(|(l, _)| l.contains("Lưu")).unwrap().1.clone();
    let edits = running.api.edits().len();
    running.api.push_callback(ADMIN, ADMIN, sent[5].message_id, &save);
    running.wait_for_edits(edits + 1).await;
    assert!(running.api.edits().last().unwrap().text.contains("Đã lưu 4 nhiệm vụ mới"));
    let catalog = running.app.catalog();
    assert_eq!(catalog.tasks.len(), before + 4);
    let cited: Vec<_> = catalog.tasks.iter().filter_map(|t| t.source.as_ref()).filter(|s| s.key == directive).collect();
    assert_eq!(cited.len(), 4);
    assert!(cited[0].title.contains(title) && cited[0].publisher == "Chính phủ", "{:?}", cited[0]);
    drop(catalog);
    let app = running.app.clone();
    drop(running);

    // A restart, hours later, with the feed answering in full again (a new ETag): the items are
    // known, nothing is proposed.
    portals.replace(
        "/rss/home.rss",
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sources/home.rss")).unwrap(),
        "\"home-2\"",
    );
    drop(app);
    let restarted = app_with(config(dir.path()), "2026-12-02T11:00").await;
    set_clock(&restarted, "2026-12-02T11:00");
    portals.forget();
    let running = TestBot::serve(restarted, Options::default()).await;
    let deadline = Instant::now() + Duration::from_secs(u64::from(POLL_SECONDS) * 2 + 2);
    while Instant::now() < deadline && !portals.asked().iter().any(|a| a.path == "/rss/home.rss") {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(portals.asked().iter().any(|a| a.path == "/rss/home.rss"), "the feed was asked again");
    let sent = running.api.settle(Duration::from_secs(u64::from(POLL_SECONDS))).await;
    assert_eq!(reviews_of(&sent, title), 0, "{sent:#?}");
    assert!(
        portals.asked().iter().all(|a| a.path == "/rss/home.rss"),
        "no item page read again: {:?}",
        portals.asked()
    );
}
