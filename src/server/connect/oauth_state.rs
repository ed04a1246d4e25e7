//! The OAuth `state` (docs/security.md #1–3): 256 random bits, stored server-side only as a SHA-256
//! digest with {provider, workspace, user, created_at} (its PKCE verifier is derived from it:
//! `pkce`); consumed by the first
//! callback that presents it, whatever the outcome; good for 10 minutes; a state issued for
//! one provider is refused on another's callback. Looking it up by digest keeps the secret
//! itself out of any comparison.

use crate::domain::Provider;
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::crypto::sha256_hex as digest;
use crate::server::entities::oauth_state;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};

/// How long a connection may take, from the button to the callback.
pub const STATE_LIFETIME_SECONDS: i64 = 600;

/// What a flow was started for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// A Connect button.
    Connect,
    /// A Reconnect button: the outcome is worded as a reconnect and shown on `return_to`, the
    /// page the button was on (a path of this app, already checked).
    Reconnect { return_to: String },
}

impl Intent {
    fn stored(&self) -> (&'static str, Option<String>) {
        match self {
            Intent::Connect => ("connect", None),
            Intent::Reconnect { return_to } => ("reconnect", Some(return_to.clone())),
        }
    }

    fn from_stored(purpose: &str, return_to: Option<String>) -> Self {
        match (purpose, return_to) {
            ("reconnect", Some(return_to)) => Intent::Reconnect { return_to },
            _ => Intent::Connect,
        }
    }

    pub fn is_reconnect(&self) -> bool {
        matches!(self, Intent::Reconnect { .. })
    }
}

/// Stores a new state for `actor` in their current workspace.
pub async fn remember(
    db: &impl ConnectionTrait,
    provider: Provider,
    actor: &CurrentUser,
    state: &SecretString,
    intent: &Intent,
    now: i64,
) -> Result<(), DbErr> {
    let (purpose, return_to) = intent.stored();
    oauth_state::Entity::insert(oauth_state::ActiveModel {
        digest: Set(digest(state.expose_secret())),
        provider: Set(provider.as_str().to_owned()),
        workspace_id: Set(actor.workspace.id),
        user_id: Set(actor.user_id),
        purpose: Set(purpose.to_owned()),
        return_to: Set(return_to),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    // States nobody came back for are of no use after their lifetime.
    oauth_state::Entity::delete_many()
        .filter(oauth_state::Column::CreatedAt.lt(now - STATE_LIFETIME_SECONDS))
        .exec(db)
        .await?;
    Ok(())
}

/// A state that was issued here and has just been consumed.
#[derive(Debug, Clone)]
pub struct Issued {
    pub workspace_id: i64,
    pub user_id: i64,
    pub intent: Intent,
}

/// Takes the state out of the store (single use: a second callback with it finds nothing).
/// `state_invalid` when it was never issued, already used, or issued for another provider;
/// `state_expired` after 10 minutes.
pub async fn consume(
    db: &impl ConnectionTrait,
    provider: Provider,
    presented: &str,
    now: i64,
) -> Result<Issued, AppError> {
    if presented.is_empty() {
        return Err(AppError::StateInvalid);
    }
    // Any length is looked up: an oversized value names no state, but refusing it unread
    // would be a way to keep a live state usable next to it.
    let key = digest(presented);
    let Some(row) = oauth_state::Entity::find_by_id(key.clone()).one(db).await? else {
        return Err(AppError::StateInvalid);
    };
    // Only the request that actually deletes the row may use it (two racing callbacks).
    let deleted = oauth_state::Entity::delete_by_id(key).exec(db).await?;
    if deleted.rows_affected != 1 {
        return Err(AppError::StateInvalid);
    }
    if row.provider != provider.as_str() {
        return Err(AppError::StateInvalid);
    }
    if now - row.created_at > STATE_LIFETIME_SECONDS {
        return Err(AppError::StateExpired);
    }
    Ok(Issued {
        workspace_id: row.workspace_id,
        user_id: row.user_id,
        intent: Intent::from_stored(&row.purpose, row.return_to),
    })
}

/// Deletes every presented value that names a live state, for any provider: a callback that
/// brings several states uses them all up.
pub async fn consume_all(db: &impl ConnectionTrait, presented: &[String]) -> Result<u64, DbErr> {
    let digests: Vec<String> = presented.iter().map(|p| digest(p)).collect();
    if digests.is_empty() {
        return Ok(0);
    }
    let deleted = oauth_state::Entity::delete_many()
        .filter(oauth_state::Column::Digest.is_in(digests))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}
