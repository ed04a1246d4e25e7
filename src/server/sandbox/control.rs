//! The sandbox's JSON control API (`/sandbox/_control/…`), for tests — ours and anyone's — to
//! set the scene over HTTP: app credentials, scenarios, the clock, token invalidation. It
//! answers only clients on loopback. (Failure injection, the call log and signed requests are
//! still to come.)

use super::dialog::{escape, sandbox_page};
use super::scenario::{Page, PageRole, Scenario};
use super::Sandbox;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

/// The subcodes Meta uses for invalidated user tokens (meta-api.md §8).
pub const INVALIDATION_SUBCODES: [i32; 7] = [458, 459, 460, 463, 464, 467, 492];

pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/", get(documentation))
        .route("/apps", get(apps))
        .route("/scenario", get(scenario).put(load_scenario))
        .route("/scenario/reset", post(reset_scenario))
        .route("/clock", get(clock).post(advance_clock))
        .route("/users/{user}/invalidate", post(invalidate))
        .route("/users/{user}/pages", post(add_page))
        .route("/users/{user}/pages/{page}/tasks", put(set_tasks))
        .layer(from_fn(loopback_only))
}

/// Refuses every client that isn't on loopback (or whose address is unknown).
pub async fn loopback_only(req: Request, next: Next) -> Response {
    let loopback = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(addr)| addr.ip().is_loopback());
    if loopback {
        return next.run(req).await;
    }
    fail(
        StatusCode::FORBIDDEN,
        "the sandbox control API answers only clients on loopback",
    )
    .into_response()
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

fn fail(status: StatusCode, message: &str) -> ControlError {
    ControlError {
        status,
        message: message.to_owned(),
    }
}

fn db_failure(err: sea_orm::DbErr) -> ControlError {
    tracing::error!(error = %err, "sandbox control: database error");
    fail(
        StatusCode::SERVICE_UNAVAILABLE,
        "the sandbox's database did not answer",
    )
}

type ControlResult = Result<Response, ControlError>;

async fn apps(State(sandbox): State<Sandbox>) -> ControlResult {
    let apps = sandbox.apps().await.map_err(db_failure)?;
    Ok(Json(apps).into_response())
}

async fn scenario(State(sandbox): State<Sandbox>) -> ControlResult {
    Ok(Json(sandbox.scenario().await.map_err(db_failure)?).into_response())
}

/// Checks that every role and portfolio names a Page of the scenario.
fn validate(scenario: &Scenario) -> Result<(), ControlError> {
    let known = |id: &String| scenario.pages.iter().any(|p| &p.id == id);
    for user in &scenario.users {
        if let Some(role) = user.roles.iter().find(|r| !known(&r.page_id)) {
            return Err(fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!(
                    "user {} has a role on unknown Page {}",
                    user.id, role.page_id
                ),
            ));
        }
    }
    for business in &scenario.businesses {
        if let Some(id) = business
            .owned_pages
            .iter()
            .chain(&business.client_pages)
            .find(|id| !known(id))
        {
            return Err(fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("business {} lists unknown Page {id}", business.id),
            ));
        }
    }
    Ok(())
}

async fn load_scenario(
    State(sandbox): State<Sandbox>,
    body: Result<Json<Scenario>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(scenario) = body.map_err(|err| {
        fail(
            StatusCode::BAD_REQUEST,
            &format!("not a scenario: {}", err.body_text()),
        )
    })?;
    validate(&scenario)?;
    sandbox.load_scenario(&scenario).await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn reset_scenario(State(sandbox): State<Sandbox>) -> ControlResult {
    sandbox.reset_scenario().await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn clock(State(sandbox): State<Sandbox>) -> ControlResult {
    let offset = sandbox.clock_offset().await.map_err(db_failure)?;
    let now = sandbox.now().await.map_err(db_failure)?;
    Ok(Json(json!({ "offset_seconds": offset, "now": now })).into_response())
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance_clock(
    State(sandbox): State<Sandbox>,
    body: Result<Json<Advance>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(advance) = body.map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            "expected {\"seconds\": N} with N ≥ 0",
        )
    })?;
    if advance.seconds < 0 {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            "the sandbox clock only moves forward",
        ));
    }
    let offset = sandbox
        .advance_clock(chrono::Duration::seconds(advance.seconds))
        .await
        .map_err(db_failure)?;
    Ok(Json(json!({ "offset_seconds": offset })).into_response())
}

#[derive(Deserialize)]
struct Invalidate {
    subcode: i32,
}

async fn invalidate(
    State(sandbox): State<Sandbox>,
    Path(user): Path<String>,
    body: Result<Json<Invalidate>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(request) =
        body.map_err(|_| fail(StatusCode::BAD_REQUEST, "expected {\"subcode\": 460}"))?;
    if !INVALIDATION_SUBCODES.contains(&request.subcode) {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            "subcode must be one of 458, 459, 460, 463, 464, 467, 492",
        ));
    }
    let scenario = sandbox.scenario().await.map_err(db_failure)?;
    if scenario.user(&user).is_none() {
        return Err(fail(StatusCode::NOT_FOUND, "no such test user"));
    }
    sandbox
        .invalidate_user(&user, request.subcode)
        .await
        .map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct NewPage {
    page: Page,
    tasks: Vec<String>,
}

/// Adds a Page to a user ("new since last time").
async fn add_page(
    State(sandbox): State<Sandbox>,
    Path(user): Path<String>,
    body: Result<Json<NewPage>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(new) = body.map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            "expected {\"page\": {\"id\", \"name\"}, \"tasks\": […]}",
        )
    })?;
    let mut scenario = sandbox.scenario().await.map_err(db_failure)?;
    let Some(person) = scenario.users.iter_mut().find(|u| u.id == user) else {
        return Err(fail(StatusCode::NOT_FOUND, "no such test user"));
    };
    if !person.roles.iter().any(|r| r.page_id == new.page.id) {
        person.roles.push(PageRole {
            page_id: new.page.id.clone(),
            tasks: new.tasks,
        });
    }
    if scenario.page(&new.page.id).is_none() {
        scenario.pages.push(new.page);
    }
    sandbox.load_scenario(&scenario).await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct Tasks {
    tasks: Vec<String>,
}

/// Changes a user's tasks on a Page (an empty list removes the role: their Page tokens then
/// answer 190/492).
async fn set_tasks(
    State(sandbox): State<Sandbox>,
    Path((user, page)): Path<(String, String)>,
    body: Result<Json<Tasks>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(Tasks { tasks }) =
        body.map_err(|_| fail(StatusCode::BAD_REQUEST, "expected {\"tasks\": […]}"))?;
    let mut scenario = sandbox.scenario().await.map_err(db_failure)?;
    let Some(person) = scenario.users.iter_mut().find(|u| u.id == user) else {
        return Err(fail(StatusCode::NOT_FOUND, "no such test user"));
    };
    let Some(index) = person.roles.iter().position(|r| r.page_id == page) else {
        return Err(fail(
            StatusCode::NOT_FOUND,
            "the user has no role on that Page",
        ));
    };
    if tasks.is_empty() {
        person.roles.remove(index);
    } else if let Some(role) = person.roles.get_mut(index) {
        role.tasks = tasks;
    }
    sandbox.load_scenario(&scenario).await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The control API's own documentation page.
async fn documentation() -> Html<String> {
    let rows = [
        ("GET", "/sandbox/_control/apps", "the three app credential pairs: {\"facebook\":{\"app_id\",\"app_secret\"},\"instagram\":…,\"threads\":…}"),
        ("GET", "/sandbox/_control/scenario", "the current scenario (users, pages, businesses)"),
        ("PUT", "/sandbox/_control/scenario", "replace the scenario (JSON body; every role must name a known Page)"),
        ("POST", "/sandbox/_control/scenario/reset", "back to the default scenario"),
        ("GET", "/sandbox/_control/clock", "{\"offset_seconds\", \"now\"}"),
        ("POST", "/sandbox/_control/clock", "{\"seconds\": N}: move the sandbox clock — and the app's — forward"),
        ("POST", "/sandbox/_control/users/{id}/invalidate", "{\"subcode\": 458|459|460|463|464|467|492}: invalidate the user's tokens"),
        ("POST", "/sandbox/_control/users/{id}/pages", "{\"page\": {\"id\",\"name\"}, \"tasks\": […]}: give the user a (new) Page"),
        ("PUT", "/sandbox/_control/users/{id}/pages/{page}/tasks", "{\"tasks\": […]}: change the user's tasks; [] removes the role"),
    ]
    .iter()
    .map(|(method, path, what)| format!("<tr><td>{method}</td><td><code>{}</code></td><td>{}</td></tr>", escape(path), escape(what)))
    .collect::<String>();
    Html(sandbox_page(
        "Sandbox control API",
        &format!(
            "<h1>Sandbox control API</h1><p>JSON over HTTP, for loopback clients only.</p>\
             <table class=\"table\"><thead><tr><th>Method</th><th>Path</th><th>Does</th></tr></thead><tbody>{rows}</tbody></table>"
        ),
    ))
}
