//! The vault: the one place that knows where each stored secret lives. A [`Slot`] is a typed
//! constant (table and field); the associated data binding a ciphertext to its place is built
//! here and nowhere else, so callers can't get a table or field name wrong, and the token job
//! and key rotation use the same two calls as connecting does.
//!
//! The associated data is the v1 format (`Aad`): changing it would make every stored token
//! unreadable, which a fresh-database test would never notice — `vault_tests.rs` opens a
//! ciphertext written before this module existed.

use super::{Aad, CryptoError, Keyring, Sealed};
use crate::domain::Provider;
use secrecy::{ExposeSecret, SecretString};

/// Where a secret is stored: a table and a column, named as the v1 associated data names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    table: &'static str,
    field: &'static str,
}

impl Slot {
    /// A grant's long-lived user token (`grants.token_ciphertext`).
    pub const GRANT_USER_TOKEN: Slot = Slot {
        table: "grants",
        field: "user_token",
    };
    /// A connected account's own token, such as a Page token (`accounts.token_ciphertext`).
    pub const ACCOUNT_TOKEN: Slot = Slot {
        table: "accounts",
        field: "access_token",
    };
    /// Every slot, in the order key rotation walks them.
    pub const ALL: [Slot; 2] = [Slot::GRANT_USER_TOKEN, Slot::ACCOUNT_TOKEN];

    /// The table the slot's column is in (for the rotation's progress lines).
    pub fn table(self) -> &'static str {
        self.table
    }
}

/// The row a secret belongs to: moved to another row, workspace or provider it won't open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub row_id: i64,
    pub workspace_id: i64,
    pub provider: Provider,
}

/// A sealed secret as stored: the column's text and the master key's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub ciphertext: String,
    pub key_fingerprint: String,
}

#[derive(Clone, Debug)]
pub struct Vault {
    keyring: Keyring,
}

impl Vault {
    pub fn new(keyring: Keyring) -> Self {
        Self { keyring }
    }

    /// The master keys behind the vault (fingerprints, key checks, rotation).
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    fn aad(slot: Slot, owner: &Owner) -> Aad {
        Aad::new(
            slot.table,
            owner.row_id,
            owner.workspace_id,
            owner.provider.as_str(),
            slot.field,
        )
    }

    /// Seals `secret` for `slot` of `owner`'s row.
    pub fn seal(
        &self,
        slot: Slot,
        owner: &Owner,
        secret: &SecretString,
    ) -> Result<Stored, CryptoError> {
        let sealed = self
            .keyring
            .seal(secret.expose_secret().as_bytes(), &Self::aad(slot, owner))?;
        Ok(Stored {
            ciphertext: sealed.encode(),
            key_fingerprint: sealed.key_fingerprint,
        })
    }

    /// Opens the column text `ciphertext` stored in `slot` of `owner`'s row.
    pub fn open(
        &self,
        slot: Slot,
        owner: &Owner,
        ciphertext: &str,
    ) -> Result<SecretString, CryptoError> {
        let sealed = Sealed::decode(ciphertext)?;
        self.keyring.open(&sealed, &Self::aad(slot, owner))
    }

    /// Re-wraps the data key of `ciphertext` under the current master key (key rotation). The
    /// secret itself is neither decrypted nor re-encrypted, so the data part stays the same.
    pub fn rewrap(
        &self,
        slot: Slot,
        owner: &Owner,
        ciphertext: &str,
    ) -> Result<Stored, CryptoError> {
        let sealed = Sealed::decode(ciphertext)?;
        let rewrapped = self.keyring.rewrap(&sealed, &Self::aad(slot, owner))?;
        Ok(Stored {
            ciphertext: rewrapped.encode(),
            key_fingerprint: rewrapped.key_fingerprint,
        })
    }
}

/// The part of a stored ciphertext that only a new secret changes: re-wrapping its data key
/// (key rotation) keeps it. A writer replacing a secret matches on it, so a rotation that
/// re-wrapped the old secret meanwhile doesn't make the replacement lose (`None`: not a
/// sealed value).
pub fn secret_part(ciphertext: &str) -> Option<&str> {
    super::dotted::<4>(ciphertext).map(|[_, _, _, data]| data)
}

#[cfg(test)]
#[path = "vault_tests.rs"]
mod tests;
