//! Loading the master keys at start and checking them against the database (security.md
//! #22): the key comes from `SWITCHBOARD_MASTER_KEY`, `SWITCHBOARD_MASTER_KEY_FILE` or the
//! default file (generated on first run, with a warning); a key the database has not seen
//! before is refused — "master key does not match this database" — unless a previous key it
//! has seen is configured beside it (a rotation has begun).

use super::{key_file, KeyError, Keyring, MasterKey};
use crate::server::config::{KeySettings, MasterKeySource};
use crate::server::entities::key_check;
use anyhow::{bail, Context};
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use secrecy::ExposeSecret;

/// The master key and previous keys, as configured.
pub fn load_keys(settings: &KeySettings) -> anyhow::Result<Keyring> {
    let current = match &settings.master {
        MasterKeySource::Inline(value) => MasterKey::from_base64(value.expose_secret())
            .map_err(|err| anyhow::anyhow!("SWITCHBOARD_MASTER_KEY: {err}"))?,
        MasterKeySource::File { path, create: true } => {
            let (key, created) = key_file::load_or_create(path)
                .map_err(|err| anyhow::anyhow!("master key file: {err}"))?;
            if created {
                tracing::warn!(
                    path = %path.display(),
                    "generated a new master key (mode 0600); back it up — without it stored tokens can't be read. Set SWITCHBOARD_MASTER_KEY or SWITCHBOARD_MASTER_KEY_FILE in production"
                );
            }
            key
        }
        MasterKeySource::File {
            path,
            create: false,
        } => key_file::load(path)
            .map_err(|err: KeyError| anyhow::anyhow!("SWITCHBOARD_MASTER_KEY_FILE: {err}"))?,
    };
    let previous = settings
        .previous
        .iter()
        .enumerate()
        .map(|(index, value)| {
            MasterKey::from_base64(value.expose_secret()).map_err(|err| {
                anyhow::anyhow!(
                    "SWITCHBOARD_PREVIOUS_MASTER_KEYS (key {}): {err}",
                    index + 1
                )
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Keyring::new(current, previous))
}

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
