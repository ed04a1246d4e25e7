//! Workspaces: switch, create, rename.

use crate::error::AppError;
use leptos::prelude::*;

/// The header's workspace switcher.
#[server(prefix = "/api", endpoint = "switch_workspace")]
pub async fn switch_workspace(workspace_id: String) -> Result<(), AppError> {
    use crate::server::services::workspaces;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let id: i64 = workspace_id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    workspaces::check_member(&state.services(), &actor, id).await?;
    super::open_workspace(&session, id).await?;
    leptos_axum::redirect("/accounts");
    Ok(())
}

/// **New workspace**: the creator becomes its Owner and it opens.
#[server(prefix = "/api", endpoint = "create_workspace")]
pub async fn create_workspace(name: String) -> Result<(), AppError> {
    use crate::server::services::workspaces;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let id = workspaces::create(&state.services(), &actor, &name).await?;
    super::open_workspace(&session, id).await?;
    super::flash_and_redirect(
        &session,
        &format!("Created the workspace {}.", name.trim()),
        "/accounts",
    )
    .await
}

/// Settings → Workspace: rename (Owner).
#[server(prefix = "/api", endpoint = "rename_workspace")]
pub async fn rename_workspace(name: String) -> Result<(), AppError> {
    use crate::server::services::workspaces;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    workspaces::rename(&state.services(), &actor, &name).await?;
    super::flash_and_redirect(&session, "Workspace renamed.", "/settings/workspace").await
}
