//! What pages read, as plain async functions awaited inside `Suspend` during the server
//! render. Not `Resource`s over server functions: a Resource serialises its data into the page
//! for a hydration that never happens here. Each reads the shared state and the signed-in user
//! from the request's context, so pages never touch the database themselves.

use super::views::{ActivityFilter, ActivityView, ConnectOptions, ConnectionRow, MemberRow};
use super::{app_state, current_user};
use crate::error::AppError;
use crate::server::services::{activity, connections, members};

/// The workspace's connections.
pub async fn connections() -> Result<Vec<ConnectionRow>, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    Ok(connections::connections(&state.db, user.workspace.id).await?)
}

/// The workspace's members, by name.
pub async fn members() -> Result<Vec<MemberRow>, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    members::list(&state.db, user.workspace.id).await
}

/// One page of the activity log (Owner and Admin only) and the people to filter by.
pub async fn activity(filter: &ActivityFilter) -> Result<ActivityView, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    let page = activity::list(&state.db, &user, filter).await?;
    let people = members::list(&state.db, user.workspace.id)
        .await
        .unwrap_or_default();
    Ok(ActivityView { page, people })
}

/// Which providers have an app (or the sandbox) to connect with; known without the database.
pub fn connect_options() -> ConnectOptions {
    match app_state() {
        Ok(state) => ConnectOptions {
            instagram: state.instagram.is_some(),
            threads: state.threads.is_some(),
        },
        Err(_) => ConnectOptions::default(),
    }
}

/// Whether first-run setup is still to be done.
pub async fn setup_needed() -> bool {
    match app_state() {
        Ok(state) => !state.setup_done().await.unwrap_or(true),
        Err(_) => false,
    }
}
