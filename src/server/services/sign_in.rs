//! Signing in: bounded input, throttling before any hashing, the same answer (and similar
//! time) for an unknown email and a wrong password, and a rehash when today's parameters are
//! stronger than the stored hash's.

use crate::domain::password::check_length;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::server::auth::password::Verified;
use crate::server::auth::throttle;
use crate::server::entities::membership;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::users;
use crate::server::state::AppState;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

/// A successful sign-in: the user and the workspace to open first.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn {
    pub user_id: i64,
    pub workspace_id: i64,
}

pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: &str,
) -> Result<SignedIn, AppError> {
    let email = EmailAddress::parse(email)?;
    check_length(password)?;
    let keys = throttle::keys_for(email.as_str(), client);
    throttle::check(&state.db, state.clock.unix(), &keys).await?;

    let found = users::find_by_email(&state.db, &email).await?;
    let verified = state
        .passwords
        .verify(password, found.as_ref().map(|u| u.password_hash.as_str()))
        .await?;
    let (Some(person), Verified::Yes { rehash }) = (found, verified) else {
        throttle::record_failure(&state.db, state.clock.unix(), &keys).await?;
        tracing::info!(client, code = "incorrect_credentials", "sign-in refused");
        return Err(AppError::IncorrectCredentials);
    };
    throttle::clear_pair(&state.db, &keys).await?;

    let first_membership = membership::Entity::find()
        .filter(membership::Column::UserId.eq(person.id))
        .order_by_asc(membership::Column::Id)
        .one(&state.db)
        .await?;
    let Some(first_membership) = first_membership else {
        return Err(AppError::NoWorkspace);
    };
    if rehash {
        let hash = state.passwords.hash(password).await?;
        let mut row = person.clone().into_active_model();
        row.password_hash = Set(hash);
        row.update(&state.db).await?;
    }
    audit::record(
        &state.db,
        state.clock.unix(),
        AuditEntry {
            workspace_id: Some(first_membership.workspace_id),
            actor_user_id: Some(person.id),
            kind: AuditKind::SignedIn,
            subject: person.email.clone(),
            detail: json!({ "client": client }),
        },
    )
    .await?;
    Ok(SignedIn {
        user_id: person.id,
        workspace_id: first_membership.workspace_id,
    })
}
