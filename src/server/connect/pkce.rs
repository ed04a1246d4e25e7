//! PKCE verifiers (RFC 7636) derived rather than stored: `verifier = base64url(HMAC-SHA256(k,
//! state))`, with `k` derived from the master key for this purpose alone. The callback brings
//! the state back and the verifier is computed again, so the database never holds one.
//!
//! Only the state travels in the URL; without the key, knowing it gives no verifier — which is
//! what keeps PKCE meaningful (a verifier computed from the state alone would not be).

use crate::server::crypto::{hmac_sha256, Keyring};
use base64::Engine;
use secrecy::SecretString;
use std::sync::Arc;
use zeroize::Zeroizing;

const LABEL: &str = "switchboard pkce verifier v1";

#[derive(Clone)]
pub struct PkceKey(Arc<Zeroizing<[u8; 32]>>);

impl std::fmt::Debug for PkceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PkceKey([REDACTED])")
    }
}

impl PkceKey {
    pub fn new(keyring: &Keyring) -> Self {
        Self(Arc::new(keyring.derive(LABEL)))
    }

    /// The verifier that belongs to `state`: 43 characters of base64url (256 bits).
    pub fn verifier(&self, state: &str) -> SecretString {
        let digest = Zeroizing::new(hmac_sha256(&self.0, state.as_bytes()));
        SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::crypto::MasterKey;
    use secrecy::ExposeSecret;

    fn key(byte: u8) -> PkceKey {
        PkceKey::new(&Keyring::new(MasterKey::from_bytes([byte; 32]), vec![]))
    }

    #[test]
    fn the_same_state_gives_the_same_verifier_and_another_state_another() {
        let pkce = key(1);
        let a = pkce.verifier("state-a");
        assert_eq!(a.expose_secret(), pkce.verifier("state-a").expose_secret());
        assert_ne!(a.expose_secret(), pkce.verifier("state-b").expose_secret());
        assert_eq!(
            a.expose_secret().len(),
            43,
            "RFC 7636 allows 43 to 128 characters"
        );
    }

    #[test]
    fn without_the_master_key_the_state_gives_no_verifier() {
        assert_ne!(
            key(1).verifier("state").expose_secret(),
            key(2).verifier("state").expose_secret()
        );
        assert!(!format!("{:?}", key(1)).contains('1'));
    }
}
