//! Storing a Facebook authorization's plan: each Page with its own token, and each linked
//! Instagram account under it — unless that Instagram account is already connected directly,
//! in which case it stays exactly as it is (its own token, no parent) and the outcome names it.
//!
//! Accounts the grant brought before that this authorization did not include (the person
//! ticked fewer Pages) become Needs Reauthorization, "Not included in the latest
//! authorization" — only those Active or already needing reauthorization: a Disconnected one
//! stays Disconnected unless the new grant includes it (docs/product.md → Reconnect).

use super::bulk::{self, ExistingRow, RowValues};
use super::{json_list, seal, GrantRecord, Stored};
use crate::domain::{AccountStatus, Platform, StatusReason};
use crate::server::connect::discovery::{Plan, PlannedPage};
use crate::server::crypto::vault::{Slot, Vault};
use crate::server::entities::account as account_row;
use crate::server::meta::facebook::InstagramInfo;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

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

    // The workspace's rows for every Page and linked Instagram account, in one pass.
    let mut external: Vec<&str> = plan.pages.iter().map(|p| p.id.as_str()).collect();
    external.extend(
        plan.pages
            .iter()
            .filter_map(|p| Some(p.instagram.as_ref()?.id.as_str())),
    );
    let before = bulk::existing(txn, record.workspace_id, &external).await?;
    let page_key = Platform::FacebookPage.as_str();
    let is_instagram = |row: &ExistingRow| {
        row.platform == Platform::InstagramBusiness.as_str()
            || row.platform == Platform::InstagramCreator.as_str()
    };
    let mut page_ids: HashMap<&str, i64> = before
        .iter()
        .filter(|row| row.platform == page_key)
        .map(|row| (row.external_id.as_str(), row.id))
        .collect();
    let known_pages: HashSet<i64> = page_ids.values().copied().collect();

    // Pages the workspace lacks get rows first: their Instagram accounts name them as parent.
    let new_pages: Vec<(Platform, &str)> = plan
        .pages
        .iter()
        .filter(|p| !page_ids.contains_key(p.id.as_str()))
        .map(|p| (Platform::FacebookPage, p.id.as_str()))
        .collect();
    let inserted = bulk::insert_missing(txn, now, record, &new_pages).await?;
    let inserted_ids: Vec<(String, i64)> = inserted
        .into_iter()
        .map(|row| (row.external_id, row.id))
        .collect();
    for (external_id, id) in &inserted_ids {
        page_ids.insert(external_id.as_str(), *id);
    }

    // Each linked Instagram account: left alone when connected directly, else its oldest row
    // (any Instagram platform) or a new one.
    let mut instagram_rows: HashMap<&str, Vec<&ExistingRow>> = HashMap::new();
    for row in before.iter().filter(|row| is_instagram(row)) {
        instagram_rows
            .entry(row.external_id.as_str())
            .or_default()
            .push(row);
    }
    let mut instagram: Vec<(&PlannedPage, &InstagramInfo, Option<i64>)> = Vec::new();
    for page in &plan.pages {
        let Some(ig) = &page.instagram else { continue };
        let rows = instagram_rows
            .get(ig.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        if rows.iter().any(|row| row.parent_account_id.is_none()) {
            stored
                .already_direct
                .push(ig.username.clone().unwrap_or_else(|| ig.id.clone()));
            continue;
        }
        instagram.push((page, ig, rows.first().map(|row| row.id)));
    }
    let mut new_instagram: Vec<(Platform, &str)> = Vec::new();
    let mut listed = HashSet::new();
    for (_, ig, existing) in &instagram {
        if existing.is_none() && listed.insert(ig.id.as_str()) {
            new_instagram.push((Platform::InstagramBusiness, ig.id.as_str()));
        }
    }
    let ig_ids: HashMap<String, i64> = bulk::insert_missing(txn, now, record, &new_instagram)
        .await?
        .into_iter()
        .map(|row| (row.external_id, row.id))
        .collect();

    // Every row's values, tokens sealed now that the ids are known.
    let mut rows = Vec::with_capacity(plan.pages.len() + instagram.len());
    let mut found = HashSet::new();
    let mut written: HashMap<i64, usize> = HashMap::new();
    for page in &plan.pages {
        let Some(&id) = page_ids.get(page.id.as_str()) else {
            anyhow::bail!("a Page's row is missing after its insert");
        };
        let sealed = page
            .token
            .as_ref()
            .map(|token| seal(vault, Slot::ACCOUNT_TOKEN, id, record, token))
            .transpose()?;
        stored.count += 1;
        stored.new += usize::from(!known_pages.contains(&id));
        found.insert(id);
        written.insert(id, rows.len());
        rows.push(RowValues {
            id,
            platform: Platform::FacebookPage,
            external_id: page.id.clone(),
            name: page.name.clone(),
            username: None,
            parent_account_id: None,
            sealed,
            token_expires_at: None,
            missing_scopes: missing.clone(),
            page_tasks: Some(json_list(&page.tasks)),
        });
    }
    for (page, ig, existing) in instagram {
        let (Some(id), Some(&parent)) = (
            existing.or_else(|| ig_ids.get(&ig.id).copied()),
            page_ids.get(page.id.as_str()),
        ) else {
            anyhow::bail!("an Instagram account's row is missing after its insert");
        };
        let username = ig.username.clone().unwrap_or_else(|| ig.id.clone());
        stored.count += 1;
        stored.new += usize::from(existing.is_none() && found.insert(id));
        found.insert(id);
        let values = RowValues {
            id,
            platform: Platform::InstagramBusiness,
            external_id: ig.id.clone(),
            name: username.clone(),
            username: Some(username),
            parent_account_id: Some(parent),
            sealed: None,
            token_expires_at: None,
            missing_scopes: missing.clone(),
            page_tasks: None,
        };
        // One account linked to two Pages is written once, under the last (as before).
        match written.get(&id) {
            Some(&at) => rows[at] = values,
            None => {
                written.insert(id, rows.len());
                rows.push(values);
            }
        }
    }
    stored.accounts = rows.iter().map(|row| (row.id, row.platform)).collect();
    bulk::write(txn, now, record, grant_id, rows).await?;
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
