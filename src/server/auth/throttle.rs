//! Throttling of failed sign-ins, in fixed 15-minute windows, under three keys:
//! - the account *from one client address* (5 failures): stops guessing from one place, and an
//!   attacker elsewhere can't lock the real owner out this way;
//! - the client address (30): stops one address trying many accounts;
//! - the account from anywhere (100): slows a distributed attack on one account.
//!
//! Every lock ends with its window, so nobody can be locked out for good. Counters live in the
//! database, so all instances share them.

use crate::error::AppError;
use crate::server::entities::login_throttle;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub const WINDOW_SECONDS: i64 = 15 * 60;

/// One throttling key and how many failures it may have in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    pub key: String,
    pub limit: i32,
}

/// The keys a sign-in attempt counts against.
pub fn keys_for(email: &str, client: &str) -> Vec<ThrottleKey> {
    vec![
        ThrottleKey {
            key: format!("pair:{email}|{client}"),
            limit: 5,
        },
        ThrottleKey {
            key: format!("client:{client}"),
            limit: 30,
        },
        ThrottleKey {
            key: format!("account:{email}"),
            limit: 100,
        },
    ]
}

/// Refuses with "Try again in N minutes" when any key is over its limit in the current window.
pub async fn check(
    db: &impl ConnectionTrait,
    now: i64,
    keys: &[ThrottleKey],
) -> Result<(), AppError> {
    let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(names))
        .filter(login_throttle::Column::WindowStartedAt.gt(now - WINDOW_SECONDS))
        .all(db)
        .await?;
    let locked_until = rows
        .iter()
        .filter(|row| {
            keys.iter()
                .any(|k| k.key == row.key && row.failures >= k.limit)
        })
        .map(|row| row.window_started_at + WINDOW_SECONDS)
        .max();
    match locked_until {
        Some(until) => Err(AppError::TooManyAttempts {
            minutes: minutes_until(now, until),
        }),
        None => Ok(()),
    }
}

/// Counts one failure against every key.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    now: i64,
    keys: &[ThrottleKey],
) -> Result<(), AppError> {
    for key in keys {
        // Increment inside the current window; otherwise start a new window at 1.
        let updated = login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::Failures,
                Expr::col(login_throttle::Column::Failures).add(1),
            )
            .filter(login_throttle::Column::Key.eq(key.key.as_str()))
            .filter(login_throttle::Column::WindowStartedAt.gt(now - WINDOW_SECONDS))
            .exec(db)
            .await?;
        if updated.rows_affected == 0 {
            login_throttle::Entity::insert(login_throttle::ActiveModel {
                key: Set(key.key.clone()),
                failures: Set(1),
                window_started_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(login_throttle::Column::Key)
                    .update_columns([
                        login_throttle::Column::Failures,
                        login_throttle::Column::WindowStartedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}

/// Forgets the per-client failures of an account after a successful sign-in.
pub async fn clear_pair(db: &impl ConnectionTrait, keys: &[ThrottleKey]) -> Result<(), AppError> {
    if let Some(pair) = keys.iter().find(|k| k.key.starts_with("pair:")) {
        login_throttle::Entity::delete_by_id(pair.key.clone())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Deletes windows that have ended; run periodically.
pub async fn delete_stale(db: &impl ConnectionTrait, now: i64) -> Result<u64, sea_orm::DbErr> {
    let result = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::WindowStartedAt.lte(now - WINDOW_SECONDS))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Whole minutes until `until`, rounded up, at least 1.
fn minutes_until(now: i64, until: i64) -> u32 {
    let seconds = std::cmp::max(until - now, 1);
    u32::try_from((seconds + 59) / 60).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_round_up_and_never_reach_zero() {
        assert_eq!(minutes_until(0, 15 * 60), 15);
        assert_eq!(minutes_until(0, 61), 2);
        assert_eq!(minutes_until(0, 1), 1);
        assert_eq!(minutes_until(10, 5), 1);
    }

    #[test]
    fn each_attempt_counts_against_pair_client_and_account() {
        let keys = keys_for("olive@example.com", "127.0.0.1");
        assert_eq!(keys[0].key, "pair:olive@example.com|127.0.0.1");
        assert_eq!(keys[1].key, "client:127.0.0.1");
        assert_eq!(keys[2].key, "account:olive@example.com");
    }
}
