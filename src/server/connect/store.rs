//! Writing one authorization: the grant and every account it brings, in **one transaction**
//! (docs/security.md #25, #29) — either all of it is stored or none. Rows are upserted on their
//! unique keys, so connecting the same Meta user again renews instead of duplicating, and an
//! account found in a new grant moves to it. Tokens are sealed with associated data naming
//! their row, so a row id is known before its token is encrypted.

use super::discovery::Plan;
use crate::domain::{AccountStatus, Platform, Provider};
use crate::server::crypto::vault::{Owner, Slot, Vault};
use crate::server::entities::{account, grant};
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::services::audit::{self, AuditEntry, AuditKind};
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

/// Stores the grant and the plan's accounts; answers how many accounts were connected or
/// renewed.
pub async fn store(
    db: &DatabaseConnection,
    vault: &Vault,
    now: i64,
    record: GrantRecord<'_>,
    plan: &Plan,
) -> anyhow::Result<usize> {
    let txn = db.begin().await.context("cannot start a transaction")?;
    let grant_id = upsert_grant(&txn, vault, now, &record).await?;
    let missing = json_list(&plan.missing_optional);
    let mut count = 0;
    for page in &plan.pages {
        let values = AccountValues {
            platform: Platform::FacebookPage,
            external_id: &page.id,
            name: &page.name,
            username: None,
            parent_account_id: None,
            token: page.token.as_ref(),
        };
        let page_id = upsert_account(&txn, vault, now, &record, grant_id, values, &missing).await?;
        count += 1;
        if let Some(ig) = &page.instagram {
            let username = ig.username.clone().unwrap_or_else(|| ig.id.clone());
            let values = AccountValues {
                platform: Platform::InstagramBusiness,
                external_id: &ig.id,
                name: &username,
                username: Some(&username),
                parent_account_id: Some(page_id),
                token: None,
            };
            upsert_account(&txn, vault, now, &record, grant_id, values, &missing).await?;
            count += 1;
        }
    }
    audit::record(
        &txn,
        now,
        AuditEntry {
            workspace_id: Some(record.workspace_id),
            actor_user_id: Some(record.connected_by),
            kind: AuditKind::AccountsConnected,
            subject: record.user.name.clone(),
            detail: serde_json::json!({
                "provider": record.provider.as_str(),
                "accounts": count,
                "not_connectable": plan.not_connectable.len(),
            }),
        },
    )
    .await
    .context("cannot record the connection")?;
    txn.commit().await.context("cannot commit the connection")?;
    Ok(count)
}

async fn upsert_grant(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    now: i64,
    record: &GrantRecord<'_>,
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
    let (ciphertext, fingerprint) = seal(vault, Slot::GRANT_USER_TOKEN, id, record, record.token)?;
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

struct AccountValues<'a> {
    platform: Platform,
    external_id: &'a str,
    name: &'a str,
    username: Option<&'a str>,
    parent_account_id: Option<i64>,
    token: Option<&'a SecretString>,
}

async fn upsert_account(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    now: i64,
    record: &GrantRecord<'_>,
    grant_id: i64,
    values: AccountValues<'_>,
    missing: &str,
) -> anyhow::Result<i64> {
    let existing = account::Entity::find()
        .filter(account::Column::WorkspaceId.eq(record.workspace_id))
        .filter(account::Column::Platform.eq(values.platform.as_str()))
        .filter(account::Column::ExternalId.eq(values.external_id))
        .one(txn)
        .await?;
    let id = match existing {
        Some(row) => row.id,
        None => {
            account::ActiveModel {
                workspace_id: Set(record.workspace_id),
                platform: Set(values.platform.as_str().to_owned()),
                external_id: Set(values.external_id.to_owned()),
                name: Set(String::new()),
                status: Set(AccountStatus::Active.as_str().to_owned()),
                missing_scopes: Set("[]".into()),
                search_text: Set(String::new()),
                connected_by: Set(record.connected_by),
                connected_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?
            .id
        }
    };
    let sealed = values
        .token
        .map(|token| seal(vault, Slot::ACCOUNT_TOKEN, id, record, token))
        .transpose()?;
    let name: String = values.name.chars().take(255).collect();
    let search = format!("{} {}", name, values.username.unwrap_or_default()).to_lowercase();
    account::ActiveModel {
        id: Set(id),
        grant_id: Set(Some(grant_id)),
        name: Set(name),
        username: Set(values.username.map(str::to_owned)),
        parent_account_id: Set(values.parent_account_id),
        status: Set(AccountStatus::Active.as_str().to_owned()),
        status_reason: Set(None),
        token_key_fingerprint: Set(sealed.as_ref().map(|(_, fp)| fp.clone())),
        token_ciphertext: Set(sealed.map(|(ciphertext, _)| ciphertext)),
        // A Page token from a long-lived user token never expires (docs/meta-api.md §2.3).
        token_expires_at: Set(None),
        missing_scopes: Set(missing.to_owned()),
        search_text: Set(search.chars().take(520).collect()),
        connected_by: Set(record.connected_by),
        connected_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(id)
}
