//! The sandbox's JSON control API (`/sandbox/_control/…`), for tests — ours and anyone's — to
//! set the scene over HTTP and see what the app asked: app credentials, scenarios, the clock,
//! token invalidation and permission revocation, failure injection, the call log and signed
//! requests. It answers only local scripts (see `control_guard`). One file per
//! concern: the world (`world`), the clock, failures and the call log (`faults`), signed requests
//! and app settings (`signed`), and the API's own page (`docs`).

mod clock;
mod docs;
mod faults;
mod signed;
mod world;

use super::Sandbox;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use clock::{advance_clock, clock};
use docs::documentation;
use faults::{add_failure, calls, clear_calls, clear_failures, failures};
use serde_json::json;
use signed::{app_settings, set_app_settings, signed_request};
use world::{
    add_page, apps, invalidate, load_scenario, reset_scenario, revoke_permission, scenario,
    set_tasks,
};

/// The subcodes Meta uses for invalidated user tokens (docs/meta-api.md §8).
pub const INVALIDATION_SUBCODES: [i32; 7] = [458, 459, 460, 463, 464, 467, 492];

/// The control routes, behind [`local_scripts_only`](super::control_guard::local_scripts_only).
pub fn routes(sandbox: &Sandbox) -> Router<Sandbox> {
    Router::new()
        .route("/", get(documentation))
        .route("/apps", get(apps))
        .route("/scenario", get(scenario).put(load_scenario))
        .route("/scenario/reset", post(reset_scenario))
        .route("/clock", get(clock).post(advance_clock))
        .route("/users/{user}/invalidate", post(invalidate))
        .route("/users/{user}/pages", post(add_page))
        .route("/users/{user}/pages/{page}/tasks", put(set_tasks))
        .route(
            "/users/{user}/permissions/{permission}/revoke",
            post(revoke_permission),
        )
        .route(
            "/failures",
            get(failures).post(add_failure).delete(clear_failures),
        )
        .route("/calls", get(calls).delete(clear_calls))
        .route("/signed_requests", post(signed_request))
        .route("/app_settings", get(app_settings).put(set_app_settings))
        .layer(from_fn_with_state(
            sandbox.clone(),
            super::control_guard::local_scripts_only,
        ))
}

/// A refusal: a status and a one-line reason, as `{"error": …}`.
pub struct ControlError {
    status: StatusCode,
    message: String,
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

pub(super) fn fail(status: StatusCode, message: &str) -> ControlError {
    ControlError {
        status,
        message: message.to_owned(),
    }
}

pub(super) fn db_failure(err: sea_orm::DbErr) -> ControlError {
    tracing::error!(error = %err, "sandbox control: database error");
    fail(
        StatusCode::SERVICE_UNAVAILABLE,
        "the sandbox's database did not answer",
    )
}

pub(super) type ControlResult = Result<Response, ControlError>;
