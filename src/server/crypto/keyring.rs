//! Master keys (KEKs) and the envelope operations that use them: sealing a secret under a
//! fresh data key, opening it again, and re-wrapping data keys during key rotation.
//!
//! The current master key wraps new data keys; previous keys (from
//! `SWITCHBOARD_PREVIOUS_MASTER_KEYS`) are kept only so that secrets they wrapped still open
//! until `switchboard keys rotate` has re-wrapped them. Key bytes never leave this module
//! except through [`MasterKey::to_base64`], and nothing here prints them.

use std::fmt;
use std::sync::Arc;

use aes_gcm::aead::{Aead, AeadInPlace, KeyInit, Payload};
use aes_gcm::Aes256Gcm;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::envelope::{
    Aad, CryptoError, Sealed, KEY_LEN, MIN_CIPHERTEXT_LEN, NONCE_LEN, TAG_LEN, WRAPPED_KEY_LEN,
};

/// Domain separator for fingerprints, so a fingerprint is never a plain hash of the key.
const FINGERPRINT_DOMAIN: &[u8] = b"switchboard-kek-v1";
/// Message authenticated by the key-check value.
const CHECK_MESSAGE: &[u8] = b"switchboard key check v1";
/// Bytes of SHA-256 kept in a fingerprint (16 hex characters).
const FINGERPRINT_BYTES: usize = 8;
/// SHA-256's block size; HMAC keys shorter than this are zero-padded to it (RFC 2104 §2).
const HMAC_BLOCK_LEN: usize = 64;
/// HKDF salt for purpose keys: fixed, so the same master key always derives the same keys.
const DERIVE_SALT: &[u8] = b"switchboard-derive-v1";

/// Base64 as operators paste it: standard alphabet, with or without padding.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// 32-byte AES-256 master key (KEK). Zeroized on drop. `Debug` prints only the fingerprint.
pub struct MasterKey {
    bytes: Zeroizing<[u8; KEY_LEN]>,
    // Computed once: it is looked up for every open and stored beside every ciphertext.
    fingerprint: String,
}

impl MasterKey {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self::from_zeroizing(Zeroizing::new(bytes))
    }

    /// Parses base64 (standard alphabet, padding optional, surrounding whitespace trimmed)
    /// of exactly 32 bytes. Otherwise [`KeyError::Invalid`], whose message never includes
    /// the input.
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        // The decoder's own error names the offending character, which would leak part of
        // the key into logs; so it is replaced by a fixed message.
        let decoded = Zeroizing::new(LENIENT_STANDARD.decode(text.trim()).map_err(|_| {
            KeyError::Invalid("master key is not valid base64 (expected base64 of 32 bytes)".into())
        })?);
        if decoded.len() != KEY_LEN {
            return Err(KeyError::Invalid(format!(
                "master key must be base64 of {KEY_LEN} bytes, got {} bytes",
                decoded.len()
            )));
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(&decoded);
        Ok(Self::from_zeroizing(bytes))
    }

    /// Generates a fresh key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        OsRng.fill_bytes(&mut bytes[..]);
        Self::from_zeroizing(bytes)
    }

    /// Standard padded base64 of the key, for writing the key file. The caller owns the
    /// returned secret and should not keep it longer than needed.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.bytes[..])
    }

    /// Stable public name of the key: first 8 bytes of SHA-256("switchboard-kek-v1" || key),
    /// as 16 lowercase hex characters.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Key-check value stored in the database: hex HMAC-SHA256(key, "switchboard key check v1").
    /// Lets startup tell "wrong master key" apart from "no secrets yet" before decrypting.
    pub fn check_value(&self) -> String {
        // HMAC zero-pads keys shorter than the hash block (RFC 2104 §2), so keying with the
        // padded block is the same MAC as `new_from_slice(key)` but has no error case.
        let mut block = Zeroizing::new([0u8; HMAC_BLOCK_LEN]);
        block[..KEY_LEN].copy_from_slice(&self.bytes[..]);
        let mut mac = <Hmac<Sha256> as KeyInit>::new(block.as_ref().into());
        mac.update(CHECK_MESSAGE);
        hex::encode(mac.finalize().into_bytes())
    }

    /// A 256-bit key for one purpose, derived with HKDF-SHA256 (RFC 5869) from this key and
    /// `label`. Each purpose (device cookies, PKCE verifiers, …) has its own label, so no
    /// derived key reveals the master key or another purpose's key, and none has to be
    /// configured separately.
    pub fn derive(&self, label: &str) -> Zeroizing<[u8; KEY_LEN]> {
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(DERIVE_SALT), &self.bytes[..]);
        // `expand` fails only for outputs over 255 hash lengths (8160 bytes); 32 never does.
        let _ = hkdf.expand(label.as_bytes(), &mut out[..]);
        out
    }

    fn from_zeroizing(bytes: Zeroizing<[u8; KEY_LEN]>) -> Self {
        let digest = Sha256::new()
            .chain_update(FINGERPRINT_DOMAIN)
            .chain_update(&bytes[..])
            .finalize();
        let fingerprint = hex::encode(&digest[..FINGERPRINT_BYTES]);
        Self { bytes, fingerprint }
    }

    fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// A master key could not be obtained: malformed key text or an unreadable key file.
#[derive(Debug)]
pub enum KeyError {
    /// The key (or key file contents) is not base64 of 32 bytes. The message names the
    /// source but never contains key material.
    Invalid(String),
    /// The key file could not be read or created. The message names the path.
    Io(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(message) | Self::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for KeyError {}

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
