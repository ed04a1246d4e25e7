//! HTTP hygiene and plain (non-Leptos) handlers: Host and Origin checks, security headers,
//! sign-in guard, static assets, health probe, error responses, the OAuth callback route and
//! Meta's signed-request webhooks.

pub mod assets;
pub mod client_ip;
pub mod error_response;
pub mod guard;
pub mod headers;
pub mod health;
pub mod host;
pub mod identify;
pub mod metrics;
pub mod oauth_callback;
pub mod origin;
pub mod outage;
pub mod request_metrics;
pub mod server_fn_status;
pub mod trace;
pub mod webhooks;
