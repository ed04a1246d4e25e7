//! The client's address, for sign-in throttling and the activity log. Behind a reverse proxy
//! every request arrives from the proxy's address, so throttling by peer address would make
//! all clients one; `config::TrustedProxies` says which peers' forwarding headers name the
//! client (docs/security.md → "Trusted proxies"). From any other peer the headers are ignored,
//! so nobody can choose their own address.

use crate::server::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client's address as resolved for this request (a request extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// Middleware: puts the resolved [`ClientIp`] into the request's extensions.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let client = state.trusted_proxies.client(peer, req.headers());
    req.extensions_mut().insert(ClientIp(client));
    next.run(req).await
}
