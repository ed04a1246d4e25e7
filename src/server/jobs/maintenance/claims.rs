//! Claiming a row for one sweeper: a conditional update that succeeds only while no lease is
//! held (or it expired, so a killed sweeper's rows are taken over) and the row is still as it
//! was read — the same `checked_at`, so a token another sweeper just handled isn't handled
//! twice. Releasing records the check; a lease that is no longer ours changes nothing.

use super::LEASE_SECONDS;
use crate::server::entities::{account, grant};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

pub async fn grant(
    db: &impl ConnectionTrait,
    row: &grant::Model,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    let lease = now.saturating_add(LEASE_SECONDS);
    let claimed = grant::Entity::update_many()
        .col_expr(grant::Column::LeaseUntil, Expr::value(lease))
        .filter(grant::Column::Id.eq(row.id))
        .filter(grant::Column::LeaseUntil.lt(now))
        .filter(grant::Column::CheckedAt.eq(row.checked_at))
        .exec(db)
        .await?;
    Ok((claimed.rows_affected == 1).then_some(lease))
}

/// Ends the claim; `checked` records that Meta was asked (a deferred row stays due).
pub async fn release_grant(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    let mut update =
        grant::Entity::update_many().col_expr(grant::Column::LeaseUntil, Expr::value(0));
    if let Some(at) = checked {
        update = update.col_expr(grant::Column::CheckedAt, Expr::value(at));
    }
    update
        .filter(grant::Column::Id.eq(id))
        .filter(grant::Column::LeaseUntil.eq(lease))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn account(
    db: &impl ConnectionTrait,
    row: &account::Model,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    let lease = now.saturating_add(LEASE_SECONDS);
    let claimed = account::Entity::update_many()
        .col_expr(account::Column::LeaseUntil, Expr::value(lease))
        .filter(account::Column::Id.eq(row.id))
        .filter(account::Column::LeaseUntil.lt(now))
        .filter(account::Column::CheckedAt.eq(row.checked_at))
        .exec(db)
        .await?;
    Ok((claimed.rows_affected == 1).then_some(lease))
}

pub async fn release_account(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    checked: Option<i64>,
) -> Result<(), DbErr> {
    let mut update =
        account::Entity::update_many().col_expr(account::Column::LeaseUntil, Expr::value(0));
    if let Some(at) = checked {
        update = update.col_expr(account::Column::CheckedAt, Expr::value(at));
    }
    update
        .filter(account::Column::Id.eq(id))
        .filter(account::Column::LeaseUntil.eq(lease))
        .exec(db)
        .await?;
    Ok(())
}
