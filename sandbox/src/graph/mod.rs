//! The sandbox's Graph API (`/sandbox/graph/{version}/…` ↔ graph.facebook.com): the token
//! endpoint, `debug_token`, `me`, permissions, Pages and Business portfolios, with Meta's error
//! shapes and usage headers. Also what every Graph host shares: parameters from the query or
//! a form body (`params`), trailing slashes, the `method` override, unknown paths and JSON-only
//! answers (`fidelity`).

pub mod auth;
pub mod debug;
pub mod errors;
pub mod fidelity;
pub mod me;
pub mod oauth;
pub mod pages;
pub mod paging;
pub mod params;

use super::Sandbox;
use axum::http::HeaderValue;
use axum::response::Response;
use axum::routing::{delete, get};
use axum::Router;
use std::collections::HashMap;

/// A call's parameters, as Meta reads them (unknown ones ignored; see [`params`]).
pub type Params = HashMap<String, String>;

pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route(
            "/graph/{version}/oauth/access_token",
            get(oauth::access_token).post(oauth::access_token),
        )
        .route("/graph/{version}/debug_token", get(debug::debug_token))
        .route("/graph/{version}/me", get(me::me))
        .route(
            "/graph/{version}/me/permissions",
            get(me::permissions).delete(me::remove_app),
        )
        .route(
            "/graph/{version}/me/permissions/{permission}",
            delete(me::revoke_permission),
        )
        .route("/graph/{version}/me/accounts", get(pages::accounts))
        .route("/graph/{version}/me/businesses", get(pages::businesses))
        .route(
            "/graph/{version}/{node}/permissions",
            delete(me::remove_app_with_app_token),
        )
        .layer(axum::middleware::from_fn(fidelity::json_only))
        .layer(axum::middleware::map_response(usage_header))
}

/// Meta's app-usage header (percent of quota); the sandbox reports light use.
pub async fn usage_header(mut response: Response) -> Response {
    response.headers_mut().insert(
        "x-app-usage",
        HeaderValue::from_static(r#"{"call_count":1,"total_time":1,"total_cputime":1}"#),
    );
    response
}
