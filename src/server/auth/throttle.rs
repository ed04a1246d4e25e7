//! Throttling of failed sign-ins, in fixed 15-minute windows, under three keys:
//! - the account *from one client address* (5 failures): stops guessing from one place;
//! - the client address (30): stops one address trying many accounts;
//! - the account from anywhere (100): slows a distributed attack on one account.
//!
//! A browser with a device cookie for the account counts only against its own key (5): see
//! `device`. Every pause ends with its window, so nobody is locked out for good.
//!
//! Each attempt is *reserved* before any hashing: one statement per key increments the counter
//! and returns the new count, so a burst of parallel attempts can't all read "under the limit"
//! and reach the hasher together. An attempt over a limit is refused at once; a successful one
//! gives its reservation back. Counters live in the database, so all instances share them.

use crate::error::AppError;
use crate::server::entities::login_throttle;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

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

/// The one key an attempt from a recognised device counts against.
pub fn device_keys(device: &str) -> Vec<ThrottleKey> {
    vec![ThrottleKey {
        key: format!("device:{device}"),
        limit: 5,
    }]
}

/// Counts the attempt against every key; refuses with "Try again in N minutes" when any key is
/// now over its limit. The count stays: it is the attempt's failure unless [`release`] is
/// called after a correct password.
pub async fn reserve(
    db: &impl ConnectionTrait,
    now: i64,
    keys: &[ThrottleKey],
) -> Result<(), AppError> {
    let mut locked_until = None;
    for key in keys {
        let (failures, window_started_at) = increment(db, now, &key.key).await?;
        if failures > key.limit {
            let until = window_started_at.saturating_add(WINDOW_SECONDS);
            locked_until = Ord::max(locked_until, Some(until));
        }
    }
    match locked_until {
        Some(until) => Err(AppError::too_many_attempts(minutes_until(now, until))),
        None => Ok(()),
    }
}

/// One atomic increment: inside the current window `failures + 1`, otherwise a new window
/// at 1; answers the new count and the window's start. `INSERT … ON CONFLICT DO UPDATE …
/// RETURNING` is a single statement on both SQLite and PostgreSQL, so concurrent attempts
/// each see a distinct count.
async fn increment(db: &impl ConnectionTrait, now: i64, key: &str) -> Result<(i32, i64), AppError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO login_throttles (key, failures, window_started_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttles.window_started_at > $3 THEN login_throttles.failures + 1 ELSE 1 END, \
             window_started_at = CASE WHEN login_throttles.window_started_at > $4 THEN login_throttles.window_started_at ELSE $5 END \
             RETURNING failures, window_started_at"
        }
        _ => {
            "INSERT INTO login_throttles (key, failures, window_started_at) VALUES (?, 1, ?) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttles.window_started_at > ? THEN login_throttles.failures + 1 ELSE 1 END, \
             window_started_at = CASE WHEN login_throttles.window_started_at > ? THEN login_throttles.window_started_at ELSE ? END \
             RETURNING failures, window_started_at"
        }
    };
    let cutoff = now.saturating_sub(WINDOW_SECONDS);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                key.into(),
                now.into(),
                cutoff.into(),
                cutoff.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or_else(|| AppError::internal("sign-in throttle", "the increment returned no row"))?;
    Ok((
        row.try_get::<i32>("", "failures")?,
        row.try_get::<i64>("", "window_started_at")?,
    ))
}

/// Gives back a correct sign-in's reservation, and forgets the failures of this account from
/// this client (or this device).
pub async fn release(
    db: &impl ConnectionTrait,
    now: i64,
    keys: &[ThrottleKey],
) -> Result<(), AppError> {
    let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            Expr::col(login_throttle::Column::Failures).sub(1),
        )
        .filter(login_throttle::Column::Key.is_in(names))
        .filter(login_throttle::Column::Failures.gt(0))
        .filter(login_throttle::Column::WindowStartedAt.gt(now.saturating_sub(WINDOW_SECONDS)))
        .exec(db)
        .await?;
    let own: Vec<&str> = keys
        .iter()
        .map(|k| k.key.as_str())
        .filter(|k| k.starts_with("pair:") || k.starts_with("device:"))
        .collect();
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.is_in(own))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes windows that have ended; run periodically.
pub async fn delete_stale(db: &impl ConnectionTrait, now: i64) -> Result<u64, sea_orm::DbErr> {
    let result = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::WindowStartedAt.lte(now.saturating_sub(WINDOW_SECONDS)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Whole minutes until `until`, rounded up, at least 1.
fn minutes_until(now: i64, until: i64) -> u32 {
    let seconds = Ord::max(until.saturating_sub(now), 1);
    u32::try_from(seconds.saturating_add(59) / 60).unwrap_or(u32::MAX)
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
