//! The sealed columns as rotation reads and writes them: grants' user tokens and accounts' own
//! tokens. A row holds a token under a previous key when its fingerprint is neither the current
//! key's nor empty (a disconnect empties it).

use crate::domain::Provider;
use crate::server::crypto::vault::{Owner, Slot, Stored};
use crate::server::entities::{account, grant};
use crate::server::services::disconnect::provider_of;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::HashMap;

/// One stored token to re-wrap: where it is and the column text as read.
pub(super) struct Candidate {
    pub id: i64,
    pub owner: Owner,
    pub ciphertext: String,
}

fn grants_under_other_keys(current: &str) -> Select<grant::Entity> {
    grant::Entity::find()
        .filter(grant::Column::TokenKeyFingerprint.ne(current))
        .filter(grant::Column::TokenKeyFingerprint.ne(""))
        .filter(grant::Column::TokenCiphertext.ne(""))
}

fn accounts_under_other_keys(current: &str) -> Select<account::Entity> {
    account::Entity::find()
        .filter(account::Column::TokenCiphertext.is_not_null())
        .filter(account::Column::TokenCiphertext.ne(""))
        .filter(account::Column::TokenKeyFingerprint.is_not_null())
        .filter(account::Column::TokenKeyFingerprint.ne(current))
        .filter(account::Column::TokenKeyFingerprint.ne(""))
}

/// How many rows of `slot` hold a token under a key other than `current`.
pub(super) async fn count_other_keys(
    db: &impl ConnectionTrait,
    slot: Slot,
    current: &str,
) -> Result<u64, DbErr> {
    if slot == Slot::GRANT_USER_TOKEN {
        grants_under_other_keys(current).count(db).await
    } else {
        accounts_under_other_keys(current).count(db).await
    }
}

/// Up to `limit` rows of `slot` after id `after`, in id order, under a key other than `current`.
pub(super) async fn read(
    db: &impl ConnectionTrait,
    slot: Slot,
    current: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<Candidate>, DbErr> {
    if slot == Slot::GRANT_USER_TOKEN {
        let rows = grants_under_other_keys(current)
            .filter(grant::Column::Id.gt(after))
            .order_by_asc(grant::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        return Ok(rows
            .into_iter()
            .map(|row| Candidate {
                id: row.id,
                owner: Owner {
                    row_id: row.id,
                    workspace_id: row.workspace_id,
                    // An unknown provider can't have sealed it: the re-wrap fails and says so.
                    provider: row.provider.parse().unwrap_or(Provider::Facebook),
                },
                ciphertext: row.token_ciphertext,
            })
            .collect());
    }
    let rows = accounts_under_other_keys(current)
        .filter(account::Column::Id.gt(after))
        .order_by_asc(account::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    // The associated data names the product the account was connected through: its grant's.
    let grant_ids: Vec<i64> = rows.iter().filter_map(|row| row.grant_id).collect();
    let grants: HashMap<i64, grant::Model> = grant::Entity::find()
        .filter(grant::Column::Id.is_in(grant_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let grant = row.grant_id.and_then(|id| grants.get(&id));
            let provider = provider_of(&row, grant);
            Some(Candidate {
                id: row.id,
                owner: Owner {
                    row_id: row.id,
                    workspace_id: row.workspace_id,
                    provider,
                },
                ciphertext: row.token_ciphertext?,
            })
        })
        .collect())
}

/// Writes the re-wrapped token only if the row still holds what was read; answers whether it
/// did.
pub(super) async fn replace(
    db: &impl ConnectionTrait,
    slot: Slot,
    candidate: &Candidate,
    stored: &Stored,
) -> Result<bool, DbErr> {
    let result = if slot == Slot::GRANT_USER_TOKEN {
        grant::Entity::update_many()
            .col_expr(
                grant::Column::TokenCiphertext,
                Expr::value(stored.ciphertext.as_str()),
            )
            .col_expr(
                grant::Column::TokenKeyFingerprint,
                Expr::value(stored.key_fingerprint.as_str()),
            )
            .filter(grant::Column::Id.eq(candidate.id))
            .filter(grant::Column::TokenCiphertext.eq(candidate.ciphertext.as_str()))
            .exec(db)
            .await?
    } else {
        account::Entity::update_many()
            .col_expr(
                account::Column::TokenCiphertext,
                Expr::value(stored.ciphertext.as_str()),
            )
            .col_expr(
                account::Column::TokenKeyFingerprint,
                Expr::value(stored.key_fingerprint.as_str()),
            )
            .filter(account::Column::Id.eq(candidate.id))
            .filter(account::Column::TokenCiphertext.eq(candidate.ciphertext.as_str()))
            .exec(db)
            .await?
    };
    Ok(result.rows_affected == 1)
}
