//! The sandbox's JSON control API (`/sandbox/_control/…`), for tests — ours and anyone's — to
//! set the scene over HTTP and see what the app asked: app credentials, scenarios, the clock,
//! token invalidation and permission revocation, failure injection, the call log and signed
//! requests. It answers only local scripts (see `control_guard`).

use super::calls::CallFilter;
use super::dialog::{escape, sandbox_page};
use super::failures::Failure;
use super::scenario::{Page, PageRole, Scenario};
use super::signed::{Callback, DeliveryError, Product};
use super::{Sandbox, CLOCK_RANGE_MESSAGE, MAX_CLOCK_OFFSET_SECONDS};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// The subcodes Meta uses for invalidated user tokens (meta-api.md §8).
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

async fn revoke_permission(
    State(sandbox): State<Sandbox>,
    Path((user, permission)): Path<(String, String)>,
) -> ControlResult {
    match sandbox
        .revoke_permission(&user, &permission)
        .await
        .map_err(db_failure)?
    {
        true => Ok(StatusCode::NO_CONTENT.into_response()),
        false => Err(fail(
            StatusCode::NOT_FOUND,
            "the user has not granted the Facebook app that permission",
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewFailure {
    path: String,
    times: Option<i32>,
    failure: Failure,
}

/// Plans a failure: `{"path": "*/oauth/access_token", "times": 1, "failure": {"kind": …}}`.
async fn add_failure(
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

async fn failures(State(sandbox): State<Sandbox>) -> ControlResult {
    let plans = sandbox.failures().await.map_err(db_failure)?;
    Ok(Json(json!({ "data": plans })).into_response())
}

async fn clear_failures(State(sandbox): State<Sandbox>) -> ControlResult {
    sandbox.clear_failures().await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn calls(
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

async fn clear_calls(State(sandbox): State<Sandbox>) -> ControlResult {
    sandbox.clear_calls().await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedRequestOrder {
    product: Product,
    callback: Callback,
    user_id: String,
    #[serde(default)]
    forged: bool,
    #[serde(default)]
    deliver: bool,
}

/// Produces a signed request (`{"signed_request": …}`) and, with `"deliver": true`, POSTs it to
/// this app's own webhook and reports the answer.
async fn signed_request(
    State(sandbox): State<Sandbox>,
    body: Result<Json<SignedRequestOrder>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(order) = body.map_err(|err| {
        fail(
            StatusCode::BAD_REQUEST,
            &format!("not a signed-request order: {}", err.body_text()),
        )
    })?;
    if order.user_id.is_empty() || order.user_id.len() > 64 {
        return Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "user_id is 1 to 64 characters",
        ));
    }
    if !order.deliver {
        let signed = sandbox
            .signed_request(order.product, order.callback, &order.user_id, order.forged)
            .await
            .map_err(db_failure)?;
        return Ok(Json(json!({ "signed_request": signed })).into_response());
    }
    match sandbox
        .deliver_signed_request(order.product, order.callback, &order.user_id, order.forged)
        .await
    {
        Ok(delivery) => Ok(Json(json!({ "delivered": delivery })).into_response()),
        Err(DeliveryError::Database(err)) => Err(db_failure(err)),
        Err(DeliveryError::Unreachable(reason)) => Err(fail(
            StatusCode::BAD_GATEWAY,
            &format!("the app's webhook did not answer: {reason}"),
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppSettings {
    require_appsecret_proof: bool,
}

async fn app_settings(State(sandbox): State<Sandbox>) -> ControlResult {
    let on = sandbox
        .requires_appsecret_proof()
        .await
        .map_err(db_failure)?;
    Ok(Json(json!({ "require_appsecret_proof": on })).into_response())
}

/// The Facebook app's dashboard settings: `{"require_appsecret_proof": true}`.
async fn set_app_settings(
    State(sandbox): State<Sandbox>,
    body: Result<Json<AppSettings>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(settings) = body.map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            "expected {\"require_appsecret_proof\": true|false}",
        )
    })?;
    sandbox
        .set_require_appsecret_proof(settings.require_appsecret_proof)
        .await
        .map_err(db_failure)?;
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
        ("POST", "/sandbox/_control/users/{id}/permissions/{permission}/revoke", "revoke one permission the user granted the Facebook app (it becomes declined)"),
        ("POST", "/sandbox/_control/failures", "{\"path\": \"*/oauth/access_token\", \"times\": 1, \"failure\": {\"kind\": …}}: the next N calls whose path under /sandbox matches (* = anything) fail. Kinds: http_500; timeout {seconds}; malformed_json; html; oversized {bytes}; graph_error {code, subcode, minutes} (rate-limit codes 4, 17, 32, 341, 613, 80001, 80002 carry usage headers at 100 % and estimated_time_to_regain_access = minutes); usage {percent}: the real answer with usage headers at that percentage"),
        ("GET", "/sandbox/_control/failures", "the plans with failures left"),
        ("GET|PUT", "/sandbox/_control/app_settings", "{\"require_appsecret_proof\": true|false}: the Facebook app's \"Require App Secret\" setting; when on, user and Page tokens without appsecret_proof are refused (GraphMethodException, code 100)"),
        ("DELETE", "/sandbox/_control/failures", "remove every plan"),
        ("GET", "/sandbox/_control/calls?path=&method=&product=", "{\"data\": [{at, method, path, product, token_fingerprint, code_fingerprint, status}]}: every call received, oldest first; fingerprints are the first 16 hex digits of SHA-256 of the token or code sent"),
        ("DELETE", "/sandbox/_control/calls", "clear the call log"),
        ("POST", "/sandbox/_control/signed_requests", "{\"product\": \"facebook\"|\"instagram\"|\"threads\", \"callback\": \"deauthorize\"|\"data_deletion\", \"user_id\", \"forged\": false, \"deliver\": false}: a signed_request signed with that product's secret (forged: with another); deliver POSTs it to this app's /webhooks/{meta|instagram|threads}/{deauthorize|data-deletion} and reports {url, status, body}"),
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
