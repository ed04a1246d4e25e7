//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser
//! that has signed in to an account before carries a signed cookie naming that account. Its
//! sign-ins to that account skip the per-account and per-address throttles and count only
//! against the device itself (5 failures a window). An attacker guessing from elsewhere can
//! then pause everyone's sign-in but the real owner's, whose known browser still gets in.
//!
//! The cookie is `v1.<issued>.<nonce>.<mac>`, the MAC an HMAC-SHA256 over the version, issue
//! time, nonce and the account's email, keyed by a key derived from the master key for this
//! purpose alone, so no new secret has to be configured. It names no account in the clear.

use crate::server::crypto::{dotted, hmac_sha256, Keyring};
use axum::http::{header, HeaderMap};
use std::sync::Arc;
use zeroize::Zeroizing;

const LABEL: &str = "switchboard device cookie v1";
/// A device cookie is honoured this long after it was given.
pub const LIFETIME_SECONDS: i64 = 180 * 86_400;
const NONCE_BYTES: usize = 16;

#[derive(Clone)]
pub struct DeviceCookies {
    key: Arc<Zeroizing<[u8; 32]>>,
    https: bool,
}

impl std::fmt::Debug for DeviceCookies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceCookies([REDACTED])")
    }
}

/// A recognised device: its nonce names its own throttling key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device(pub String);

impl DeviceCookies {
    pub fn new(keyring: &Keyring, https: bool) -> Self {
        Self {
            key: Arc::new(keyring.derive(LABEL)),
            https,
        }
    }

    /// The cookie's name: `__Host-` prefixed over https, like the session cookie.
    pub fn name(&self) -> &'static str {
        if self.https {
            "__Host-switchboard_device"
        } else {
            "switchboard_device"
        }
    }

    /// The `Set-Cookie` value for a browser that has just signed in as `email`.
    pub fn issue(&self, email: &str, now: i64) -> String {
        let nonce = hex::encode(rand::random::<[u8; NONCE_BYTES]>());
        let mac = self.mac(now, &nonce, email);
        format!(
            "{}=v1.{now}.{nonce}.{mac}; Max-Age={LIFETIME_SECONDS}; Path=/; HttpOnly; SameSite=Strict{}",
            self.name(),
            if self.https { "; Secure" } else { "" }
        )
    }

    /// The device, when the request carries a valid, unexpired device cookie for `email`.
    pub fn recognise(&self, headers: &HeaderMap, email: &str, now: i64) -> Option<Device> {
        let value = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == self.name()).then_some(value)
            })?;
        let ["v1", issued, nonce, mac] = dotted::<4>(value)? else {
            return None;
        };
        let issued: i64 = issued.parse().ok()?;
        let age = now.checked_sub(issued)?;
        if !(0..=LIFETIME_SECONDS).contains(&age) || nonce.len() != NONCE_BYTES * 2 {
            return None;
        }
        let expected = self.mac(issued, nonce, email);
        constant_time_eq(expected.as_bytes(), mac.as_bytes()).then(|| Device(nonce.to_owned()))
    }

    fn mac(&self, issued: i64, nonce: &str, email: &str) -> String {
        let message = format!("v1|{issued}|{nonce}|{email}");
        hex::encode(hmac_sha256(&self.key, message.as_bytes()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::crypto::MasterKey;

    fn devices() -> DeviceCookies {
        DeviceCookies::new(&Keyring::new(MasterKey::from_bytes([3; 32]), vec![]), false)
    }

    fn cookie_header(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, format!("other=1; {pair}").parse().unwrap());
        headers
    }

    #[test]
    fn a_cookie_given_at_sign_in_is_recognised_for_that_account_only() {
        let devices = devices();
        let headers = cookie_header(&devices.issue("olive@example.com", 1000));
        assert!(devices
            .recognise(&headers, "olive@example.com", 2000)
            .is_some());
        assert_eq!(
            devices.recognise(&headers, "mallory@example.com", 2000),
            None
        );
    }

    #[test]
    fn an_expired_forged_or_foreign_cookie_is_not_recognised() {
        let devices = devices();
        let set = devices.issue("olive@example.com", 1000);
        let headers = cookie_header(&set);
        let late = 1000 + LIFETIME_SECONDS + 1;
        assert_eq!(devices.recognise(&headers, "olive@example.com", late), None);
        let forged = cookie_header(&set.replacen(".", ".9", 2));
        assert_eq!(devices.recognise(&forged, "olive@example.com", 2000), None);
        let other_key =
            DeviceCookies::new(&Keyring::new(MasterKey::from_bytes([4; 32]), vec![]), false);
        assert_eq!(
            other_key.recognise(&headers, "olive@example.com", 2000),
            None
        );
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    }
}
