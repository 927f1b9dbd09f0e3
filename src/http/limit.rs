//! A limit of requests per client address: a token bucket each, refilled continuously, for the
//! calendar addresses (a guessed token costs the guesser, not the bot).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;

/// Calendar requests an address may make in a minute (calendar apps fetch every few hours).
pub const CALENDAR_PER_MINUTE: u32 = 30;
/// Buckets kept at most; when full, those already refilled are forgotten.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug)]
pub struct Limiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    pub fn per_minute(per_minute: u32) -> Self {
        Self { per_minute: per_minute.max(1), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from `address`'s bucket; `Err(wait)` when it is empty.
    pub fn take(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_ADDRESSES {
            let full = Duration::from_secs(60);
            buckets.retain(|_, (_, at)| now.duration_since(*at) < full);
        }
        let (tokens, at) = buckets.entry(address).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_second).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / per_second))
        }
    }
}

/// The client's address: the peer's, or, from a reverse proxy on this machine, the last address
/// it added to `X-Forwarded-For` (the one it saw).
pub fn client(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if !peer.ip().is_loopback() {
        return peer.ip();
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_then_waits_while_another_is_served() {
        let limiter = Limiter::per_minute(3);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let now = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take(a, now).is_ok());
        }
        let wait = limiter.take(a, now).expect_err("the fourth in a minute");
        assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(limiter.take(b, now).is_ok(), "another address is not held up");
        assert!(limiter.take(a, now + Duration::from_secs(20)).is_ok(), "refilled");
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_local_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7".parse().unwrap());
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client(proxy, &headers), "198.51.100.7".parse::<IpAddr>().unwrap());
        let outsider: SocketAddr = "192.0.2.1:5000".parse().unwrap();
        assert_eq!(client(outsider, &headers), outsider.ip(), "a header from outside is not believed");
        assert_eq!(client(proxy, &HeaderMap::new()), proxy.ip());
    }
}
