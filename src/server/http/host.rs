//! The Host rule of docs/interfaces.md: the app answers only on `PUBLIC_URL`'s host, so cookies and
//! OAuth redirect URIs always match. A GET on another host is redirected there; other methods
//! are refused. Probes, metrics, webhooks and the sandbox answer on any host.

use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

const ANY_HOST_PREFIXES: &[&str] = &["/healthz", "/metrics", "/webhooks/", "/sandbox/"];

/// The request's authority: the `Host` header (HTTP/1.1) or the URI's (HTTP/2).
fn request_authority(req: &Request) -> Option<String> {
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
}

/// Whether `authority` names the same host and port as `expected` (already lower case).
pub fn same_authority(authority: &str, expected: &str, https: bool) -> bool {
    let authority = authority.trim().to_ascii_lowercase();
    if authority == expected {
        return true;
    }
    // "host:443" equals "host" on https, "host:80" on http.
    let default_port = if https { ":443" } else { ":80" };
    authority.strip_suffix(default_port) == Some(expected)
}

pub async fn check_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if ANY_HOST_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return next.run(req).await;
    }
    let url = &state.public_url;
    let matches = request_authority(&req)
        .map(|authority| same_authority(&authority, url.authority(), url.is_https()))
        .unwrap_or(false);
    if matches {
        return next.run(req).await;
    }
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        let path_and_query = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        return Redirect::temporary(&format!("{}{}", url.origin(), path_and_query)).into_response();
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        "This address isn't Switchboard's public address; use the address configured in PUBLIC_URL.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_authority_matches_case_insensitively() {
        assert!(same_authority("127.0.0.1:3000", "127.0.0.1:3000", false));
        assert!(same_authority(
            "Switch.Example.com",
            "switch.example.com",
            true
        ));
        assert!(same_authority(
            "switch.example.com:443",
            "switch.example.com",
            true
        ));
    }

    #[test]
    fn other_hosts_and_ports_do_not_match() {
        assert!(!same_authority("localhost:3000", "127.0.0.1:3000", false));
        assert!(!same_authority("127.0.0.1:3001", "127.0.0.1:3000", false));
        assert!(!same_authority(
            "switch.example.com:80",
            "switch.example.com",
            true
        ));
    }
}
