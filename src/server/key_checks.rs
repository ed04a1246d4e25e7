//! The master key's check values in the database (docs/security.md #22): a key the database
//! has not seen before is refused at start — "master key does not match this database" —
//! unless a previous key it has seen is configured beside it (a rotation has begun).

use crate::server::crypto::{Keyring, MasterKey};
use crate::server::entities::key_check;
use anyhow::{bail, Context};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

/// Refuses a current key this database doesn't know; records it when the database has no
/// key yet, or when a known previous key vouches for it (a rotation in progress).
pub async fn check_keys(
    db: &DatabaseConnection,
    keyring: &Keyring,
    now: i64,
) -> anyhow::Result<()> {
    let stored = key_check::Entity::find()
        .all(db)
        .await
        .context("cannot read the key checks")?;
    let matches = |key: &MasterKey| {
        stored
            .iter()
            .any(|row| row.fingerprint == key.fingerprint() && row.check_value == key.check_value())
    };
    let current_fp = keyring.current_fingerprint().to_owned();
    let Some(current) = keyring.key(&current_fp) else {
        bail!("the master key is missing from its own keyring");
    };
    if matches(current) {
        return Ok(());
    }
    let vouched = keyring
        .fingerprints()
        .iter()
        .filter(|fp| **fp != current_fp)
        .filter_map(|fp| keyring.key(fp))
        .any(matches);
    if !stored.is_empty() && !vouched {
        bail!("master key does not match this database");
    }
    key_check::Entity::insert(key_check::ActiveModel {
        fingerprint: Set(current_fp),
        check_value: Set(current.check_value()),
        created_at: Set(now),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(key_check::Column::Fingerprint)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .context("cannot record the master key's check value")?;
    Ok(())
}
