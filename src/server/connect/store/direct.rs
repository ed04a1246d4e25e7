//! Storing a direct connection (Instagram Login or Threads): one account holding its own
//! long-lived token and expiry. An Instagram account already connected through a Page is
//! refused and nothing is written; one connected directly before is renewed (its platform
//! follows the account type, Business or Creator).

use super::account::{self, AccountValues};
use super::{GrantRecord, StoreError, Stored};
use crate::domain::Platform;
use crate::server::connect::flow::DirectAccount;
use crate::server::crypto::vault::Vault;
use crate::server::entities::account as account_row;
use sea_orm::{ConnectionTrait, EntityTrait};

pub async fn store(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    now: i64,
    record: &GrantRecord<'_>,
    grant_id: i64,
    direct: &DirectAccount,
) -> Result<Stored, StoreError> {
    let mut existing = None;
    if matches!(
        direct.platform,
        Platform::InstagramBusiness | Platform::InstagramCreator
    ) {
        let rows = account::instagram_rows(txn, record.workspace_id, &direct.external_id).await?;
        if let Some(linked) = rows.iter().find(|row| row.parent_account_id.is_some()) {
            let page = match linked.parent_account_id {
                Some(parent) => account_row::Entity::find_by_id(parent)
                    .one(txn)
                    .await?
                    .map(|page| page.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            return Err(StoreError::AlreadyConnected {
                username: linked
                    .username
                    .clone()
                    .unwrap_or_else(|| linked.name.clone()),
                page,
            });
        }
        existing = rows.first().map(|row| row.id);
    }
    let values = AccountValues {
        platform: direct.platform,
        external_id: &direct.external_id,
        name: &direct.name,
        username: Some(&direct.username),
        parent_account_id: None,
        token: Some(record.token),
        token_expires_at: record.token_expires_at,
        missing_scopes: "[]",
        page_tasks: None,
    };
    let upserted = account::upsert(txn, vault, now, record, grant_id, values, existing).await?;
    Ok(Stored {
        count: 1,
        new: usize::from(upserted.created),
        accounts: vec![(upserted.id, direct.platform)],
        ..Stored::default()
    })
}
