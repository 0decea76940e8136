//! Who is on the other end: the client's address (for the audit log and the sign-in throttle) and
//! the host the browser asked for (for the same-origin check). `X-Forwarded-For`, `Forwarded`
//! and `X-Forwarded-Host` are believed only from a reverse proxy named in `trusted_proxies`:
//! anyone else could write any address into them.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web;

use crate::app::AppState;

/// The reverse proxies whose forwarding headers are believed (addresses or networks).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    /// Reads the `trusted_proxies` setting: addresses (`10.0.0.5`, `::1`) or networks
    /// (`10.0.0.0/24`). The error names the entry.
    pub fn parse(entries: &[String]) -> anyhow::Result<Self> {
        let mut nets = Vec::with_capacity(entries.len());
        for entry in entries {
            nets.push(crate::config::parse_proxy(entry)?);
        }
        Ok(Self(nets))
    }

    /// Whether an address belongs to a trusted proxy.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// Whether none is configured (the default: the server faces the clients itself).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn peer(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|a| a.ip())
}

fn trusted(req: &HttpRequest) -> Option<TrustedProxies> {
    let proxies = &req.app_data::<web::Data<AppState>>()?.trusted_proxies;
    (!proxies.is_empty()).then(|| proxies.clone())
}

/// The addresses a chain of proxies recorded, oldest first: `X-Forwarded-For`, else the `for=`
/// of `Forwarded`.
fn forwarded_chain(req: &HttpRequest) -> Vec<IpAddr> {
    let headers = req.headers();
    let xff: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| parse_ip(part.trim()))
        .collect();
    if !xff.is_empty() {
        return xff;
    }
    headers
        .get_all(header::FORWARDED)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split([',', ';']))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            name.eq_ignore_ascii_case("for")
                .then(|| parse_ip(value.trim()))?
        })
        .collect()
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `"[::1]:80"`, `[::1]`.
fn parse_ip(text: &str) -> Option<IpAddr> {
    let text = text.trim_matches('"');
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    text.rsplit_once(':')?.0.parse().ok()
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the last address
/// in the forwarding chain that is not itself a trusted proxy.
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    let peer = peer(req)?;
    let Some(proxies) = trusted(req).filter(|p| p.contains(&peer)) else {
        return Some(peer.to_string());
    };
    let client = forwarded_chain(req)
        .into_iter()
        .rev()
        .find(|ip| !proxies.contains(ip))
        .unwrap_or(peer);
    Some(client.to_string())
}

/// The host (and port) the browser addressed: `Host` (or the URI's authority under HTTP/2), or
/// the proxy's `X-Forwarded-Host` when a trusted proxy sent the request.
pub fn request_host(req: &HttpRequest) -> String {
    let from_proxy = peer(req).is_some_and(|ip| trusted(req).is_some_and(|p| p.contains(&ip)));
    if from_proxy {
        return req.connection_info().host().to_owned();
    }
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_write_addresses_in_several_forms() {
        let v4: IpAddr = "10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(parse_ip("10.1.2.3"), Some(v4));
        assert_eq!(parse_ip("10.1.2.3:4711"), Some(v4));
        assert_eq!(
            parse_ip("\"[::1]:80\"").map(|ip| ip.is_loopback()),
            Some(true)
        );
        assert_eq!(parse_ip("unknown"), None);
    }

    #[test]
    fn a_trusted_proxy_list_takes_addresses_and_networks_and_names_a_bad_entry() {
        let list = TrustedProxies::parse(&["10.0.0.0/24".to_owned(), "::1".to_owned()]);
        let list = list.unwrap_or_default();
        assert!(list.contains(&"10.0.0.77".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))));
        assert!(!list.contains(&"10.0.1.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))));
        let error = TrustedProxies::parse(&["proxy.local".to_owned()]).err();
        assert!(error.is_some_and(|e| e.to_string().contains("proxy.local")));
    }
}
