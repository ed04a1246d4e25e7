//! Writing many account rows in a few statements: a Facebook authorization can bring thousands
//! of Pages, and a statement per row made connecting superlinearly slow (README → Performance).
//!
//! Three steps, all inside the connection's one transaction:
//! 1. [`existing`]: the workspace's rows for the authorization's external ids, 500 ids per
//!    statement;
//! 2. [`insert_missing`]: rows the workspace lacks, inserted bare, 400 per statement, then read
//!    back for their ids (a token is sealed with its row id, so ids come first);
//! 3. [`write`]: every row's values, 400 per statement, as `INSERT … ON CONFLICT (id) DO
//!    UPDATE` over rows that all exist — what an answer lacked is kept, never blanked: a Page
//!    listed without a token keeps its token, an account without a username its username.

use super::account::bare;
use super::GrantRecord;
use crate::domain::{AccountStatus, Platform};
use crate::server::entities::account;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashSet;

/// Ids per `IN (…)` list, well under SQLite's and PostgreSQL's parameter limits.
const IDS_PER_STATEMENT: usize = 500;
/// Rows per multi-row statement (21 values each: 8,400 parameters, under SQLite's 32,766). Few
/// large statements beat many small ones on PostgreSQL over TCP, where sqlx 0.9.0 leaves Nagle's
/// algorithm on and a statement can wait for a delayed ACK (README → "Connecting at scale").
const ROWS_PER_STATEMENT: usize = 400;

/// A row the workspace already has, as the duplicate rules need it.
#[derive(Debug, Clone)]
pub struct ExistingRow {
    pub id: i64,
    pub platform: String,
    pub external_id: String,
    pub parent_account_id: Option<i64>,
}

/// The workspace's rows whose external id is one of `external_ids`, oldest first.
pub async fn existing(
    txn: &impl ConnectionTrait,
    workspace_id: i64,
    external_ids: &[&str],
) -> Result<Vec<ExistingRow>, DbErr> {
    let mut out = Vec::new();
    for ids in external_ids.chunks(IDS_PER_STATEMENT) {
        let rows: Vec<(i64, String, String, Option<i64>)> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::Platform)
            .column(account::Column::ExternalId)
            .column(account::Column::ParentAccountId)
            .filter(account::Column::WorkspaceId.eq(workspace_id))
            .filter(account::Column::ExternalId.is_in(ids.iter().copied()))
            .into_tuple()
            .all(txn)
            .await?;
        out.extend(
            rows.into_iter().map(
                |(id, platform, external_id, parent_account_id)| ExistingRow {
                    id,
                    platform,
                    external_id,
                    parent_account_id,
                },
            ),
        );
    }
    out.sort_by_key(|row| row.id);
    Ok(out)
}

/// Inserts bare rows for `keys` (platform, external id) and answers them with their new ids.
pub async fn insert_missing(
    txn: &impl ConnectionTrait,
    now: i64,
    record: &GrantRecord<'_>,
    keys: &[(Platform, &str)],
) -> Result<Vec<ExistingRow>, DbErr> {
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        let rows = chunk
            .iter()
            .map(|(platform, external_id)| bare(now, record, *platform, external_id));
        account::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = keys.iter().map(|(_, id)| *id).collect();
    let wanted: HashSet<(&str, &str)> = keys.iter().map(|(p, id)| (p.as_str(), *id)).collect();
    let inserted = existing(txn, record.workspace_id, &ids).await?;
    Ok(inserted
        .into_iter()
        .filter(|row| wanted.contains(&(row.platform.as_str(), row.external_id.as_str())))
        .collect())
}

/// What one row is set to, its id known.
pub struct RowValues {
    pub id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub name: String,
    pub username: Option<String>,
    pub parent_account_id: Option<i64>,
    /// The sealed token and its key's fingerprint; `None` keeps the row's own.
    pub sealed: Option<(String, String)>,
    /// With a sealed token: when it expires (`None`: never).
    pub token_expires_at: Option<i64>,
    pub missing_scopes: String,
    /// `None` keeps the row's own.
    pub page_tasks: Option<String>,
}

/// Writes every row's values (all rows exist), Active again, in the grant `grant_id`.
pub async fn write(
    txn: &impl ConnectionTrait,
    now: i64,
    record: &GrantRecord<'_>,
    grant_id: i64,
    rows: Vec<RowValues>,
) -> Result<(), DbErr> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<account::ActiveModel> = rows
            .by_ref()
            .take(ROWS_PER_STATEMENT)
            .map(|row| model(now, record, grant_id, row))
            .collect();
        account::Entity::insert_many(chunk)
            .on_conflict(on_conflict())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

fn model(
    now: i64,
    record: &GrantRecord<'_>,
    grant_id: i64,
    row: RowValues,
) -> account::ActiveModel {
    let name: String = row.name.chars().take(255).collect();
    // Only Pages come without a username.
    let search = format!("{name} {}", row.username.as_deref().unwrap_or_default()).to_lowercase();
    let (ciphertext, fingerprint, issued) = match row.sealed {
        Some((ciphertext, fingerprint)) => (Some(ciphertext), Some(fingerprint), Some(now)),
        None => (None, None, None),
    };
    account::ActiveModel {
        id: Set(row.id),
        workspace_id: Set(record.workspace_id),
        grant_id: Set(Some(grant_id)),
        platform: Set(row.platform.as_str().to_owned()),
        external_id: Set(row.external_id),
        name: Set(name),
        username: Set(row.username),
        parent_account_id: Set(row.parent_account_id),
        status: Set(AccountStatus::Active.as_str().to_owned()),
        status_reason: Set(None),
        token_ciphertext: Set(ciphertext),
        token_key_fingerprint: Set(fingerprint),
        token_expires_at: Set(row.token_expires_at),
        token_issued_at: Set(issued),
        missing_scopes: Set(row.missing_scopes),
        search_text: Set(search.chars().take(520).collect()),
        connected_by: Set(record.connected_by),
        connected_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        page_tasks: Set(row.page_tasks),
        ..Default::default()
    }
}

/// Every row exists, so the insert always becomes this update. Columns an answer may lack
/// keep the row's value; the token's expiry and issue time change only with a new token.
fn on_conflict() -> OnConflict {
    use account::Column as C;
    let keep = |column: &str| Expr::cust(format!("COALESCE(excluded.{column}, accounts.{column})"));
    let with_token = |column: &str| {
        Expr::cust(format!(
            "CASE WHEN excluded.token_ciphertext IS NULL THEN accounts.{column} ELSE excluded.{column} END"
        ))
    };
    OnConflict::column(C::Id)
        .update_columns([
            C::GrantId,
            C::Platform,
            C::Name,
            C::ParentAccountId,
            C::Status,
            C::StatusReason,
            C::MissingScopes,
            C::SearchText,
            C::ConnectedBy,
            C::ConnectedAt,
            C::UpdatedAt,
        ])
        .value(C::Username, keep("username"))
        .value(C::PageTasks, keep("page_tasks"))
        .value(C::TokenCiphertext, keep("token_ciphertext"))
        .value(C::TokenKeyFingerprint, keep("token_key_fingerprint"))
        .value(C::TokenExpiresAt, with_token("token_expires_at"))
        .value(C::TokenIssuedAt, with_token("token_issued_at"))
        .to_owned()
}
