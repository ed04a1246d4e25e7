//! `#[server]` functions: the actions behind every form. Thin by design: read the request's
//! user and input, call a service, set the flash and redirect.

pub mod account;
pub mod auth;
pub mod connect;
pub mod connections;
pub mod members;
pub mod publishing;
pub mod queries;
pub mod views;
pub mod workspaces;

use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::auth::session_keys::FLASH;
use crate::server::state::AppState;
use tower_sessions::Session;

/// The shared state, provided to every server function by the router.
pub(crate) fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("server function", "AppState missing from context"))
}

/// The request's session.
pub(crate) async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|err| AppError::internal("session extractor", err))
}

/// The signed-in user, as identified by the middleware for this request.
pub(crate) fn current_user() -> Result<CurrentUser, AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
        .ok_or(AppError::SignInRequired)
}

/// Leaves a message for the next page and redirects there.
pub(crate) async fn flash_and_redirect(
    session: &Session,
    message: &str,
    to: &str,
) -> Result<(), AppError> {
    session
        .insert(FLASH, message)
        .await
        .map_err(|err| AppError::internal("session write", err))?;
    leptos_axum::redirect(to);
    Ok(())
}

/// A new session id for the same session: the old id stops working at once. Done whenever
/// what the session may do changes (sign-in, another workspace, a new password), so an id
/// someone saw before is worth nothing after.
pub(crate) async fn rotate_session_id(session: &Session) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(|err| AppError::internal("session cycle", err))
}

/// Makes `workspace_id` the session's current workspace, under a new session id.
pub(crate) async fn open_workspace(session: &Session, workspace_id: i64) -> Result<(), AppError> {
    use crate::server::auth::session_keys::{PRIVILEGE, WORKSPACE_ID};
    rotate_session_id(session).await?;
    // Rotated already: the next request records the new workspace's role without rotating again.
    let _ = session.remove::<String>(PRIVILEGE).await;
    session
        .insert(WORKSPACE_ID, workspace_id)
        .await
        .map_err(|err| AppError::internal("session write", err))
}
