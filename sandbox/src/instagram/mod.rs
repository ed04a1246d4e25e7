//! Instagram API with Instagram Login (docs/meta-api.md §6), at its production paths under
//! `/sandbox`: the code exchange on `/instagram-api` (↔ api.instagram.com, its own error
//! shape: `exchange`) and, on `/instagram-graph` (↔ graph.instagram.com), the long-lived
//! exchange, the refresh (`crate::account_graph::long_lived`) and `me` (`me`).

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

/// The routes of api.instagram.com and graph.instagram.com, JSON-only.
pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route(
            "/instagram-api/oauth/access_token",
            post(exchange::access_token),
        )
        .route("/instagram-graph/access_token", get(long_lived_token))
        .route(
            "/instagram-graph/{version}/access_token",
            get(long_lived_token),
        )
        .route("/instagram-graph/refresh_access_token", get(refresh_token))
        .route(
            "/instagram-graph/{version}/refresh_access_token",
            get(refresh_token),
        )
        .route("/instagram-graph/{version}/me", get(me::me))
        .merge(crate::publishing::instagram_routes())
        .layer(axum::middleware::from_fn(json_only))
}

/// `GET /access_token?grant_type=ig_exchange_token`.
async fn long_lived_token(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    long_lived::exchange(AccountLogin::Instagram, &sandbox, &params, &headers).await
}

/// `GET /refresh_access_token?grant_type=ig_refresh_token`.
async fn refresh_token(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    long_lived::refresh(AccountLogin::Instagram, &sandbox, &params, &headers).await
}
