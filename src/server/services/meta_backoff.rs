//! Meta's backoffs in the database (docs/meta-api.md §9): one row per scope that must wait —
//! `app:facebook`, `app:instagram`, `app:threads`, or `object:<id>` for a business object —
//! shared by every instance. A write only ever extends `until`: two instances recording at
//! once, in any order, leave the later time (one conditional upsert, the same on SQLite and
//! PostgreSQL). [`Backoffs`] is the `meta::backoff::Ledger` the Meta clients write through,
//! and what pages ask for the rate-limit notice.

use crate::domain::Provider;
use crate::server::entities::meta_backoff;
use crate::server::meta::backoff::{Backoff, Ledger, Reason, Scope};
use async_trait::async_trait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long pages trust what they last read (another instance's new backoff shows within it;
/// this instance's own shows at once).
const NOTICE_REFRESH: Duration = Duration::from_secs(2);

/// The backoff in force that ends last, as `(scope, until)`.
pub async fn in_force(db: &impl ConnectionTrait, now: i64) -> Result<Option<(String, i64)>, DbErr> {
    Ok(meta_backoff::Entity::find()
        .filter(meta_backoff::Column::Until.gt(now))
        .order_by_desc(meta_backoff::Column::Until)
        .one(db)
        .await?
        .map(|row| (row.scope, row.until)))
}

/// When the backoff in force for `scope` (a key: `app:instagram`, `object:1111`) ends.
pub async fn until_for(
    db: &impl ConnectionTrait,
    scope: &str,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    until_for_any(db, &[scope.to_owned()], now).await
}

/// When the backoff in force for `provider`'s app ends: "is Instagram backing off?".
pub async fn app_until(
    db: &impl ConnectionTrait,
    provider: Provider,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    until_for(db, &Scope::App(provider).key(), now).await
}

/// The latest end among the backoffs in force for `scopes`.
pub async fn until_for_any(
    db: &impl ConnectionTrait,
    scopes: &[String],
    now: i64,
) -> Result<Option<i64>, DbErr> {
    Ok(meta_backoff::Entity::find()
        .filter(meta_backoff::Column::Scope.is_in(scopes.iter().cloned()))
        .filter(meta_backoff::Column::Until.gt(now))
        .order_by_desc(meta_backoff::Column::Until)
        .one(db)
        .await?
        .map(|row| row.until))
}

/// Calls for `scope` wait until `until`: inserted, or the row's `until` moved later — never
/// earlier (`ON CONFLICT … DO UPDATE … WHERE until < excluded.until`).
pub async fn record(
    db: &impl ConnectionTrait,
    scope: &str,
    until: i64,
    reason: Reason,
    now: i64,
) -> Result<(), DbErr> {
    let row = meta_backoff::ActiveModel {
        scope: Set(scope.to_owned()),
        until: Set(until),
        reason: Set(reason.as_str().to_owned()),
        updated_at: Set(now),
    };
    let later = Expr::col((meta_backoff::Entity, meta_backoff::Column::Until)).lt(Expr::col((
        Alias::new("excluded"),
        meta_backoff::Column::Until,
    )));
    meta_backoff::Entity::insert(row)
        .on_conflict(
            OnConflict::column(meta_backoff::Column::Scope)
                .update_columns([
                    meta_backoff::Column::Until,
                    meta_backoff::Column::Reason,
                    meta_backoff::Column::UpdatedAt,
                ])
                .action_and_where(later)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// What pages last read, and when.
struct Seen {
    at: Instant,
    latest: Option<(String, i64)>,
}

/// The backoffs of one app instance: the ledger its Meta clients write through, and the
/// latest backoff for pages, read at most every [`NOTICE_REFRESH`] so a page view costs no
/// query of its own (README → The accounts list: four queries a view).
#[derive(Clone)]
pub struct Backoffs {
    db: DatabaseConnection,
    seen: Arc<Mutex<Option<Seen>>>,
}

impl Backoffs {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            seen: Arc::default(),
        }
    }

    /// The backoff in force that ends last, as `(scope, until)`, for the notice.
    pub async fn latest(&self, now: i64) -> Result<Option<(String, i64)>, DbErr> {
        let remembered = self.seen.lock().ok().and_then(|seen| {
            seen.as_ref()
                .filter(|seen| seen.at.elapsed() < NOTICE_REFRESH)
                .map(|seen| seen.latest.clone())
        });
        let latest = match remembered {
            Some(latest) => latest,
            None => {
                let latest = in_force(&self.db, now).await?;
                if let Ok(mut seen) = self.seen.lock() {
                    *seen = Some(Seen {
                        at: Instant::now(),
                        latest: latest.clone(),
                    });
                }
                latest
            }
        };
        Ok(latest.filter(|(_, until)| *until > now))
    }

    /// This instance recorded a backoff: the next page reads it.
    fn forget(&self) {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = None;
        }
    }
}

#[async_trait]
impl Ledger for Backoffs {
    async fn until(&self, scopes: &[String], now: i64) -> Result<Option<i64>, DbErr> {
        until_for_any(&self.db, scopes, now).await
    }

    async fn record(&self, backoff: &Backoff, now: i64) -> Result<(), DbErr> {
        let recorded = record(
            &self.db,
            &backoff.scope.key(),
            backoff.until,
            backoff.reason,
            now,
        )
        .await;
        self.forget();
        recorded
    }
}
