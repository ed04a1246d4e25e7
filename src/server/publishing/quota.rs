//! The 24-hour publishing limits (docs/product.md → Limits). An Instagram account may publish
//! `SWITCHBOARD_IG_DAILY_LIMIT` posts in any rolling 24 hours until Meta's own `quota_total`
//! has been read for it (at most hourly, then cached on the account), a Threads profile
//! `SWITCHBOARD_THREADS_DAILY_LIMIT`; Pages have no limit. What counts: the account's posts
//! published in the window plus those queued or being sent, so a post is refused before
//! anything is sent, from the figures already known.
//!
//! The count and the reservation that follows it are one transaction that starts by writing
//! the account's row: on PostgreSQL that row lock makes concurrent reservations for one
//! account take turns (READ COMMITTED re-reads after the lock), on SQLite the write takes the
//! database lock first, so no read runs on a stale snapshot. 25 parallel publishes at 24 of 25
//! reserve exactly one.

use super::draft::Content;
use crate::domain::{AccountStatus, Platform, PostStatus, Provider};
use crate::server::config::Limits;
use crate::server::entities::{account, post};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set, SqlErr, TransactionTrait,
};

/// Posts count against the limit for this long after they were published.
pub const WINDOW_SECONDS: i64 = 86_400;
/// Meta's quota is read at most this often per account.
pub const QUOTA_RECHECK_SECONDS: i64 = 3_600;

/// An account's limit: Meta's once read, else the configured one; `None` for Pages.
pub fn limit_of(row: &account::Model, limits: &Limits) -> Option<(Provider, u32)> {
    let meta = row
        .publish_quota_total
        .and_then(|total| u32::try_from(total).ok())
        .filter(|total| *total > 0);
    match row.platform.parse::<Platform>().ok()? {
        Platform::InstagramBusiness | Platform::InstagramCreator => {
            Some((Provider::Instagram, meta.unwrap_or(limits.instagram_daily)))
        }
        Platform::Threads => Some((Provider::Threads, meta.unwrap_or(limits.threads_daily))),
        Platform::FacebookPage => None,
    }
}

/// Whether Meta's quota for the account should be read again.
pub fn quota_stale(row: &account::Model, now: i64) -> bool {
    row.publish_quota_checked_at
        .is_none_or(|at| now.saturating_sub(at) >= QUOTA_RECHECK_SECONDS)
}

/// What a reservation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reserved {
    /// The post is queued and held by the caller until `lease`.
    Held { post_id: i64, lease: i64 },
    /// This submission already has its post for the account (a second submit).
    Duplicate,
    /// Nothing was stored: the account is at its limit until `next_slot`.
    OverLimit {
        provider: Provider,
        limit: u32,
        next_slot: i64,
    },
    /// The account isn't Active (any more), or the post isn't failed (any more).
    Unavailable,
}

/// Writes the account's row first: the lock the count and reservation run under.
async fn lock_account(db: &impl ConnectionTrait, account_id: i64) -> Result<bool, DbErr> {
    let locked = account::Entity::update_many()
        .col_expr(
            account::Column::UpdatedAt,
            Expr::col(account::Column::UpdatedAt),
        )
        .filter(account::Column::Id.eq(account_id))
        .filter(account::Column::Status.eq(AccountStatus::Active.as_str()))
        .exec(db)
        .await?;
    Ok(locked.rows_affected == 1)
}

/// The account's posts that count now, and the time the oldest published one leaves the window.
async fn usage(db: &impl ConnectionTrait, account_id: i64, now: i64) -> Result<(u64, i64), DbErr> {
    let since = now.saturating_sub(WINDOW_SECONDS);
    let counting = Condition::any()
        .add(
            post::Column::Status
                .is_in([PostStatus::Queued.as_str(), PostStatus::Publishing.as_str()]),
        )
        .add(
            Condition::all()
                .add(post::Column::Status.eq(PostStatus::Published.as_str()))
                .add(post::Column::PublishedAt.gt(since)),
        );
    let used = post::Entity::find()
        .filter(post::Column::AccountId.eq(account_id))
        .filter(counting)
        .count(db)
        .await?;
    let oldest: Option<Option<i64>> = post::Entity::find()
        .select_only()
        .column_as(post::Column::PublishedAt.min(), "oldest")
        .filter(post::Column::AccountId.eq(account_id))
        .filter(post::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(post::Column::PublishedAt.gt(since))
        .into_tuple()
        .one(db)
        .await?;
    let next_slot = oldest
        .flatten()
        .map_or(now, |at| at.saturating_add(WINDOW_SECONDS));
    Ok((used, next_slot))
}

/// `None` when the account may take one more post now. Read without the lock, it lets a post
/// over the limit be refused from the figures already known, before Meta is asked anything;
/// the reservation counts again under the lock.
pub async fn over_limit(
    db: &impl ConnectionTrait,
    row: &account::Model,
    limits: &Limits,
    now: i64,
) -> Result<Option<Reserved>, DbErr> {
    let Some((provider, limit)) = limit_of(row, limits) else {
        return Ok(None);
    };
    let (used, next_slot) = usage(db, row.id, now).await?;
    Ok((used >= u64::from(limit)).then_some(Reserved::OverLimit {
        provider,
        limit,
        next_slot,
    }))
}

/// Who is posting what, from which submission.
pub struct NewPost<'a> {
    pub content: &'a Content,
    pub submission: &'a str,
    pub created_by: i64,
    pub lease: i64,
}

/// Stores a queued post for `row` held by the caller, unless the submission already has one or
/// the account is at its limit.
pub async fn reserve_new(
    db: &DatabaseConnection,
    row: &account::Model,
    limits: &Limits,
    new: NewPost<'_>,
    now: i64,
) -> Result<Reserved, DbErr> {
    let txn = db.begin().await?;
    if !lock_account(&txn, row.id).await? {
        return Ok(Reserved::Unavailable);
    }
    let existing = post::Entity::find()
        .filter(post::Column::AccountId.eq(row.id))
        .filter(post::Column::SubmissionKey.eq(new.submission))
        .count(&txn)
        .await?;
    if existing > 0 {
        return Ok(Reserved::Duplicate);
    }
    if let Some(refused) = over_limit(&txn, row, limits, now).await? {
        return Ok(refused);
    }
    let inserted = post::Entity::insert(post::ActiveModel {
        workspace_id: Set(row.workspace_id),
        account_id: Set(row.id),
        status: Set(PostStatus::Queued.as_str().to_owned()),
        created_at: Set(now),
        submission_key: Set(Some(new.submission.to_owned())),
        created_by: Set(Some(new.created_by)),
        message: Set(new.content.message.clone()),
        image_url: Set(new.content.image_url.clone()),
        next_attempt_at: Set(now),
        lease_until: Set(new.lease),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await;
    // The lock makes a second insert for the submission see the first; the unique index is
    // the guarantee all the same.
    let post_id = match inserted {
        Ok(done) => done.last_insert_id,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Reserved::Duplicate)
        }
        Err(err) => return Err(err),
    };
    txn.commit().await?;
    Ok(Reserved::Held {
        post_id,
        lease: new.lease,
    })
}

/// Puts a failed post of `row` back in the queue, held by the caller, unless the account is at
/// its limit or the post isn't failed any more (a second press).
pub async fn reserve_requeue(
    db: &DatabaseConnection,
    row: &account::Model,
    limits: &Limits,
    post_id: i64,
    lease: i64,
    now: i64,
) -> Result<Reserved, DbErr> {
    let txn = db.begin().await?;
    if !lock_account(&txn, row.id).await? {
        return Ok(Reserved::Unavailable);
    }
    if let Some(refused) = over_limit(&txn, row, limits, now).await? {
        return Ok(refused);
    }
    let none = Expr::value(Option::<String>::None);
    let requeued = post::Entity::update_many()
        .col_expr(
            post::Column::Status,
            Expr::value(PostStatus::Queued.as_str()),
        )
        .col_expr(post::Column::Failure, none.clone())
        .col_expr(post::Column::MetaCode, Expr::value(Option::<i64>::None))
        .col_expr(post::Column::MetaSubcode, Expr::value(Option::<i64>::None))
        .col_expr(post::Column::ContainerId, none)
        .col_expr(post::Column::SentAt, Expr::value(Option::<i64>::None))
        .col_expr(post::Column::Attempts, Expr::value(0))
        .col_expr(post::Column::NextAttemptAt, Expr::value(now))
        .col_expr(post::Column::LeaseUntil, Expr::value(lease))
        .col_expr(post::Column::UpdatedAt, Expr::value(now))
        .filter(post::Column::Id.eq(post_id))
        .filter(post::Column::AccountId.eq(row.id))
        .filter(post::Column::Status.eq(PostStatus::Failed.as_str()))
        .exec(&txn)
        .await?;
    if requeued.rows_affected != 1 {
        return Ok(Reserved::Unavailable);
    }
    txn.commit().await?;
    Ok(Reserved::Held { post_id, lease })
}

/// Caches Meta's quota total for the account (`None`: Meta didn't say; the check is recorded).
pub async fn remember_quota(
    db: &impl ConnectionTrait,
    account_id: i64,
    total: Option<u32>,
    now: i64,
) -> Result<(), DbErr> {
    let mut update = account::Entity::update_many()
        .col_expr(account::Column::PublishQuotaCheckedAt, Expr::value(now));
    if let Some(total) = total.and_then(|t| i32::try_from(t).ok()) {
        update = update.col_expr(account::Column::PublishQuotaTotal, Expr::value(total));
    }
    update
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}
