//! The watched sources' benchmark (issue 18): many sources, their items all seen, answering 304 to
//! the watcher's conditional GETs; then one of them changed, listing new items to be read,
//! extracted and proposed. The feeds are served on loopback from a thread and runtime of their
//! own, so the watcher's CPU is told from the server's.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hanchot::sources::{FetchOptions, Poll, Reach, Watcher};
use hanchot::store::{Check, CheckStatus, ItemStatus, NewItem};

use super::{app_at, cpu_time, cpu_time_in};

/// The feed the benchmark changes.
const CHANGED: usize = 0;

/// What the feeds' server was asked.
#[derive(Default)]
struct Counts {
    feeds: AtomicUsize,
    /// Feeds asked with the ETag they have, answered 304.
    not_modified: AtomicUsize,
    pages: AtomicUsize,
}

/// Feeds `/feed/{n}` of `items` items each (`{n}-0` to `{n}-{items - 1}`), ETag "v1"; once
/// `changed`, feed [`CHANGED`] is "v2", listing `items` new ones before them. Items' pages at
/// `/item/{n}/{i}`.
#[derive(Clone)]
struct Feeds {
    base: Arc<String>,
    items: usize,
    changed: Arc<AtomicBool>,
    counts: Arc<Counts>,
}

fn feed_item(xml: &mut String, base: &str, n: usize, i: usize) {
    let _ = write!(
        xml,
        "<item><title>Kế hoạch số {i}/KH-UBND của tỉnh {n}</title><link>{base}/item/{n}/{i}</link><guid>{n}-{i}</guid>\
         <pubDate>Sat, 28 Nov 2026 15:05:00 +07</pubDate><description><![CDATA[(Chinhphu.vn) - Tin {i}]]></description></item>"
    );
}

async fn feed(State(feeds): State<Feeds>, Path(n): Path<usize>, request: Request) -> Response {
    feeds.counts.feeds.fetch_add(1, Ordering::Relaxed);
    let changed = n == CHANGED && feeds.changed.load(Ordering::Relaxed);
    let etag = if changed { "\"v2\"" } else { "\"v1\"" };
    if request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag) {
        feeds.counts.not_modified.fetch_add(1, Ordering::Relaxed);
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title><link>/</link><description>x</description>"#,
    );
    // Newest first: the new items (`items` to `2 × items - 1`) before the old ones.
    let listed = if changed { 2 * feeds.items } else { feeds.items };
    for i in (0..listed).rev() {
        feed_item(&mut xml, &feeds.base, n, i);
    }
    xml.push_str("</channel></rss>");
    ([(header::ETAG, etag)], xml).into_response()
}

async fn item(State(feeds): State<Feeds>, Path((n, i)): Path<(usize, usize)>) -> Response {
    feeds.counts.pages.fetch_add(1, Ordering::Relaxed);
    let body = format!(
        "<html><head><meta charset=\"utf-8\"><title>Kế hoạch {i}</title></head><body>\
         <nav><a href=\"/\">Trang chủ</a><a href=\"/tin\">Tin tức</a></nav>\
         <article><h1>Kế hoạch số {i}/KH-UBND của tỉnh {n}</h1><p>Thứ bảy, 28/11/2026 15:05</p>\
         <p>Ủy ban nhân dân tỉnh ban hành kế hoạch chuyển đổi số năm 2027 với nhiều nhiệm vụ cụ thể cho các sở, ngành và địa phương trên địa bàn.</p>\
         <p>Sở Khoa học và Công nghệ chủ trì xây dựng kho dữ liệu dùng chung số {i}, hoàn thành trước ngày 31/3/2027.</p>\
         <p>Sở Y tế triển khai sổ sức khỏe điện tử tại các trạm y tế xã của cụm {i} trong quý II/2027.</p>\
         <p>Công an tỉnh hướng dẫn kích hoạt tài khoản định danh điện tử cho học sinh trường {i} trong tháng 9/2027.</p></article>\
         <aside><h3>Tin liên quan</h3><a href=\"/x\">Sở Tài chính hoàn thành quyết toán trước ngày 30/12/2026</a></aside>\
         <footer>Cổng thông tin điện tử tỉnh. Giấy phép số 1/GP ngày 1/1/2026.</footer></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// The feeds' server, on its thread; the stat file of that thread.
fn serve(items: usize) -> (Feeds, String) {
    let (started, server) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let feeds = Feeds {
                base: Arc::new(format!("http://{}", listener.local_addr().unwrap())),
                items,
                changed: Arc::default(),
                counts: Arc::default(),
            };
            let thread = std::fs::read_link("/proc/thread-self").expect("Linux's /proc");
            started.send((feeds.clone(), format!("/proc/{}/stat", thread.display()))).expect("the starter waits");
            let app = Router::new().route("/feed/{n}", get(feed)).route("/item/{n}/{i}", get(item)).with_state(feeds);
            axum::serve(listener, app).await.unwrap();
        });
    });
    server.recv().expect("the feeds' server starts")
}

fn watcher(app: &hanchot::app::App) -> Watcher {
    let reach = Reach { allow_private: false, also: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)] };
    Watcher::new(app.store.clone(), FetchOptions { reach, ..FetchOptions::default() }, Duration::from_secs(1800))
        .unwrap()
}

/// A poll, with the CPU the watcher took (the process's less the server thread's), the server's,
/// and the wall time.
async fn timed(
    watcher: &Watcher,
    server: &str,
    now: chrono::DateTime<chrono::Utc>,
    force: bool,
) -> (Poll, [Duration; 3]) {
    let (cpu, served, wall) = (cpu_time(), cpu_time_in(server), Instant::now());
    let poll = watcher.poll(now, force).await.unwrap();
    let served = cpu_time_in(server) - served;
    (poll, [(cpu_time() - cpu).saturating_sub(served), served, wall.elapsed()])
}

/// `sources` sources of `items` items each, every item seen and every source answering 304; then
/// source [`CHANGED`]'s feed lists `items` new items before the old ones.
pub async fn watching(sources: usize, items: usize, report: &mut String) {
    let (feeds, server) = serve(items);
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let app = app_at(hanchot::config::Config { database_url, ..Default::default() }, "2026-12-02T08:00").await;
    let now = app.clock.now();
    let seen = || Check {
        status: CheckStatus::Ok,
        error: None,
        etag: Some("\"v1\"".into()),
        last_modified: None,
        next_check_at: now,
        consecutive_errors: 0,
        items_listed: Some(items as u32),
        new_items: items as u32,
    };
    let mut ids = Vec::with_capacity(sources);
    for n in 0..sources {
        let id = app.add_source(&format!("{}/feed/{n}", feeds.base), None, None, None).await.unwrap().unwrap();
        for i in 0..items {
            let (key, url, title) =
                (format!("guid:{n}-{i}"), format!("{}/item/{n}/{i}", feeds.base), format!("Tin {i}"));
            let item = NewItem {
                key: &key,
                url: &url,
                title: &title,
                published: Some(now.date_naive()),
                document_key: None,
                status: ItemStatus::NoTasks,
                error: None,
                proposals: &[],
            };
            app.store.record_item(id, &item, now).await.unwrap();
        }
        app.store.record_check(id, &seen(), now).await.unwrap();
        ids.push(id);
    }
    let watcher = watcher(&app);

    let (poll, [cpu, served, wall]) = timed(&watcher, &server, now, true).await;
    let unchanged = poll.sources.iter().filter(|s| s.status == CheckStatus::NotModified).count();
    let _ = writeln!(
        report,
        "| {sources} sources × {items} items seen, all 304 | {unchanged} not modified; server: {} asked, {} answered 304 | {:.2} s | {:.2} s | {:.2} s |",
        feeds.counts.feeds.load(Ordering::Relaxed),
        feeds.counts.not_modified.load(Ordering::Relaxed),
        cpu.as_secs_f64(),
        served.as_secs_f64(),
        wall.as_secs_f64()
    );

    // One feed changes, and its source's time has come: the others are not due.
    feeds.changed.store(true, Ordering::Relaxed);
    app.store.record_check(ids[CHANGED], &seen(), now).await.unwrap();
    let pages = feeds.counts.pages.load(Ordering::Relaxed);
    let (poll, [cpu, served, wall]) = timed(&watcher, &server, now, false).await;
    let proposals: usize = poll.proposed.iter().map(|p| p.proposals.len()).sum();
    let new_items: u32 = poll.sources.iter().map(|s| s.new_items).sum();
    let _ = writeln!(
        report,
        "| a changed feed: {items} new items listed before {items} seen | {} sources asked, {new_items} new items ({} pages read), {} proposed with {proposals} tasks | {:.2} s | {:.2} s | {:.2} s |",
        poll.sources.len(),
        feeds.counts.pages.load(Ordering::Relaxed) - pages,
        poll.proposed.len(),
        cpu.as_secs_f64(),
        served.as_secs_f64(),
        wall.as_secs_f64()
    );
}
