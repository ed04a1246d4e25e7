//! Who may use the sandbox's control API (`/sandbox/_control/…`): local scripts only. It hands
//! out app secrets and can move the clock, so every request is refused, before any work, when
//! - the peer is not on loopback (or unknown);
//! - the `Host` is not a loopback name or address: a DNS-rebinding page reaches loopback under
//!   its own host name;
//! - it carries `Origin`, unless that is `PUBLIC_URL`'s origin: browsers send `Origin` on every
//!   POST (and on cross-origin GETs), scripts don't;
//! - it carries forwarded headers: it came through a proxy, so the peer address says nothing
//!   about who asked.

use super::Sandbox;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Json, Response};
use serde_json::json;
use std::net::{IpAddr, SocketAddr};

/// Headers a reverse proxy adds.
const FORWARDED_HEADERS: &[&str] = &[
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
];

pub async fn local_scripts_only(
    State(sandbox): State<Sandbox>,
    req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    match refusal(peer, req.headers(), sandbox.app_url.origin()) {
        None => next.run(req).await,
        Some(reason) => (StatusCode::FORBIDDEN, Json(json!({ "error": reason }))).into_response(),
    }
}

/// Why a request may not use the control API, if it may not.
fn refusal(peer: Option<IpAddr>, headers: &HeaderMap, public_origin: &str) -> Option<&'static str> {
    if !peer.is_some_and(|ip| ip.is_loopback()) {
        return Some("the sandbox control API answers only clients on loopback");
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(is_loopback_host) {
        return Some("the sandbox control API answers only on a loopback host name or address");
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        if origin.to_str().ok() != Some(public_origin) {
            return Some("the sandbox control API does not answer web pages (Origin)");
        }
    }
    if FORWARDED_HEADERS
        .iter()
        .any(|name| headers.contains_key(*name))
    {
        return Some("the sandbox control API does not answer through a proxy");
    }
    None
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = match host.strip_prefix('[') {
        // [::1] or [::1]:port
        Some(rest) => match rest.split_once(']') {
            Some((inner, after)) if after.is_empty() || valid_port(after) => inner.to_owned(),
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if valid_port(&format!(":{port}")) => name.to_owned(),
            Some(_) => return false,
            None => host,
        },
    };
    name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn valid_port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|port| port.parse::<u16>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_names_and_addresses_with_or_without_ports() {
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.9.9.9:3000",
            "[::1]",
            "[::1]:80",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "10.0.0.1",
            "localhost.evil.example",
            "[::2]",
            "127.0.0.1:99999",
            "",
            "[::1]x",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
