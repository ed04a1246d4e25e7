//! The sandbox clock (and, in sandbox mode, the app's): read it, move it forward, bounded.

use super::{db_failure, fail, ControlResult};
use crate::Sandbox;
use crate::{CLOCK_RANGE_MESSAGE, MAX_CLOCK_OFFSET_SECONDS};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

pub(super) async fn clock(State(sandbox): State<Sandbox>) -> ControlResult {
    let offset = sandbox.clock_offset().await.map_err(db_failure)?;
    let now = sandbox.now().await.map_err(db_failure)?;
    Ok(Json(json!({ "offset_seconds": offset, "now": now })).into_response())
}

#[derive(Deserialize)]
pub(super) struct Advance {
    seconds: i64,
}

pub(super) async fn advance_clock(
    State(sandbox): State<Sandbox>,
    body: Result<Json<Advance>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(advance) = body.map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            "expected {\"seconds\": N} with N ≥ 0",
        )
    })?;
    let current = sandbox.clock_offset().await.map_err(db_failure)?;
    let within = advance.seconds >= 0
        && current
            .checked_add(advance.seconds)
            .is_some_and(|total| total <= MAX_CLOCK_OFFSET_SECONDS);
    if !within {
        return Err(fail(StatusCode::BAD_REQUEST, CLOCK_RANGE_MESSAGE));
    }
    let offset = sandbox
        .advance_clock(chrono::Duration::seconds(advance.seconds))
        .await
        .map_err(db_failure)?;
    Ok(Json(json!({ "offset_seconds": offset })).into_response())
}
