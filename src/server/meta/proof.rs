//! `appsecret_proof` (docs/meta-api.md §15): hex(HMAC-SHA256(key = app secret, message = access
//! token)), sent beside every user or Page token on graph.facebook.com. The app's client
//! sends it. The Meta sandbox checks it with its own implementation (`sandbox/src/protocol.rs`),
//! never this one, and both are tested against the same RFC 4231 vector.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn appsecret_proof(secret: &str, token: &str) -> String {
    // HMAC accepts keys of any length; the error case cannot happen.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proof_is_hex_hmac_sha256_of_the_token_keyed_by_the_secret() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            appsecret_proof("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
