//! A workspace's members: listing, adding, role changes, password resets and removal, under
//! the rules of docs/product.md → "Who uses it". Every operation is scoped to the actor's current
//! workspace (another workspace's member answers `NotFound`), checks the policy first, and
//! writes its change and its audit entry in one transaction.

use crate::domain::policy::{authorize, Permission};
use crate::domain::{EmailAddress, NewPassword, PersonName, Role};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::auth::session_store::delete_user_sessions;
use crate::server::entities::{membership, user, workspace};
use crate::server::services::audit::{self, AuditKind};
use crate::server::services::context::Context;
use crate::server::services::directory;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

/// One row of the members table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// The members of `workspace_id`, by name. Rows with an unreadable role are skipped and logged.
pub async fn list(
    db: &impl ConnectionTrait,
    workspace_id: i64,
) -> Result<Vec<MemberRow>, AppError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(workspace_id))
        .find_also_related(user::Entity)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    let mut members: Vec<MemberRow> = rows
        .into_iter()
        .filter_map(|(member, person)| {
            let person = person?;
            match member.role.parse::<Role>() {
                Ok(role) => Some(MemberRow { user_id: person.id, name: person.name, email: person.email, role }),
                Err(err) => {
                    tracing::error!(membership_id = member.id, error = %err, "membership with an unknown role");
                    None
                }
            }
        })
        .collect();
    members.sort_by_key(|m| m.name.to_lowercase());
    Ok(members)
}

/// The **Add member** form as submitted.
#[derive(Debug)]
pub struct AddMember<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub password: &'a str,
}

/// What adding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub email: String,
    /// The email already had an account: it was added, its password unchanged.
    pub existing_account: bool,
}

fn parse_role(value: &str) -> Result<Role, AppError> {
    value.parse::<Role>().map_err(|_| AppError::RoleInvalid)
}

/// A target member of the actor's workspace, with their role.
struct Target {
    membership: membership::Model,
    person: user::Model,
    role: Role,
}

async fn find_target(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    user_id: i64,
) -> Result<Target, AppError> {
    let found = membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(actor.workspace.id))
        .filter(membership::Column::UserId.eq(user_id))
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    let Some((membership, Some(person))) = found else {
        return Err(AppError::NotFound);
    };
    let role = membership
        .role
        .parse::<Role>()
        .map_err(|err| AppError::internal("stored role", err))?;
    Ok(Target {
        membership,
        person,
        role,
    })
}

/// Starts a membership change that depends on who else is an Owner by writing the
/// workspace's row. Counting Owners and then changing one is only safe when no other such
/// change runs in between: on PostgreSQL the row lock makes the next one wait (and, under READ
/// COMMITTED, count again after this one commits); on SQLite the write takes the database's
/// write lock at once, which also spares the transaction the `SQLITE_BUSY_SNAPSHOT` a
/// read-then-write transaction can hit. `FOR UPDATE` would do neither on SQLite.
pub async fn lock_workspace(db: &impl ConnectionTrait, workspace_id: i64) -> Result<(), AppError> {
    workspace::Entity::update_many()
        .col_expr(workspace::Column::Name, Expr::col(workspace::Column::Name))
        .filter(workspace::Column::Id.eq(workspace_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn owner_count(db: &impl ConnectionTrait, workspace_id: i64) -> Result<u64, AppError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(workspace_id))
        .filter(membership::Column::Role.eq(Role::Owner.as_str()))
        .count(db)
        .await?)
}

/// Adds a member. An email that already has an account is added with its password unchanged
/// (so adding someone never gives you their account); a new one gets the initial password.
pub async fn add(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    input: AddMember<'_>,
) -> Result<Added, AppError> {
    authorize(actor.role, Permission::ManageMembers)?;
    let email = EmailAddress::parse(input.email)?;
    let name = PersonName::parse(input.name)?;
    let role = parse_role(input.role)?;
    if role == Role::Owner {
        authorize(actor.role, Permission::ManageOwners)?;
    }
    let existing = directory::find_by_email(ctx.db, &email).await?;
    let new_hash = match &existing {
        Some(_) => None,
        None => Some(
            ctx.passwords
                .hash(NewPassword::parse(input.password)?.expose())
                .await?,
        ),
    };
    let now = ctx.clock.unix();
    let txn = ctx.db.begin().await?;
    let person = match existing {
        Some(person) => {
            let already = membership::Entity::find()
                .filter(membership::Column::WorkspaceId.eq(actor.workspace.id))
                .filter(membership::Column::UserId.eq(person.id))
                .one(&txn)
                .await?;
            if already.is_some() {
                return Err(AppError::AlreadyMember);
            }
            person
        }
        None => {
            directory::insert_user(
                &txn,
                email.as_str(),
                name.as_str(),
                new_hash.clone().unwrap_or_default(),
                now,
            )
            .await?
        }
    };
    directory::insert_membership(&txn, actor.workspace.id, person.id, role, now).await?;
    let existing_account = new_hash.is_none();
    audit::record(
        &txn,
        now,
        audit::by(
            actor,
            AuditKind::MemberAdded,
            &person.email,
            json!({ "role": role.as_str(), "existing_account": existing_account }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Added {
        email: person.email,
        existing_account,
    })
}

/// Changes a member's role. Nobody changes their own; only Owners make or unmake Owners; the
/// last Owner keeps the role. Takes effect on the member's next request.
pub async fn change_role(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    user_id: i64,
    role: &str,
) -> Result<String, AppError> {
    authorize(actor.role, Permission::ManageMembers)?;
    let role = parse_role(role)?;
    let txn = ctx.db.begin().await?;
    lock_workspace(&txn, actor.workspace.id).await?;
    let target = find_target(&txn, actor, user_id).await?;
    if target.person.id == actor.user_id {
        return Err(AppError::OwnRole);
    }
    if role == Role::Owner || target.role == Role::Owner {
        authorize(actor.role, Permission::ManageOwners)?;
    }
    if target.role == Role::Owner
        && role != Role::Owner
        && owner_count(&txn, actor.workspace.id).await? <= 1
    {
        return Err(AppError::LastOwner);
    }
    let from = target.role;
    let mut row = target.membership.into_active_model();
    row.role = Set(role.as_str().to_owned());
    row.update(&txn).await?;
    audit::record(
        &txn,
        ctx.clock.unix(),
        audit::by(
            actor,
            AuditKind::RoleChanged,
            &target.person.email,
            json!({ "from": from.as_str(), "to": role.as_str() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(target.person.name)
}

/// Sets a member's password and ends their sessions. Only for someone whose role is not above
/// the actor's and who belongs to no other workspace.
pub async fn reset_password(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    user_id: i64,
    password: &str,
) -> Result<String, AppError> {
    authorize(actor.role, Permission::ManageMembers)?;
    let target = find_target(ctx.db, actor, user_id).await?;
    if target.person.id == actor.user_id {
        return Err(AppError::ResetOwnPassword);
    }
    if target.role > actor.role {
        return Err(AppError::ResetAboveRole);
    }
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(target.person.id))
        .count(ctx.db)
        .await?;
    if memberships > 1 {
        return Err(AppError::ResetOtherWorkspaces);
    }
    let password = NewPassword::parse(password)?;
    let hash = ctx.passwords.hash(password.expose()).await?;
    let txn = ctx.db.begin().await?;
    let email = target.person.email.clone();
    let name = target.person.name.clone();
    let ended = directory::replace_password(&txn, target.person, hash, None).await?;
    audit::record(
        &txn,
        ctx.clock.unix(),
        audit::by(
            actor,
            AuditKind::PasswordReset,
            &email,
            json!({ "sessions_ended": ended }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(name)
}

/// Removes a member from the workspace and ends their sessions at once. Removing an Owner
/// takes an Owner; the last Owner can't be removed (or leave).
pub async fn remove(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    user_id: i64,
) -> Result<String, AppError> {
    authorize(actor.role, Permission::ManageMembers)?;
    let txn = ctx.db.begin().await?;
    lock_workspace(&txn, actor.workspace.id).await?;
    let target = find_target(&txn, actor, user_id).await?;
    if target.role == Role::Owner {
        authorize(actor.role, Permission::ManageOwners)?;
        if owner_count(&txn, actor.workspace.id).await? <= 1 {
            return Err(AppError::LastOwner);
        }
    }
    target.membership.delete(&txn).await?;
    let ended = delete_user_sessions(&txn, user_id, None).await?;
    audit::record(
        &txn,
        ctx.clock.unix(),
        audit::by(
            actor,
            AuditKind::MemberRemoved,
            &target.person.email,
            json!({ "role": target.role.as_str(), "sessions_ended": ended }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(target.person.name)
}
