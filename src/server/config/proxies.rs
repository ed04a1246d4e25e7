//! `SWITCHBOARD_TRUSTED_PROXIES` and the rule it feeds (docs/security.md → "Trusted proxies"):
//! only when the peer is a trusted proxy are `X-Forwarded-For` (or, without it, `Forwarded`)
//! read, from the right; each hop a trusted proxy added is skipped and the first untrusted one
//! is the client. Anything left of it was written by the client itself and is ignored.

use http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The reverse proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// At most this many forwarding hops are read; more is not a real proxy chain.
const MAX_HOPS: usize = 32;

impl TrustedProxies {
    /// Parses `SWITCHBOARD_TRUSTED_PROXIES`: comma-separated addresses or CIDRs.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in raw.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "SWITCHBOARD_TRUSTED_PROXIES: {item:?} is not an address or CIDR (like 127.0.0.1 or 10.0.0.0/8)"
                    )
                })?;
            nets.push(net);
        }
        Ok(Self(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`, given the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.contains(peer) {
            return peer;
        }
        let hops = forwarded_for(headers);
        let mut client = peer;
        for hop in hops.iter().rev().take(MAX_HOPS) {
            match hop {
                Some(ip) if self.contains(*ip) => client = *ip,
                Some(ip) => return *ip,
                // An unreadable hop ("unknown", an obfuscated name): nothing left of it can
                // be trusted, so the last proxy seen stands for the client.
                None => return client,
            }
        }
        client
    }
}

/// The hops of `X-Forwarded-For`, or of `Forwarded`'s `for=` when there is no
/// `X-Forwarded-For`, left to right; `None` for a hop that is not an address.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    if !xff.is_empty() {
        return xff.into_iter().map(parse_hop).collect();
    }
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_hop(value))
            })
        })
        .collect()
}

/// `203.0.113.9`, `"[2001:db8::1]:4711"`, `198.51.100.7:8080`.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let hop = raw.trim().trim_matches('"');
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok().map(canonical);
    }
    hop.parse::<SocketAddr>()
        .ok()
        .map(|addr| canonical(addr.ip()))
}

/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) compare as the IPv4 address they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.1")]);
        assert_eq!(none.client(ip("203.0.113.5"), &spoofed), ip("203.0.113.5"));
        let other = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(other.client(ip("127.0.0.1"), &spoofed), ip("127.0.0.1"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.1.2.3")]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &chain), ip("198.51.100.7"));
        let two_headers = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "198.51.100.8"),
        ]);
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &two_headers),
            ip("198.51.100.8")
        );
        let all_trusted = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &all_trusted),
            ip("10.0.0.9")
        );
        assert_eq!(
            trusted.client(ip("::ffff:127.0.0.1"), &chain),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let trusted = TrustedProxies::parse("127.0.0.1").unwrap();
        let forwarded = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https",
        )]);
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &forwarded),
            ip("2001:db8::7")
        );
        let port = headers(&[("forwarded", "for=198.51.100.9:8080")]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &port), ip("198.51.100.9"));
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_last_proxy() {
        let trusted = TrustedProxies::parse("127.0.0.1,10.0.0.2").unwrap();
        let unknown = headers(&[("x-forwarded-for", "198.51.100.1, unknown, 10.0.0.2")]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &unknown), ip("10.0.0.2"));
    }

    #[test]
    fn bad_proxy_lists_are_refused_naming_the_item() {
        let err = TrustedProxies::parse("127.0.0.1, proxy.local").unwrap_err();
        assert!(err.contains("\"proxy.local\""), "{err}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert_eq!(
            TrustedProxies::parse(" ").unwrap(),
            TrustedProxies::default()
        );
    }
}
