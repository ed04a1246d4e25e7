//! The revocation relay (docs/security.md #28): sends the revocations disconnects recorded
//! (`services::revocations`) to Meta, `DELETE /{user-id}/permissions` with the app token, until
//! Meta confirms or answers terminally — an app already removed (error 190) counts as done.
//! Timeouts, 5xx, rate limits and unusable answers are retried with capped exponential
//! backoff and jitter — never before Meta's backoff ends (docs/meta-api.md §9); a policy
//! block (368) is final. Nobody waits for it: a disconnect wakes it, and it also looks every
//! [`INTERVAL`].
//!
//! Several instances may run it. A row is claimed with a conditional update (`… WHERE
//! status = 'pending' AND lease_until < now`), so only one instance sends a given revocation;
//! the outcome is written only while the claim is still that instance's, and a revocation the
//! user cancelled by authorizing again is never sent after that.

use crate::domain::Provider;
use crate::server::crash_points::{self, CrashStep};
use crate::server::entities::{grant, revocation};
use crate::server::meta::MetaError;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::revocations::RevocationStatus;
use crate::server::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::Duration;

/// How often the relay looks for due revocations when nothing wakes it.
pub const INTERVAL: Duration = Duration::from_secs(30);
/// How long a claim holds a row: longer than any call to Meta may take.
pub const LEASE_SECONDS: i64 = 120;
/// The first retry's delay; each further one doubles, up to [`MAX_BACKOFF_SECONDS`].
pub const FIRST_BACKOFF_SECONDS: i64 = 30;
pub const MAX_BACKOFF_SECONDS: i64 = 6 * 3600;
/// Rows read per batch.
const BATCH: u64 = 50;
/// Batches one pass handles at most (a safety bound: the due set shrinks with every batch).
const MAX_BATCHES: usize = 1_000;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Revocations sent to Meta.
    pub sent: usize,
    pub done: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// The delay before retry number `attempts + 1`: doubling from [`FIRST_BACKOFF_SECONDS`],
/// capped, with up to 20 % jitter so instances don't retry in step.
pub fn backoff(attempts: i32, jitter: f64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let base = FIRST_BACKOFF_SECONDS
        .saturating_mul(2_i64.saturating_pow(doublings))
        .min(MAX_BACKOFF_SECONDS);
    // The jitter is a fraction in [0, 1); the product is at most a fifth of six hours.
    let extra = (base as f64 * 0.2 * jitter.clamp(0.0, 1.0)) as i64;
    base.saturating_add(extra)
}

/// Runs beside the server: a pass when woken, and every [`INTERVAL`].
pub async fn run(state: AppState) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(INTERVAL) => {}
            () = state.relay.notified() => {}
        }
        if let Err(err) = run_once(&state).await {
            tracing::warn!(error = %err, "the revocation relay could not read its work");
        }
    }
}

/// One pass over the revocations due now: batch after batch until none is left, so a backlog
/// (after an outage, a mass disconnect) drains in one pass rather than one batch per
/// [`INTERVAL`]. Each row leaves the due set once handled — done, failed, retried later, or
/// leased by another instance — so the pass ends; [`MAX_BATCHES`] bounds it regardless.
pub async fn run_once(state: &AppState) -> Result<Pass, DbErr> {
    let now = state.clock.unix();
    let mut pass = Pass::default();
    for _ in 0..MAX_BATCHES {
        let due: Vec<revocation::Model> = revocation::Entity::find()
            .filter(revocation::Column::Status.eq(RevocationStatus::Pending.as_str()))
            .filter(revocation::Column::NextAttemptAt.lte(now))
            .filter(revocation::Column::LeaseUntil.lt(now))
            .order_by_asc(revocation::Column::NextAttemptAt)
            .order_by_asc(revocation::Column::Id)
            .limit(BATCH)
            .all(&state.db)
            .await?;
        if due.is_empty() {
            break;
        }
        for row in due {
            relay_one(state, &row, now, &mut pass).await?;
        }
    }
    Ok(pass)
}

/// Claims, sends and settles one revocation, counting it in `pass`.
async fn relay_one(
    state: &AppState,
    row: &revocation::Model,
    now: i64,
    pass: &mut Pass,
) -> Result<(), DbErr> {
    let Some(lease) = claim(state, row, now).await? else {
        return Ok(());
    };
    pass.sent += 1;
    let outcome = send(state, row).await;
    crash_points::reached(CrashStep::RelayAfterSend);
    let attempts = row.attempts.saturating_add(1);
    match settle(state, row, lease, attempts, outcome).await? {
        Some(RevocationStatus::Done) => pass.done += 1,
        Some(RevocationStatus::Failed) => pass.failed += 1,
        Some(_) => pass.retrying += 1,
        None => {}
    }
    Ok(())
}

/// Claims `row` for this instance; answers the lease it holds, or `None` when another instance
/// (or a new grant) got there first.
async fn claim(state: &AppState, row: &revocation::Model, now: i64) -> Result<Option<i64>, DbErr> {
    let lease = now.saturating_add(LEASE_SECONDS);
    let claimed = revocation::Entity::update_many()
        .col_expr(revocation::Column::LeaseUntil, Expr::value(lease))
        .col_expr(revocation::Column::UpdatedAt, Expr::value(now))
        .filter(revocation::Column::Id.eq(row.id))
        .filter(revocation::Column::Status.eq(RevocationStatus::Pending.as_str()))
        .filter(revocation::Column::NextAttemptAt.lte(now))
        .filter(revocation::Column::LeaseUntil.lt(now))
        .exec(&state.db)
        .await?;
    Ok((claimed.rows_affected == 1).then_some(lease))
}

/// What Meta answered.
enum Outcome {
    Done,
    /// Again later: the reason, and the earliest time (a backoff's end) if Meta set one.
    Retry(String, Option<i64>),
    Refused(String),
}

async fn send(state: &AppState, row: &revocation::Model) -> Outcome {
    let Ok(Provider::Facebook) = row.provider.parse::<Provider>() else {
        return Outcome::Refused("not_revocable".into());
    };
    let Some(facebook) = &state.facebook else {
        return Outcome::Retry("not_configured".into(), None);
    };
    if !row.external_user_id.chars().all(|c| c.is_ascii_digit()) {
        return Outcome::Refused("invalid_user_id".into());
    }
    match facebook.remove_app(&row.external_user_id).await {
        Ok(()) => Outcome::Done,
        // The app is no longer authorized for the user: what the revocation wanted.
        Err(MetaError::Graph { code: 190, .. }) => Outcome::Done,
        Err(MetaError::Graph { code, subcode }) => {
            Outcome::Refused(format!("graph_{code}_{}", subcode.unwrap_or_default()))
        }
        Err(MetaError::PolicyBlocked { .. }) => Outcome::Refused("policy_blocked".into()),
        Err(err @ MetaError::RateLimited { until }) => Outcome::Retry(short(&err), until),
        Err(
            err @ (MetaError::Network
            | MetaError::Unanswered
            | MetaError::Unavailable
            | MetaError::Malformed),
        ) => Outcome::Retry(short(&err), None),
    }
}

fn short(err: &MetaError) -> String {
    match err {
        MetaError::Network => "network",
        MetaError::Unanswered => "unanswered",
        MetaError::Unavailable => "unavailable",
        MetaError::RateLimited { .. } => "rate_limited",
        MetaError::PolicyBlocked { .. } => "policy_blocked",
        MetaError::Malformed => "malformed",
        MetaError::Graph { .. } => "graph",
    }
    .to_owned()
}

/// Writes the outcome while the claim is still ours; answers the status written.
async fn settle(
    state: &AppState,
    row: &revocation::Model,
    lease: i64,
    attempts: i32,
    outcome: Outcome,
) -> Result<Option<RevocationStatus>, DbErr> {
    let now = state.clock.unix();
    let (status, next, error) = match &outcome {
        Outcome::Done => (RevocationStatus::Done, now, None),
        Outcome::Refused(reason) => (RevocationStatus::Failed, now, Some(reason.clone())),
        Outcome::Retry(reason, not_before) => {
            let delay = backoff(attempts, rand::random::<f64>());
            let next = now.saturating_add(delay).max(not_before.unwrap_or(now));
            (RevocationStatus::Pending, next, Some(reason.clone()))
        }
    };
    let written = revocation::Entity::update_many()
        .col_expr(revocation::Column::Status, Expr::value(status.as_str()))
        .col_expr(revocation::Column::Attempts, Expr::value(attempts))
        .col_expr(revocation::Column::NextAttemptAt, Expr::value(next))
        .col_expr(revocation::Column::LeaseUntil, Expr::value(0))
        .col_expr(revocation::Column::LastError, Expr::value(error.clone()))
        .col_expr(revocation::Column::UpdatedAt, Expr::value(now))
        .filter(revocation::Column::Id.eq(row.id))
        .filter(revocation::Column::Status.eq(RevocationStatus::Pending.as_str()))
        .filter(revocation::Column::LeaseUntil.eq(lease))
        .exec(&state.db)
        .await?;
    if written.rows_affected != 1 {
        // The user authorized again while the call was in flight (the new grant cancelled
        // it). Meta may have removed the app after that authorization; the token checks of
        // the maintenance sweep find out.
        tracing::warn!(
            revocation = row.id,
            "a revocation was cancelled while it was being sent"
        );
        return Ok(None);
    }
    match &outcome {
        Outcome::Done => announce(state, row, AuditKind::RevocationConfirmed, None).await,
        Outcome::Refused(reason) => {
            tracing::warn!(revocation = row.id, reason, "Meta refused a revocation");
            announce(state, row, AuditKind::RevocationFailed, Some(reason)).await;
        }
        Outcome::Retry(reason, _) => {
            tracing::info!(
                revocation = row.id,
                reason,
                attempts,
                "a revocation will be retried"
            );
        }
    }
    Ok(Some(status))
}

/// Records the outcome in the activity log of every workspace the Meta user's grants are in.
async fn announce(
    state: &AppState,
    row: &revocation::Model,
    kind: AuditKind,
    reason: Option<&str>,
) {
    let grants = grant::Entity::find()
        .filter(grant::Column::Provider.eq(row.provider.as_str()))
        .filter(grant::Column::ExternalUserId.eq(row.external_user_id.as_str()))
        .all(&state.db)
        .await;
    let grants = match grants {
        Ok(grants) => grants,
        Err(err) => {
            tracing::warn!(error = %err, "cannot find the workspaces of a revocation");
            return;
        }
    };
    for grant in grants {
        let entry = AuditEntry {
            workspace_id: Some(grant.workspace_id),
            actor_user_id: None,
            kind,
            subject: grant.external_user_name.clone(),
            detail: serde_json::json!({ "provider": row.provider, "reason": reason }),
            accounts: Vec::new(),
        };
        if let Err(err) = audit::record(&state.db, state.clock.unix(), entry).await {
            tracing::warn!(error = %err, "cannot record a revocation's outcome");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_from_thirty_seconds_and_stops_at_six_hours() {
        assert_eq!(backoff(1, 0.0), 30);
        assert_eq!(backoff(2, 0.0), 60);
        assert_eq!(backoff(5, 0.0), 480);
        assert_eq!(backoff(40, 0.0), MAX_BACKOFF_SECONDS);
        assert_eq!(backoff(i32::MAX, 0.99), MAX_BACKOFF_SECONDS + 4276);
        assert_eq!(backoff(0, 0.0), 30);
    }
}
