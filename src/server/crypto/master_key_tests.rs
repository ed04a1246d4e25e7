//! The master key's own tests: its fingerprint, key-check value and base64 form.

use super::*;

fn key(byte: u8) -> MasterKey {
    MasterKey::from_bytes([byte; KEY_LEN])
}

#[test]
fn fingerprint_is_the_domain_separated_sha256_prefix() {
    let k = key(9);
    let mut hasher = Sha256::new();
    hasher.update(b"switchboard-kek-v1");
    hasher.update([9u8; KEY_LEN]);
    let expected = hex::encode(&hasher.finalize()[..8]);
    assert_eq!(k.fingerprint(), expected);
    assert_eq!(k.fingerprint().len(), 16);
    assert_ne!(key(1).fingerprint(), key(2).fingerprint());
}

#[test]
fn check_value_is_hmac_of_the_fixed_message_under_the_key() {
    let k = key(5);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&[5u8; KEY_LEN]).unwrap();
    mac.update(b"switchboard key check v1");
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(k.check_value(), expected);
    assert_eq!(k.check_value().len(), 64);
    assert_ne!(key(5).check_value(), key(6).check_value());
}

#[test]
fn base64_round_trips_with_or_without_padding_and_whitespace() {
    let k = MasterKey::generate();
    let text = k.to_base64();
    assert!(text.ends_with('='));
    let again = MasterKey::from_base64(&format!("  {text}\n")).unwrap();
    assert_eq!(again.fingerprint(), k.fingerprint());
    let unpadded = MasterKey::from_base64(text.trim_end_matches('=')).unwrap();
    assert_eq!(unpadded.fingerprint(), k.fingerprint());
}

#[test]
fn from_base64_rejects_wrong_lengths_and_garbage_without_echoing_input() {
    let short = STANDARD.encode([0xabu8; 31]);
    let long = STANDARD.encode([0xabu8; 33]);
    let garbage = "not*base64!secretSECRET".to_owned();
    let url_safe = base64::engine::general_purpose::URL_SAFE.encode([0xfbu8; 32]);
    for input in [short, long, garbage, url_safe, String::new()] {
        let err = MasterKey::from_base64(&input).unwrap_err();
        assert!(matches!(err, KeyError::Invalid(_)), "{input:?}");
        let message = err.to_string();
        assert!(!message.is_empty());
        if !input.is_empty() {
            for shown in [message.clone(), format!("{err:?}")] {
                assert!(!shown.contains(&input[..4]), "{shown}");
            }
        }
    }
    let err = MasterKey::from_base64(&STANDARD.encode([1u8; 31])).unwrap_err();
    assert!(err.to_string().contains("31 bytes"));
}
