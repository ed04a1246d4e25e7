//! The publishing scheduler (docs/product.md → Publishing): every few seconds it finishes what
//! a request left Queued — a post waiting for Meta's backoff to end, for a media container to
//! be processed, or for a retry after Meta could not be reached. Each due post is claimed with
//! a conditional update on its lease (`publishing::rows::claim`), so several
//! instances never try one post at once. A post left being sent by a publisher that stopped
//! (its lease ran out) is failed "Outcome unknown" and never sent again by itself.

use crate::domain::PostStatus;
use crate::server::entities::post;
use crate::server::publishing::attempt::{self, Outcome};
use crate::server::publishing::{rows, LEASE_SECONDS};
use crate::server::state::AppState;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::Duration;

/// How often the queue is looked at.
pub const POLL: Duration = Duration::from_secs(10);
/// Posts read at a time.
const BATCH: u64 = 50;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub published: u64,
    pub queued: u64,
    pub failed: u64,
    /// Posts whose publisher stopped mid-call: failed "Outcome unknown".
    pub abandoned: u64,
}

pub async fn run(state: AppState) {
    loop {
        tokio::time::sleep(POLL).await;
        match run_once(&state).await {
            Ok(report) if report != Report::default() => {
                tracing::info!(?report, "publishing scheduler")
            }
            Ok(_) => {}
            Err(err) => {
                tracing::warn!(error = %err, "the publishing scheduler could not read its work")
            }
        }
    }
}

/// One pass over the queue.
pub async fn run_once(state: &AppState) -> Result<Report, DbErr> {
    let mut report = Report::default();
    let now = state.clock.unix();
    let stuck: Vec<i64> = post::Entity::find()
        .select_only()
        .column(post::Column::Id)
        .filter(post::Column::Status.eq(PostStatus::Publishing.as_str()))
        .filter(post::Column::LeaseUntil.lt(now))
        .into_tuple()
        .all(&state.db)
        .await?;
    for id in stuck {
        if rows::abandon(&state.db, id, now).await? {
            tracing::warn!(post = id, "a publish was left unanswered: outcome unknown");
            report.abandoned += 1;
        }
    }
    let mut after = 0;
    loop {
        let due: Vec<i64> = post::Entity::find()
            .select_only()
            .column(post::Column::Id)
            .filter(post::Column::Status.eq(PostStatus::Queued.as_str()))
            .filter(post::Column::NextAttemptAt.lte(now))
            .filter(post::Column::LeaseUntil.lt(now))
            .filter(post::Column::Id.gt(after))
            .order_by_asc(post::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&state.db)
            .await?;
        let Some(last) = due.last() else {
            return Ok(report);
        };
        after = *last;
        for id in due {
            let lease = state.clock.unix().saturating_add(LEASE_SECONDS);
            if !rows::claim(&state.db, id, lease, now).await? {
                continue;
            }
            match attempt::run(state, id, lease).await? {
                Outcome::Published => report.published += 1,
                Outcome::Queued { .. } => report.queued += 1,
                Outcome::Failed(_) => report.failed += 1,
                Outcome::Lost => {}
            }
        }
    }
}
