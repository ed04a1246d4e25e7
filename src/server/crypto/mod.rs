//! Encryption at rest for stored secrets (security.md §"Encryption at rest", items 20-23).
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
pub mod setup;

pub use envelope::{Aad, Sealed};
pub use keyring::{CryptoError, KeyError, Keyring, MasterKey};

/// Lower-case hex SHA-256 of `secret`: how secrets we must recognise but never keep are stored
/// (session ids, OAuth states, the sandbox's codes and tokens).
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}
