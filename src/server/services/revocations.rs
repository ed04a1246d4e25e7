//! Revocations to perform at Meta (docs/security.md #28), one row per Meta user of a provider
//! in this installation. Every transaction that decides about a user's grant at Meta — a
//! disconnect that may leave no account depending on it, a new grant that must cancel a
//! pending revocation — first writes that row ([`lock_user`]), so they run one after the
//! other in every workspace, on PostgreSQL's READ COMMITTED as on SQLite. The relay that sends
//! them is `jobs::revocation_relay`.

use crate::domain::{AccountStatus, Provider};
use crate::server::entities::{account, grant, revocation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

/// A revocation's state (the `status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Nothing to do: the row exists as the user's lock.
    Idle,
    /// To be sent by the relay.
    Pending,
    /// Meta confirmed, or the app was already removed.
    Done,
    /// The user authorized again before it was sent.
    Cancelled,
    /// Meta refused it for good.
    Failed,
}

impl RevocationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
        }
    }
}

/// Creates the user's revocation row if there is none, and writes it: the caller's transaction
/// holds the user's lock from here to its end.
pub async fn lock_user(
    txn: &impl ConnectionTrait,
    provider: Provider,
    external_user_id: &str,
    now: i64,
) -> Result<(), DbErr> {
    revocation::Entity::insert(revocation::ActiveModel {
        provider: Set(provider.as_str().to_owned()),
        external_user_id: Set(external_user_id.to_owned()),
        status: Set(RevocationStatus::Idle.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(0),
        lease_until: Set(0),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([
        revocation::Column::Provider,
        revocation::Column::ExternalUserId,
    ])
    .exec(txn)
    .await?;
    revocation::Entity::update_many()
        .col_expr(revocation::Column::UpdatedAt, Expr::value(now))
        .filter(of_user(provider, external_user_id))
        .exec(txn)
        .await?;
    Ok(())
}

fn of_user(provider: Provider, external_user_id: &str) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(revocation::Column::Provider.eq(provider.as_str()))
        .add(revocation::Column::ExternalUserId.eq(external_user_id))
}

/// A new grant of the user: a revocation still waiting is cancelled, so a relay that retries
/// later can't revoke the new authorization. Takes the user's lock. Answers whether one was
/// cancelled.
pub async fn cancel_pending(
    txn: &impl ConnectionTrait,
    provider: Provider,
    external_user_id: &str,
    now: i64,
) -> Result<bool, DbErr> {
    lock_user(txn, provider, external_user_id, now).await?;
    let cancelled = revocation::Entity::update_many()
        .col_expr(
            revocation::Column::Status,
            Expr::value(RevocationStatus::Cancelled.as_str()),
        )
        .filter(of_user(provider, external_user_id))
        .filter(revocation::Column::Status.eq(RevocationStatus::Pending.as_str()))
        .exec(txn)
        .await?;
    Ok(cancelled.rows_affected > 0)
}

/// How many accounts not disconnected, in any workspace, still come from grants of the user.
/// Call it holding the user's lock.
pub async fn dependants(
    txn: &impl ConnectionTrait,
    provider: Provider,
    external_user_id: &str,
) -> Result<u64, DbErr> {
    let grants: Vec<i64> = grant::Entity::find()
        .select_only()
        .column(grant::Column::Id)
        .filter(grant::Column::Provider.eq(provider.as_str()))
        .filter(grant::Column::ExternalUserId.eq(external_user_id))
        .into_tuple()
        .all(txn)
        .await?;
    if grants.is_empty() {
        return Ok(0);
    }
    account::Entity::find()
        .filter(account::Column::GrantId.is_in(grants))
        .filter(account::Column::Status.ne(AccountStatus::Disconnected.as_str()))
        .count(txn)
        .await
}

/// Records that the user's grant is to be revoked, from `now`. A revocation already waiting
/// (perhaps held by a relay right now) is left as it is, so it is never sent twice at once.
/// Call it holding the user's lock.
pub async fn arm(
    txn: &impl ConnectionTrait,
    provider: Provider,
    external_user_id: &str,
    now: i64,
) -> Result<(), DbErr> {
    revocation::Entity::update_many()
        .col_expr(
            revocation::Column::Status,
            Expr::value(RevocationStatus::Pending.as_str()),
        )
        .col_expr(revocation::Column::Attempts, Expr::value(0))
        .col_expr(revocation::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            revocation::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(of_user(provider, external_user_id))
        .filter(revocation::Column::Status.ne(RevocationStatus::Pending.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Forgets the user's revocation row (a data-deletion request: the app is already removed at
/// Meta, and the row names the user). Call it holding the workspaces' locks.
pub async fn forget(
    txn: &impl ConnectionTrait,
    provider: Provider,
    external_user_id: &str,
) -> Result<(), DbErr> {
    revocation::Entity::delete_many()
        .filter(of_user(provider, external_user_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Revocations waiting, for the operator and the tests.
pub async fn pending_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    revocation::Entity::find()
        .filter(revocation::Column::Status.eq(RevocationStatus::Pending.as_str()))
        .count(db)
        .await
}
