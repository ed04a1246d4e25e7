//! Loading the master keys at start (docs/security.md #22): the key comes from
//! `SWITCHBOARD_MASTER_KEY`, `SWITCHBOARD_MASTER_KEY_FILE` or the default file (generated on
//! first run, with a warning). Checking them against the database is `server::key_checks`.

use super::{key_file, KeyError, Keyring, MasterKey};
use crate::server::config::{KeySettings, MasterKeySource};
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
