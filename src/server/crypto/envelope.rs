//! The stored shapes of encrypted secrets: the associated data that binds a ciphertext to
//! its place ([`Aad`]) and the sealed envelope with its one-text-column encoding
//! ([`Sealed`]). No key material lives here; the cryptography is in `keyring`.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Why sealing or opening a secret failed. Messages never include secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// The secret was wrapped by a master key (this fingerprint) that is not configured.
    UnknownKey(String),
    /// Authentication failed: wrong key, tampered bytes, or associated data of another place.
    Decrypt,
    /// The stored value is structurally broken (encoding, lengths, non-UTF-8 plaintext).
    Corrupt,
    /// The stored value is tagged with a format version (`v2`, …) this build does not know:
    /// written by a newer Switchboard, most likely. The tag itself is never echoed.
    UnknownVersion,
    /// Encryption failed (the OS random generator was unavailable).
    Encrypt,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownKey(fingerprint) => write!(
                f,
                "secret is wrapped by master key {fingerprint}, which is not configured \
                 (add it to SWITCHBOARD_PREVIOUS_MASTER_KEYS)"
            ),
            Self::Decrypt => f.write_str(
                "secret failed to decrypt (wrong key, tampered data, or moved to another row)",
            ),
            Self::Corrupt => f.write_str("stored secret is malformed"),
            Self::UnknownVersion => f.write_str(
                "stored secret uses a format version this build does not know \
                 (written by a newer Switchboard?)",
            ),
            Self::Encrypt => f.write_str("secret could not be encrypted"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// AES-GCM nonce length (96 bits, NIST SP 800-38D's recommended size for random nonces).
pub(super) const NONCE_LEN: usize = 12;
/// AES-GCM authentication tag length.
pub(super) const TAG_LEN: usize = 16;
/// AES-256 key length, for both master keys and data keys.
pub(super) const KEY_LEN: usize = 32;
/// A wrapped data key is always nonce || encrypted 32-byte key || tag.
pub(super) const WRAPPED_KEY_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;
/// The shortest data ciphertext: nonce || tag around an empty plaintext.
pub(super) const MIN_CIPHERTEXT_LEN: usize = NONCE_LEN + TAG_LEN;

/// Version tag of the [`Aad::bytes`] encoding; changing the encoding needs a new tag
/// because every stored ciphertext is authenticated against these exact bytes.
const AAD_DOMAIN: &[u8] = b"switchboard-aad-v1";
/// Version prefix of [`Sealed::encode`].
const ENCODING_VERSION: &str = "v1";
/// Fingerprints are 8 bytes of hex (see `MasterKey::fingerprint`).
const FINGERPRINT_LEN: usize = 16;

/// Associated data: where a ciphertext belongs (table, row, workspace, provider, field).
///
/// A ciphertext sealed with one `Aad` only opens with an equal `Aad`, so a ciphertext moved
/// to another row, workspace, provider or column fails to decrypt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aad {
    /// Database table holding the ciphertext.
    pub table: String,
    /// Primary key of the row holding the ciphertext.
    pub row_id: String,
    /// Workspace owning the row.
    pub workspace_id: String,
    /// Provider the secret was issued by (e.g. "facebook").
    pub provider: String,
    /// Column / field name of the secret (e.g. "access_token").
    pub field: String,
}

impl Aad {
    /// Builds the associated data for one stored secret.
    pub fn new(
        table: &str,
        row_id: impl ToString,
        workspace_id: impl ToString,
        provider: &str,
        field: &str,
    ) -> Self {
        Self {
            table: table.to_owned(),
            row_id: row_id.to_string(),
            workspace_id: workspace_id.to_string(),
            provider: provider.to_owned(),
            field: field.to_owned(),
        }
    }

    /// Unambiguous byte encoding: `"switchboard-aad-v1"`, then each field (table, row_id,
    /// workspace_id, provider, field) as its length in bytes (u64 big-endian) followed by
    /// its UTF-8 bytes. Length prefixes make `("ab", "c")` and `("a", "bc")` differ.
    pub fn bytes(&self) -> Vec<u8> {
        let fields = [
            &self.table,
            &self.row_id,
            &self.workspace_id,
            &self.provider,
            &self.field,
        ];
        let total = AAD_DOMAIN.len() + fields.iter().map(|f| 8 + f.len()).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(AAD_DOMAIN);
        for field in fields {
            // u64 rather than u32 so no length can ever be truncated (usize is at most 64 bits).
            out.extend_from_slice(&(field.len() as u64).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        out
    }
}

/// A stored secret: the KEK fingerprint, the wrapped DEK (nonce || ciphertext+tag) and the
/// data ciphertext (nonce || ciphertext+tag).
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Fingerprint of the master key that wrapped `wrapped_key`.
    pub key_fingerprint: String,
    /// The data key encrypted under the master key: nonce || ciphertext+tag.
    pub wrapped_key: Vec<u8>,
    /// The secret encrypted under the data key: nonce || ciphertext+tag.
    pub ciphertext: Vec<u8>,
}

impl Sealed {
    /// One text column: `"v1.<fingerprint>.<base64url-nopad wrapped_key>.<base64url-nopad ciphertext>"`.
    pub fn encode(&self) -> String {
        format!(
            "{ENCODING_VERSION}.{}.{}.{}",
            self.key_fingerprint,
            URL_SAFE_NO_PAD.encode(&self.wrapped_key),
            URL_SAFE_NO_PAD.encode(&self.ciphertext),
        )
    }

    /// Parses [`Sealed::encode`]'s output. A version tag other than `v1` (`v` and digits) →
    /// [`CryptoError::UnknownVersion`]; a wrong part count, version shape, fingerprint shape,
    /// base64 or part length → [`CryptoError::Corrupt`].
    pub fn decode(text: &str) -> Result<Self, CryptoError> {
        let Some([version, fingerprint, wrapped, ciphertext]) = super::dotted::<4>(text) else {
            return Err(CryptoError::Corrupt);
        };
        if version != ENCODING_VERSION {
            return Err(if is_version_tag(version) {
                CryptoError::UnknownVersion
            } else {
                CryptoError::Corrupt
            });
        }
        if !is_fingerprint(fingerprint) {
            return Err(CryptoError::Corrupt);
        }
        // The no-pad engine rejects padding and non-canonical trailing bits, so each stored
        // value has exactly one accepted encoding.
        let wrapped_key = URL_SAFE_NO_PAD
            .decode(wrapped)
            .map_err(|_| CryptoError::Corrupt)?;
        let ciphertext = URL_SAFE_NO_PAD
            .decode(ciphertext)
            .map_err(|_| CryptoError::Corrupt)?;
        if wrapped_key.len() != WRAPPED_KEY_LEN || ciphertext.len() < MIN_CIPHERTEXT_LEN {
            return Err(CryptoError::Corrupt);
        }
        Ok(Self {
            key_fingerprint: fingerprint.to_owned(),
            wrapped_key,
            ciphertext,
        })
    }
}

/// `v` and one to four digits: the shape of a format version tag, this build's or a later one's.
fn is_version_tag(text: &str) -> bool {
    text.strip_prefix('v').is_some_and(|digits| {
        (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A fingerprint as `MasterKey::fingerprint` writes it: 16 lowercase hex digits. Checked on
/// decode so that stored garbage never reaches error messages or logs as a "fingerprint".
fn is_fingerprint(text: &str) -> bool {
    text.len() == FINGERPRINT_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

// Lengths only: the ciphertext is not secret, but there is nothing useful in dumping it.
impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("key_fingerprint", &self.key_fingerprint)
            .field("wrapped_key_len", &self.wrapped_key.len())
            .field("ciphertext_len", &self.ciphertext.len())
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn sample() -> Sealed {
        Sealed {
            key_fingerprint: "0123456789abcdef".to_owned(),
            wrapped_key: (0..WRAPPED_KEY_LEN as u8).collect(),
            ciphertext: (0..40u8).map(|b| b.wrapping_mul(7)).collect(),
        }
    }

    #[test]
    fn aad_encoding_separates_fields_unambiguously() {
        let a = Aad::new("ab", "c", "w", "p", "f");
        let b = Aad::new("a", "bc", "w", "p", "f");
        assert_ne!(a.bytes(), b.bytes());
        let c = Aad::new("t", "1", "", "p", "f");
        let d = Aad::new("t", "", "1", "p", "f");
        assert_ne!(c.bytes(), d.bytes());
    }

    #[test]
    fn aad_encoding_is_stable_and_versioned() {
        let aad = Aad::new("t", 7, 9, "p", "f");
        let bytes = aad.bytes();
        assert!(bytes.starts_with(b"switchboard-aad-v1"));
        let mut expected = b"switchboard-aad-v1".to_vec();
        for field in ["t", "7", "9", "p", "f"] {
            expected.extend_from_slice(&1u64.to_be_bytes());
            expected.extend_from_slice(field.as_bytes());
        }
        assert_eq!(bytes, expected);
        assert_eq!(aad.bytes(), Aad::new("t", "7", "9", "p", "f").bytes());
    }

    #[test]
    fn encode_then_decode_gives_back_the_same_sealed() {
        let sealed = sample();
        let text = sealed.encode();
        assert!(text.starts_with("v1.0123456789abcdef."));
        assert!(!text.contains('='));
        assert_eq!(Sealed::decode(&text).unwrap(), sealed);
    }

    #[test]
    fn malformed_encodings_are_corrupt() {
        let good = sample().encode();
        let parts: Vec<&str> = good.split('.').collect();
        let bad = [
            String::new(),
            "v1".to_owned(),
            good.replacen("v1.", "V1.", 1),
            good.replacen("v1.", "", 1),
            format!("{good}.extra"),
            format!("{}.{}.{}", parts[0], parts[1], parts[2]),
            format!(
                "{}.{}.{}.{}",
                parts[0], "NOT-HEX-FINGERPR", parts[2], parts[3]
            ),
            format!(
                "{}.{}.{}.{}",
                parts[0], "0123456789ABCDEF", parts[2], parts[3]
            ),
            format!("{}.{}.{}.{}", parts[0], "0123", parts[2], parts[3]),
            format!("{}.{}.{}=.{}", parts[0], parts[1], parts[2], parts[3]),
            format!("{}.{}.{}.{}!", parts[0], parts[1], parts[2], parts[3]),
            format!("{}.{}.{}.{}", parts[0], parts[1], &parts[2][4..], parts[3]),
            format!("{}.{}.{}.{}", parts[0], parts[1], parts[2], "AAAA"),
            format!(" {good}"),
        ];
        for text in bad {
            assert_eq!(Sealed::decode(&text), Err(CryptoError::Corrupt), "{text:?}");
        }
    }

    #[test]
    fn a_later_version_tag_is_an_unknown_version_not_corrupt() {
        let good = sample().encode();
        for tag in ["v2", "v0", "v10", "v9999"] {
            let text = good.replacen("v1.", &format!("{tag}."), 1);
            assert_eq!(
                Sealed::decode(&text),
                Err(CryptoError::UnknownVersion),
                "{tag}"
            );
        }
        let message = CryptoError::UnknownVersion.to_string();
        assert!(!message.contains("v2"), "{message}");
    }

    #[test]
    fn debug_shows_fingerprint_and_lengths_only() {
        let sealed = sample();
        let debug = format!("{sealed:?}");
        assert!(debug.contains("0123456789abcdef"));
        assert!(debug.contains("60"));
        assert!(!debug.contains(&URL_SAFE_NO_PAD.encode(&sealed.wrapped_key)));
        assert!(!debug.contains("[0, 1, 2"));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "envelope_proptests.rs"]
mod proptests;
