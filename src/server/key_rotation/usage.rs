//! Which master keys the stored tokens need: the start refuses when one of them is not
//! configured (naming its fingerprint), and a rotation retires the previous keys none needs.

use crate::server::crypto::Keyring;
use crate::server::entities::{account, grant};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// How many stored tokens each master key (by fingerprint) wraps, over every sealed column.
pub async fn key_usage(db: &impl ConnectionTrait) -> Result<BTreeMap<String, u64>, DbErr> {
    let grants: Vec<(String, i64)> = grant::Entity::find()
        .select_only()
        .column(grant::Column::TokenKeyFingerprint)
        .column_as(grant::Column::Id.count(), "n")
        .filter(grant::Column::TokenKeyFingerprint.ne(""))
        .filter(grant::Column::TokenCiphertext.ne(""))
        .group_by(grant::Column::TokenKeyFingerprint)
        .into_tuple()
        .all(db)
        .await?;
    let accounts: Vec<(String, i64)> = account::Entity::find()
        .select_only()
        .column(account::Column::TokenKeyFingerprint)
        .column_as(account::Column::Id.count(), "n")
        .filter(account::Column::TokenKeyFingerprint.is_not_null())
        .filter(account::Column::TokenKeyFingerprint.ne(""))
        .filter(account::Column::TokenCiphertext.is_not_null())
        .group_by(account::Column::TokenKeyFingerprint)
        .into_tuple()
        .all(db)
        .await?;
    let mut usage = BTreeMap::new();
    for (fingerprint, count) in grants.into_iter().chain(accounts) {
        *usage.entry(fingerprint).or_insert(0) += u64::try_from(count).unwrap_or(0);
    }
    Ok(usage)
}

/// The keys stored tokens need that `keyring` lacks, with how many tokens each wraps.
pub async fn missing_keys(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
) -> Result<BTreeMap<String, u64>, DbErr> {
    let mut usage = key_usage(db).await?;
    usage.retain(|fingerprint, _| keyring.key(fingerprint).is_none());
    Ok(usage)
}
