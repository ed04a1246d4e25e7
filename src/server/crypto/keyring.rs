//! The keyring — the current master key and previous ones — and the envelope operations that
//! use them: sealing a secret under a fresh data key, opening it again, and re-wrapping data
//! keys during key rotation.
//!
//! The current master key wraps new data keys; previous keys (from
//! `SWITCHBOARD_PREVIOUS_MASTER_KEYS`) are kept only so that secrets they wrapped still open
//! until `switchboard keys rotate` has re-wrapped them. Nothing here prints key bytes.

use std::fmt;
use std::sync::Arc;

use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, Payload};
use aes_gcm::Aes256Gcm;
use rand::rngs::OsRng;
use rand::RngCore;
use secrecy::SecretString;
use zeroize::Zeroizing;

pub use super::master_key::{KeyError, MasterKey};

use super::envelope::{
    Aad, CryptoError, Sealed, KEY_LEN, MIN_CIPHERTEXT_LEN, NONCE_LEN, TAG_LEN, WRAPPED_KEY_LEN,
};

/// The current master key plus previous keys (accepted for decryption only).
/// Cheap to clone: the keys are shared, not copied.
#[derive(Clone)]
pub struct Keyring {
    inner: Arc<Keys>,
}

struct Keys {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

impl Keyring {
    /// Builds a keyring. Previous keys equal to the current key or to an earlier previous
    /// key are dropped, so [`Keyring::fingerprints`] lists each key once.
    pub fn new(current: MasterKey, previous: Vec<MasterKey>) -> Self {
        let mut kept: Vec<MasterKey> = Vec::with_capacity(previous.len());
        for key in previous {
            let duplicate = key.fingerprint() == current.fingerprint()
                || kept.iter().any(|k| k.fingerprint() == key.fingerprint());
            if !duplicate {
                kept.push(key);
            }
        }
        Self {
            inner: Arc::new(Keys {
                current,
                previous: kept,
            }),
        }
    }

    /// A purpose key derived from the current master key ([`MasterKey::derive`]).
    pub fn derive(&self, label: &str) -> Zeroizing<[u8; KEY_LEN]> {
        self.inner.current.derive(label)
    }

    /// Fingerprint of the key that wraps new data keys.
    pub fn current_fingerprint(&self) -> &str {
        self.inner.current.fingerprint()
    }

    /// Fingerprints of all keys, current first.
    pub fn fingerprints(&self) -> Vec<String> {
        self.keys().map(|k| k.fingerprint().to_owned()).collect()
    }

    /// Finds the key (current or previous) with that fingerprint.
    pub fn key(&self, fingerprint: &str) -> Option<&MasterKey> {
        self.keys().find(|k| k.fingerprint() == fingerprint)
    }

    /// Encrypts: a fresh random 256-bit DEK seals the plaintext with AES-256-GCM (random
    /// 96-bit nonce, `aad.bytes()` as associated data); the DEK is wrapped the same way by
    /// the current key. The DEK is zeroized after use.
    pub fn seal(&self, plaintext: &[u8], aad: &Aad) -> Result<Sealed, CryptoError> {
        let aad = aad.bytes();
        let mut dek = Zeroizing::new([0u8; KEY_LEN]);
        OsRng
            .try_fill_bytes(&mut dek[..])
            .map_err(|_| CryptoError::Encrypt)?;
        let ciphertext = encrypt(&dek, plaintext, &aad)?;
        let wrapped_key = encrypt(self.inner.current.bytes(), &dek[..], &aad)?;
        Ok(Sealed {
            key_fingerprint: self.current_fingerprint().to_owned(),
            wrapped_key,
            ciphertext,
        })
    }

    /// Decrypts with whichever key the `Sealed` names. The secret is UTF-8 text; anything
    /// else → [`CryptoError::Corrupt`]. Intermediate buffers are zeroized.
    pub fn open(&self, sealed: &Sealed, aad: &Aad) -> Result<SecretString, CryptoError> {
        let aad = aad.bytes();
        let dek = self.unwrap_dek(sealed, &aad)?;
        if sealed.ciphertext.len() < MIN_CIPHERTEXT_LEN {
            return Err(CryptoError::Corrupt);
        }
        let plaintext = decrypt(&dek, &sealed.ciphertext, &aad)?;
        let text = std::str::from_utf8(&plaintext).map_err(|_| CryptoError::Corrupt)?;
        // An exact-size Box<str> is handed to the secret wrapper, so no reallocation leaves
        // an unzeroized copy behind; `plaintext` is zeroized when it drops.
        Ok(SecretString::from(Box::<str>::from(text)))
    }

    /// Re-wraps the DEK under the current key (for key rotation) with a fresh nonce; the
    /// data ciphertext is untouched and never decrypted.
    pub fn rewrap(&self, sealed: &Sealed, aad: &Aad) -> Result<Sealed, CryptoError> {
        let aad = aad.bytes();
        let dek = self.unwrap_dek(sealed, &aad)?;
        if sealed.ciphertext.len() < MIN_CIPHERTEXT_LEN {
            return Err(CryptoError::Corrupt);
        }
        let wrapped_key = encrypt(self.inner.current.bytes(), &dek[..], &aad)?;
        Ok(Sealed {
            key_fingerprint: self.current_fingerprint().to_owned(),
            wrapped_key,
            ciphertext: sealed.ciphertext.clone(),
        })
    }

    fn keys(&self) -> impl Iterator<Item = &MasterKey> {
        std::iter::once(&self.inner.current).chain(self.inner.previous.iter())
    }

    fn unwrap_dek(
        &self,
        sealed: &Sealed,
        aad: &[u8],
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, CryptoError> {
        let kek = self
            .key(&sealed.key_fingerprint)
            .ok_or_else(|| CryptoError::UnknownKey(sealed.key_fingerprint.clone()))?;
        if sealed.wrapped_key.len() != WRAPPED_KEY_LEN {
            return Err(CryptoError::Corrupt);
        }
        let unwrapped = decrypt(kek.bytes(), &sealed.wrapped_key, aad)?;
        // Authentic but not a 32-byte key can only come from a bug, not from tampering.
        if unwrapped.len() != KEY_LEN {
            return Err(CryptoError::Corrupt);
        }
        let mut dek = Zeroizing::new([0u8; KEY_LEN]);
        dek.copy_from_slice(&unwrapped);
        Ok(dek)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let previous: Vec<&str> = self
            .inner
            .previous
            .iter()
            .map(MasterKey::fingerprint)
            .collect();
        f.debug_struct("Keyring")
            .field("current", &self.current_fingerprint())
            .field("previous", &previous)
            .finish()
    }
}

/// AES-256-GCM with a fresh random nonce; returns nonce || ciphertext+tag.
fn encrypt(key: &[u8; KEY_LEN], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let cipher = Aes256Gcm::new(key.into());
    let mut nonce = [0u8; NONCE_LEN];
    OsRng
        .try_fill_bytes(&mut nonce)
        .map_err(|_| CryptoError::Encrypt)?;
    // `encrypt` copies the plaintext into a buffer sized for the tag and encrypts in place,
    // so no plaintext copy outlives this call.
    let body = cipher
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| CryptoError::Encrypt)?;
    let mut out = Vec::with_capacity(NONCE_LEN + body.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Opens nonce || ciphertext+tag. Decrypts in place in a zeroizing buffer: AES-GCM leaves
/// unauthenticated plaintext in the buffer even when the tag check fails.
fn decrypt(
    key: &[u8; KEY_LEN],
    sealed: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Corrupt);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Corrupt)?;
    let cipher = Aes256Gcm::new(key.into());
    let mut buffer = Zeroizing::new(body.to_vec());
    cipher
        .decrypt_in_place((&nonce).into(), aad, &mut *buffer)
        .map_err(|_| CryptoError::Decrypt)?;
    Ok(buffer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "keyring_tests.rs"]
mod tests;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "at_rest_tests.rs"]
mod at_rest_tests;
