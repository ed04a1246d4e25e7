//! Meta's `signed_request` (docs/meta-api.md §10): `base64url(HMAC-SHA256(app secret, payload)) "."
//! base64url(payload JSON)`, used by the deauthorize and data-deletion callbacks. The webhooks
//! verify with it; the Meta sandbox signs with its own implementation (`sandbox/src/protocol.rs`),
//! and both are tested against Meta's example.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The only algorithm Meta uses; anything else is refused.
pub const ALGORITHM: &str = "HMAC-SHA256";

/// The longest signed request verified. Meta's are about 200 bytes; the limit is the verifier's
/// own, so no caller can hand it megabytes to decode and hash.
pub const MAX_LEN: usize = 2048;

/// What a signed request says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// The app-scoped user id (a string at Meta).
    pub user_id: String,
    pub algorithm: String,
    pub issued_at: i64,
    /// Data-deletion requests carry an expiry too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
}

/// Why a signed request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedRequestError {
    /// Not `signature.payload`, or not base64url, or not the expected JSON.
    Malformed,
    /// The signature does not match the app secret.
    BadSignature,
    /// `algorithm` is not HMAC-SHA256.
    UnsupportedAlgorithm,
}

impl std::fmt::Display for SignedRequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Malformed => "the signed request is malformed",
            Self::BadSignature => "the signed request's signature does not match",
            Self::UnsupportedAlgorithm => "the signed request uses an unsupported algorithm",
        })
    }
}

impl std::error::Error for SignedRequestError {}

/// HMAC-SHA256 of `message` keyed by `secret`. HMAC accepts keys of any length, so the
/// `InvalidLength` case cannot happen; it is mapped to an empty tag rather than a panic.
fn tag(secret: &str, message: &str) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return Vec::new();
    };
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Signs `payload` with `secret`, as Meta does.
pub fn sign(secret: &str, payload: &Payload) -> String {
    let json = serde_json::to_vec(payload).unwrap_or_default();
    let encoded = URL_SAFE_NO_PAD.encode(json);
    let signature = URL_SAFE_NO_PAD.encode(tag(secret, &encoded));
    format!("{signature}.{encoded}")
}

/// base64url, tolerating the padding some deliveries carry.
fn decode(part: &str) -> Result<Vec<u8>, SignedRequestError> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| SignedRequestError::Malformed)
}

/// Verifies `signed` with `secret` (constant-time comparison) and returns its payload.
pub fn verify(secret: &str, signed: &str) -> Result<Payload, SignedRequestError> {
    if signed.len() > MAX_LEN {
        return Err(SignedRequestError::Malformed);
    }
    let (signature, encoded) = signed
        .trim()
        .split_once('.')
        .ok_or(SignedRequestError::Malformed)?;
    let signature = decode(signature)?;
    let json = decode(encoded)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|_| SignedRequestError::BadSignature)?;
    mac.update(encoded.as_bytes());
    // `verify_slice` compares in constant time.
    mac.verify_slice(&signature)
        .map_err(|_| SignedRequestError::BadSignature)?;
    let payload: Payload =
        serde_json::from_slice(&json).map_err(|_| SignedRequestError::Malformed)?;
    if !payload.algorithm.eq_ignore_ascii_case(ALGORITHM) {
        return Err(SignedRequestError::UnsupportedAlgorithm);
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/meta-api.md §10's verified test vector (secret `key`).
    const VECTOR: &str = "Mf_s6nTb38UYqioBmPqu0Ewm9souPZB9I2fIGwV729U.eyJ1c2VyX2lkIjoiMCIsImFsZ29yaXRobSI6IkhNQUMtU0hBMjU2IiwiaXNzdWVkX2F0IjoxNjI0MjQ0MTU2fQ";

    #[test]
    fn metas_test_vector_verifies_with_its_secret() {
        let payload = verify("key", VECTOR).unwrap();
        assert_eq!(payload.user_id, "0");
        assert_eq!(payload.issued_at, 1_624_244_156);
        assert_eq!(payload.expires, None);
    }

    #[test]
    fn signing_the_vectors_payload_gives_the_vector() {
        let payload = Payload {
            user_id: "0".into(),
            algorithm: ALGORITHM.into(),
            issued_at: 1_624_244_156,
            expires: None,
        };
        assert_eq!(sign("key", &payload), VECTOR);
    }

    #[test]
    fn a_trailing_padding_sign_is_tolerated() {
        let (sig, body) = VECTOR.split_once('.').unwrap();
        assert!(verify("key", &format!("{sig}=.{body}")).is_ok());
    }

    #[test]
    fn another_secret_or_a_changed_payload_is_refused() {
        assert_eq!(
            verify("other", VECTOR),
            Err(SignedRequestError::BadSignature)
        );
        let (sig, _) = VECTOR.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD
            .encode(r#"{"user_id":"1","algorithm":"HMAC-SHA256","issued_at":1624244156}"#);
        assert_eq!(
            verify("key", &format!("{sig}.{forged}")),
            Err(SignedRequestError::BadSignature)
        );
    }

    #[test]
    fn garbage_and_other_algorithms_are_refused() {
        for bad in ["", "nodot", "!!.!!", "a.b"] {
            assert!(verify("key", bad).is_err(), "{bad}");
        }
        let payload = Payload {
            user_id: "5".into(),
            algorithm: "HMAC-SHA1".into(),
            issued_at: 1,
            expires: Some(2),
        };
        assert_eq!(
            verify("key", &sign("key", &payload)),
            Err(SignedRequestError::UnsupportedAlgorithm)
        );
    }
}

#[cfg(test)]
#[path = "signed_request_proptests.rs"]
mod proptests;
