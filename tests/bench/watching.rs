//! The watched sources' benchmark: many sources answering 304, and one feed of many new items read,
//! extracted and proposed, against feeds served on loopback by this process.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hanchot::sources::{FetchOptions, Reach, Watcher};
use hanchot::store::{Check, CheckStatus};

use super::{app_at, cpu_time};

/// Feeds `/feed/{n}` of `items` items each (ETag "v1"), their items' pages `/item/{n}/{i}`.
#[derive(Clone)]
struct Feeds {
    base: Arc<String>,
    items: usize,
}

async fn feed(State(feeds): State<Feeds>, Path(n): Path<usize>, request: Request) -> Response {
    if request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some("\"v1\"") {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title><link>/</link><description>x</description>"#,
    );
    for i in 0..feeds.items {
        let _ = write!(
            xml,
            "<item><title>Kế hoạch số {i}/KH-UBND của tỉnh {n}</title><link>{}/item/{n}/{i}</link><guid>{n}-{i}</guid>\
             <pubDate>Sat, 28 Nov 2026 15:05:00 +07</pubDate><description><![CDATA[(Chinhphu.vn) - Tin {i}]]></description></item>",
            feeds.base
        );
    }
    xml.push_str("</channel></rss>");
    ([(header::ETAG, "\"v2\"")], xml).into_response()
}

async fn item(Path((n, i)): Path<(usize, usize)>) -> Response {
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

async fn serve(items: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let feeds = Feeds { base: Arc::new(base.clone()), items };
    let app = Router::new().route("/feed/{n}", get(feed)).route("/item/{n}/{i}", get(item)).with_state(feeds);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn watcher(app: &hanchot::app::App) -> Watcher {
    let reach = Reach { allow_private: false, also: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)] };
    Watcher::new(app.store.clone(), FetchOptions { reach, ..FetchOptions::default() }, Duration::from_secs(1800))
        .unwrap()
}

/// `sources` sources of `items` items each, all seen and answering 304; then one feed of `items`
/// new items.
pub async fn watching(sources: usize, items: usize, report: &mut String) {
    let base = serve(items).await;
    let app = app_at(
        hanchot::config::Config { database_url: "sqlite::memory:".into(), ..Default::default() },
        "2026-12-02T08:00",
    )
    .await;
    let now = app.clock.now();
    for n in 0..sources {
        let id = app.add_source(&format!("{base}/feed/{n}"), None, None, None).await.unwrap().unwrap();
        let check = Check {
            status: CheckStatus::Ok,
            error: None,
            etag: Some("\"v1\"".into()),
            last_modified: None,
            next_check_at: now,
            consecutive_errors: 0,
            items_listed: Some(items as u32),
            new_items: items as u32,
        };
        app.store.record_check(id, &check, now).await.unwrap();
    }
    let watcher = watcher(&app);
    let (cpu, wall) = (cpu_time(), Instant::now());
    let poll = watcher.poll(now, true).await.unwrap();
    let (cpu, wall) = (cpu_time() - cpu, wall.elapsed());
    let unchanged = poll.sources.iter().filter(|s| s.status == CheckStatus::NotModified).count();
    let _ = writeln!(
        report,
        "| {sources} sources × {items} items, all 304 | {unchanged} not modified | {:.2} s | {:.2} s |",
        cpu.as_secs_f64(),
        wall.as_secs_f64()
    );

    let fresh = app_at(
        hanchot::config::Config { database_url: "sqlite::memory:".into(), ..Default::default() },
        "2026-12-02T08:00",
    )
    .await;
    fresh.add_source(&format!("{base}/feed/{sources}"), None, None, None).await.unwrap().unwrap();
    let watcher = self::watcher(&fresh);
    let (cpu, wall) = (cpu_time(), Instant::now());
    let poll = watcher.poll(now, true).await.unwrap();
    let (cpu, wall) = (cpu_time() - cpu, wall.elapsed());
    let proposals: usize = poll.proposed.iter().map(|p| p.proposals.len()).sum();
    let _ = writeln!(
        report,
        "| a changed feed of {items} new items, read and proposed | {} items, {proposals} proposals | {:.2} s | {:.2} s |",
        poll.proposed.len(),
        cpu.as_secs_f64(),
        wall.as_secs_f64()
    );
}
