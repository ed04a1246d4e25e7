//! One account row, made or renewed, and the lookup the duplicate rule needs: the workspace's
//! rows for one Instagram professional account, whatever their platform.

use super::{seal, GrantRecord};
use crate::domain::{AccountStatus, Platform};
use crate::server::crypto::vault::{Slot, Vault};
use crate::server::entities::account;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use secrecy::SecretString;

/// What an account row is set to.
pub struct AccountValues<'a> {
    pub platform: Platform,
    pub external_id: &'a str,
    pub name: &'a str,
    pub username: Option<&'a str>,
    pub parent_account_id: Option<i64>,
    /// Its own token (a Page token, or a direct account's token).
    pub token: Option<&'a SecretString>,
    /// `None`: never expires (a Page token from a long-lived user token, docs/meta-api.md §2.3).
    pub token_expires_at: Option<i64>,
    /// JSON array of optional permissions not granted.
    pub missing_scopes: &'a str,
    /// A Page's tasks for the person (JSON array); `None` for other accounts.
    pub page_tasks: Option<String>,
}

/// The workspace's rows for the Instagram professional account `external_id`, through a Page or
/// direct, oldest first.
pub async fn instagram_rows(
    txn: &impl ConnectionTrait,
    workspace_id: i64,
    external_id: &str,
) -> Result<Vec<account::Model>, sea_orm::DbErr> {
    account::Entity::find()
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .filter(account::Column::ExternalId.eq(external_id))
        .filter(account::Column::Platform.is_in([
            Platform::InstagramBusiness.as_str(),
            Platform::InstagramCreator.as_str(),
        ]))
        .order_by_asc(account::Column::Id)
        .all(txn)
        .await
}

/// A new row before its values are written: what it is and whose, so its id exists to seal its
/// token with.
pub fn bare(
    now: i64,
    record: &GrantRecord<'_>,
    platform: Platform,
    external_id: &str,
) -> account::ActiveModel {
    account::ActiveModel {
        workspace_id: Set(record.workspace_id),
        platform: Set(platform.as_str().to_owned()),
        external_id: Set(external_id.to_owned()),
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
}

/// A row made or renewed.
#[derive(Debug, Clone, Copy)]
pub struct Upserted {
    pub id: i64,
    /// The row did not exist before.
    pub created: bool,
}

/// Makes or renews the row, Active again. `existing` names the row to renew when the caller
/// found it (an Instagram account may change platform); otherwise it is looked up on
/// (workspace, platform, external id). What the answer lacked is kept, never blanked: a Page
/// listed without a token keeps the token it had, an account without a username keeps its
/// username.
pub async fn upsert(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    now: i64,
    record: &GrantRecord<'_>,
    grant_id: i64,
    values: AccountValues<'_>,
    existing: Option<i64>,
) -> anyhow::Result<Upserted> {
    let existing = match existing {
        Some(id) => Some(id),
        None => account::Entity::find()
            .filter(account::Column::WorkspaceId.eq(record.workspace_id))
            .filter(account::Column::Platform.eq(values.platform.as_str()))
            .filter(account::Column::ExternalId.eq(values.external_id))
            .one(txn)
            .await?
            .map(|row| row.id),
    };
    let created = existing.is_none();
    let id = match existing {
        Some(id) => id,
        None => {
            bare(now, record, values.platform, values.external_id)
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
    let mut row = account::ActiveModel {
        id: Set(id),
        grant_id: Set(Some(grant_id)),
        platform: Set(values.platform.as_str().to_owned()),
        name: Set(name.clone()),
        parent_account_id: Set(values.parent_account_id),
        status: Set(AccountStatus::Active.as_str().to_owned()),
        status_reason: Set(None),
        missing_scopes: Set(values.missing_scopes.to_owned()),
        connected_by: Set(record.connected_by),
        connected_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    if values.page_tasks.is_some() {
        row.page_tasks = Set(values.page_tasks);
    }
    // Only Pages come without a username.
    let search = format!("{name} {}", values.username.unwrap_or_default()).to_lowercase();
    row.search_text = Set(search.chars().take(520).collect());
    if let Some(username) = values.username {
        row.username = Set(Some(username.to_owned()));
    }
    // A token with its expiry, or — for an account that holds its own token but whose answer
    // carried none — the one it had.
    if let Some((ciphertext, fingerprint)) = sealed {
        row.token_ciphertext = Set(Some(ciphertext));
        row.token_key_fingerprint = Set(Some(fingerprint));
        row.token_expires_at = Set(values.token_expires_at);
        row.token_issued_at = Set(Some(now));
    }
    row.update(txn).await?;
    Ok(Upserted { id, created })
}
