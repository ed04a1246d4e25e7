//! Signing in: bounded input, an attempt reserved against the throttles before any hashing
//! (or, from a browser with a device cookie for the account, against that device alone), the
//! same answer (and similar time) for an unknown email and a wrong password, and a rehash when
//! today's parameters are stronger than the stored hash's.

use crate::domain::password::check_length;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::server::auth::device::DeviceCookies;
use crate::server::auth::password::Verified;
use crate::server::auth::throttle;
use crate::server::entities::membership;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::context::Context;
use crate::server::services::directory;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

/// A successful sign-in: the user, the workspace to open first, and the device cookie to give
/// this browser (`Set-Cookie` value).
#[derive(Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub workspace_id: i64,
    pub device_cookie: String,
}

/// One sign-in attempt as it arrived.
pub struct Attempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The client's address (behind a trusted proxy, the one it names).
    pub client: &'a str,
    /// The request's headers, where a device cookie may be.
    pub headers: &'a http::HeaderMap,
}

pub async fn sign_in(
    ctx: &Context<'_>,
    devices: &DeviceCookies,
    attempt: Attempt<'_>,
) -> Result<SignedIn, AppError> {
    let email = EmailAddress::parse(attempt.email)?;
    check_length(attempt.password)?;
    let now = ctx.clock.unix();
    // A browser that signed in to this account before counts only against itself.
    let keys = match devices.recognise(attempt.headers, email.as_str(), now) {
        Some(device) => throttle::device_keys(&device.0),
        None => throttle::keys_for(email.as_str(), attempt.client),
    };
    throttle::reserve(ctx.db, now, &keys).await?;

    let found = directory::find_by_email(ctx.db, &email).await?;
    let verified = match ctx
        .passwords
        .verify(
            attempt.password,
            found.as_ref().map(|u| u.password_hash.as_str()),
        )
        .await
    {
        Ok(verified) => verified,
        Err(err) => {
            // Never checked (the hasher was busy): the attempt doesn't count.
            throttle::release(ctx.db, now, &keys).await?;
            return Err(err);
        }
    };
    let (Some(person), Verified::Yes { rehash }) = (found, verified) else {
        tracing::info!(
            client = attempt.client,
            code = "incorrect_credentials",
            "sign-in refused"
        );
        return Err(AppError::IncorrectCredentials);
    };
    throttle::release(ctx.db, now, &keys).await?;

    let first_membership = membership::Entity::find()
        .filter(membership::Column::UserId.eq(person.id))
        .order_by_asc(membership::Column::Id)
        .one(ctx.db)
        .await?;
    let Some(first_membership) = first_membership else {
        return Err(AppError::NoWorkspace);
    };
    if rehash {
        let hash = ctx.passwords.hash(attempt.password).await?;
        let mut row = person.clone().into_active_model();
        row.password_hash = Set(hash);
        row.update(ctx.db).await?;
    }
    audit::record(
        ctx.db,
        now,
        AuditEntry {
            workspace_id: Some(first_membership.workspace_id),
            actor_user_id: Some(person.id),
            kind: AuditKind::SignedIn,
            subject: person.email.clone(),
            detail: json!({ "client": attempt.client }),
            accounts: Vec::new(),
        },
    )
    .await?;
    Ok(SignedIn {
        user_id: person.id,
        workspace_id: first_membership.workspace_id,
        device_cookie: devices.issue(email.as_str(), now),
    })
}
