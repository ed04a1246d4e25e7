//! Instagram Login and Threads accounts, which hold their own 60-day token: inside
//! `SWITCHBOARD_REFRESH_WINDOW` a token at least a day old is refreshed (`ig_refresh_token`,
//! `th_refresh_token`); outside it, or too young to refresh, it is checked with `me` at most
//! daily, so a revoked one is found before it is needed. An expired token can't be refreshed:
//! Needs Reauthorization ("Token expired"), no call. The renewed token is written only over the
//! one it replaces — a disconnect meanwhile (which destroyed it) wins.
//!
//! A catch-up after an outage may find a hundred thousand tokens due, so the work goes a batch
//! at a time: one statement claims the batch (`claims::accounts_due`), up to
//! [`CONCURRENT_CALLS`] calls to Meta are in flight at once (`verdict`), and what they found is
//! written in one short transaction per batch — the renewed tokens, the leases released, the
//! accounts Meta rejected.

use super::verdict::{self, Verdict};
use super::{claims, Sweep, BATCH, PROBE_EVERY_SECONDS};
use crate::domain::{AccountStatus, Platform, StatusReason};
use crate::server::crash_points::{self, CrashStep};
use crate::server::crypto::vault::{secret_part, Stored};
use crate::server::entities::account;
use crate::server::services::reauth;
use futures_util::stream::{self, StreamExt};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, TransactionTrait,
};

/// Calls to Meta in flight at once. Meta's limits are per app and per user, and its usage
/// headers (which the shared backoff reads) slow every instance down well before them; this
/// only keeps one sweep from opening hundreds of connections.
pub const CONCURRENT_CALLS: usize = 32;

/// Active parentless Instagram and Threads accounts with a token that is inside the window
/// or not checked for a day.
fn due(now: i64, window_end: i64) -> Condition {
    Condition::all()
        .add(account::Column::Status.eq(AccountStatus::Active.as_str()))
        .add(account::Column::TokenCiphertext.is_not_null())
        .add(account::Column::ParentAccountId.is_null())
        .add(account::Column::Platform.is_in([
            Platform::InstagramBusiness.as_str(),
            Platform::InstagramCreator.as_str(),
            Platform::Threads.as_str(),
        ]))
        .add(
            Condition::any()
                .add(account::Column::TokenExpiresAt.lte(window_end))
                .add(account::Column::CheckedAt.lte(now - PROBE_EVERY_SECONDS)),
        )
}

pub async fn sweep(sweep: &mut Sweep<'_>) -> Result<(), DbErr> {
    let window_end = sweep
        .now
        .saturating_add(sweep.state.limits.refresh_window_seconds());
    // Rows are taken in id order; a deferred row, released still due, isn't taken again
    // in this sweep.
    let mut after = 0;
    loop {
        let (lease, claimed) = claims::accounts_due(
            &sweep.state.db,
            due(sweep.now, window_end),
            after,
            sweep.now,
            BATCH,
        )
        .await?;
        let Some(last) = claimed.last() else {
            return Ok(());
        };
        after = last.id;
        let shared: &Sweep<'_> = sweep;
        let clients = &verdict::Clients::admit(shared.state).await;
        let found: Vec<(account::Model, Verdict)> = stream::iter(claimed)
            .map(|row| async move {
                let verdict = verdict::of(shared, clients, &row, window_end).await;
                (row, verdict)
            })
            .buffer_unordered(CONCURRENT_CALLS)
            .collect()
            .await;
        write(sweep, lease, found).await?;
    }
}

/// Writes what a batch found, in one transaction that starts with a write (so SQLite takes
/// its write lock first and a concurrent writer can't invalidate what it read).
async fn write(
    sweep: &mut Sweep<'_>,
    lease: i64,
    found: Vec<(account::Model, Verdict)>,
) -> Result<(), DbErr> {
    let now = sweep.now;
    let (deferred, checked): (Vec<_>, Vec<_>) = found
        .iter()
        .partition(|(_, verdict)| matches!(verdict, Verdict::Deferred));
    let ids = |rows: &[&(account::Model, Verdict)]| -> Vec<i64> {
        rows.iter().map(|(row, _)| row.id).collect()
    };
    let txn = sweep.state.db.begin().await?;
    claims::release_accounts(&txn, &ids(&checked), lease, Some(now)).await?;
    claims::release_accounts(&txn, &ids(&deferred), lease, None).await?;
    let mut dead: Vec<(i64, StatusReason)> = Vec::new();
    for (row, verdict) in found {
        match verdict {
            Verdict::Renewed { sealed, lifetime } => {
                if store(&txn, sweep, &row, sealed, lifetime).await? {
                    sweep.report.refreshed += 1;
                }
            }
            Verdict::Working => sweep.report.probed += 1,
            Verdict::Dead { reason, asked } => {
                sweep.report.probed += u64::from(asked);
                dead.push((row.id, reason));
            }
            Verdict::Deferred => sweep.report.deferred += 1,
            Verdict::Nothing => {}
        }
    }
    for (id, reason) in dead {
        let marked = reauth::needs_reauth(&txn, now, &[id], reason).await?;
        sweep.report.needs_reauth += marked;
        sweep.state.metrics.token_failures(reason.as_str(), marked);
    }
    crash_points::reached(CrashStep::RefreshBeforeCommit);
    txn.commit().await
}

/// Writes the renewed token over the one it replaces; answers whether it was written. The row
/// must still hold the token that was renewed — matched on its secret part, which a key
/// rotation re-wrapping it meanwhile keeps — so a disconnect or reconnect since wins.
async fn store(
    db: &impl ConnectionTrait,
    sweep: &Sweep<'_>,
    row: &account::Model,
    sealed: Stored,
    lifetime: i64,
) -> Result<bool, DbErr> {
    let Some(secret) = row.token_ciphertext.as_deref().and_then(secret_part) else {
        return Ok(false);
    };
    let written = account::Entity::update_many()
        .col_expr(
            account::Column::TokenCiphertext,
            Expr::value(sealed.ciphertext),
        )
        .col_expr(
            account::Column::TokenKeyFingerprint,
            Expr::value(sealed.key_fingerprint),
        )
        .col_expr(
            account::Column::TokenExpiresAt,
            Expr::value(sweep.now.saturating_add(lifetime)),
        )
        .col_expr(account::Column::TokenIssuedAt, Expr::value(sweep.now))
        .col_expr(account::Column::UpdatedAt, Expr::value(sweep.now))
        .filter(account::Column::Id.eq(row.id))
        // Base64url has no `%`; its `_` matches any one character, which only widens the
        // match among this row's own ciphertexts, each starting with a random 96-bit nonce.
        .filter(account::Column::TokenCiphertext.like(format!("%.{secret}")))
        .filter(account::Column::Status.eq(AccountStatus::Active.as_str()))
        .exec(db)
        .await?;
    Ok(written.rows_affected == 1)
}
