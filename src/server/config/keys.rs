//! Where the master key comes from (`SWITCHBOARD_MASTER_KEY`, `SWITCHBOARD_MASTER_KEY_FILE`) and
//! the previous keys still accepted during a rotation.

use super::ConfigError;
use secrecy::SecretString;
use std::path::PathBuf;

pub const DEFAULT_MASTER_KEY_FILE: &str = "data/master.key";

/// Where the master key comes from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// `SWITCHBOARD_MASTER_KEY`: base64 of 32 bytes.
    Inline(SecretString),
    /// `SWITCHBOARD_MASTER_KEY_FILE`, or the default file; `create` only for the default (a
    /// missing explicit file is an operator error, not a reason to invent a key).
    File { path: PathBuf, create: bool },
}

/// The master key and the previous keys still accepted for decryption.
#[derive(Debug, Clone)]
pub struct KeySettings {
    pub master: MasterKeySource,
    pub previous: Vec<SecretString>,
}

impl KeySettings {
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let master = match (
            get("SWITCHBOARD_MASTER_KEY"),
            get("SWITCHBOARD_MASTER_KEY_FILE"),
        ) {
            (Some(_), Some(_)) => {
                return Err(ConfigError(
                    "set SWITCHBOARD_MASTER_KEY or SWITCHBOARD_MASTER_KEY_FILE, not both".into(),
                ))
            }
            (Some(key), None) => MasterKeySource::Inline(SecretString::from(key)),
            (None, Some(path)) => MasterKeySource::File {
                path: PathBuf::from(path.trim()),
                create: false,
            },
            (None, None) => MasterKeySource::File {
                path: PathBuf::from(DEFAULT_MASTER_KEY_FILE),
                create: true,
            },
        };
        let previous = get("SWITCHBOARD_PREVIOUS_MASTER_KEYS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(|k| SecretString::from(k.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self { master, previous })
    }
}
