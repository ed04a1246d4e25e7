//! Why an account needs reauthorization (docs/product.md → Names and wording → status reasons).
//! The stored form is a stable code; the label is the sentence people read. One table, so a
//! reason is worded the same on every page and a test can find it by its text.

use super::Provider;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

macro_rules! reasons {
    ($($variant:ident => $code:literal, $label:literal;)+) => {
        /// A short, specific reason for **Needs Reauthorization**.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum StatusReason { $($variant,)+ }

        impl StatusReason {
            pub const ALL: &'static [StatusReason] = &[$(StatusReason::$variant,)+];

            /// The stored form (`accounts.status_reason`).
            pub fn as_str(self) -> &'static str {
                match self { $(StatusReason::$variant => $code,)+ }
            }

            /// The wording people see.
            pub fn label(self) -> &'static str {
                match self { $(StatusReason::$variant => $label,)+ }
            }
        }
    };
}

reasons! {
    TokenExpired => "token_expired", "Token expired";
    TokenInvalid => "token_invalid", "Token invalid";
    PasswordChanged => "password_changed", "Password changed on Facebook";
    AppRemovedFacebook => "app_removed_facebook", "App removed on Facebook";
    AppRemovedInstagram => "app_removed_instagram", "App removed on Instagram";
    AppRemovedThreads => "app_removed_threads", "App removed on Threads";
    SignedOut => "signed_out", "Signed out of Facebook";
    AccountNeedsAttention => "account_needs_attention", "Facebook account needs attention: log in on facebook.com";
    PageRoleRemoved => "page_role_removed", "Page role removed";
    PermissionRemoved => "permission_removed", "Permission removed";
    NotInLatestAuthorization => "not_in_latest_authorization", "Not included in the latest authorization";
    DecryptionFailed => "decryption_failed", "Decryption failed — reconnect";
}

impl StatusReason {
    /// "App removed on …" for the product whose app the person removed.
    pub fn app_removed(provider: Provider) -> Self {
        match provider {
            Provider::Facebook => Self::AppRemovedFacebook,
            Provider::Instagram => Self::AppRemovedInstagram,
            Provider::Threads => Self::AppRemovedThreads,
        }
    }

    /// The reason for a token Meta rejected with Graph error `code`/`subcode` (docs/meta-api.md
    /// §8): 190 with its subcodes, 492 (the Page role is gone), and the permission errors;
    /// `None` for an error that says nothing about the token.
    pub fn from_meta(code: i64, subcode: Option<i64>, provider: Provider) -> Option<Self> {
        Some(match (code, subcode) {
            (190, Some(463)) => Self::TokenExpired,
            (190, Some(460)) => Self::PasswordChanged,
            (190, Some(458)) => Self::app_removed(provider),
            (190, Some(467)) => Self::SignedOut,
            (190, Some(459 | 464)) => Self::AccountNeedsAttention,
            (190 | 10 | 200, Some(492)) | (492, _) => Self::PageRoleRemoved,
            (190, _) | (102, _) => Self::TokenInvalid,
            (10 | 200..=299, _) => Self::PermissionRemoved,
            _ => return None,
        })
    }

    /// Whether Meta's subcode is about the person rather than one token (458–467): every
    /// account of their grant is affected, not only the one whose token was checked.
    pub fn is_user_level(subcode: Option<i64>) -> bool {
        subcode.is_some_and(|s| (458..=467).contains(&s))
    }

    /// The label of a stored reason; a code this version doesn't know (written by a newer one)
    /// is shown as it is rather than hidden.
    pub fn label_of(stored: &str) -> String {
        stored
            .parse::<StatusReason>()
            .map(|reason| reason.label().to_owned())
            .unwrap_or_else(|()| stored.to_owned())
    }
}

impl FromStr for StatusReason {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_parses_back_from_its_code_and_fits_its_column() {
        for reason in StatusReason::ALL {
            assert_eq!(reason.as_str().parse(), Ok(*reason));
            assert!(reason.as_str().len() <= 64);
        }
    }

    #[test]
    fn each_meta_rejection_maps_to_its_reason() {
        let facebook = |code, subcode| StatusReason::from_meta(code, subcode, Provider::Facebook);
        assert_eq!(facebook(190, Some(463)), Some(StatusReason::TokenExpired));
        assert_eq!(
            facebook(190, Some(460)),
            Some(StatusReason::PasswordChanged)
        );
        assert_eq!(
            facebook(190, Some(458)),
            Some(StatusReason::AppRemovedFacebook)
        );
        assert_eq!(facebook(190, Some(467)), Some(StatusReason::SignedOut));
        assert_eq!(
            facebook(190, Some(459)),
            Some(StatusReason::AccountNeedsAttention)
        );
        assert_eq!(
            facebook(190, Some(464)),
            Some(StatusReason::AccountNeedsAttention)
        );
        assert_eq!(
            facebook(190, Some(492)),
            Some(StatusReason::PageRoleRemoved)
        );
        assert_eq!(facebook(190, None), Some(StatusReason::TokenInvalid));
        assert_eq!(facebook(200, None), Some(StatusReason::PermissionRemoved));
        assert_eq!(facebook(100, None), None);
        assert_eq!(
            StatusReason::from_meta(190, Some(458), Provider::Threads),
            Some(StatusReason::AppRemovedThreads)
        );
        assert!(StatusReason::is_user_level(Some(460)));
        assert!(!StatusReason::is_user_level(Some(492)) && !StatusReason::is_user_level(None));
    }

    #[test]
    fn labels_are_the_products_wording() {
        assert_eq!(
            StatusReason::NotInLatestAuthorization.label(),
            "Not included in the latest authorization"
        );
        assert_eq!(
            StatusReason::app_removed(Provider::Threads).label(),
            "App removed on Threads"
        );
        assert_eq!(StatusReason::label_of("token_expired"), "Token expired");
        assert_eq!(StatusReason::label_of("from_the_future"), "from_the_future");
    }
}
