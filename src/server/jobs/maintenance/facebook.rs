//! Facebook grants: the user token is checked with `debug_token` at most hourly; an expired one
//! makes the grant's accounts Needs Reauthorization ("Token expired") without a call, a
//! rejected one with Meta's reason — every account of the grant, since the user token is what
//! they all hang on. A valid answer refreshes the stored expiry and the permission diagnostics;
//! a required permission no longer granted is "Permission removed". Then each Page token of
//! the grant is checked at most daily: a rejected one marks that Page and the Instagram
//! accounts linked through it.

use super::calls::Outcome;
use super::{claims, Sweep, BATCH, GRANT_RECHECK_SECONDS, PROBE_EVERY_SECONDS};
use crate::domain::{AccountStatus, Platform, Provider, StatusReason};
use crate::server::connect::providers::FACEBOOK;
use crate::server::crypto::vault::{Owner, Slot};
use crate::server::entities::{account, grant};
use crate::server::meta::facebook::FacebookClient;
use crate::server::meta::token_check::TokenCheck;
use crate::server::services::reauth;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use secrecy::SecretString;

pub async fn sweep(sweep: &mut Sweep<'_>) -> Result<(), DbErr> {
    let Some(client) = sweep.state.facebook.clone() else {
        return Ok(());
    };
    let mut after = 0;
    loop {
        let due = grant::Entity::find()
            .filter(grant::Column::Provider.eq(Provider::Facebook.as_str()))
            .filter(grant::Column::TokenCiphertext.ne(""))
            .filter(grant::Column::CheckedAt.lte(sweep.now - GRANT_RECHECK_SECONDS))
            .filter(grant::Column::LeaseUntil.lt(sweep.now))
            .filter(grant::Column::Id.gt(after))
            .order_by_asc(grant::Column::Id)
            .limit(BATCH)
            .all(&sweep.state.db)
            .await?;
        let Some(last) = due.last() else {
            return Ok(());
        };
        after = last.id;
        for row in due {
            let Some(lease) = claims::grant(&sweep.state.db, &row, sweep.now).await? else {
                continue;
            };
            let checked = check_grant(sweep, &client, &row).await?;
            claims::release_grant(&sweep.state.db, row.id, lease, checked).await?;
        }
    }
}

/// The grant's accounts that are still Active.
async fn live_accounts(sweep: &Sweep<'_>, grant_id: i64) -> Result<Vec<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::GrantId.eq(grant_id))
        .filter(account::Column::Status.eq(AccountStatus::Active.as_str()))
        .all(&sweep.state.db)
        .await
}

async fn mark_all(
    sweep: &mut Sweep<'_>,
    accounts: &[account::Model],
    reason: StatusReason,
) -> Result<(), DbErr> {
    let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    let marked = reauth::needs_reauth(&sweep.state.db, sweep.now, &ids, reason).await?;
    sweep.report.needs_reauth += marked;
    sweep.state.metrics.token_failures(reason.as_str(), marked);
    Ok(())
}

/// Checks one grant; answers when Meta was asked (`None`: deferred).
async fn check_grant(
    sweep: &mut Sweep<'_>,
    client: &FacebookClient,
    row: &grant::Model,
) -> Result<Option<i64>, DbErr> {
    let accounts = live_accounts(sweep, row.id).await?;
    if accounts.is_empty() {
        return Ok(Some(sweep.now));
    }
    if row.token_expires_at.is_some_and(|at| at <= sweep.now) {
        mark_all(sweep, &accounts, StatusReason::TokenExpired).await?;
        return Ok(Some(sweep.now));
    }
    let owner = Owner {
        row_id: row.id,
        workspace_id: row.workspace_id,
        provider: Provider::Facebook,
    };
    let Ok(token) = sweep
        .state
        .vault
        .open(Slot::GRANT_USER_TOKEN, &owner, &row.token_ciphertext)
    else {
        mark_all(sweep, &accounts, StatusReason::DecryptionFailed).await?;
        return Ok(Some(sweep.now));
    };
    let check = match sweep.breaker.call(|| client.check_token(&token)).await {
        Outcome::Done(check) => check,
        Outcome::Rejected { code, subcode } => {
            // An error of the call itself (not inside `data`) is about our app, not the token.
            tracing::warn!(code, subcode, "debug_token refused the app's own call");
            sweep.report.deferred += 1;
            return Ok(None);
        }
        Outcome::Deferred => {
            sweep.report.deferred += 1;
            return Ok(None);
        }
    };
    sweep.report.probed += 1;
    if let Some((code, subcode)) = check.error.filter(|_| !check.valid) {
        let reason = StatusReason::from_meta(code, subcode, Provider::Facebook)
            .unwrap_or(StatusReason::TokenInvalid);
        mark_all(sweep, &accounts, reason).await?;
        return Ok(Some(sweep.now));
    }
    remember(sweep, row, &check).await?;
    if !FACEBOOK.all_required(&check.scopes) {
        mark_all(sweep, &accounts, StatusReason::PermissionRemoved).await?;
        return Ok(Some(sweep.now));
    }
    // A Page check deferred leaves the grant due, so the next sweep comes back to it.
    let all_checked = check_pages(sweep, client, row, &accounts).await?;
    Ok(all_checked.then_some(sweep.now))
}

/// Keeps the expiry Meta reports and the answer itself, for the account page.
async fn remember(sweep: &Sweep<'_>, row: &grant::Model, check: &TokenCheck) -> Result<(), DbErr> {
    let diagnostics = serde_json::json!({ "checked_at": sweep.now, "check": check }).to_string();
    grant::Entity::update_many()
        .col_expr(grant::Column::TokenExpiresAt, Expr::value(check.expires_at))
        .col_expr(
            grant::Column::DataAccessExpiresAt,
            Expr::value(check.data_access_expires_at),
        )
        .col_expr(grant::Column::Diagnostics, Expr::value(diagnostics))
        .filter(grant::Column::Id.eq(row.id))
        .filter(grant::Column::TokenCiphertext.eq(row.token_ciphertext.as_str()))
        .exec(&sweep.state.db)
        .await?;
    Ok(())
}

/// Each Page token of the grant not checked today; answers whether none was deferred.
async fn check_pages(
    sweep: &mut Sweep<'_>,
    client: &FacebookClient,
    row: &grant::Model,
    accounts: &[account::Model],
) -> Result<bool, DbErr> {
    let due_before = sweep.now - PROBE_EVERY_SECONDS;
    let pages = accounts.iter().filter(|a| {
        a.platform == Platform::FacebookPage.as_str()
            && a.token_ciphertext.is_some()
            && a.checked_at <= due_before
    });
    let mut all_checked = true;
    for page in pages {
        let Some(lease) = claims::account(&sweep.state.db, page, sweep.now).await? else {
            continue;
        };
        let checked = check_page(sweep, client, row, page, accounts).await?;
        all_checked &= checked.is_some();
        claims::release_account(&sweep.state.db, page.id, lease, checked).await?;
    }
    Ok(all_checked)
}

async fn check_page(
    sweep: &mut Sweep<'_>,
    client: &FacebookClient,
    row: &grant::Model,
    page: &account::Model,
    accounts: &[account::Model],
) -> Result<Option<i64>, DbErr> {
    let with_linked: Vec<account::Model> = accounts
        .iter()
        .filter(|a| a.id == page.id || a.parent_account_id == Some(page.id))
        .cloned()
        .collect();
    let owner = Owner {
        row_id: page.id,
        workspace_id: row.workspace_id,
        provider: Provider::Facebook,
    };
    let opened = page.token_ciphertext.as_deref().map(|ciphertext| {
        sweep
            .state
            .vault
            .open(Slot::ACCOUNT_TOKEN, &owner, ciphertext)
    });
    let token: SecretString = match opened {
        Some(Ok(token)) => token,
        _ => {
            mark_all(sweep, &with_linked, StatusReason::DecryptionFailed).await?;
            return Ok(Some(sweep.now));
        }
    };
    match sweep.breaker.call(|| client.check_token(&token)).await {
        Outcome::Done(check) => {
            sweep.report.probed += 1;
            if let Some((code, subcode)) = check.error.filter(|_| !check.valid) {
                let reason = StatusReason::from_meta(code, subcode, Provider::Facebook)
                    .unwrap_or(StatusReason::TokenInvalid);
                // About the person, not this Page: every account of the grant.
                let affected = match StatusReason::is_user_level(subcode) {
                    true => accounts,
                    false => &with_linked,
                };
                mark_all(sweep, affected, reason).await?;
            }
            Ok(Some(sweep.now))
        }
        Outcome::Rejected { .. } | Outcome::Deferred => {
            sweep.report.deferred += 1;
            Ok(None)
        }
    }
}
