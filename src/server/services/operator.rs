//! Operator commands on users (`switchboard user create`, `user set-password`).

use crate::domain::{EmailAddress, NewPassword, PersonName, Role, WorkspaceName};
use crate::error::AppError;
use crate::server::auth::password::Passwords;
use crate::server::entities::{membership, workspace};
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::directory;
use crate::server::services::setup::claim_installation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

/// What `user create` did, for its one-line report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    NewUser { workspace_created: bool },
    ExistingUserAdded { workspace_created: bool },
    ExistingMemberRoleSet,
}

/// The `user create` input. `password` is needed only when the email is new.
pub struct CreateUser<'a> {
    pub email: &'a EmailAddress,
    pub name: &'a PersonName,
    pub workspace: &'a WorkspaceName,
    pub role: Role,
    pub password: Option<&'a NewPassword>,
}

/// Creates the user (or reuses an existing one, password unchanged) and gives them `role` in
/// the workspace named `workspace`, creating it when missing. One transaction.
pub async fn create(
    db: &DatabaseConnection,
    passwords: &Passwords,
    now: i64,
    input: CreateUser<'_>,
) -> Result<Created, AppError> {
    let existing = directory::find_by_email(db, input.email).await?;
    let is_new_user = existing.is_none();
    let new_hash = match (&existing, input.password) {
        (Some(_), _) => None,
        (None, Some(password)) => Some(passwords.hash(password.expose()).await?),
        (None, None) => {
            return Err(AppError::FieldRequired {
                field: crate::error::Field::Password,
            })
        }
    };
    let txn = db.begin().await?;
    claim_installation(&txn, now).await?;
    let found_space = workspace::Entity::find()
        .filter(workspace::Column::Name.eq(input.workspace.as_str()))
        .order_by_asc(workspace::Column::Id)
        .one(&txn)
        .await?;
    let workspace_created = found_space.is_none();
    let space = match found_space {
        Some(space) => space,
        None => {
            let space = directory::insert_workspace(&txn, input.workspace.as_str(), now).await?;
            audit::record(
                &txn,
                now,
                AuditEntry {
                    workspace_id: Some(space.id),
                    actor_user_id: None,
                    kind: AuditKind::WorkspaceCreated,
                    subject: space.name.clone(),
                    detail: json!({ "via": "command line" }),
                    accounts: Vec::new(),
                },
            )
            .await?;
            space
        }
    };
    let person = match (existing, new_hash) {
        (Some(person), _) => person,
        (None, hash) => {
            directory::insert_user(
                &txn,
                input.email.as_str(),
                input.name.as_str(),
                hash.unwrap_or_default(),
                now,
            )
            .await?
        }
    };
    let current = membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(space.id))
        .filter(membership::Column::UserId.eq(person.id))
        .one(&txn)
        .await?;
    let outcome = match current {
        Some(row) => {
            let mut row = row.into_active_model();
            row.role = Set(input.role.as_str().to_owned());
            row.update(&txn).await?;
            audit::record(
                &txn,
                now,
                AuditEntry {
                    workspace_id: Some(space.id),
                    actor_user_id: None,
                    kind: AuditKind::RoleChanged,
                    subject: person.email.clone(),
                    detail: json!({ "role": input.role.as_str(), "via": "command line" }),
                    accounts: Vec::new(),
                },
            )
            .await?;
            Created::ExistingMemberRoleSet
        }
        None => {
            directory::insert_membership(&txn, space.id, person.id, input.role, now).await?;
            audit::record(
                &txn,
                now,
                AuditEntry {
                    workspace_id: Some(space.id),
                    actor_user_id: None,
                    kind: AuditKind::MemberAdded,
                    subject: person.email.clone(),
                    detail: json!({ "role": input.role.as_str(), "via": "command line" }),
                    accounts: Vec::new(),
                },
            )
            .await?;
            if is_new_user {
                Created::NewUser { workspace_created }
            } else {
                Created::ExistingUserAdded { workspace_created }
            }
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

/// Sets a user's password and ends all their sessions. `Ok(false)` when no such user.
pub async fn set_password(
    db: &DatabaseConnection,
    passwords: &Passwords,
    now: i64,
    email: &EmailAddress,
    password: &NewPassword,
) -> Result<bool, AppError> {
    let Some(person) = directory::find_by_email(db, email).await? else {
        return Ok(false);
    };
    let hash = passwords.hash(password.expose()).await?;
    let txn = db.begin().await?;
    let ended = directory::replace_password(&txn, person.clone(), hash, None).await?;
    audit::record(
        &txn,
        now,
        AuditEntry {
            workspace_id: None,
            actor_user_id: None,
            kind: AuditKind::PasswordSet,
            subject: person.email.clone(),
            detail: json!({ "via": "command line", "sessions_ended": ended }),
            accounts: Vec::new(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
