//! `hanchot healthcheck`: a client of the server's `/healthz`, for images without curl.

/// `hanchot healthcheck`: GET `/healthz` on `listen` (a wildcard address is asked on loopback).
pub async fn healthcheck(listen: &str) -> anyhow::Result<()> {
    let listen = listen.trim();
    if listen.is_empty() {
        anyhow::bail!("no HTTP server is configured: set listen (HANCHOT_LISTEN), e.g. 0.0.0.0:8080");
    }
    let mut addr: std::net::SocketAddr =
        listen.parse().map_err(|e| anyhow::anyhow!("listen {listen:?} is not host:port: {e}"))?;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(5)).build()?;
    let response = client.get(format!("http://{addr}/healthz")).send().await?;
    if !response.status().is_success() {
        anyhow::bail!("/healthz answered {}", response.status());
    }
    Ok(())
}
