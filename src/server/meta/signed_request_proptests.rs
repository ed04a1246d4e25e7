//! Property tests of `signed_request` verification (docs/hardening.md, requirement 19's
//! exemptions): the webhooks trust a request only through this HMAC check, so no text may
//! panic it, every genuine request must verify to its own payload, and any change must fail.

use proptest::prelude::*;

use super::{sign, verify, Payload, SignedRequestError, ALGORITHM, MAX_LEN};

fn payload() -> impl Strategy<Value = Payload> {
    (
        "\\PC{0,40}",
        any::<i64>(),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(|(user_id, issued_at, expires)| Payload {
            user_id,
            algorithm: ALGORITHM.to_owned(),
            issued_at,
            expires,
        })
}

fn secret() -> impl Strategy<Value = String> {
    "[ -~]{1,64}"
}

/// One edit of `text`: a character replaced, inserted or removed.
#[derive(Debug, Clone)]
enum Edit {
    Replace(prop::sample::Index, char),
    Insert(prop::sample::Index, char),
    Remove(prop::sample::Index),
}

/// Characters a forger would use: the base64url alphabet and the separator. (A trailing `=`
/// after the signature is accepted on purpose — some deliveries pad — so it is not an edit.)
fn forged_char() -> impl Strategy<Value = char> {
    prop::sample::select(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
            .chars()
            .collect::<Vec<_>>(),
    )
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), forged_char()).prop_map(|(at, c)| Edit::Replace(at, c)),
        (any::<prop::sample::Index>(), forged_char()).prop_map(|(at, c)| Edit::Insert(at, c)),
        any::<prop::sample::Index>().prop_map(Edit::Remove),
    ]
}

/// Applies `edit` to ASCII `text`; `None` if it would leave the text unchanged.
fn apply(text: &str, edit: &Edit) -> Option<String> {
    let mut chars: Vec<char> = text.chars().collect();
    match edit {
        Edit::Replace(at, c) => {
            let at = at.index(chars.len());
            if chars[at] == *c {
                return None;
            }
            chars[at] = *c;
        }
        Edit::Insert(at, c) => chars.insert(at.index(chars.len() + 1), *c),
        Edit::Remove(at) => {
            chars.remove(at.index(chars.len()));
        }
    }
    Some(chars.into_iter().collect())
}

proptest! {
    #[test]
    fn any_text_is_refused_without_panicking(
        text in prop_oneof![
            "\\PC{0,300}",
            "[A-Za-z0-9_=-]{0,60}\\.[A-Za-z0-9_=-]{0,200}",
            "[ -~]{2000,2100}",
        ]
    ) {
        prop_assert!(verify("app-secret", &text).is_err());
    }

    #[test]
    fn any_payload_signed_with_any_secret_verifies_to_itself(
        payload in payload(), secret in secret()
    ) {
        let signed = sign(&secret, &payload);
        prop_assert_eq!(verify(&secret, &signed), Ok(payload));
    }

    #[test]
    fn any_one_character_changed_inserted_or_removed_is_refused(
        payload in payload(), secret in secret(), edit in edit()
    ) {
        let signed = sign(&secret, &payload);
        if let Some(forged) = apply(&signed, &edit) {
            prop_assert!(verify(&secret, &forged).is_err(), "{:?} → {}", edit, forged);
        }
    }

    #[test]
    fn another_secret_is_refused(
        payload in payload(), secret in secret(), other in secret()
    ) {
        prop_assume!(secret != other);
        prop_assert_eq!(
            verify(&other, &sign(&secret, &payload)),
            Err(SignedRequestError::BadSignature)
        );
    }

    #[test]
    fn a_signed_request_verifies_exactly_when_it_is_within_the_size_limit(
        user_id in "[a-z0-9]{1200,1700}", secret in secret()
    ) {
        let payload = Payload {
            user_id,
            algorithm: ALGORITHM.to_owned(),
            issued_at: 1,
            expires: None,
        };
        let signed = sign(&secret, &payload);
        let verified = verify(&secret, &signed);
        if signed.len() <= MAX_LEN {
            prop_assert_eq!(verified, Ok(payload));
        } else {
            prop_assert_eq!(verified, Err(SignedRequestError::Malformed));
        }
    }
}
