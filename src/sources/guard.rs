//! Which addresses the bot may fetch: http and https to public hosts. Loopback, private, link-local,
//! multicast and other reserved ranges are refused (a feed address must not reach the machine's own
//! services or the cloud's metadata address), at every hop and at the moment of connecting, unless
//! the configuration allows private sources (tests, intranets).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use url::{Host, Url};

/// What the fetcher may reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// Every address, private ones too (`allow_private_sources = true`).
    pub allow_private: bool,
    /// Single addresses allowed though private: the test's own server on loopback, nothing else.
    pub also: Vec<IpAddr>,
}

impl Reach {
    /// Whether an address may be connected to.
    pub fn admits(&self, ip: IpAddr) -> bool {
        self.allow_private || self.also.contains(&ip) || is_public(ip)
    }

    /// Refuses an address the bot may not fetch, before any connection: a scheme other than
    /// http(s), credentials, or a host that is a refused address.
    pub fn check(&self, url: &Url) -> Result<(), String> {
        match url.scheme() {
            "http" | "https" => {}
            other => return Err(format!("the scheme {other:?} is not fetched: only http and https")),
        }
        let ip = match url.host() {
            None => return Err("the address has no host".into()),
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            // A name is checked when it is resolved, just before connecting (see `Resolver`).
            Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost") => {
                IpAddr::V4(Ipv4Addr::LOCALHOST)
            }
            Some(Host::Domain(_)) => return Ok(()),
        };
        if self.admits(ip) { Ok(()) } else { Err(refused(ip)) }
    }
}

fn refused(ip: IpAddr) -> String {
    format!("refused: {ip} is a private, loopback, link-local or reserved address (allow_private_sources is off)")
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(ip),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), benchmarking, and the reserved 240/4.
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

/// Resolves names for the fetcher's client and keeps only the addresses [`Reach`] admits, so that
/// a name cannot point somewhere else between the check and the connection.
#[derive(Debug, Clone)]
pub struct Resolver(pub Arc<Reach>);

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let reach = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let admitted: Vec<SocketAddr> = found.iter().copied().filter(|a| reach.admits(a.ip())).collect();
            match (admitted.is_empty(), found.first()) {
                (false, _) => Ok(Box::new(admitted.into_iter()) as reqwest::dns::Addrs),
                (true, Some(first)) => Err(refused(first.ip()).into()),
                (true, None) => Err(format!("{host} has no address").into()),
            }
        })
    }
}

/// An address as it may be logged or shown: without a user name or password.
pub fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    if !shown.username().is_empty() || shown.password().is_some() {
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_reserved_addresses_are_refused() {
        let reach = Reach::default();
        for url in [
            "http://127.0.0.1/feed.rss",
            "http://localhost:8080/",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://224.0.0.1/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
        ] {
            assert!(reach.check(&Url::parse(url).unwrap()).is_err(), "{url}");
        }
        for url in ["https://baochinhphu.vn/rss/home.rss", "http://203.162.0.1/", "https://[2001:4860::1]/"] {
            assert!(reach.check(&Url::parse(url).unwrap()).is_ok(), "{url}");
        }
        for url in ["ftp://example.org/feed", "file:///etc/passwd", "gopher://x/"] {
            assert!(reach.check(&Url::parse(url).unwrap()).unwrap_err().contains("scheme"), "{url}");
        }
    }

    #[test]
    fn private_sources_may_be_allowed_whole_or_one_address_at_a_time() {
        let url = Url::parse("http://127.0.0.1:9/").unwrap();
        assert!(Reach { allow_private: true, also: vec![] }.check(&url).is_ok());
        let one = Reach { allow_private: false, also: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)] };
        assert!(one.check(&url).is_ok());
        assert!(one.check(&Url::parse("http://10.0.0.1/").unwrap()).is_err());
    }

    #[test]
    fn credentials_are_never_shown() {
        let url = Url::parse("https://user:secret@example.org/feed?x=1").unwrap();
        assert_eq!(redacted(&url), "https://example.org/feed?x=1");
    }
}
