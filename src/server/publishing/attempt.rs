//! One try at a held post: the request that submitted it, a Re-queue, or the scheduler
//! (`jobs::publisher`). A Page post is one call. An Instagram or Threads post is a media
//! container (made once and remembered), its status — still processing: back to the queue for
//! a minute, never a wait in the request — and the publish.
//!
//! Before the final call the post is marked as being sent. What the answer says decides the
//! rest: published; refused by Meta (failed with the reason; a rejected token also makes the
//! account Needs Reauthorization); Meta's limits (back to the queue until the backoff ends —
//! the shared backoff may refuse the call before anything is sent); or no usable answer after
//! the call went out (a timeout, a 5xx, garbage): failed "Outcome unknown", and never retried
//! by itself, since Meta may have published it. Failures before the final call (making or
//! checking the container) are retried a few times with backoff, then failed.

use super::rows;
use super::targets::{self, Resolved, Steps, Unusable};
use crate::domain::{AccountStatus, PostFailure, PostStatus, StatusReason};
use crate::server::entities::{account, post};
use crate::server::meta::publishing::ContainerStatus;
use crate::server::meta::MetaError;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::reauth;
use crate::server::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

/// A processing container is asked about again after this long (Meta: at most once a minute).
pub const CONTAINER_POLL_SECONDS: i64 = 60;
/// Tries before the final call that may fail before the post does.
pub const MAX_ATTEMPTS: i32 = 5;
/// Waits between those tries: 30 s, doubling, at most an hour.
const FIRST_RETRY_SECONDS: i64 = 30;
const MAX_RETRY_SECONDS: i64 = 3_600;
/// A limit answer without a time waits this long (Meta's usual five minutes).
const DEFAULT_BACKOFF_SECONDS: i64 = 300;

/// Where the try left the post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Published,
    /// Waiting until `until`; `processing`: for Meta to finish the image, else for its limits
    /// or its outage.
    Queued {
        until: i64,
        processing: bool,
    },
    Failed(PostFailure),
    /// Someone else holds the post now; nothing was done.
    Lost,
}

/// How one call ended, for the post.
enum Step<T> {
    Done(T),
    Stop(Outcome),
}

struct Try<'a> {
    state: &'a AppState,
    post: post::Model,
    account: account::Model,
    lease: i64,
    now: i64,
}

/// Tries `post_id`, held by the caller until `lease`.
pub async fn run(state: &AppState, post_id: i64, lease: i64) -> Result<Outcome, DbErr> {
    let now = state.clock.unix();
    let Some(post) = post::Entity::find_by_id(post_id).one(&state.db).await? else {
        return Ok(Outcome::Lost);
    };
    if post.lease_until != lease || post.status != PostStatus::Queued.as_str() {
        return Ok(Outcome::Lost);
    }
    let Some(account) = account::Entity::find_by_id(post.account_id)
        .one(&state.db)
        .await?
    else {
        return Ok(Outcome::Lost);
    };
    let attempt = Try {
        state,
        post,
        account,
        lease,
        now,
    };
    attempt.run().await
}

impl Try<'_> {
    async fn run(&self) -> Result<Outcome, DbErr> {
        if self.account.status != AccountStatus::Active.as_str() {
            return self.fail(PostFailure::AccountInactive, None).await;
        }
        let resolved = match targets::resolve(self.state, &self.account).await? {
            Ok(resolved) => resolved,
            Err(Unusable::Token) => {
                let reason = StatusReason::DecryptionFailed;
                self.mark_account(reason).await?;
                return self.fail(PostFailure::Account(reason), None).await;
            }
            Err(Unusable::NotConfigured) => {
                return self.fail(PostFailure::MetaUnavailable, None).await
            }
        };
        match resolved.steps {
            Steps::Page => {
                let image = self.post.image_url.as_deref();
                let call =
                    resolved
                        .target
                        .page_post(&self.account.external_id, &self.post.message, image);
                self.publish(&resolved, call).await
            }
            Steps::Container(api) => {
                let owner = self.account.external_id.as_str();
                let container = match self.post.container_id.clone() {
                    Some(id) => id,
                    None => {
                        let create = resolved.target.create_container(
                            api,
                            owner,
                            &self.post.message,
                            self.post.image_url.as_deref(),
                        );
                        let id = match self.before_publish(&resolved, create.await).await? {
                            Step::Done(id) => id,
                            Step::Stop(outcome) => return Ok(outcome),
                        };
                        if !rows::container(&self.state.db, self.post.id, self.lease, &id, self.now)
                            .await?
                        {
                            return Ok(Outcome::Lost);
                        }
                        id
                    }
                };
                let status = resolved.target.container_status(api, &container).await;
                match self.before_publish(&resolved, status).await? {
                    Step::Stop(outcome) => Ok(outcome),
                    Step::Done(ContainerStatus::InProgress) => {
                        let until = self.now.saturating_add(CONTAINER_POLL_SECONDS);
                        self.queue(until, false, true).await
                    }
                    Step::Done(ContainerStatus::Failed) => {
                        self.fail(PostFailure::MediaFailed, None).await
                    }
                    Step::Done(ContainerStatus::Published) => self.done(None).await,
                    Step::Done(ContainerStatus::Finished) => {
                        let call = resolved.target.publish_container(api, owner, &container);
                        self.publish(&resolved, call).await
                    }
                }
            }
        }
    }

    /// A call before the final one: anything but an answer about the post is tried again later.
    async fn before_publish<T>(
        &self,
        resolved: &Resolved,
        result: Result<T, MetaError>,
    ) -> Result<Step<T>, DbErr> {
        let outcome = match result {
            Ok(value) => return Ok(Step::Done(value)),
            Err(MetaError::RateLimited { until }) => self.backoff(until).await?,
            Err(MetaError::Graph { code, subcode }) => {
                self.refused(resolved, code, subcode).await?
            }
            Err(MetaError::PolicyBlocked { .. }) => {
                self.fail(PostFailure::PolicyBlocked, None).await?
            }
            Err(
                MetaError::Network
                | MetaError::Unanswered
                | MetaError::Unavailable
                | MetaError::Malformed,
            ) => self.retry().await?,
        };
        Ok(Step::Stop(outcome))
    }

    /// The final call: marked as sent first; a lost answer is never sent again.
    async fn publish(
        &self,
        resolved: &Resolved,
        call: impl std::future::Future<Output = Result<String, MetaError>>,
    ) -> Result<Outcome, DbErr> {
        if !rows::sending(&self.state.db, self.post.id, self.lease, self.now).await? {
            return Ok(Outcome::Lost);
        }
        match call.await {
            Ok(meta_id) => self.done(Some(&meta_id)).await,
            // Refused by Meta's limits, or by the shared backoff before anything was sent.
            Err(MetaError::RateLimited { until }) => self.backoff(until).await,
            // No connection was made: nothing reached Meta.
            Err(MetaError::Network) => self.retry().await,
            Err(MetaError::Graph { code, subcode }) => self.refused(resolved, code, subcode).await,
            Err(MetaError::PolicyBlocked { .. }) => {
                self.fail(PostFailure::PolicyBlocked, None).await
            }
            Err(err @ (MetaError::Unanswered | MetaError::Unavailable | MetaError::Malformed)) => {
                tracing::warn!(post = self.post.id, error = %err, "a publish's outcome is unknown");
                self.fail(PostFailure::OutcomeUnknown, None).await
            }
        }
    }

    async fn refused(
        &self,
        resolved: &Resolved,
        code: i64,
        subcode: Option<i64>,
    ) -> Result<Outcome, DbErr> {
        let failure = PostFailure::from_meta(code, subcode, resolved.provider);
        if let PostFailure::Account(reason) = failure {
            self.mark_account(reason).await?;
        }
        if failure == PostFailure::LimitReached {
            // Meta's count differs from ours: read its quota again before the next publish.
            account::Entity::update_many()
                .col_expr(
                    account::Column::PublishQuotaCheckedAt,
                    Expr::value(Option::<i64>::None),
                )
                .filter(account::Column::Id.eq(self.account.id))
                .exec(&self.state.db)
                .await?;
        }
        self.fail(failure, Some((code, subcode))).await
    }

    /// The account, and the Page whose token a linked Instagram account uses.
    async fn mark_account(&self, reason: StatusReason) -> Result<(), DbErr> {
        let mut ids = vec![self.account.id];
        ids.extend(self.account.parent_account_id);
        reauth::needs_reauth(&self.state.db, self.now, &ids, reason).await?;
        Ok(())
    }

    async fn backoff(&self, until: Option<i64>) -> Result<Outcome, DbErr> {
        let until = until
            .filter(|at| *at > self.now)
            .unwrap_or_else(|| self.now.saturating_add(DEFAULT_BACKOFF_SECONDS));
        self.queue(until, false, false).await
    }

    async fn retry(&self) -> Result<Outcome, DbErr> {
        let tries = self.post.attempts.saturating_add(1);
        if tries >= MAX_ATTEMPTS {
            return self.fail(PostFailure::MetaUnavailable, None).await;
        }
        let wait = FIRST_RETRY_SECONDS
            .saturating_mul(1 << tries.clamp(0, 16))
            .min(MAX_RETRY_SECONDS);
        self.queue(self.now.saturating_add(wait), true, false).await
    }

    async fn queue(&self, until: i64, retry: bool, processing: bool) -> Result<Outcome, DbErr> {
        let db = &self.state.db;
        if !rows::queued_until(db, self.post.id, self.lease, until, retry, self.now).await? {
            return Ok(Outcome::Lost);
        }
        Ok(Outcome::Queued { until, processing })
    }

    async fn done(&self, meta_id: Option<&str>) -> Result<Outcome, DbErr> {
        let db = &self.state.db;
        if !rows::published(db, self.post.id, self.lease, meta_id, self.now).await? {
            return Ok(Outcome::Lost);
        }
        account::Entity::update_many()
            .col_expr(account::Column::LastUsedAt, Expr::value(self.now))
            .filter(account::Column::Id.eq(self.account.id))
            .exec(db)
            .await?;
        self.record(
            AuditKind::PostPublished,
            serde_json::json!({ "post": self.post.id }),
        )
        .await?;
        Ok(Outcome::Published)
    }

    async fn fail(
        &self,
        failure: PostFailure,
        meta: Option<(i64, Option<i64>)>,
    ) -> Result<Outcome, DbErr> {
        let db = &self.state.db;
        if !rows::failed(db, self.post.id, self.lease, failure, meta, self.now).await? {
            return Ok(Outcome::Lost);
        }
        let detail = serde_json::json!({ "post": self.post.id, "reason": failure.label() });
        self.record(AuditKind::PostFailed, detail).await?;
        Ok(Outcome::Failed(failure))
    }

    async fn record(&self, kind: AuditKind, detail: serde_json::Value) -> Result<(), DbErr> {
        let entry = AuditEntry {
            workspace_id: Some(self.account.workspace_id),
            actor_user_id: self.post.created_by,
            kind,
            subject: self.account.name.clone(),
            detail,
            accounts: self.account.tagged().into_iter().collect(),
        };
        audit::record(&self.state.db, self.now, entry).await
    }
}
