//! Property tests of the stored envelope (docs/hardening.md, requirements 20, 21 and 24): the
//! decoder reads whatever a database column holds without panicking and accepts each sealed
//! value in exactly one spelling; a sealed secret opens only in its own place; any change to
//! the stored text fails to open.

use proptest::prelude::*;
use secrecy::ExposeSecret;

use super::{Aad, CryptoError, Sealed};
use crate::server::crypto::{Keyring, MasterKey};

fn keyring() -> Keyring {
    Keyring::new(MasterKey::from_bytes([7; 32]), Vec::new())
}

fn aad() -> impl Strategy<Value = Aad> {
    (
        "[a-z_]{1,12}",
        "[0-9]{1,6}",
        "[0-9]{1,6}",
        "(facebook|instagram|threads)",
        "[a-z_]{1,16}",
    )
        .prop_map(|(table, row, workspace, provider, field)| {
            Aad::new(&table, row, workspace, &provider, &field)
        })
}

/// Text shaped like a stored value: the right tag, a fingerprint-like part and two base64-like
/// parts of about the right lengths. Most such text is not canonical; none of it was sealed.
fn sealed_shaped() -> impl Strategy<Value = String> {
    (
        "(v1|v2|V1|v)",
        "[0-9a-fA-F]{15,17}",
        "[A-Za-z0-9_=-]{78,82}",
        "[A-Za-z0-9_=-]{36,120}",
    )
        .prop_map(|(version, fingerprint, wrapped, ciphertext)| {
            format!("{version}.{fingerprint}.{wrapped}.{ciphertext}")
        })
}

proptest! {
    #[test]
    fn any_text_decodes_without_panicking_and_only_in_its_canonical_form(
        text in prop_oneof!["\\PC{0,200}", "[v1.a-f0-9A-Za-z_=-]{0,200}"]
    ) {
        if let Ok(sealed) = Sealed::decode(&text) {
            prop_assert_eq!(sealed.encode(), text);
        }
    }

    #[test]
    fn any_bytes_read_as_a_column_decode_without_panicking(
        bytes in prop::collection::vec(any::<u8>(), 0..300)
    ) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(sealed) = Sealed::decode(&text) {
            prop_assert_eq!(sealed.encode(), text.as_ref());
        }
    }

    #[test]
    fn text_shaped_like_a_sealed_value_decodes_canonically_or_not_at_all(
        text in sealed_shaped(), place in aad()
    ) {
        match Sealed::decode(&text) {
            Ok(sealed) => {
                prop_assert_eq!(sealed.encode(), text.as_str());
                // Forged text never opens: not under the key it names, nor under the real one.
                let ring = keyring();
                prop_assert!(ring.open(&sealed, &place).is_err());
                let named_here = Sealed { key_fingerprint: ring.current_fingerprint().to_owned(), ..sealed };
                prop_assert_eq!(ring.open(&named_here, &place).err(), Some(CryptoError::Decrypt));
            }
            Err(err) => prop_assert!(matches!(err, CryptoError::Corrupt | CryptoError::UnknownVersion)),
        }
    }

    #[test]
    fn any_bytes_sealed_open_to_themselves_when_they_are_text_and_as_corrupt_when_not(
        bytes in prop::collection::vec(any::<u8>(), 0..200), place in aad()
    ) {
        let ring = keyring();
        let stored = ring.seal(&bytes, &place).unwrap().encode();
        let opened = ring.open(&Sealed::decode(&stored).unwrap(), &place);
        match std::str::from_utf8(&bytes) {
            Ok(text) => prop_assert_eq!(opened.unwrap().expose_secret().to_owned(), text),
            Err(_) => prop_assert_eq!(opened.err(), Some(CryptoError::Corrupt)),
        }
    }

    #[test]
    fn any_secret_sealed_for_any_owner_opens_there_and_nowhere_else(
        secret in "\\PC{0,80}", place in aad(), elsewhere in aad()
    ) {
        let ring = keyring();
        let sealed = ring.seal(secret.as_bytes(), &place).unwrap();
        prop_assert_eq!(ring.open(&sealed, &place).unwrap().expose_secret().to_owned(), secret.clone());
        if elsewhere != place {
            prop_assert_eq!(ring.open(&sealed, &elsewhere).err(), Some(CryptoError::Decrypt));
            prop_assert_eq!(ring.rewrap(&sealed, &elsewhere).err(), Some(CryptoError::Decrypt));
        }
    }

    #[test]
    fn different_places_never_share_associated_data(
        a in ("\\PC{0,6}", "\\PC{0,6}", "\\PC{0,6}", "\\PC{0,6}", "\\PC{0,6}"),
        b in ("\\PC{0,6}", "\\PC{0,6}", "\\PC{0,6}", "\\PC{0,6}", "\\PC{0,6}"),
    ) {
        let aad_a = Aad::new(&a.0, &a.1, &a.2, &a.3, &a.4);
        let aad_b = Aad::new(&b.0, &b.1, &b.2, &b.3, &b.4);
        prop_assert_eq!(aad_a == aad_b, aad_a.bytes() == aad_b.bytes());
    }

    #[test]
    fn any_one_character_changed_in_a_stored_value_fails_to_open(
        secret in "[ -~]{0,60}",
        at in any::<prop::sample::Index>(),
        replacement in prop::sample::select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=".chars().collect::<Vec<_>>()
        ),
    ) {
        let ring = keyring();
        let place = Aad::new("grants", 1, 2, "facebook", "user_token");
        let stored = ring.seal(secret.as_bytes(), &place).unwrap().encode();
        let mut chars: Vec<char> = stored.chars().collect();
        let at = at.index(chars.len());
        prop_assume!(chars[at] != replacement);
        chars[at] = replacement;
        let changed: String = chars.into_iter().collect();
        let opened = Sealed::decode(&changed).and_then(|sealed| ring.open(&sealed, &place));
        prop_assert!(opened.is_err(), "{changed} opened");
    }
}
