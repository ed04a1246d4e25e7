//! Gives server-function errors their real HTTP status for non-browser clients. Leptos answers
//! every server-function error with 500; browsers are redirected back to the form instead, but
//! a script posting directly would see "500" for, say, a role refusal. Our errors are JSON with
//! a stable code, so the status is read from them.

use crate::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

const ERROR_HEADER: &str = "serverfnerror";
const MAX_ERROR_BODY: usize = 16 * 1024;

pub async fn map_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}
