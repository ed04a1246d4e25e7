//! Publishing (docs/product.md → Publishing, Limits): enough to make "Posts Today", "Last Used"
//! and the failure → reconnect → re-queue cycle real.
//!
//! - `draft`: the compose form, checked before anything is stored or sent.
//! - `quota`: the 24-hour limits, counted and reserved under the account's row lock.
//! - `attempt`: one try at a post; `targets` picks the host and token, `rows` changes the post
//!   only while the caller still holds it.
//! - `summary`: what the person is told afterwards.
//!
//! A submission is published while the request runs, one account after another; what Meta
//! makes wait (its limits, a media container still processing) is left Queued for the
//! scheduler (`jobs::publisher`), which claims posts with the same kind of lease as the
//! maintenance sweep, so two instances never publish one post.

pub mod attempt;
pub mod draft;
pub mod quota;
pub mod rows;
pub mod summary;
pub mod targets;

use crate::domain::policy::{authorize, Permission};
use crate::domain::{AccountStatus, PostStatus};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::entities::{account, post};
use crate::server::meta::publishing::ContainerApi;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::state::AppState;
use attempt::Outcome;
use draft::Draft;
use quota::{NewPost, Reserved};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use summary::{AccountResult, Told};

/// How long a request or the scheduler holds a post: longer than any publish with its calls.
pub const LEASE_SECONDS: i64 = 300;

/// Publishes the compose form's post to each ticked account.
pub async fn submit(
    state: &AppState,
    actor: &CurrentUser,
    draft: Draft<'_>,
) -> Result<Vec<AccountResult>, AppError> {
    authorize(actor.role, Permission::Publish)?;
    let submission = draft::submission_key(draft.submission)?;
    let ids = draft::account_ids(draft.accounts)?;
    let content = draft::content(draft.message, draft.image_url)?;
    let accounts = draft::accounts(&state.db, actor.workspace.id, &ids).await?;
    for row in &accounts {
        let platform = row
            .platform
            .parse()
            .map_err(|()| AppError::AccountNotPublishable)?;
        draft::fits(platform, &content)?;
    }
    let mut results = Vec::with_capacity(accounts.len());
    for row in accounts {
        let now = state.clock.unix();
        if let Some(refused) = quota::over_limit(&state.db, &row, &state.limits, now).await? {
            results.push(AccountResult {
                name: called(&row),
                told: carry_out(state, refused).await?,
            });
            continue;
        }
        let row = refresh_quota(state, row).await?;
        let new = NewPost {
            content: &content,
            submission,
            created_by: actor.user_id,
            lease: now.saturating_add(LEASE_SECONDS),
        };
        let reserved = quota::reserve_new(&state.db, &row, &state.limits, new, now).await?;
        results.push(AccountResult {
            name: called(&row),
            told: carry_out(state, reserved).await?,
        });
    }
    Ok(results)
}

/// How messages name an account: an Instagram account or Threads profile by its username
/// (as the limit message does), a Page by its name.
pub fn called(row: &account::Model) -> String {
    row.username
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| row.name.clone())
}

/// **Re-queue** on a failed post whose account is Active again.
pub async fn requeue(
    state: &AppState,
    actor: &CurrentUser,
    post_id: i64,
) -> Result<AccountResult, AppError> {
    authorize(actor.role, Permission::Publish)?;
    let post = post::Entity::find_by_id(post_id)
        .filter(post::Column::WorkspaceId.eq(actor.workspace.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = requeueable_account(state, actor, post.account_id).await?;
    if post.status != PostStatus::Failed.as_str() {
        return Err(AppError::NotRequeueable);
    }
    let told = requeue_one(state, actor, &row, post.id).await?;
    Ok(AccountResult {
        name: called(&row),
        told,
    })
}

/// **Re-queue all**: every failed post of one account, oldest first, while its limit allows.
pub async fn requeue_all(
    state: &AppState,
    actor: &CurrentUser,
    account_id: i64,
) -> Result<Vec<AccountResult>, AppError> {
    authorize(actor.role, Permission::Publish)?;
    let row = requeueable_account(state, actor, account_id).await?;
    let failed: Vec<i64> = post::Entity::find()
        .filter(post::Column::AccountId.eq(row.id))
        .filter(post::Column::Status.eq(PostStatus::Failed.as_str()))
        .order_by_asc(post::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut results = Vec::with_capacity(failed.len());
    for id in failed {
        let told = requeue_one(state, actor, &row, id).await?;
        let over = matches!(told, Told::OverLimit { .. });
        results.push(AccountResult {
            name: called(&row),
            told,
        });
        if over {
            break;
        }
    }
    Ok(results)
}

async fn requeueable_account(
    state: &AppState,
    actor: &CurrentUser,
    account_id: i64,
) -> Result<account::Model, AppError> {
    let row = account::Entity::find_by_id(account_id)
        .filter(account::Column::WorkspaceId.eq(actor.workspace.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != AccountStatus::Active.as_str() {
        return Err(AppError::NotRequeueable);
    }
    Ok(row)
}

async fn requeue_one(
    state: &AppState,
    actor: &CurrentUser,
    row: &account::Model,
    post_id: i64,
) -> Result<Told, AppError> {
    let now = state.clock.unix();
    if let Some(refused) = quota::over_limit(&state.db, row, &state.limits, now).await? {
        return Ok(carry_out(state, refused).await?);
    }
    let row = refresh_quota(state, row.clone()).await?;
    let lease = now.saturating_add(LEASE_SECONDS);
    let reserved =
        quota::reserve_requeue(&state.db, &row, &state.limits, post_id, lease, now).await?;
    if matches!(reserved, Reserved::Held { .. }) {
        let entry = AuditEntry {
            workspace_id: Some(row.workspace_id),
            actor_user_id: Some(actor.user_id),
            kind: AuditKind::PostsRequeued,
            subject: row.name.clone(),
            detail: serde_json::json!({ "post": post_id }),
            accounts: row.tagged().into_iter().collect(),
        };
        audit::record(&state.db, now, entry).await?;
    }
    Ok(match reserved {
        Reserved::Unavailable => Told::AlreadyRequeued,
        other => carry_out(state, other).await?,
    })
}

/// Tries a held post; says what became of the reservation otherwise.
async fn carry_out(state: &AppState, reserved: Reserved) -> Result<Told, DbErr> {
    Ok(match reserved {
        Reserved::Held { post_id, lease } => match attempt::run(state, post_id, lease).await? {
            Outcome::Published => Told::Published,
            Outcome::Queued { until, processing } => Told::Queued { until, processing },
            Outcome::Failed(failure) => Told::Failed(failure),
            Outcome::Lost => Told::Queued {
                until: state.clock.unix(),
                processing: false,
            },
        },
        Reserved::Duplicate => Told::AlreadySubmitted,
        Reserved::OverLimit {
            provider,
            limit,
            next_slot,
        } => Told::OverLimit {
            provider,
            limit,
            next_slot,
        },
        Reserved::Unavailable => Told::NotActive,
    })
}

/// Reads Meta's quota for an Instagram account or Threads profile when the cached one is over
/// an hour old (or was never read). A failure leaves the figures as they were.
async fn refresh_quota(state: &AppState, row: account::Model) -> Result<account::Model, DbErr> {
    let now = state.clock.unix();
    if quota::limit_of(&row, &state.limits).is_none() || !quota::quota_stale(&row, now) {
        return Ok(row);
    }
    let Ok(resolved) = targets::resolve(state, &row).await? else {
        return Ok(row);
    };
    let api = match resolved.steps {
        targets::Steps::Container(api) => api,
        targets::Steps::Page => ContainerApi::Instagram,
    };
    match resolved.target.quota(api, &row.external_id).await {
        Ok(read) => {
            quota::remember_quota(&state.db, row.id, read.total, now).await?;
            Ok(account::Entity::find_by_id(row.id)
                .one(&state.db)
                .await?
                .unwrap_or(row))
        }
        Err(err) => {
            tracing::info!(account = row.id, error = %err, "Meta's publishing quota could not be read");
            Ok(row)
        }
    }
}
