//! The directory of people, workspaces and memberships: finding a person and the row writes
//! several operations share (first run, the CLI, member management, your profile), so each
//! rule about a row lives in one place. All take a connection or transaction.

use crate::domain::{EmailAddress, Role};
use crate::server::auth::session_store::delete_user_sessions;
use crate::server::entities::{membership, user, workspace};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use tower_sessions::session::Id;

/// Finds the user by email, or `None`.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await
}

pub async fn insert_workspace(
    db: &impl ConnectionTrait,
    name: &str,
    now: i64,
) -> Result<workspace::Model, DbErr> {
    workspace::ActiveModel {
        name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A new user with time zone UTC. `email` is already normalised.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    password_hash: String,
    now: i64,
) -> Result<user::Model, DbErr> {
    user::ActiveModel {
        email: Set(email.to_owned()),
        name: Set(name.to_owned()),
        password_hash: Set(password_hash),
        time_zone: Set("UTC".to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn insert_membership(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    user_id: i64,
    role: Role,
    now: i64,
) -> Result<membership::Model, DbErr> {
    membership::ActiveModel {
        workspace_id: Set(workspace_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Stores a new password hash and ends the user's sessions (all, or all but `keep`); returns
/// how many ended. A changed password always ends sessions: that is what makes a reset safe.
pub async fn replace_password(
    db: &impl ConnectionTrait,
    person: user::Model,
    password_hash: String,
    keep: Option<&Id>,
) -> Result<u64, DbErr> {
    let user_id = person.id;
    let mut row = person.into_active_model();
    row.password_hash = Set(password_hash);
    row.update(db).await?;
    delete_user_sessions(db, user_id, keep).await
}
