//! Watched sources against portals on loopback: feeds, a listing page, an attachment; each new
//! item's tasks proposed once, the page's chrome never; conditional polls; a failing feed backed
//! off; hostile addresses and answers each a recorded error in bounded time.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use crate::support::portals::{Hostile, Portals};
use crate::support::{admins_config, app_with};
use hanchot::sources::{FetchOptions, Reach, Watcher};
use hanchot::store::{CheckStatus, SourceKind};

const NOW: &str = "2026-12-02T08:00";

fn loopback_only() -> Reach {
    Reach { allow_private: false, also: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)] }
}

fn watcher(app: &hanchot::app::App, reach: Reach, timeout: Duration) -> Watcher {
    let options = FetchOptions { reach, request_timeout: timeout, ..FetchOptions::default() };
    let reader = hanchot::document::Isolation::new(crate::support::reader_program().as_deref());
    Watcher::new(app.store.clone(), options, Duration::from_secs(1800)).expect("a watcher").reading_with(reader)
}

async fn add(app: &hanchot::app::App, url: &str, kind: Option<SourceKind>) -> i64 {
    app.add_source(url, None, kind, None).await.unwrap().expect("added")
}

/// (owner, due) of every proposal of a poll, with the item it came from.
fn proposed(poll: &hanchot::sources::Poll) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = poll
        .proposed
        .iter()
        .flat_map(|item| {
            item.proposals.iter().map(|p| (item.item_url.clone(), p.owner.clone(), p.due.date.to_string()))
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn feeds_a_listing_and_an_attachment_propose_each_texts_tasks_once() {
    let portals = Portals::start().await;
    let app = app_with(admins_config(&[42]), NOW).await;
    for (path, kind) in [
        ("/rss/home.rss", None),
        ("/rss/chuyen-doi-so.rss", None),
        ("/atom.xml", Some(SourceKind::Atom)),
        ("/tin-tuc", Some(SourceKind::Html)),
    ] {
        add(&app, &portals.url(path), kind).await;
    }
    let watcher = watcher(&app, loopback_only(), Duration::from_secs(30));
    let poll = watcher.poll(app.clock.now(), false).await.unwrap();
    for source in &poll.sources {
        assert_eq!((source.status, source.error.as_deref()), (CheckStatus::Ok, None), "{}", source.url);
    }
    let new: Vec<u32> = poll.sources.iter().map(|s| s.new_items).collect();
    assert_eq!(new, [2, 1, 1, 2]);

    let directive = portals.url("/thu-tuong-ban-hanh-chi-thi-41-ct-ttg-102261128151.htm");
    let signing = portals.url("/tin-tuc/bo-khcn-giao-nhiem-vu-ky-so-88120.html");
    let plan = portals.url("/tin-tuc/ke-hoach-so-hoa-ho-so-1234567.html");
    let found = proposed(&poll);
    let of = |url: &str| -> Vec<(String, String)> {
        found.iter().filter(|(u, ..)| u == url).map(|(_, o, d)| (o.clone(), d.clone())).collect()
    };
    // The directive's four tasks, from the first address it was published at; nothing from its
    // menu, its "related news" and "most read" boxes or its footer, which all hold dated sentences.
    let tasks = of(&directive);
    let owners: Vec<&str> = tasks.iter().map(|(o, _)| o.as_str()).collect();
    let dues: Vec<&str> = tasks.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(owners[..3], ["Bộ Công an", "Bộ Khoa học và Công nghệ", "Văn phòng Chính phủ"], "{tasks:?}");
    assert!(owners[3].starts_with("Ủy ban nhân dân các tỉnh"), "{tasks:?}");
    assert_eq!(dues, ["2027-03-31", "2027-06-30", "2027-12-15", "2027-06-30"]);
    // The same directive at another address, in another feed: its tasks are not proposed again.
    assert!(of(&portals.url("/chuyen-doi-so/toan-van-chi-thi-41-ct-ttg-102261128203.htm")).is_empty(), "{found:#?}");
    // A report of a conference holds no task, though its boxes and footer hold dates.
    assert!(of(&portals.url("/hoi-nghi-truc-tuyen-chuyen-doi-so-giao-duc-102261129093.htm")).is_empty());
    assert_eq!(
        of(&signing),
        [
            // "báo cáo … định kỳ hằng tháng": a monthly task, first due at the end of the item's month.
            ("Các đơn vị".to_owned(), "2026-11-30".to_owned()),
            ("Cục Chuyển đổi số quốc gia".into(), "2027-01-31".into()),
            ("Trung tâm Chứng thực điện tử quốc gia".into(), "2027-03-31".into()),
        ],
        "{found:#?}"
    );
    assert_eq!(
        of(&plan),
        [
            ("Sở Nội vụ".to_owned(), "2027-01-15".to_owned()),
            // The owner as the plan names it (the owners rules of issue 20 keep "tỉnh").
            ("Trung tâm Phục vụ hành chính công tỉnh".into(), "2027-03-31".into()),
            ("UBND các xã, phường".into(), "2027-09-30".into()),
        ],
        "{found:#?}"
    );
    // The document page of the listing carries its plan as a signed PDF: the PDF's tasks.
    let attachment = of(&portals.url("/van-ban?docid=2211"));
    assert!(attachment.contains(&("Công an tỉnh".into(), "2026-05-31".into())), "{attachment:?}");
    assert!(attachment.len() >= 4, "{attachment:?}");
    // Every item's date is the feed's, "+07" and zoneless alike.
    let dated: Vec<String> = poll.proposed.iter().map(|p| p.published.to_string()).collect();
    assert!(dated.contains(&"2026-11-28".to_owned()) && dated.contains(&"2026-11-30".to_owned()), "{dated:?}");
    let asked = portals.asked();
    assert!(asked.iter().all(|a| a.user_agent.as_deref().is_some_and(|ua| ua.starts_with("HanChotBot/"))));

    // The second poll asks only for what changed, and proposes nothing.
    portals.forget();
    let again = watcher.poll(app.clock.now(), true).await.unwrap();
    assert!(again.proposed.is_empty(), "{:#?}", again.proposed);
    let statuses: Vec<CheckStatus> = again.sources.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        [CheckStatus::NotModified, CheckStatus::NotModified, CheckStatus::NotModified, CheckStatus::Ok]
    );
    let asked = portals.asked();
    let home = asked.iter().find(|a| a.path == "/rss/home.rss").unwrap();
    assert_eq!(home.if_none_match.as_deref(), Some("\"home-1\""));
    assert_eq!(home.if_modified_since.as_deref(), Some("Sat, 28 Nov 2026 09:00:00 GMT"));
    let atom = asked.iter().find(|a| a.path == "/atom.xml").unwrap();
    assert_eq!(atom.if_modified_since.as_deref(), Some("Mon, 30 Nov 2026 03:00:00 GMT"));
    // No item page is read twice: the listing's items are known.
    assert_eq!(asked.len(), 4, "{asked:#?}");

    // Not yet due (the feed's max-age and the interval): a poll that is not forced asks nothing.
    portals.forget();
    assert!(watcher.poll(app.clock.now(), false).await.unwrap().sources.is_empty());
    assert!(portals.asked().is_empty());

    // The reviews go to the admin once, across any number of openings.
    let reviews = app.open_source_reviews().await.unwrap();
    assert_eq!(reviews.len(), 4);
    assert!(reviews.iter().all(|r| r.drafts.len() == 1 && r.drafts[0].0 == 42));
    assert!(app.open_source_reviews().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_feed_backs_off_doubling_and_is_listed_with_its_error() {
    let portals = Portals::start().await;
    let app = app_with(admins_config(&[42]), NOW).await;
    let broken = add(&app, &portals.url("/broken.rss"), None).await;
    let gone = add(&app, &portals.url("/gone.rss"), None).await;
    let watcher = watcher(&app, loopback_only(), Duration::from_secs(30));
    let mut waits = Vec::new();
    for _ in 0..4 {
        let poll = watcher.poll(app.clock.now(), true).await.unwrap();
        assert!(poll.sources.iter().all(|s| s.status == CheckStatus::Error));
        let sources = app.sources().await.unwrap();
        let source = sources.iter().find(|s| s.id == broken).unwrap();
        waits.push((source.next_check_at.unwrap() - app.clock.now()).num_minutes());
    }
    assert_eq!(waits, [30, 60, 120, 240]);
    let sources = app.sources().await.unwrap();
    let broken = sources.iter().find(|s| s.id == broken).unwrap();
    assert_eq!((broken.consecutive_errors, broken.last_error.as_deref()), (4, Some("HTTP 500")));
    assert_eq!(broken.last_status, Some(CheckStatus::Error));
    let gone = sources.iter().find(|s| s.id == gone).unwrap();
    assert_eq!(gone.last_error.as_deref(), Some("HTTP 404"));
    // Polled when due only: nothing is asked of a source backing off.
    portals.forget();
    assert!(watcher.poll(app.clock.now(), false).await.unwrap().sources.is_empty());
    assert!(portals.asked().is_empty());
}

#[tokio::test]
async fn a_feed_that_had_items_and_lists_none_is_an_error() {
    let portals = Portals::start().await;
    let app = app_with(admins_config(&[42]), NOW).await;
    add(&app, &portals.url("/rss/home.rss"), None).await;
    let watcher = watcher(&app, loopback_only(), Duration::from_secs(30));
    watcher.poll(app.clock.now(), true).await.unwrap();
    let empty = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>{base}/</link><description>x</description></channel></rss>"#;
    portals.replace("/rss/home.rss", empty, "\"home-empty\"");
    let poll = watcher.poll(app.clock.now(), true).await.unwrap();
    assert_eq!(poll.sources[0].status, CheckStatus::Error);
    assert!(poll.sources[0].error.as_deref().unwrap().contains("no item"), "{:?}", poll.sources[0]);
}

#[tokio::test]
async fn hostile_addresses_and_answers_are_each_a_recorded_error_in_bounded_time() {
    let hostile = Hostile::start().await;
    let portals = Portals::start().await;
    let app = app_with(admins_config(&[42]), NOW).await;
    let cases = [
        (portals.url("/rss/home.rss"), "refused: 127.0.0.1"),
        ("http://10.20.30.40/rss/home.rss".to_owned(), "refused: 10.20.30.40"),
        ("http://[::1]:9/feed.rss".to_owned(), "refused: ::1"),
        (hostile.url("/to-private"), "refused: 169.254.169.254"),
        (hostile.url("/to-intranet"), "refused: 192.168.1.1"),
        (hostile.url("/circle"), "more than 5 redirects"),
        (hostile.url("/huge"), "larger than 10485760 bytes"),
        (hostile.url("/huge-chunked"), "larger than 10485760 bytes"),
        (hostile.url("/endless"), "larger than 10485760 bytes"),
        (hostile.url("/trickle"), "no complete answer within 2s"),
    ];
    for (url, _) in &cases {
        add(&app, url, Some(SourceKind::Html)).await;
    }
    // The first three are refused before any connection; the hostile server is on loopback, so
    // the second watcher admits 127.0.0.1 alone, as a test must.
    let reach = Reach { allow_private: false, also: vec![] };
    let strict = watcher(&app, reach, Duration::from_secs(2));
    let hostile_only = watcher(&app, loopback_only(), Duration::from_secs(2));
    let started = Instant::now();
    let refused = strict.poll(app.clock.now(), true).await.unwrap();
    let poll = hostile_only.poll(app.clock.now(), true).await.unwrap();
    let elapsed = started.elapsed();
    for (i, (url, expected)) in cases.iter().enumerate() {
        let outcome = if i < 3 { &refused.sources[i] } else { &poll.sources[i] };
        assert_eq!(&outcome.url, url);
        assert_eq!(outcome.status, CheckStatus::Error, "{url}");
        let error = outcome.error.as_deref().unwrap_or_default();
        assert!(error.contains(expected), "{url}: {error}");
    }
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    let listed = app.sources().await.unwrap();
    let added: Vec<_> = listed.iter().filter(|s| s.active).skip(1).collect();
    assert_eq!(added.len(), cases.len() - 1);
    assert!(added.iter().all(|s| s.consecutive_errors == 2 && s.last_error.is_some()), "{added:#?}");
}

/// Runs the real binary in `dir` with private sources allowed (the portals are on loopback).
async fn cli(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let (dir, args): (std::path::PathBuf, Vec<String>) = (dir.to_owned(), args.iter().map(|a| a.to_string()).collect());
    tokio::task::spawn_blocking(move || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_hanchot"))
            .args(&args)
            .arg("--at")
            .arg(NOW)
            .current_dir(&dir)
            .env("HANCHOT_DATABASE_URL", format!("sqlite://{}", dir.join("hanchot.db").display()))
            .env("HANCHOT_ALLOW_PRIVATE_SOURCES", "true")
            .env_remove("RUST_LOG")
            .output()
            .expect("hanchot runs");
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (output.status.success(), text(&output.stdout), text(&output.stderr))
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_adds_lists_and_polls_sources_in_the_issues_shapes() {
    let portals = Portals::start().await;
    let dir = tempfile::tempdir().unwrap();
    let home = portals.url("/rss/home.rss");
    let (ok, out, _) = cli(dir.path(), &["sources", "add", &home, "--name", "Chính phủ"]).await;
    assert!(ok && out.contains("source 8 added"), "{out}");
    let (ok, out, _) = cli(dir.path(), &["sources", "add", &home]).await;
    assert!(ok && out.contains("already watched as source 8"), "{out}");
    let (ok, _, err) = cli(dir.path(), &["sources", "add", "ftp://example.org/feed"]).await;
    assert!(!ok && err.contains("not an http(s) address"), "{err}");
    cli(dir.path(), &["sources", "add", &portals.url("/broken.rss")]).await;

    let (ok, out, err) = cli(dir.path(), &["sources", "poll", "--json"]).await;
    assert!(ok, "{err}");
    let poll: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sources = poll["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0], serde_json::json!({"url": home, "status": "ok", "new_items": 2, "error": null}));
    assert_eq!(sources[1]["status"], "error");
    assert_eq!(sources[1]["error"], "HTTP 500");
    let proposals = poll["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 4, "{proposals:#?}");
    let first = &proposals[0];
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected =
        ["source_url", "item_url", "item_title", "published", "due", "due_precision", "owner", "title", "directive"];
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
    assert_eq!((first["published"].as_str(), first["directive"].as_str()), (Some("2026-11-28"), Some("41/CT-TTg")));
    assert_eq!((first["due"].as_str(), first["owner"].as_str()), (Some("2027-03-31"), Some("Bộ Công an")));

    let (ok, out, _) = cli(dir.path(), &["sources", "list", "--json"]).await;
    assert!(ok);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 9, "seven built in, off, and the two added");
    assert!(list[..7].iter().all(|s| s["active"] == false && s["last_status"].is_null()));
    let watched = &list[7];
    let mut keys: Vec<&str> = watched.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "active",
            "consecutive_errors",
            "id",
            "items_seen",
            "kind",
            "last_error",
            "last_ok_at",
            "last_status",
            "name",
            "next_check_at",
            "url"
        ]
    );
    assert_eq!((watched["kind"].as_str(), watched["items_seen"].as_u64()), (Some("rss"), Some(2)));
    assert_eq!(list[8]["consecutive_errors"], 1);
    assert_eq!(list[8]["last_error"], "HTTP 500");

    // Off, on, removed; an unknown id is a usage error.
    assert!(cli(dir.path(), &["sources", "off", "8"]).await.0);
    let (ok, _, err) = cli(dir.path(), &["sources", "on", "99"]).await;
    assert!(!ok && err.contains("no source 99"), "{err}");
    assert!(cli(dir.path(), &["sources", "remove", "9"]).await.0);
    let (_, out, _) = cli(dir.path(), &["sources", "poll", "--json"]).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["sources"], serde_json::json!([]));
}
