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
