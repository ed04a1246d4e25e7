//! The world: app credentials, scenarios, users' tokens, Pages, tasks and permissions.

use super::INVALIDATION_SUBCODES;
use super::{db_failure, fail, ControlError, ControlResult};
use crate::scenario::{Page, PageRole, Scenario};
use crate::Sandbox;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;

pub(super) async fn apps(State(sandbox): State<Sandbox>) -> ControlResult {
    let apps = sandbox.apps().await.map_err(db_failure)?;
    Ok(Json(apps).into_response())
}

pub(super) async fn scenario(State(sandbox): State<Sandbox>) -> ControlResult {
    Ok(Json(sandbox.scenario().await.map_err(db_failure)?).into_response())
}

/// The account types `/me` can answer on graph.instagram.com (any casing: a scenario may try
/// the `Business` spelling some pages show).
const ACCOUNT_TYPES: [&str; 3] = ["BUSINESS", "MEDIA_CREATOR", "PERSONAL"];

/// Checks the login accounts: ids of digits, each id belonging to one person only (an
/// invalidation reaches every app's tokens for an id), known account types.
fn validate_logins(scenario: &Scenario) -> Result<(), ControlError> {
    let unprocessable = |message: String| fail(StatusCode::UNPROCESSABLE_ENTITY, &message);
    let login_ids = scenario
        .instagram_accounts
        .iter()
        .flat_map(|a| [&a.id, &a.user_id])
        .chain(scenario.threads_profiles.iter().map(|p| &p.id));
    for id in login_ids {
        if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(unprocessable(format!("id {id:?} is not 1 to 32 digits")));
        }
    }
    let people = scenario
        .users
        .iter()
        .map(|u| &u.id)
        .chain(scenario.instagram_accounts.iter().map(|a| &a.id))
        .chain(scenario.threads_profiles.iter().map(|p| &p.id));
    let mut seen = std::collections::HashSet::new();
    for id in people {
        if !seen.insert(id) {
            return Err(unprocessable(format!("id {id} is given to two people")));
        }
    }
    for account in &scenario.instagram_accounts {
        let known = ACCOUNT_TYPES
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&account.account_type));
        if !known {
            return Err(unprocessable(format!(
                "Instagram account {} has account_type {:?}: one of BUSINESS, MEDIA_CREATOR, PERSONAL",
                account.id, account.account_type
            )));
        }
    }
    Ok(())
}

/// Checks that every role and portfolio names a Page of the scenario, and the login accounts.
fn validate(scenario: &Scenario) -> Result<(), ControlError> {
    validate_logins(scenario)?;
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

pub(super) async fn load_scenario(
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

pub(super) async fn reset_scenario(State(sandbox): State<Sandbox>) -> ControlResult {
    sandbox.reset_scenario().await.map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub(super) struct Invalidate {
    subcode: i32,
}

pub(super) async fn invalidate(
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
    // Facebook users, Instagram Login accounts and Threads profiles alike.
    if !scenario.knows_user(&user) {
        return Err(fail(StatusCode::NOT_FOUND, "no such test user"));
    }
    sandbox
        .invalidate_user(&user, request.subcode)
        .await
        .map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub(super) struct NewPage {
    page: Page,
    tasks: Vec<String>,
}

/// Adds a Page to a user ("new since last time").
pub(super) async fn add_page(
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
    let mut scenario =
        std::sync::Arc::unwrap_or_clone(sandbox.scenario().await.map_err(db_failure)?);
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
pub(super) struct Tasks {
    tasks: Vec<String>,
}

/// Changes a user's tasks on a Page (an empty list removes the role: their Page tokens then
/// answer 190/492).
pub(super) async fn set_tasks(
    State(sandbox): State<Sandbox>,
    Path((user, page)): Path<(String, String)>,
    body: Result<Json<Tasks>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(Tasks { tasks }) =
        body.map_err(|_| fail(StatusCode::BAD_REQUEST, "expected {\"tasks\": […]}"))?;
    let mut scenario =
        std::sync::Arc::unwrap_or_clone(sandbox.scenario().await.map_err(db_failure)?);
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

pub(super) async fn revoke_permission(
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
