//! Workspaces: creating one (its creator becomes Owner), renaming (Owner), and checking that a
//! user may switch to one.

use crate::domain::policy::{authorize, Permission};
use crate::domain::{Role, WorkspaceName};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::entities::{membership, workspace};
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::context::Context;
use crate::server::services::directory;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

/// Creates a workspace with `actor` as its Owner; returns its id.
pub async fn create(ctx: &Context<'_>, actor: &CurrentUser, name: &str) -> Result<i64, AppError> {
    let name = WorkspaceName::parse(name)?;
    let now = ctx.clock.unix();
    let txn = ctx.db.begin().await?;
    let space = directory::insert_workspace(&txn, name.as_str(), now).await?;
    directory::insert_membership(&txn, space.id, actor.user_id, Role::Owner, now).await?;
    audit::record(
        &txn,
        now,
        AuditEntry {
            workspace_id: Some(space.id),
            actor_user_id: Some(actor.user_id),
            kind: AuditKind::WorkspaceCreated,
            subject: space.name.clone(),
            detail: json!({ "owner": actor.email }),
            accounts: Vec::new(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(space.id)
}

/// Renames the actor's current workspace (Owner only).
pub async fn rename(ctx: &Context<'_>, actor: &CurrentUser, name: &str) -> Result<(), AppError> {
    authorize(actor.role, Permission::RenameWorkspace)?;
    let name = WorkspaceName::parse(name)?;
    let txn = ctx.db.begin().await?;
    let Some(space) = workspace::Entity::find_by_id(actor.workspace.id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let from = space.name.clone();
    let mut row = space.into_active_model();
    row.name = Set(name.as_str().to_owned());
    row.update(&txn).await?;
    audit::record(
        &txn,
        ctx.clock.unix(),
        audit::by(
            actor,
            AuditKind::WorkspaceRenamed,
            name.as_str(),
            json!({ "from": from, "to": name.as_str() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// `Ok` when `actor` belongs to `workspace_id`; a workspace they don't belong to is `NotFound`.
pub async fn check_member(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    workspace_id: i64,
) -> Result<(), AppError> {
    let found = membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(workspace_id))
        .filter(membership::Column::UserId.eq(actor.user_id))
        .one(ctx.db)
        .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}
