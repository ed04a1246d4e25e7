//! The data-deletion callback: the person asked Meta to have Switchboard delete their data.
//! Their grants through that product, every account of those grants (Disconnected ones too),
//! the Instagram accounts linked through those Pages and the posts of all of them are deleted
//! for good — in every workspace, in one transaction — and a `data_deletion_requests` row
//! records it under a random confirmation code, with a digest of the user id instead of the id
//! (docs/meta-api.md §10). An unknown user still gets a completed request that deleted nothing:
//! Meta expects a code either way. The activity log says how many accounts went, naming no one.

use crate::domain::Provider;
use crate::error::AppError;
use crate::server::entities::{account, data_deletion_request, grant, post};
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The only status a request has today: the deletion runs inside the callback.
pub const COMPLETED: &str = "completed";

/// Random bytes in a confirmation code (128 bits, shown as 32 hex digits).
const CODE_BYTES: usize = 16;

/// A finished data-deletion request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDeleted {
    pub confirmation_code: String,
    pub accounts: u64,
    /// Workspaces that lost a grant or an account.
    pub workspaces: usize,
}

/// What the status page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDeletionStatus {
    pub confirmation_code: String,
    pub status: String,
    pub accounts_deleted: i64,
    /// Unix seconds.
    pub completed_at: i64,
}

/// Whether `code` could be a confirmation code at all (so nothing else is looked up).
pub fn is_confirmation_code(code: &str) -> bool {
    code.len() == CODE_BYTES * 2 && code.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub async fn delete_data(
    db: &DatabaseConnection,
    now: i64,
    provider: Provider,
    user_id: &str,
) -> Result<DataDeleted, AppError> {
    let txn = super::begin(db).await?;
    let grants = super::grants_of(&txn, provider, user_id).await?;
    let grant_ids: Vec<i64> = grants.iter().map(|g| g.id).collect();
    let accounts = doomed_accounts(&txn, &grant_ids).await?;
    // Every workspace that held a grant is affected, even one whose accounts were all gone.
    let mut per_workspace: BTreeMap<i64, u64> =
        grants.iter().map(|g| (g.workspace_id, 0)).collect();
    for row in &accounts {
        *per_workspace.entry(row.workspace_id).or_default() += 1;
    }
    let account_ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    let mut posts = 0;
    if !account_ids.is_empty() {
        // Posts would go with their accounts (ON DELETE CASCADE); deleted here to be counted.
        posts = post::Entity::delete_many()
            .filter(post::Column::AccountId.is_in(account_ids.clone()))
            .exec(&txn)
            .await?
            .rows_affected;
        account::Entity::delete_many()
            .filter(account::Column::Id.is_in(account_ids.clone()))
            .exec(&txn)
            .await?;
    }
    if !grant_ids.is_empty() {
        grant::Entity::delete_many()
            .filter(grant::Column::Id.is_in(grant_ids.clone()))
            .exec(&txn)
            .await?;
    }
    // The revocation row names the user too; Meta has removed the app already.
    crate::server::services::revocations::forget(&txn, provider, user_id).await?;
    let code = hex::encode(rand::random::<[u8; CODE_BYTES]>());
    data_deletion_request::ActiveModel {
        confirmation_code: Set(code.clone()),
        provider: Set(provider.as_str().to_owned()),
        user_digest: Set(hex::encode(Sha256::digest(user_id.as_bytes()))),
        grants_deleted: Set(count(grant_ids.len())),
        accounts_deleted: Set(count(account_ids.len())),
        posts_deleted: Set(i64::try_from(posts).unwrap_or(i64::MAX)),
        status: Set(COMPLETED.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (&workspace_id, &deleted) in &per_workspace {
        audit::record(
            &txn,
            now,
            AuditEntry {
                workspace_id: Some(workspace_id),
                actor_user_id: None,
                kind: AuditKind::MetaDataDeleted,
                subject: format!("A {} user", provider.label()),
                detail: serde_json::json!({ "provider": provider.as_str(), "accounts": deleted }),
                // The accounts are gone with their data; the entry names none.
                accounts: Vec::new(),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(DataDeleted {
        confirmation_code: code,
        accounts: account_ids.len() as u64,
        workspaces: per_workspace.len(),
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The accounts of `grant_ids`, and the Instagram accounts linked through their Pages (which
/// publish with the Page's token and can't outlive it).
async fn doomed_accounts(
    txn: &impl ConnectionTrait,
    grant_ids: &[i64],
) -> Result<Vec<account::Model>, DbErr> {
    if grant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = account::Entity::find()
        .filter(account::Column::GrantId.is_in(grant_ids.iter().copied()))
        .all(txn)
        .await?;
    let ids: BTreeSet<i64> = rows.iter().map(|a| a.id).collect();
    if ids.is_empty() {
        return Ok(rows);
    }
    let children = account::Entity::find()
        .filter(account::Column::ParentAccountId.is_in(ids.iter().copied()))
        .all(txn)
        .await?;
    rows.extend(children.into_iter().filter(|c| !ids.contains(&c.id)));
    Ok(rows)
}

/// The request with confirmation code `code`, if there is one.
pub async fn status(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<DataDeletionStatus>, DbErr> {
    if !is_confirmation_code(code) {
        return Ok(None);
    }
    Ok(data_deletion_request::Entity::find()
        .filter(data_deletion_request::Column::ConfirmationCode.eq(code))
        .one(db)
        .await?
        .map(|row| DataDeletionStatus {
            confirmation_code: row.confirmation_code,
            status: row.status,
            accounts_deleted: row.accounts_deleted,
            completed_at: row.created_at,
        }))
}
