//! Claiming a row for one sweeper: a conditional update that succeeds only while no lease is
//! held (or it expired, so a killed sweeper's rows are taken over) and the row is still as it
//! was read — the same `checked_at`, so a token another sweeper just handled isn't handled
//! twice. Releasing records the check; a lease that is no longer ours changes nothing. Grants
//! and accounts are claimed alike.

use super::LEASE_SECONDS;
use crate::server::entities::{account, grant};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

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

/// Ends the claim; `checked` records that Meta was asked (a deferred row stays due).
async fn release<E: EntityTrait>(
    db: &impl ConnectionTrait,
    columns: Columns<E>,
    id: i64,
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    let mut update = E::update_many().col_expr(columns.lease, Expr::value(0));
    if let Some(at) = checked {
        update = update.col_expr(columns.checked, Expr::value(at));
    }
    update
        .filter(columns.id.eq(id))
        .filter(columns.lease.eq(lease))
        .exec(db)
        .await?;
    Ok(())
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
    release(db, GRANTS, id, lease, checked).await
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
    release(db, ACCOUNTS, id, lease, checked).await
}
