//! The master key's check values in the database (docs/security.md #22): a key the database
//! has not seen before is refused at start — "master key does not match this database" —
//! unless a previous key it has seen is configured beside it (a rotation has begun). A start
//! is also refused while stored tokens need a key that is not configured, naming it
//! (docs/operations.md → "Rotating the master key").

use crate::server::crypto::{Keyring, MasterKey};
use crate::server::entities::key_check;
use crate::server::key_rotation::usage::missing_keys;
use anyhow::{bail, Context};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

/// Refuses a current key this database doesn't know; records it when the database has no
/// Refuses a current key this database doesn't know, and a keyring lacking a key stored tokens
/// need; records the current key when the database has no key yet, or when a known previous
/// key vouches for it (a rotation in progress).
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
    let known = matches(current);
    let vouched = keyring
        .fingerprints()
        .iter()
        .filter(|fp| **fp != current_fp)
        .filter_map(|fp| keyring.key(fp))
        .any(matches);
    if !known && !stored.is_empty() && !vouched {
        let known: Vec<&str> = stored.iter().map(|row| row.fingerprint.as_str()).collect();
        bail!(
            "master key does not match this database (it is {current_fp}; the database knows {})",
            known.join(", ")
        );
    }
    let missing = missing_keys(db, keyring)
        .await
        .context("cannot read which master keys the stored tokens need")?;
    if let Some((fingerprint, count)) = missing.iter().next() {
        bail!(
            "master key {fingerprint} wraps {count} stored tokens but is not configured: add it to SWITCHBOARD_PREVIOUS_MASTER_KEYS"
        );
    }
    if known {
        return Ok(());
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
