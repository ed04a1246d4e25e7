//! Threads (docs/meta-api.md §7) on `/threads-graph` (↔ graph.threads.net): the code
//! exchange and app tokens (`exchange`), the long-lived exchange and refresh
//! (`crate::account_graph::long_lived`), `me` and Threads' own `debug_token` (`me`). Every
//! error is Graph-shaped. The token endpoints answer with and without a version in the path,
//! as the documentation shows them without one.

pub mod exchange;
pub mod me;

use crate::account_graph::long_lived;
use crate::account_login::AccountLogin;
use crate::graph::errors::GraphResult;
use crate::graph::fidelity::json_only;
use crate::graph::params::GraphParams;
use crate::Sandbox;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;

/// The routes of graph.threads.net, JSON-only.
pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route(
            "/threads-graph/oauth/access_token",
            post(exchange::access_token),
        )
        .route(
            "/threads-graph/{version}/oauth/access_token",
            post(exchange::access_token),
        )
        .route("/threads-graph/access_token", get(long_lived_token))
        .route(
            "/threads-graph/{version}/access_token",
            get(long_lived_token),
        )
        .route("/threads-graph/refresh_access_token", get(refresh_token))
        .route(
            "/threads-graph/{version}/refresh_access_token",
            get(refresh_token),
        )
        .route("/threads-graph/{version}/me", get(me::me))
        .route("/threads-graph/{version}/debug_token", get(me::debug_token))
        .merge(crate::publishing::threads_routes())
        .layer(axum::middleware::from_fn(json_only))
}

/// `GET /access_token?grant_type=th_exchange_token`.
async fn long_lived_token(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    long_lived::exchange(AccountLogin::Threads, &sandbox, &params, &headers).await
}

/// `GET /refresh_access_token?grant_type=th_refresh_token`.
async fn refresh_token(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    long_lived::refresh(AccountLogin::Threads, &sandbox, &params, &headers).await
}
