//! Claiming a row for one sweeper: a conditional update that succeeds only while no lease is
//! held (or it expired, so a killed sweeper's rows are taken over) and the row is still as it
//! was read — the same `checked_at`, so a token another sweeper just handled isn't handled
//! twice. Releasing records the check; a lease that is no longer ours changes nothing. Grants
//! and accounts are claimed alike, one at a time; the direct tokens, which the sweep handles
//! many at once, are claimed a batch per statement ([`accounts_due`]).

use super::LEASE_SECONDS;
use crate::server::entities::{account, grant};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

/// A table's id, lease and last-check columns.
struct Columns<E: EntityTrait> {
    id: E::Column,
    lease: E::Column,
    checked: E::Column,
}

const GRANTS: Columns<grant::Entity> = Columns {
    id: grant::Column::Id,
    lease: grant::Column::LeaseUntil,
    checked: grant::Column::CheckedAt,
};

const ACCOUNTS: Columns<account::Entity> = Columns {
    id: account::Column::Id,
    lease: account::Column::LeaseUntil,
    checked: account::Column::CheckedAt,
};

async fn claim<E: EntityTrait>(
    db: &impl ConnectionTrait,
    columns: Columns<E>,
    id: i64,
    checked_at: i64,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    let lease = now.saturating_add(LEASE_SECONDS);
    let claimed = E::update_many()
        .col_expr(columns.lease, Expr::value(lease))
        .filter(columns.id.eq(id))
        .filter(columns.lease.lt(now))
        .filter(columns.checked.eq(checked_at))
        .exec(db)
        .await?;
    Ok((claimed.rows_affected == 1).then_some(lease))
}

/// Ends the claim on `ids`, all held under `lease`; `checked` records that Meta was asked (a
/// deferred row stays due).
async fn release<E: EntityTrait>(
    db: &impl ConnectionTrait,
    columns: Columns<E>,
    ids: &[i64],
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut update = E::update_many().col_expr(columns.lease, Expr::value(0));
    if let Some(at) = checked {
        update = update.col_expr(columns.checked, Expr::value(at));
    }
    update
        .filter(columns.id.is_in(ids.iter().copied()))
        .filter(columns.lease.eq(lease))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims up to `limit` accounts matching `due` with ids above `after` in one statement, all
/// under one lease; answers it and the rows claimed, in id order. The conditions are repeated
/// on the update itself, so on PostgreSQL a row another sweeper claimed or handled while this
/// statement waited for it is re-checked and left out; there the candidates are also read
/// `FOR UPDATE SKIP LOCKED`, so two sweepers take different rows instead of queueing on (or
/// deadlocking over) the same ones. SQLite runs one writer at a time and drops the lock clause.
pub async fn accounts_due(
    db: &impl ConnectionTrait,
    due: Condition,
    after: i64,
    now: i64,
    limit: u64,
) -> Result<(i64, Vec<account::Model>), DbErr> {
    let lease = now.saturating_add(LEASE_SECONDS);
    let due = due
        .add(account::Column::LeaseUntil.lt(now))
        .add(account::Column::Id.gt(after));
    let candidates = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(due.clone())
        .order_by_asc(account::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_query();
    let mut claimed = account::Entity::update_many()
        .col_expr(account::Column::LeaseUntil, Expr::value(lease))
        .filter(due)
        .filter(account::Column::Id.in_subquery(candidates))
        .exec_with_returning(db)
        .await?;
    claimed.sort_by_key(|row| row.id);
    Ok((lease, claimed))
}

pub async fn grant(
    db: &impl ConnectionTrait,
    row: &grant::Model,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    claim(db, GRANTS, row.id, row.checked_at, now).await
}

pub async fn release_grant(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    release(db, GRANTS, &[id], lease, checked).await
}

pub async fn account(
    db: &impl ConnectionTrait,
    row: &account::Model,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    claim(db, ACCOUNTS, row.id, row.checked_at, now).await
}

pub async fn release_account(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    release(db, ACCOUNTS, &[id], lease, checked).await
}

/// Ends the claim on several accounts held under one lease.
pub async fn release_accounts(
    db: &impl ConnectionTrait,
    ids: &[i64],
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    release(db, ACCOUNTS, ids, lease, checked).await
}
