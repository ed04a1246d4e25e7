//! The sandbox's own implementation of Meta's protocol arithmetic: HMAC-SHA256, the SHA-256
//! digests codes and tokens are stored as, `appsecret_proof`, `signed_request` and the shapes
//! of the codes and tokens it issues.
//!
//! The app's Meta client has its own implementation of the same things, and the two never share
//! code: a stand-in that borrowed the client's arithmetic would agree with the client's bugs.
//! Both are checked against the same published vectors instead (RFC 4231 for HMAC-SHA256,
//! FIPS 180-2 for SHA-256, Meta's `signed_request` example; docs/meta-api.md §10 and §15).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The one algorithm name Meta puts in a signed request.
pub const SIGNED_REQUEST_ALGORITHM: &str = "HMAC-SHA256";

/// HMAC-SHA256 of `message` keyed by `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes keys of every length: `new_from_slice` cannot fail for it, and the fallback
    // (an all-zero tag, which matches nothing) only keeps a panic off the request path.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// Lower-case hex SHA-256: how the sandbox stores the codes and tokens it issued.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// `appsecret_proof` (docs/meta-api.md §15): hex(HMAC-SHA256(key = app secret, message = the
/// access token)).
pub fn appsecret_proof(app_secret: &str, access_token: &str) -> String {
    hex::encode(hmac_sha256(app_secret.as_bytes(), access_token.as_bytes()))
}

/// What a deauthorize or data-deletion request says, in Meta's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedPayload {
    pub user_id: String,
    pub algorithm: &'static str,
    pub issued_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
}

/// `base64url(HMAC-SHA256(app secret, encoded payload)) "." base64url(payload JSON)`, both
/// without padding; the HMAC covers the encoded string, not the JSON (docs/meta-api.md §10).
pub fn sign_request(app_secret: &str, payload: &SignedPayload) -> String {
    let json = serde_json::to_vec(payload).unwrap_or_default();
    let encoded = URL_SAFE_NO_PAD.encode(json);
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(app_secret.as_bytes(), encoded.as_bytes()));
    format!("{signature}.{encoded}")
}

fn random_tail(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// An authorization code: `AQB` and 48 letters and digits, the shape Facebook's codes have.
pub fn new_code() -> String {
    format!("AQB{}", random_tail(48))
}

/// A user or Page token: `EAAG` and 96 letters and digits (Facebook's tokens start `EAA`).
pub fn new_user_token() -> String {
    new_token(FACEBOOK_TOKEN_PREFIX)
}

/// The first letters of Facebook Login's user and Page tokens.
pub const FACEBOOK_TOKEN_PREFIX: &str = "EAAG";
/// The first letters of Instagram Login's tokens (`IGAA…`, docs/meta-api.md §6.2).
pub const INSTAGRAM_TOKEN_PREFIX: &str = "IGAA";
/// The first letters of Threads' tokens (`THAA…`, docs/meta-api.md §7.2).
pub const THREADS_TOKEN_PREFIX: &str = "THAA";

/// A token: `prefix` and 96 letters and digits.
pub fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", random_tail(96))
}

/// An app token: `{app-id}|{27 characters}`, the shape of `client_credentials` answers.
pub fn new_app_token(app_id: &str) -> String {
    format!("{app_id}|{}", random_tail(27))
}

/// A Threads app token: `TH|{app-id}|{27 characters}` (docs/meta-api.md §2.4).
pub fn new_threads_app_token(app_id: &str) -> String {
    format!("TH|{}", new_app_token(app_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231_test_cases_1_2_and_6() {
        assert_eq!(
            hex::encode(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // A key longer than the block size is hashed first.
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn sha256_hex_matches_the_fips_180_2_abc_vector() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn appsecret_proof_is_hex_hmac_of_the_token_keyed_by_the_secret() {
        assert_eq!(
            appsecret_proof("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn signing_metas_example_payload_gives_metas_example_signed_request() {
        let payload = SignedPayload {
            user_id: "0".into(),
            algorithm: SIGNED_REQUEST_ALGORITHM,
            issued_at: 1_624_244_156,
            expires: None,
        };
        assert_eq!(
            sign_request("key", &payload),
            "Mf_s6nTb38UYqioBmPqu0Ewm9souPZB9I2fIGwV729U.eyJ1c2VyX2lkIjoiMCIsImFsZ29yaXRobSI6IkhNQUMtU0hBMjU2IiwiaXNzdWVkX2F0IjoxNjI0MjQ0MTU2fQ"
        );
    }

    #[test]
    fn a_data_deletion_request_carries_its_expiry_after_issued_at() {
        let payload = SignedPayload {
            user_id: "218471".into(),
            algorithm: SIGNED_REQUEST_ALGORITHM,
            issued_at: 1_291_836_800,
            expires: Some(1_291_840_400),
        };
        let signed = sign_request("secret", &payload);
        let (_, encoded) = signed.split_once('.').unwrap();
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(encoded).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"user_id":"218471","algorithm":"HMAC-SHA256","issued_at":1291836800,"expires":1291840400}"#
        );
    }

    #[test]
    fn codes_and_tokens_have_metas_shapes_and_differ_every_time() {
        let code = new_code();
        assert!(code.starts_with("AQB") && code.len() == 51);
        let token = new_user_token();
        assert!(token.starts_with("EAA") && token.len() == 100);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
        let app = new_app_token("123456789012345");
        let (id, tail) = app.split_once('|').unwrap();
        assert_eq!((id, tail.len()), ("123456789012345", 27));
        assert_ne!(new_user_token(), new_user_token());
        assert!(new_token(INSTAGRAM_TOKEN_PREFIX).starts_with("IGAA"));
        let threads = new_threads_app_token("42");
        assert!(threads.starts_with("TH|42|") && threads.len() == "TH|42|".len() + 27);
    }
}
