//! A held post's changes. Each is conditional on the caller's lease, so a publisher that lost
//! its post (its lease ran out and another took it) changes nothing; `sending` also requires
//! the post to be queued, so the final call goes out at most once per hold.

use crate::domain::{PostFailure, PostStatus};
use crate::server::entities::post;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    status: Option<PostStatus>,
    columns: Vec<(post::Column, SimpleExpr)>,
    now: i64,
) -> Result<bool, DbErr> {
    let mut query = post::Entity::update_many().col_expr(post::Column::UpdatedAt, Expr::value(now));
    for (column, value) in columns {
        query = query.col_expr(column, value);
    }
    query = query
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::LeaseUntil.eq(lease));
    if let Some(status) = status {
        query = query.filter(post::Column::Status.eq(status.as_str()));
    }
    Ok(query.exec(db).await?.rows_affected == 1)
}

/// Records the container Meta is processing for the post.
pub async fn container(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    container: &str,
    now: i64,
) -> Result<bool, DbErr> {
    let columns = vec![(post::Column::ContainerId, Expr::value(container))];
    update(db, id, lease, Some(PostStatus::Queued), columns, now).await
}

/// The final call is about to go out: from here a lost answer is never retried by itself.
pub async fn sending(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    now: i64,
) -> Result<bool, DbErr> {
    let columns = vec![
        (
            post::Column::Status,
            Expr::value(PostStatus::Publishing.as_str()),
        ),
        (post::Column::SentAt, Expr::value(now)),
    ];
    update(db, id, lease, Some(PostStatus::Queued), columns, now).await
}

/// Meta published it as `meta_id`; the hold ends.
pub async fn published(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    meta_id: Option<&str>,
    now: i64,
) -> Result<bool, DbErr> {
    let columns = vec![
        (
            post::Column::Status,
            Expr::value(PostStatus::Published.as_str()),
        ),
        (post::Column::PublishedAt, Expr::value(now)),
        (
            post::Column::MetaPostId,
            Expr::value(meta_id.map(str::to_owned)),
        ),
        (post::Column::LeaseUntil, Expr::value(0)),
    ];
    update(db, id, lease, None, columns, now).await
}

/// It failed for `failure` (with Meta's code when Meta gave one); the hold ends.
pub async fn failed(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    failure: PostFailure,
    meta: Option<(i64, Option<i64>)>,
    now: i64,
) -> Result<bool, DbErr> {
    let columns = vec![
        (
            post::Column::Status,
            Expr::value(PostStatus::Failed.as_str()),
        ),
        (post::Column::Failure, Expr::value(failure.as_str())),
        (
            post::Column::MetaCode,
            Expr::value(meta.map(|(code, _)| code)),
        ),
        (
            post::Column::MetaSubcode,
            Expr::value(meta.and_then(|(_, sub)| sub)),
        ),
        (post::Column::LeaseUntil, Expr::value(0)),
    ];
    update(db, id, lease, None, columns, now).await
}

/// Back to the queue until `at` (nothing was published); `retry` counts a failed try.
pub async fn queued_until(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    at: i64,
    retry: bool,
    now: i64,
) -> Result<bool, DbErr> {
    let mut columns = vec![
        (
            post::Column::Status,
            Expr::value(PostStatus::Queued.as_str()),
        ),
        (post::Column::SentAt, Expr::value(Option::<i64>::None)),
        (post::Column::NextAttemptAt, Expr::value(at)),
        (post::Column::LeaseUntil, Expr::value(0)),
    ];
    if retry {
        columns.push((
            post::Column::Attempts,
            Expr::col(post::Column::Attempts).add(1),
        ));
    }
    update(db, id, lease, None, columns, now).await
}

/// Claims a queued post that is due and held by no one; answers the lease.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: i64,
    lease: i64,
    now: i64,
) -> Result<bool, DbErr> {
    let claimed = post::Entity::update_many()
        .col_expr(post::Column::LeaseUntil, Expr::value(lease))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.eq(PostStatus::Queued.as_str()))
        .filter(post::Column::NextAttemptAt.lte(now))
        .filter(post::Column::LeaseUntil.lt(now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// A post left `publishing` by a publisher that stopped (its lease ran out): its final call
/// went out and no one heard the answer. Failed, never sent again by itself.
pub async fn abandon(db: &impl ConnectionTrait, id: i64, now: i64) -> Result<bool, DbErr> {
    let done = post::Entity::update_many()
        .col_expr(
            post::Column::Status,
            Expr::value(PostStatus::Failed.as_str()),
        )
        .col_expr(
            post::Column::Failure,
            Expr::value(PostFailure::OutcomeUnknown.as_str()),
        )
        .col_expr(post::Column::LeaseUntil, Expr::value(0))
        .col_expr(post::Column::UpdatedAt, Expr::value(now))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.eq(PostStatus::Publishing.as_str()))
        .filter(post::Column::LeaseUntil.lt(now))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
