//! The portals, on loopback: a server that answers as the official feeds and pages do (ETag and
//! Last-Modified, 304s, a failing feed, the fixtures of `tests/data/sources/`), and a raw one that
//! misbehaves (a 50 MB page, a page that never ends, one that trickles, redirects to private
//! addresses and in circles).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request the portals received: its path (and query), and its conditional headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Default)]
struct Inner {
    asked: Vec<Asked>,
    /// Paths answered with this body instead of their fixture (a feed that changed).
    replaced: HashMap<String, (String, String)>,
}

/// The well-behaved portals.
#[derive(Clone)]
pub struct Portals {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

fn fixture(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Where each path's answer comes from: (fixture, content type, ETag, Last-Modified).
fn route(path: &str) -> Option<(&'static str, &'static str, Option<&'static str>, Option<&'static str>)> {
    const RSS: &str = "application/rss+xml; charset=utf-8";
    const HTML: &str = "text/html; charset=utf-8";
    Some(match path {
        "/rss/home.rss" => ("sources/home.rss", RSS, Some("\"home-1\""), Some("Sat, 28 Nov 2026 09:00:00 GMT")),
        "/rss/chuyen-doi-so.rss" => ("sources/chuyen-doi-so.rss", RSS, Some("\"cds-1\""), None),
        "/atom.xml" => ("sources/mst.atom", "application/atom+xml", None, Some("Mon, 30 Nov 2026 03:00:00 GMT")),
        "/tin-tuc" => ("sources/listing.html", HTML, None, None),
        "/thu-tuong-ban-hanh-chi-thi-41-ct-ttg-102261128151.htm" => ("sources/chi-thi-41.html", HTML, None, None),
        "/chuyen-doi-so/toan-van-chi-thi-41-ct-ttg-102261128203.htm" => {
            ("sources/toan-van-chi-thi-41.html", HTML, None, None)
        }
        "/hoi-nghi-truc-tuyen-chuyen-doi-so-giao-duc-102261129093.htm" => ("sources/hoi-nghi.html", HTML, None, None),
        "/tin-tuc/bo-khcn-giao-nhiem-vu-ky-so-88120.html" => ("sources/bo-khcn-ky-so.html", HTML, None, None),
        "/tin-tuc/ke-hoach-so-hoa-ho-so-1234567.html" => ("sources/ke-hoach-so-hoa.html", HTML, None, None),
        "/van-ban?docid=2211" => ("sources/van-ban-2211.html", HTML, None, None),
        "/files/ke-hoach-tinh.pdf" => ("documents/ke-hoach-tinh.pdf", "application/pdf", None, None),
        _ => return None,
    })
}

impl Portals {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let portals = Self { base, inner: Arc::default() };
        let app = Router::new().fallback(answer).with_state(portals.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the portals run") });
        portals
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request so far.
    pub fn asked(&self) -> Vec<Asked> {
        self.inner.lock().unwrap().asked.clone()
    }

    pub fn forget(&self) {
        self.inner.lock().unwrap().asked.clear();
    }

    /// Answers `path` with `body` (its `{base}` filled) and a new ETag from now on.
    pub fn replace(&self, path: &str, body: &str, etag: &str) {
        let body = body.replace("{base}", &self.base);
        self.inner.lock().unwrap().replaced.insert(path.to_owned(), (body, etag.to_owned()));
    }
}

async fn answer(State(portals): State<Portals>, request: Request) -> Response {
    let path = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let headers = request.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let asked = Asked {
        path: path.clone(),
        if_none_match: text(header::IF_NONE_MATCH),
        if_modified_since: text(header::IF_MODIFIED_SINCE),
        user_agent: text(header::USER_AGENT),
    };
    let replaced = {
        let mut inner = portals.inner.lock().unwrap();
        inner.asked.push(asked.clone());
        inner.replaced.get(&path).cloned()
    };
    if let Some((body, etag)) = replaced {
        if asked.if_none_match.as_deref() == Some(etag.as_str()) {
            return StatusCode::NOT_MODIFIED.into_response();
        }
        let mut out = HeaderMap::new();
        out.insert(header::ETAG, HeaderValue::from_str(&etag).unwrap());
        out.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/rss+xml"));
        return (out, body).into_response();
    }
    match path.as_str() {
        "/broken.rss" => return (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response(),
        "/gone.rss" => {
            return (StatusCode::NOT_FOUND, "<html><body>404 Không tìm thấy trang</body></html>").into_response();
        }
        _ => {}
    }
    let Some((file, kind, etag, modified)) = route(&path) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    if (etag.is_some() && asked.if_none_match.as_deref() == etag)
        || (modified.is_some() && asked.if_modified_since.as_deref() == modified)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut body = fixture(file);
    if kind.starts_with("text") || kind.contains("xml") {
        body = String::from_utf8(body).unwrap().replace("{base}", &portals.base).into_bytes();
    }
    let mut out = HeaderMap::new();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    if let Some(etag) = etag {
        out.insert(header::ETAG, HeaderValue::from_static(etag));
    }
    if let Some(modified) = modified {
        out.insert(header::LAST_MODIFIED, HeaderValue::from_static(modified));
    }
    (out, body).into_response()
}

/// A server that misbehaves, written on raw TCP to control every byte.
pub struct Hostile {
    pub base: String,
}

impl Hostile {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(misbehave(socket));
            }
        });
        Self { base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

async fn misbehave(mut socket: tokio::net::TcpStream) {
    let mut request = vec![0u8; 4096];
    let Ok(n) = socket.read(&mut request).await else { return };
    let request = String::from_utf8_lossy(&request[..n]).into_owned();
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    const MB: usize = 1024 * 1024;
    let chunk = vec![b'a'; 64 * 1024];
    let _ = match path.as_str() {
        // Says how large it is: refused from the header.
        "/huge" => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n", 50 * MB);
            write_all(&mut socket, head.as_bytes(), &chunk, 50 * MB).await
        }
        // Does not say: cut while reading.
        "/huge-chunked" => chunked(&mut socket, &chunk, Some(50 * MB)).await,
        "/endless" => chunked(&mut socket, &chunk, None).await,
        "/trickle" => {
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n").await;
            loop {
                if socket.write_all(b"1\r\na\r\n").await.is_err() {
                    break Ok(());
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        "/to-private" => {
            socket
                .write_all(b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\n\r\n")
                .await
        }
        "/to-intranet" => {
            socket.write_all(b"HTTP/1.1 301 Moved\r\nLocation: http://192.168.1.1/admin\r\nContent-Length: 0\r\n\r\n").await
        }
        _ => socket.write_all(b"HTTP/1.1 302 Found\r\nLocation: /circle\r\nContent-Length: 0\r\n\r\n").await,
    };
}

async fn write_all(socket: &mut tokio::net::TcpStream, head: &[u8], chunk: &[u8], total: usize) -> std::io::Result<()> {
    socket.write_all(head).await?;
    let mut sent = 0;
    while sent < total {
        socket.write_all(chunk).await?;
        sent += chunk.len();
    }
    Ok(())
}

async fn chunked(socket: &mut tokio::net::TcpStream, chunk: &[u8], total: Option<usize>) -> std::io::Result<()> {
    socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n").await?;
    let mut sent = 0;
    while total.is_none_or(|t| sent < t) {
        socket.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
        socket.write_all(chunk).await?;
        socket.write_all(b"\r\n").await?;
        sent += chunk.len();
    }
    socket.write_all(b"0\r\n\r\n").await
}
