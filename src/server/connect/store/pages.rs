//! Storing a Facebook authorization's plan: each Page with its own token, and each linked
//! Instagram account under it — unless that Instagram account is already connected directly,
//! in which case it stays exactly as it is (its own token, no parent) and the outcome names it.
//!
//! Accounts the grant brought before that this authorization did not include (the person
//! ticked fewer Pages) become Needs Reauthorization, "Not included in the latest
//! authorization" — only those Active or already needing reauthorization: a Disconnected one
//! stays Disconnected unless the new grant includes it (docs/product.md → Reconnect).

use super::account::{self, AccountValues, Upserted};
use super::{json_list, GrantRecord, Stored};
use crate::domain::{AccountStatus, Platform, StatusReason};
use crate::server::connect::discovery::Plan;
use crate::server::crypto::vault::Vault;
use crate::server::entities::account as account_row;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;

/// Ids per `IN (…)` list, well under SQLite's and PostgreSQL's parameter limits.
const IDS_PER_STATEMENT: usize = 500;

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
    let mut found = HashSet::new();
    let mut count = |upserted: Upserted, stored: &mut Stored| {
        found.insert(upserted.id);
        stored.count += 1;
        if upserted.created {
            stored.new += 1;
        }
    };
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
            page_tasks: Some(json_list(&page.tasks)),
        };
        let page_row = account::upsert(txn, vault, now, record, grant_id, values, None).await?;
        count(page_row, &mut stored);
        let page_id = page_row.id;
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
            page_tasks: None,
        };
        let existing = rows.first().map(|row| row.id);
        let ig_row = account::upsert(txn, vault, now, record, grant_id, values, existing).await?;
        count(ig_row, &mut stored);
    }
    stored.not_included = mark_not_included(txn, now, grant_id, &found).await?;
    Ok(stored)
}

/// Marks the grant's live accounts missing from `found`; answers how many.
async fn mark_not_included(
    txn: &impl ConnectionTrait,
    now: i64,
    grant_id: i64,
    found: &HashSet<i64>,
) -> Result<usize, sea_orm::DbErr> {
    let live: Vec<i64> = account_row::Entity::find()
        .select_only()
        .column(account_row::Column::Id)
        .filter(account_row::Column::GrantId.eq(grant_id))
        .filter(account_row::Column::Status.is_in([
            AccountStatus::Active.as_str(),
            AccountStatus::NeedsReauth.as_str(),
        ]))
        .into_tuple()
        .all(txn)
        .await?;
    let missing: Vec<i64> = live.into_iter().filter(|id| !found.contains(id)).collect();
    for ids in missing.chunks(IDS_PER_STATEMENT) {
        account_row::Entity::update_many()
            .col_expr(
                account_row::Column::Status,
                Expr::value(AccountStatus::NeedsReauth.as_str()),
            )
            .col_expr(
                account_row::Column::StatusReason,
                Expr::value(StatusReason::NotInLatestAuthorization.as_str()),
            )
            .col_expr(account_row::Column::UpdatedAt, Expr::value(now))
            .filter(account_row::Column::Id.is_in(ids.to_vec()))
            .exec(txn)
            .await?;
    }
    Ok(missing.len())
}
