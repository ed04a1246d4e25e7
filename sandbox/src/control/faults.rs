//! Failure plans and the call log.

use super::{db_failure, fail, ControlResult};
use crate::calls::CallFilter;
use crate::failures::Failure;
use crate::Sandbox;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewFailure {
    path: String,
    times: Option<i32>,
    failure: Failure,
}

/// Plans a failure: `{"path": "*/oauth/access_token", "times": 1, "failure": {"kind": …}}`.
pub(super) async fn add_failure(
    State(sandbox): State<Sandbox>,
    body: Result<Json<NewFailure>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(new) = body.map_err(|err| {
        fail(
            StatusCode::BAD_REQUEST,
            &format!("not a failure plan: {}", err.body_text()),
        )
    })?;
    let times = new.times.unwrap_or(1);
    if !(1..=1000).contains(&times) {
        return Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "times must be between 1 and 1000",
        ));
    }
    if new.path.is_empty()
        || new.path.len() > 255
        || !(new.path.starts_with('/') || new.path.starts_with('*'))
    {
        return Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "path is a pattern under /sandbox, starting with / or *, at most 255 characters",
        ));
    }
    new.failure
        .validate()
        .map_err(|message| fail(StatusCode::UNPROCESSABLE_ENTITY, &message))?;
    let id = sandbox
        .fail_next(&new.path, times, &new.failure)
        .await
        .map_err(db_failure)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub(super) async fn failures(State(sandbox): State<Sandbox>) -> ControlResult {
    let plans = sandbox.failures().await.map_err(db_failure)?;
    Ok(Json(json!({ "data": plans })).into_response())
}

pub(super) async fn clear_failures(State(sandbox): State<Sandbox>) -> ControlResult {
    sandbox.clear_failures().await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(super) async fn calls(
    State(sandbox): State<Sandbox>,
    filter: Result<Query<CallFilter>, axum::extract::rejection::QueryRejection>,
) -> ControlResult {
    let Query(filter) = filter.map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            "filters are path, method and product",
        )
    })?;
    let calls = sandbox.calls(&filter).await.map_err(db_failure)?;
    Ok(Json(json!({ "data": calls })).into_response())
}

pub(super) async fn clear_calls(State(sandbox): State<Sandbox>) -> ControlResult {
    sandbox.clear_calls().await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
