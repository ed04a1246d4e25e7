//! Instagram Login and Threads accounts, which hold their own 60-day token: inside
//! `SWITCHBOARD_REFRESH_WINDOW` a token at least a day old is refreshed (`ig_refresh_token`,
//! `th_refresh_token`); outside it, or too young to refresh, it is checked with `me` at most
//! daily, so a revoked one is found before it is needed. An expired token can't be refreshed:
//! Needs Reauthorization ("Token expired"), no call. The renewed token is written only over the
//! one it replaces — a disconnect meanwhile (which destroyed it) wins.

use super::calls::Outcome;
use super::{claims, Sweep, BATCH, MIN_REFRESH_AGE_SECONDS, PROBE_EVERY_SECONDS};
use crate::domain::{AccountStatus, Platform, Provider, StatusReason};
use crate::server::crypto::vault::{secret_part, Owner, Slot};
use crate::server::entities::account;
use crate::server::meta::oauth::UserToken;
use crate::server::meta::MetaError;
use crate::server::services::disconnect::provider_of;
use crate::server::services::reauth;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use secrecy::SecretString;

/// A refreshed token that says nothing of its lifetime lives the documented 60 days.
const DEFAULT_LIFETIME_SECONDS: i64 = 60 * 86_400;

pub async fn sweep(sweep: &mut Sweep<'_>) -> Result<(), DbErr> {
    let window_end = sweep
        .now
        .saturating_add(sweep.state.limits.refresh_window_seconds());
    let mut after = 0;
    loop {
        let due = account::Entity::find()
            .filter(account::Column::Status.eq(AccountStatus::Active.as_str()))
            .filter(account::Column::TokenCiphertext.is_not_null())
            .filter(account::Column::ParentAccountId.is_null())
            .filter(account::Column::Platform.is_in([
                Platform::InstagramBusiness.as_str(),
                Platform::InstagramCreator.as_str(),
                Platform::Threads.as_str(),
            ]))
            .filter(
                Condition::any()
                    .add(account::Column::TokenExpiresAt.lte(window_end))
                    .add(account::Column::CheckedAt.lte(sweep.now - PROBE_EVERY_SECONDS)),
            )
            .filter(account::Column::LeaseUntil.lt(sweep.now))
            .filter(account::Column::Id.gt(after))
            .order_by_asc(account::Column::Id)
            .limit(BATCH)
            .all(&sweep.state.db)
            .await?;
        let Some(last) = due.last() else {
            return Ok(());
        };
        after = last.id;
        for row in due {
            let Some(lease) = claims::account(&sweep.state.db, &row, sweep.now).await? else {
                continue;
            };
            let checked = handle(sweep, &row, window_end).await?;
            claims::release_account(&sweep.state.db, row.id, lease, checked).await?;
        }
    }
}

async fn mark(sweep: &mut Sweep<'_>, id: i64, reason: StatusReason) -> Result<(), DbErr> {
    let marked = reauth::needs_reauth(&sweep.state.db, sweep.now, &[id], reason).await?;
    sweep.report.needs_reauth += marked;
    sweep.state.metrics.token_failures(reason.as_str(), marked);
    Ok(())
}

/// Refreshes or checks one account; answers when Meta was asked (`None`: deferred).
async fn handle(
    sweep: &mut Sweep<'_>,
    row: &account::Model,
    window_end: i64,
) -> Result<Option<i64>, DbErr> {
    let now = sweep.now;
    if row.token_expires_at.is_some_and(|at| at <= now) {
        mark(sweep, row.id, StatusReason::TokenExpired).await?;
        return Ok(Some(now));
    }
    // Only parentless Instagram accounts and Threads profiles come here: no grant needed.
    let provider = provider_of(row, None);
    let owner = Owner {
        row_id: row.id,
        workspace_id: row.workspace_id,
        provider,
    };
    let Some(ciphertext) = row.token_ciphertext.as_deref() else {
        return Ok(Some(now));
    };
    let Ok(token) = sweep
        .state
        .vault
        .open(Slot::ACCOUNT_TOKEN, &owner, ciphertext)
    else {
        mark(sweep, row.id, StatusReason::DecryptionFailed).await?;
        return Ok(Some(now));
    };
    let issued = row.token_issued_at.unwrap_or(row.connected_at);
    let refresh = row.token_expires_at.is_some_and(|at| at <= window_end)
        && now.saturating_sub(issued) >= MIN_REFRESH_AGE_SECONDS;
    let state = sweep.state;
    let outcome = if refresh {
        match sweep.breaker.call(|| renew(state, provider, &token)).await {
            Outcome::Done(fresh) => {
                if store(sweep, row, &owner, ciphertext, fresh).await? {
                    sweep.report.refreshed += 1;
                }
                return Ok(Some(now));
            }
            Outcome::Rejected { code, subcode } => Outcome::Rejected { code, subcode },
            Outcome::Deferred => Outcome::Deferred,
        }
    } else {
        sweep.breaker.call(|| probe(state, provider, &token)).await
    };
    match outcome {
        Outcome::Done(()) => {
            sweep.report.probed += 1;
            Ok(Some(now))
        }
        Outcome::Rejected { code, subcode } => {
            sweep.report.probed += 1;
            let reason = StatusReason::from_meta(code, subcode, provider)
                .unwrap_or(StatusReason::TokenInvalid);
            mark(sweep, row.id, reason).await?;
            Ok(Some(now))
        }
        Outcome::Deferred => {
            sweep.report.deferred += 1;
            Ok(None)
        }
    }
}

async fn renew(
    state: &crate::server::state::AppState,
    provider: Provider,
    token: &SecretString,
) -> Result<UserToken, MetaError> {
    match (provider, &state.instagram, &state.threads) {
        (Provider::Instagram, Some(client), _) => client.refresh(token).await,
        (Provider::Threads, _, Some(client)) => client.refresh(token).await,
        _ => Err(MetaError::Unavailable),
    }
}

async fn probe(
    state: &crate::server::state::AppState,
    provider: Provider,
    token: &SecretString,
) -> Result<(), MetaError> {
    match (provider, &state.instagram, &state.threads) {
        (Provider::Instagram, Some(client), _) => client.me(token).await.map(|_| ()),
        (Provider::Threads, _, Some(client)) => client.me(token).await.map(|_| ()),
        _ => Err(MetaError::Unavailable),
    }
}

/// Writes the renewed token over the one it replaces; answers whether it was written. The row
/// must still hold the token that was renewed — matched on its secret part, which a key
/// rotation re-wrapping it meanwhile keeps — so a disconnect or reconnect since wins.
async fn store(
    sweep: &Sweep<'_>,
    row: &account::Model,
    owner: &Owner,
    replaced: &str,
    fresh: UserToken,
) -> Result<bool, DbErr> {
    let Ok(sealed) = sweep
        .state
        .vault
        .seal(Slot::ACCOUNT_TOKEN, owner, &fresh.token)
    else {
        tracing::error!(account = row.id, "cannot encrypt a refreshed token");
        return Ok(false);
    };
    let Some(secret) = secret_part(replaced) else {
        return Ok(false);
    };
    let lifetime = fresh.expires_in.unwrap_or(DEFAULT_LIFETIME_SECONDS);
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
        .exec(&sweep.state.db)
        .await?;
    Ok(written.rows_affected == 1)
}
