//! Storing a Facebook authorization's plan: each Page with its own token, and each linked
//! Instagram account under it — unless that Instagram account is already connected directly,
//! in which case it stays exactly as it is (its own token, no parent) and the outcome names it.

use super::account::{self, AccountValues};
use super::{json_list, GrantRecord, Stored};
use crate::domain::Platform;
use crate::server::connect::discovery::Plan;
use crate::server::crypto::vault::Vault;
use sea_orm::ConnectionTrait;

pub async fn store(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    now: i64,
    record: &GrantRecord<'_>,
    grant_id: i64,
    plan: &Plan,
) -> anyhow::Result<Stored> {
    let missing = json_list(&plan.missing_optional);
    let mut stored = Stored::default();
    for page in &plan.pages {
        let values = AccountValues {
            platform: Platform::FacebookPage,
            external_id: &page.id,
            name: &page.name,
            username: None,
            parent_account_id: None,
            token: page.token.as_ref(),
            token_expires_at: None,
            missing_scopes: &missing,
        };
        let page_id = account::upsert(txn, vault, now, record, grant_id, values, None).await?;
        stored.count += 1;
        let Some(ig) = &page.instagram else {
            continue;
        };
        let username = ig.username.clone().unwrap_or_else(|| ig.id.clone());
        let rows = account::instagram_rows(txn, record.workspace_id, &ig.id).await?;
        if rows.iter().any(|row| row.parent_account_id.is_none()) {
            stored.already_direct.push(username);
            continue;
        }
        let values = AccountValues {
            platform: Platform::InstagramBusiness,
            external_id: &ig.id,
            name: &username,
            username: Some(&username),
            parent_account_id: Some(page_id),
            token: None,
            token_expires_at: None,
            missing_scopes: &missing,
        };
        let existing = rows.first().map(|row| row.id);
        account::upsert(txn, vault, now, record, grant_id, values, existing).await?;
        stored.count += 1;
    }
    Ok(stored)
}
