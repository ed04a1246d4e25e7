//! Encryption at rest as an attacker with write access to the database sees it (docs/hardening.md,
//! requirements 20, 21 and 24): the stored text `v1.<fingerprint>.<wrapped DEK>.<ciphertext>`
//! moved, swapped, bit-flipped and truncated; nonces over many seals; the cipher against NIST's
//! own vectors.

use std::collections::HashSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use secrecy::ExposeSecret;

use super::*;

const TOKEN: &str = "EAAGm0PX4ZCpsBA-at-rest-sentinel-token";

fn ring() -> Keyring {
    Keyring::new(MasterKey::from_bytes([3; KEY_LEN]), Vec::new())
}

fn page(row: u32, workspace: u32) -> Aad {
    Aad::new("accounts", row, workspace, "facebook", "access_token")
}

fn opens(ring: &Keyring, stored: &str, aad: &Aad) -> Result<String, CryptoError> {
    let sealed = Sealed::decode(stored)?;
    ring.open(&sealed, aad)
        .map(|secret| secret.expose_secret().to_owned())
}

/// A million seals (about 30 s of a debug test run, so it runs in every one): no nonce repeats
/// under the master key (the wrapped data keys) or under the data keys (the ciphertexts).
#[test]
fn a_million_seals_repeat_no_nonce() {
    let count = 1_000_000;
    let ring = ring();
    let aad = page(1, 1);
    let mut key_nonces = HashSet::with_capacity(count);
    let mut data_nonces = HashSet::with_capacity(count);
    for _ in 0..count {
        let sealed = ring.seal(b"t", &aad).unwrap();
        let key_nonce: [u8; NONCE_LEN] = sealed.wrapped_key[..NONCE_LEN].try_into().unwrap();
        let data_nonce: [u8; NONCE_LEN] = sealed.ciphertext[..NONCE_LEN].try_into().unwrap();
        assert!(key_nonces.insert(key_nonce), "a wrapping nonce repeated");
        assert!(data_nonces.insert(data_nonce), "a data nonce repeated");
    }
    assert_eq!(key_nonces.len(), count);
    assert_eq!(data_nonces.len(), count);
}

#[test]
fn each_seal_has_its_own_data_key() {
    let ring = ring();
    let aad = page(1, 1);
    let keys: HashSet<[u8; KEY_LEN]> = (0..1_000)
        .map(|_| {
            let sealed = ring.seal(TOKEN.as_bytes(), &aad).unwrap();
            *ring.unwrap_dek(&sealed, &aad.bytes()).unwrap()
        })
        .collect();
    assert_eq!(keys.len(), 1_000, "a data key was used twice");
}

#[test]
fn the_cipher_gives_nists_answers() {
    // NIST CAVS gcmEncryptExtIV256.rsp: key, nonce, plaintext, AAD, ciphertext, tag.
    let vectors = [
        (
            "92e11dcdaa866f5ce790fd24501f92509aacf4cb8b1339d50c9c1240935dd08b",
            "ac93a1a6145299bde902f21a",
            "2d71bcfa914e4ac045b2aa60955fad24",
            "1e0889016f67601c8ebea4943bc23ad6",
            "8995ae2e6df3dbf96fac7b7137bae67f",
            "eca5aa77d51d4a0a14d9c51e1da474ab",
        ),
        (
            "7da3bccaffb3464178ca7c722379836db50ce0bfb47640b9572163865332e486",
            "c04fd2e701c3dc62b68738b3",
            "fd671cab1ee21f0df6bb610bf94f0e69",
            "fec0311013202e4ffdc4204926ae0ddf",
            "6be61b17b7f7d494a7cdf270562f37ba",
            "5e702a38323fe1160b780d17adad3e96",
        ),
    ];
    for (key, nonce, plaintext, aad, ciphertext, tag) in vectors {
        let key: [u8; KEY_LEN] = hex::decode(key).unwrap().try_into().unwrap();
        let stored = hex::decode(format!("{nonce}{ciphertext}{tag}")).unwrap();
        let aad = hex::decode(aad).unwrap();
        let opened = decrypt(&key, &stored, &aad).unwrap();
        assert_eq!(hex::encode(&*opened), plaintext);
        let mut forged = stored.clone();
        *forged.last_mut().unwrap() ^= 1;
        assert_eq!(
            decrypt(&key, &forged, &aad).err(),
            Some(CryptoError::Decrypt)
        );
        // What `encrypt` writes opens with the vector's key the same way.
        let resealed = encrypt(&key, &opened, &aad).unwrap();
        assert_eq!(resealed.len(), stored.len());
        assert_eq!(*decrypt(&key, &resealed, &aad).unwrap(), *opened);
    }
}

#[test]
fn a_bit_flipped_in_any_nonce_key_body_or_tag_byte_fails_authentication() {
    let ring = ring();
    let aad = page(1, 1);
    let sealed = ring.seal(TOKEN.as_bytes(), &aad).unwrap();
    let mut tried = 0;
    for bit in 0..sealed.wrapped_key.len() * 8 {
        let mut flipped = sealed.clone();
        flipped.wrapped_key[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            ring.open(&flipped, &aad).err(),
            Some(CryptoError::Decrypt),
            "wrapped key bit {bit}"
        );
        tried += 1;
    }
    for bit in 0..sealed.ciphertext.len() * 8 {
        let mut flipped = sealed.clone();
        flipped.ciphertext[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            ring.open(&flipped, &aad).err(),
            Some(CryptoError::Decrypt),
            "ciphertext bit {bit}"
        );
        tried += 1;
    }
    assert_eq!(
        tried,
        (WRAPPED_KEY_LEN + NONCE_LEN + TOKEN.len() + TAG_LEN) * 8
    );
}

#[test]
fn a_bit_flipped_anywhere_in_the_stored_text_fails_to_open_with_the_error_of_its_part() {
    let ring = ring();
    let aad = page(1, 1);
    let stored = ring.seal(TOKEN.as_bytes(), &aad).unwrap().encode();
    let fingerprint_end = 3 + 16;
    for (at, byte) in stored.bytes().enumerate() {
        for bit in 0..8 {
            let mut bytes = stored.clone().into_bytes();
            bytes[at] = byte ^ (1 << bit);
            // A flip may leave UTF-8; a database column could hold that too, read lossily.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let result = opens(&ring, &text, &aad);
            let expected: &[CryptoError] = if at < 2 {
                &[CryptoError::Corrupt, CryptoError::UnknownVersion]
            } else if at < fingerprint_end && at > 2 {
                // Another fingerprint names a key that is not configured, or is not hex.
                &[
                    CryptoError::Corrupt,
                    CryptoError::UnknownKey(text.get(3..19).unwrap_or_default().to_owned()),
                ]
            } else {
                &[CryptoError::Corrupt, CryptoError::Decrypt]
            };
            let err = result.expect_err("a flipped bit opened");
            assert!(expected.contains(&err), "byte {at} bit {bit}: {err:?}");
        }
    }
}

#[test]
fn every_truncation_of_the_stored_text_and_the_empty_text_fail_to_open() {
    let ring = ring();
    let aad = page(1, 1);
    let stored = ring.seal(TOKEN.as_bytes(), &aad).unwrap().encode();
    for end in 0..stored.len() {
        let err = opens(&ring, &stored[..end], &aad).expect_err("a truncation opened");
        assert!(
            matches!(err, CryptoError::Corrupt | CryptoError::Decrypt),
            "{end}: {err:?}"
        );
    }
    for start in 1..stored.len() {
        assert!(
            opens(&ring, &stored[start..], &aad).is_err(),
            "from {start}"
        );
    }
    assert_eq!(opens(&ring, "", &aad), Err(CryptoError::Corrupt));
}

#[test]
fn an_unknown_version_tag_fails_as_an_unknown_version_whatever_follows_it() {
    let ring = ring();
    let aad = page(1, 1);
    let stored = ring.seal(TOKEN.as_bytes(), &aad).unwrap().encode();
    let rest = stored.strip_prefix("v1.").unwrap();
    for tag in ["v2", "v0", "v11", "v1000"] {
        for tail in [rest.to_owned(), "x.y.z".to_owned(), "..".to_owned()] {
            let text = format!("{tag}.{tail}");
            assert_eq!(
                opens(&ring, &text, &aad),
                Err(CryptoError::UnknownVersion),
                "{text}"
            );
        }
    }
    for garbage in ["<script>", "V1", "v", "v1x", "v12345"] {
        let text = format!("{garbage}.{rest}");
        let err = opens(&ring, &text, &aad).unwrap_err();
        assert_eq!(err, CryptoError::Corrupt, "{garbage}");
        assert!(!err.to_string().contains(garbage), "the tag was echoed");
    }
}

#[test]
fn a_ciphertext_moved_to_another_row_workspace_provider_or_slot_fails_to_open() {
    let ring = ring();
    let home = page(10, 1);
    let sealed = ring.seal(TOKEN.as_bytes(), &home).unwrap();
    let elsewhere = [
        page(11, 1),
        page(10, 2),
        Aad::new("accounts", 10, 1, "instagram", "access_token"),
        Aad::new("accounts", 10, 1, "facebook", "refresh_token"),
        Aad::new("grants", 10, 1, "facebook", "access_token"),
    ];
    for aad in &elsewhere {
        assert_eq!(
            ring.open(&sealed, aad).err(),
            Some(CryptoError::Decrypt),
            "{aad:?}"
        );
        // A rotation re-wraps under the place it is told; it cannot launder a moved value.
        assert_eq!(
            ring.rewrap(&sealed, aad).err(),
            Some(CryptoError::Decrypt),
            "{aad:?}"
        );
    }
    assert_eq!(ring.open(&sealed, &home).unwrap().expose_secret(), TOKEN);
}

#[test]
fn two_ciphertexts_swapped_between_rows_both_fail_to_open_within_and_across_workspaces() {
    let ring = ring();
    for (a, b) in [(page(1, 1), page(2, 1)), (page(1, 1), page(3, 2))] {
        let sealed_a = ring.seal(b"token-of-a", &a).unwrap().encode();
        let sealed_b = ring.seal(b"token-of-b", &b).unwrap().encode();
        assert_eq!(opens(&ring, &sealed_b, &a), Err(CryptoError::Decrypt));
        assert_eq!(opens(&ring, &sealed_a, &b), Err(CryptoError::Decrypt));
        // Swapping only the wrapped keys (or only the ciphertexts) fails too.
        let [v, f, key_a, body_a] = crate::server::crypto::dotted::<4>(&sealed_a).unwrap();
        let [_, _, key_b, body_b] = crate::server::crypto::dotted::<4>(&sealed_b).unwrap();
        for mixed in [
            format!("{v}.{f}.{key_b}.{body_a}"),
            format!("{v}.{f}.{key_a}.{body_b}"),
        ] {
            assert_eq!(opens(&ring, &mixed, &a), Err(CryptoError::Decrypt));
        }
        assert_eq!(opens(&ring, &sealed_a, &a).unwrap(), "token-of-a");
        assert_eq!(opens(&ring, &sealed_b, &b).unwrap(), "token-of-b");
    }
    // The parts really are base64 of what was sealed, so the swap moved real bytes.
    let sealed = ring.seal(b"x", &page(1, 1)).unwrap();
    let encoded = sealed.encode();
    assert!(encoded.ends_with(&URL_SAFE_NO_PAD.encode(&sealed.ciphertext)));
}
