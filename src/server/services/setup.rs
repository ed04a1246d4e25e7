//! First run: on an empty database, create the first workspace and its Owner. Exactly once:
//! the installation row's primary key settles a race between two first-run forms.

use crate::domain::{EmailAddress, NewPassword, PersonName, Role, WorkspaceName};
use crate::error::AppError;
use crate::server::entities::{installation, user};
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::context::Context;
use crate::server::services::directory;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use serde_json::json;

/// The first-run form as submitted.
#[derive(Debug)]
pub struct SetupInput<'a> {
    pub workspace_name: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// Who was created.
#[derive(Debug, Clone, Copy)]
pub struct SetUp {
    pub user_id: i64,
    pub workspace_id: i64,
}

pub async fn any_user_exists(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(user::Entity::find().count(db).await? > 0)
}

/// Marks the installation as set up; `false` when it already was. Usable in a transaction.
pub async fn claim_installation(db: &impl ConnectionTrait, now: i64) -> Result<bool, DbErr> {
    let inserted = installation::Entity::insert(installation::ActiveModel {
        id: Set(1),
        setup_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(installation::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Validates the form (fields in the order shown), then creates workspace, Owner and
/// membership in one transaction.
pub async fn run(ctx: &Context<'_>, input: SetupInput<'_>) -> Result<SetUp, AppError> {
    let workspace_name = WorkspaceName::parse(input.workspace_name)?;
    let name = PersonName::parse(input.name)?;
    let email = EmailAddress::parse(input.email)?;
    let password = NewPassword::parse(input.password)?;
    if any_user_exists(ctx.db).await? {
        return Err(AppError::SetupAlreadyDone);
    }
    let password_hash = ctx.passwords.hash(password.expose()).await?;
    let now = ctx.clock.unix();

    let txn = ctx.db.begin().await?;
    if !claim_installation(&txn, now).await? {
        return Err(AppError::SetupAlreadyDone);
    }
    let space = directory::insert_workspace(&txn, workspace_name.as_str(), now).await?;
    let owner =
        directory::insert_user(&txn, email.as_str(), name.as_str(), password_hash, now).await?;
    directory::insert_membership(&txn, space.id, owner.id, Role::Owner, now).await?;
    audit::record(
        &txn,
        now,
        AuditEntry {
            workspace_id: Some(space.id),
            actor_user_id: Some(owner.id),
            kind: AuditKind::WorkspaceCreated,
            subject: space.name.clone(),
            detail: json!({ "owner": owner.email, "via": "first run" }),
            accounts: Vec::new(),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        workspace_id = space.id,
        user_id = owner.id,
        "first-run setup completed"
    );
    Ok(SetUp {
        user_id: owner.id,
        workspace_id: space.id,
    })
}
