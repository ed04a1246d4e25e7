//! The keyring's tests: round trips, tampering with every part, moved ciphertexts, wrong and
//! unknown keys, rotation, encodings and `Debug` output.

use super::*;

use secrecy::ExposeSecret;

const TOKEN: &str = "EAAGm0PX4ZCpsBA-example-access-token";

fn key(byte: u8) -> MasterKey {
    MasterKey::from_bytes([byte; KEY_LEN])
}

fn keyring(byte: u8) -> Keyring {
    Keyring::new(key(byte), Vec::new())
}

fn aad() -> Aad {
    Aad::new("connections", 42, 7, "facebook", "access_token")
}

fn open_text(ring: &Keyring, sealed: &Sealed, aad: &Aad) -> Result<String, CryptoError> {
    ring.open(sealed, aad)
        .map(|secret| secret.expose_secret().to_owned())
}

#[test]
fn sealed_secret_opens_to_the_same_text() {
    let ring = keyring(1);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    assert_eq!(sealed.key_fingerprint, ring.current_fingerprint());
    assert_eq!(sealed.wrapped_key.len(), WRAPPED_KEY_LEN);
    assert_eq!(sealed.ciphertext.len(), NONCE_LEN + TOKEN.len() + TAG_LEN);
    assert_eq!(open_text(&ring, &sealed, &aad()).unwrap(), TOKEN);
}

#[test]
fn empty_secret_round_trips() {
    let ring = keyring(1);
    let sealed = ring.seal(b"", &aad()).unwrap();
    assert_eq!(open_text(&ring, &sealed, &aad()).unwrap(), "");
}

#[test]
fn round_trip_survives_the_text_encoding() {
    let ring = keyring(1);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let decoded = Sealed::decode(&sealed.encode()).unwrap();
    assert_eq!(open_text(&ring, &decoded, &aad()).unwrap(), TOKEN);
}

#[test]
fn two_seals_of_the_same_plaintext_differ() {
    let ring = keyring(1);
    let a = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let b = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    assert_ne!(a.wrapped_key, b.wrapped_key);
    assert_ne!(a.ciphertext, b.ciphertext);
    assert_ne!(a.wrapped_key[..NONCE_LEN], b.wrapped_key[..NONCE_LEN]);
    assert_ne!(a.ciphertext[..NONCE_LEN], b.ciphertext[..NONCE_LEN]);
}

#[test]
fn changed_fingerprint_is_an_unknown_key() {
    let ring = keyring(1);
    let mut sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    sealed.key_fingerprint = "0000000000000000".to_owned();
    assert_eq!(
        ring.open(&sealed, &aad()).err(),
        Some(CryptoError::UnknownKey("0000000000000000".to_owned()))
    );
    assert_eq!(
        ring.rewrap(&sealed, &aad()).err(),
        Some(CryptoError::UnknownKey("0000000000000000".to_owned()))
    );
}

#[test]
fn flipping_any_byte_region_fails_to_decrypt() {
    let ring = keyring(1);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let ct_len = sealed.ciphertext.len();
    // (region, index): first and last byte of each nonce, body and tag.
    let wrapped_positions = [
        ("wrapped nonce", 0),
        ("wrapped nonce", NONCE_LEN - 1),
        ("wrapped body", NONCE_LEN),
        ("wrapped body", NONCE_LEN + KEY_LEN - 1),
        ("wrapped tag", NONCE_LEN + KEY_LEN),
        ("wrapped tag", WRAPPED_KEY_LEN - 1),
    ];
    for (region, index) in wrapped_positions {
        let mut bad = sealed.clone();
        bad.wrapped_key[index] ^= 0x01;
        assert_eq!(
            ring.open(&bad, &aad()).err(),
            Some(CryptoError::Decrypt),
            "{region}"
        );
        assert_eq!(
            ring.rewrap(&bad, &aad()).err(),
            Some(CryptoError::Decrypt),
            "{region}"
        );
    }
    let ciphertext_positions = [
        ("ciphertext nonce", 0),
        ("ciphertext nonce", NONCE_LEN - 1),
        ("ciphertext body", NONCE_LEN),
        ("ciphertext body", ct_len - TAG_LEN - 1),
        ("ciphertext tag", ct_len - TAG_LEN),
        ("ciphertext tag", ct_len - 1),
    ];
    for (region, index) in ciphertext_positions {
        let mut bad = sealed.clone();
        bad.ciphertext[index] ^= 0x80;
        assert_eq!(
            ring.open(&bad, &aad()).err(),
            Some(CryptoError::Decrypt),
            "{region}"
        );
    }
}

#[test]
fn truncated_parts_are_corrupt() {
    let ring = keyring(1);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let mut short_key = sealed.clone();
    short_key.wrapped_key.pop();
    assert_eq!(
        ring.open(&short_key, &aad()).err(),
        Some(CryptoError::Corrupt)
    );
    let mut short_ct = sealed.clone();
    short_ct.ciphertext.truncate(MIN_CIPHERTEXT_LEN - 1);
    assert_eq!(
        ring.open(&short_ct, &aad()).err(),
        Some(CryptoError::Corrupt)
    );
    assert_eq!(
        ring.rewrap(&short_ct, &aad()).err(),
        Some(CryptoError::Corrupt)
    );
}

#[test]
fn ciphertext_moved_to_another_place_fails_to_decrypt() {
    let ring = keyring(1);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let base = aad();
    let moved = [
        Aad {
            table: "other_table".into(),
            ..base.clone()
        },
        Aad {
            row_id: "43".into(),
            ..base.clone()
        },
        Aad {
            workspace_id: "8".into(),
            ..base.clone()
        },
        Aad {
            provider: "instagram".into(),
            ..base.clone()
        },
        Aad {
            field: "refresh_token".into(),
            ..base.clone()
        },
    ];
    for other in moved {
        assert_eq!(
            ring.open(&sealed, &other).err(),
            Some(CryptoError::Decrypt),
            "{other:?}"
        );
        assert_eq!(
            ring.rewrap(&sealed, &other).err(),
            Some(CryptoError::Decrypt),
            "{other:?}"
        );
    }
}

#[test]
fn secret_from_another_keyring_names_an_unknown_key() {
    let a = keyring(1);
    let b = keyring(2);
    let sealed = a.seal(TOKEN.as_bytes(), &aad()).unwrap();
    assert_eq!(
        b.open(&sealed, &aad()).err(),
        Some(CryptoError::UnknownKey(a.current_fingerprint().to_owned()))
    );
}

#[test]
fn forged_fingerprint_naming_the_wrong_key_fails_to_decrypt() {
    let a = keyring(1);
    let b = keyring(2);
    let mut forged = a.seal(TOKEN.as_bytes(), &aad()).unwrap();
    forged.key_fingerprint = b.current_fingerprint().to_owned();
    assert_eq!(b.open(&forged, &aad()).err(), Some(CryptoError::Decrypt));
}

#[test]
fn previous_key_still_opens_and_rewrap_moves_it_to_the_current_key() {
    let old = keyring(1);
    let sealed = old.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let rotated = Keyring::new(key(2), vec![key(1)]);
    assert_eq!(open_text(&rotated, &sealed, &aad()).unwrap(), TOKEN);

    let rewrapped = rotated.rewrap(&sealed, &aad()).unwrap();
    assert_eq!(rewrapped.key_fingerprint, rotated.current_fingerprint());
    assert_ne!(rewrapped.key_fingerprint, sealed.key_fingerprint);
    assert_eq!(rewrapped.ciphertext, sealed.ciphertext);
    assert_ne!(rewrapped.wrapped_key, sealed.wrapped_key);
    assert_eq!(open_text(&rotated, &rewrapped, &aad()).unwrap(), TOKEN);

    // Once the old key is retired, only the re-wrapped secret still opens.
    let retired = keyring(2);
    assert_eq!(open_text(&retired, &rewrapped, &aad()).unwrap(), TOKEN);
    assert!(matches!(
        retired.open(&sealed, &aad()),
        Err(CryptoError::UnknownKey(_))
    ));
}

#[test]
fn non_utf8_plaintext_is_corrupt() {
    let ring = keyring(1);
    let sealed = ring.seal(&[0xff, 0xfe, 0x00], &aad()).unwrap();
    assert_eq!(ring.open(&sealed, &aad()).err(), Some(CryptoError::Corrupt));
}

#[test]
fn keyring_lists_fingerprints_current_first_without_duplicates() {
    let ring = Keyring::new(key(3), vec![key(1), key(3), key(2), key(1)]);
    assert_eq!(
        ring.fingerprints(),
        vec![
            key(3).fingerprint().to_owned(),
            key(1).fingerprint().to_owned(),
            key(2).fingerprint().to_owned(),
        ]
    );
    assert_eq!(ring.current_fingerprint(), key(3).fingerprint());
    assert!(ring.key(key(2).fingerprint()).is_some());
    assert!(ring.key("0000000000000000").is_none());
    let clone = ring.clone();
    assert!(Arc::ptr_eq(&clone.inner, &ring.inner));
}

#[test]
fn debug_output_never_shows_key_material() {
    let bytes = [0x5au8; KEY_LEN];
    let k = MasterKey::from_bytes(bytes);
    let b64 = k.to_base64();
    let fingerprint = k.fingerprint().to_owned();
    let ring = Keyring::new(k, vec![MasterKey::from_bytes([0x11; KEY_LEN])]);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad()).unwrap();
    let secret = ring.open(&sealed, &aad()).unwrap();
    let outputs = [
        format!("{:?}", ring.key(&fingerprint).unwrap()),
        format!("{:#?}", ring.key(&fingerprint).unwrap()),
        format!("{ring:?}"),
        format!("{ring:#?}"),
        format!("{sealed:?}"),
        format!("{secret:?}"),
    ];
    for out in &outputs {
        assert!(!out.contains(&b64), "{out}");
        assert!(!out.contains(&b64[..8]), "{out}");
        assert!(!out.contains(&hex::encode(bytes)), "{out}");
        assert!(!out.contains("90, 90"), "{out}");
        assert!(!out.contains(TOKEN), "{out}");
    }
    assert!(outputs[0].contains(&fingerprint));
    assert!(outputs[2].contains(&fingerprint));
}

#[test]
fn error_messages_contain_no_secret_and_name_the_fingerprint() {
    let err = CryptoError::UnknownKey("0123456789abcdef".into());
    assert!(err.to_string().contains("0123456789abcdef"));
    for e in [
        CryptoError::Decrypt,
        CryptoError::Corrupt,
        CryptoError::Encrypt,
    ] {
        assert!(!e.to_string().is_empty());
    }
}
