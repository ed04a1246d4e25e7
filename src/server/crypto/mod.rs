//! Encryption at rest for stored secrets (docs/security.md §"Encryption at rest", items 20-23).
//!
//! Envelope encryption as Tink / cloud KMSs describe it: every stored secret gets its own
//! fresh data key (DEK), the secret is sealed under that DEK with AES-256-GCM, and the DEK
//! is wrapped by the master key (KEK) whose fingerprint is stored beside it. Associated data
//! ([`Aad`]) binds each ciphertext to its row so that a ciphertext copied elsewhere fails to
//! decrypt.
//!
//! - [`keyring`] owns the master keys (current + previous) and the seal/open/rewrap operations.
//! - [`envelope`] owns the stored shapes: associated data and the single-column encoding.
//! - [`key_file`] owns reading and first-run creation of the master key file.
//! - [`setup`] loads the configured keys at start and checks them against the database.

pub mod envelope;
pub mod key_file;
pub mod keyring;
pub mod master_key;
pub mod setup;
pub mod vault;

pub use envelope::{Aad, CryptoError, Sealed};
pub use keyring::Keyring;
pub use master_key::{KeyError, MasterKey};

/// Lower-case hex SHA-256 of `secret`: how secrets we must recognise but never keep are stored
/// (session ids, OAuth states).
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// HMAC-SHA256 of `message` under a 256-bit purpose key ([`Keyring::derive`]). HMAC pads keys
/// shorter than its 64-byte block with zeros (RFC 2104 §2), so keying with the padded block is
/// the same MAC with no error case. The caller should zeroize the result if it is a secret.
pub fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    use aes_gcm::aead::KeyInit;
    use hmac::{Hmac, Mac};
    let mut block = zeroize::Zeroizing::new([0u8; 64]);
    block[..32].copy_from_slice(key);
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new(block.as_ref().into());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Exactly `N` dot-separated parts of `text` (`v1.a.b.c`), or `None` for more or fewer: the
/// shape of every token-like value Switchboard writes (sealed secrets, device cookies).
pub fn dotted<const N: usize>(text: &str) -> Option<[&str; N]> {
    let mut parts = text.split('.');
    let mut out = [""; N];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    parts.next().is_none().then_some(out)
}
