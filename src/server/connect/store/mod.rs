//! Writing one authorization: the grant and every account it brings, in **one transaction**
//! (docs/security.md #25, #29) — either all of it is stored or none. The transaction starts by
//! writing the workspace's row, so two connections into one workspace run one after the other
//! (the duplicate rule below reads, then writes). Rows are upserted on their keys, so
//! connecting the same Meta user again renews instead of duplicating, and an account found in a
//! new grant moves to it. Tokens are sealed with associated data naming their row, so a row id
//! is known before its token is encrypted.
//!
//! One Instagram account is one account (docs/product.md → Connecting): it is matched on its
//! professional account id within the workspace, whatever the platform, before any upsert —
//! see `pages` and `direct`.

mod account;
mod bulk;
mod direct;
mod pages;

use super::flow::Accounts;
use crate::domain::{Platform, Provider};
use crate::server::crash_points::{self, CrashStep};
use crate::server::crypto::vault::{Owner, Slot, Vault};
use crate::server::entities::grant;
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use crate::server::services::members::lock_workspace;
use crate::server::services::revocations;
use anyhow::Context;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use secrecy::SecretString;

/// What the grant row records.
pub struct GrantRecord<'a> {
    pub workspace_id: i64,
    pub connected_by: i64,
    pub provider: Provider,
    pub user: &'a MetaUser,
    pub token: &'a SecretString,
    pub token_expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
    pub permissions: &'a Permissions,
}

/// What was stored.
#[derive(Debug, Default)]
pub struct Stored {
    /// Accounts connected or renewed.
    pub count: usize,
    /// Of those, accounts this workspace did not have before.
    pub new: usize,
    /// The grant's accounts this authorization left out, now Needs Reauthorization.
    pub not_included: usize,
    /// Instagram accounts a Page's discovery found already connected directly (left as
    /// they are), by username.
    pub already_direct: Vec<String>,
    /// The accounts connected or renewed, with their platforms (for the activity entry).
    pub accounts: Vec<(i64, Platform)>,
}

/// Why nothing was stored.
#[derive(Debug)]
pub enum StoreError {
    /// The Instagram account is already connected through a Page.
    AlreadyConnected {
        username: String,
        page: String,
    },
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for StoreError {
    fn from(err: anyhow::Error) -> Self {
        Self::Failed(err)
    }
}

impl From<sea_orm::DbErr> for StoreError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Failed(err.into())
    }
}

/// Seals `token` for `slot` of the row `row_id` in the record's workspace.
fn seal(
    vault: &Vault,
    slot: Slot,
    row_id: i64,
    record: &GrantRecord<'_>,
    token: &SecretString,
) -> anyhow::Result<(String, String)> {
    let owner = Owner {
        row_id,
        workspace_id: record.workspace_id,
        provider: record.provider,
    };
    let stored = vault
        .seal(slot, &owner, token)
        .context("cannot encrypt a token")?;
    Ok((stored.ciphertext, stored.key_fingerprint))
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Stores the grant and its accounts.
pub async fn store(
    db: &DatabaseConnection,
    vault: &Vault,
    now: i64,
    record: GrantRecord<'_>,
    accounts: &Accounts,
    reconnect: bool,
) -> Result<Stored, StoreError> {
    let txn = db.begin().await.context("cannot start a transaction")?;
    lock_workspace(&txn, record.workspace_id)
        .await
        .map_err(|err| anyhow::anyhow!("cannot lock the workspace: {err:?}"))?;
    // A new grant of this Meta user cancels a revocation still waiting to be sent, in this
    // transaction (docs/security.md #28). Only Facebook grants are ever revoked at Meta.
    if record.provider == Provider::Facebook {
        revocations::cancel_pending(&txn, record.provider, &record.user.id, now).await?;
    }
    // A Page grant keeps Facebook's user token; a direct account holds its own token.
    let grant_token = matches!(accounts, Accounts::Pages(_)).then_some(record.token);
    let grant_id = upsert_grant(&txn, vault, now, &record, grant_token).await?;
    let (stored, not_connectable) = match accounts {
        Accounts::Pages(plan) => (
            pages::store(&txn, vault, now, &record, grant_id, plan).await?,
            plan.not_connectable.len(),
        ),
        Accounts::Direct(account) => (
            direct::store(&txn, vault, now, &record, grant_id, account).await?,
            0,
        ),
    };
    audit::record(
        &txn,
        now,
        AuditEntry {
            workspace_id: Some(record.workspace_id),
            actor_user_id: Some(record.connected_by),
            kind: match reconnect {
                true => AuditKind::AccountsReconnected,
                false => AuditKind::AccountsConnected,
            },
            subject: record.user.name.clone(),
            detail: serde_json::json!({
                "provider": record.provider.as_str(),
                "accounts": stored.count,
                "new": stored.new,
                "not_included": stored.not_included,
                "not_connectable": not_connectable,
                "already_connected_directly": stored.already_direct.len(),
            }),
            accounts: stored.accounts.clone(),
        },
    )
    .await
    .context("cannot record the connection")?;
    crash_points::reached(CrashStep::ConnectBeforeCommit);
    txn.commit().await.context("cannot commit the connection")?;
    crash_points::reached(CrashStep::ConnectAfterCommit);
    Ok(stored)
}

/// The grant of `record`'s provider user in the workspace, made or renewed. `token` is sealed
/// into it when the grant holds one (Facebook); a direct grant records who and what only.
async fn upsert_grant(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    now: i64,
    record: &GrantRecord<'_>,
    token: Option<&SecretString>,
) -> anyhow::Result<i64> {
    let existing = grant::Entity::find()
        .filter(grant::Column::WorkspaceId.eq(record.workspace_id))
        .filter(grant::Column::Provider.eq(record.provider.as_str()))
        .filter(grant::Column::ExternalUserId.eq(record.user.id.as_str()))
        .one(txn)
        .await?;
    let id = match existing {
        Some(row) => row.id,
        None => {
            grant::ActiveModel {
                workspace_id: Set(record.workspace_id),
                provider: Set(record.provider.as_str().to_owned()),
                external_user_id: Set(record.user.id.clone()),
                external_user_name: Set(String::new()),
                token_ciphertext: Set(String::new()),
                token_key_fingerprint: Set(String::new()),
                scopes_granted: Set("[]".into()),
                scopes_declined: Set("[]".into()),
                consented_at: Set(now),
                connected_by: Set(record.connected_by),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?
            .id
        }
    };
    let (ciphertext, fingerprint) = match token {
        Some(token) => seal(vault, Slot::GRANT_USER_TOKEN, id, record, token)?,
        None => (String::new(), String::new()),
    };
    grant::ActiveModel {
        id: Set(id),
        external_user_name: Set(record.user.name.chars().take(255).collect()),
        token_ciphertext: Set(ciphertext),
        token_key_fingerprint: Set(fingerprint),
        token_expires_at: Set(record.token_expires_at),
        data_access_expires_at: Set(record.data_access_expires_at),
        scopes_granted: Set(json_list(&record.permissions.granted)),
        scopes_declined: Set(json_list(&record.permissions.declined)),
        consented_at: Set(now),
        connected_by: Set(record.connected_by),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(id)
}
