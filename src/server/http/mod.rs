//! HTTP hygiene and plain (non-Leptos) handlers: Host and Origin checks, security headers,
//! sign-in guard, static assets, health probe and error responses.

pub mod assets;
pub mod error_response;
pub mod guard;
pub mod headers;
pub mod health;
pub mod host;
pub mod origin;
pub mod server_fn_status;
