//! A master key (KEK): 32 bytes from the environment or the key file, zeroized on drop, known
//! to the outside by its fingerprint; its key-check value and the purpose keys derived from it.
//! Key bytes never leave here except through [`MasterKey::to_base64`] (for writing the key
//! file) and, inside `crypto`, to the keyring's envelope operations.

use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::envelope::KEY_LEN;
use aes_gcm::aead::KeyInit;

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

    pub(super) fn bytes(&self) -> &[u8; KEY_LEN] {
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

#[cfg(test)]
#[path = "master_key_tests.rs"]
mod tests;
