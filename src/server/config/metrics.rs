//! `SWITCHBOARD_METRICS_TOKEN`: when set, `/metrics` answers only a request bearing it
//! (`Authorization: Bearer <token>`), so a Prometheus outside the private network can scrape it.

use super::ConfigError;
use secrecy::{ExposeSecret, SecretString};

/// The shortest token accepted: 16 characters, so a guess is not a practical attack.
const MIN_LEN: usize = 16;
/// The longest: it travels in a header.
const MAX_LEN: usize = 256;

/// The bearer token `/metrics` requires. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct MetricsToken(SecretString);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

impl MetricsToken {
    /// 16 to 256 visible ASCII characters (what a header carries unchanged).
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        let value = value.trim();
        if !(MIN_LEN..=MAX_LEN).contains(&value.len())
            || !value.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(ConfigError(format!(
                "SWITCHBOARD_METRICS_TOKEN must be {MIN_LEN} to {MAX_LEN} visible ASCII characters (no spaces)"
            )));
        }
        Ok(Self(SecretString::from(value.to_owned())))
    }

    /// Whether `presented` is the token. Both sides are hashed first, so the comparison takes
    /// the same time wherever they differ.
    pub fn accepts(&self, presented: &str) -> bool {
        use sha2::{Digest, Sha256};
        let expected = Sha256::digest(self.0.expose_secret().as_bytes());
        let given = Sha256::digest(presented.as_bytes());
        expected == given
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metrics_token_must_be_long_enough_and_visible_ascii() {
        assert!(MetricsToken::parse("short").is_err());
        assert!(MetricsToken::parse("has a space in it here").is_err());
        assert!(MetricsToken::parse(&"x".repeat(257)).is_err());
        let token = MetricsToken::parse("0123456789abcdef").map_err(|e| e.0);
        assert!(token.as_ref().is_ok_and(|t| t.accepts("0123456789abcdef")));
        assert!(token.as_ref().is_ok_and(|t| !t.accepts("0123456789abcdeF")));
        assert_eq!(format!("{:?}", token), "Ok(MetricsToken(…))");
    }
}
