//! Publishing (docs/meta-api.md §11): Page `feed` and `photos` on the Graph host; Instagram's
//! media container → status → `media_publish` and `content_publishing_limit`, on the Graph host
//! (an account linked to a Page, with a Facebook token) and on the Instagram Graph host (a
//! direct account, with an Instagram Login token), as at Meta; Threads' `threads` →
//! `threads_publish` and `threads_publishing_limit`. Containers are ready at once unless the
//! scenario's `container_seconds` keeps them `IN_PROGRESS`; the quotas count what was published
//! in the last 24 hours. Every call is in the call log like any other (`crate::calls`), and
//! what was made is kept (`store`), so tests can see what Meta would show.

pub mod containers;
pub mod owners;
pub mod page;
pub mod store;

use crate::graph::errors::GraphError;
use crate::graph::pages;
use crate::graph::params::GraphParams;
use crate::Sandbox;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, MethodRouter};
use axum::Router;
use owners::Host;

/// Instagram's caption limit and Threads' text limit (docs/meta-api.md §11).
pub const CAPTION_MAX_CHARS: usize = 2200;
pub const THREADS_TEXT_MAX_CHARS: usize = 500;
/// A Page post's message limit.
pub const PAGE_MESSAGE_MAX_CHARS: usize = 63_206;
/// Quotas when the scenario sets none (docs/meta-api.md §15).
pub const DEFAULT_INSTAGRAM_QUOTA: u32 = 25;
pub const DEFAULT_THREADS_QUOTA: u32 = 250;
/// The rolling window the quotas count over.
pub const QUOTA_WINDOW_SECONDS: i64 = 86_400;

/// The Graph host's node and edge routes, with the Graph host's layers (JSON-only answers, the
/// usage header). `GET {node}/{edge}` also serves Business portfolios' Pages
/// (`crate::graph::pages::business_pages`).
pub fn graph_routes() -> Router<Sandbox> {
    routes("graph", Host::Graph)
        .layer(axum::middleware::from_fn(crate::graph::fidelity::json_only))
        .layer(axum::middleware::map_response(crate::graph::usage_header))
}

/// The Instagram Graph host's, merged into `crate::instagram::routes`.
pub fn instagram_routes() -> Router<Sandbox> {
    routes("instagram-graph", Host::Instagram)
}

/// The Threads host's, merged into `crate::threads::routes`.
pub fn threads_routes() -> Router<Sandbox> {
    routes("threads-graph", Host::Threads)
}

fn routes(prefix: &str, host: Host) -> Router<Sandbox> {
    Router::new()
        .route(&format!("/{prefix}/{{version}}/{{node}}"), node(host))
        .route(
            &format!("/{prefix}/{{version}}/{{node}}/{{edge}}"),
            edge(host),
        )
}

/// `GET /{container-id}`: a container's status.
fn node(host: Host) -> MethodRouter<Sandbox> {
    get(
        move |State(sandbox): State<Sandbox>,
              Path((_, node)): Path<(String, String)>,
              headers: HeaderMap,
              GraphParams(params): GraphParams| async move {
            containers::status(&sandbox, host, &node, &params, &headers).await
        },
    )
}

/// `GET` and `POST /{node}/{edge}`, by host and edge.
fn edge(host: Host) -> MethodRouter<Sandbox> {
    let read = move |State(sandbox): State<Sandbox>,
                     Path((version, node, edge)): Path<(String, String, String)>,
                     headers: HeaderMap,
                     GraphParams(params): GraphParams| async move {
        match (host, edge.as_str()) {
            (Host::Graph | Host::Instagram, "content_publishing_limit")
            | (Host::Threads, "threads_publishing_limit") => {
                containers::quota(&sandbox, host, &node, &params, &headers).await
            }
            (Host::Graph, _) => {
                let path = Path((version, node, edge));
                pages::business_pages(State(sandbox), path, headers, GraphParams(params)).await
            }
            _ => Err(GraphError::unknown_path(&format!("/{edge}"))),
        }
    };
    let write = move |State(sandbox): State<Sandbox>,
                      Path((_, node, edge)): Path<(String, String, String)>,
                      headers: HeaderMap,
                      GraphParams(params): GraphParams| async move {
        let (s, p, h) = (&sandbox, &params, &headers);
        match (host, edge.as_str()) {
            (Host::Graph, "feed" | "photos") => page::post(s, &node, &edge, p, h).await,
            (Host::Graph | Host::Instagram, "media") | (Host::Threads, "threads") => {
                containers::create(s, host, &node, p, h).await
            }
            (Host::Graph | Host::Instagram, "media_publish")
            | (Host::Threads, "threads_publish") => containers::publish(s, host, &node, p, h).await,
            _ => Err(GraphError::unknown_path(&format!("/{edge}"))),
        }
    };
    get(read).post(write)
}

/// A required parameter that is missing or empty: Graph's (#100).
pub fn required<'a>(params: &'a crate::graph::Params, name: &str) -> Result<&'a str, GraphError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            GraphError::oauth(
                100,
                None,
                format!("(#100) The parameter {name} is required"),
            )
        })
}

/// An http(s) URL, as Meta fetches media from.
pub fn media_url(value: &str) -> Result<&str, GraphError> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(value),
        _ => Err(GraphError::oauth(
            100,
            Some(2207052),
            "(#100) The media could not be fetched from this URI",
        )),
    }
}
