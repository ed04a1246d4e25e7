//! Permission diagnostics for the account page, from what the maintenance sweep stored of the
//! last `debug_token` check (the page never calls Meta while rendering): when it was, which
//! required permissions the Facebook grant lacks, and whether this Page (or Instagram account)
//! is among those the person shared — each missing piece with its fix.

use crate::domain::Platform;
use crate::server::connect::providers::FACEBOOK;
use crate::server::meta::token_check::TokenCheck;
use serde::Deserialize;

/// The permissions that name the Pages (or Instagram accounts) they cover.
const PAGE_SCOPE: &str = "pages_manage_posts";
const INSTAGRAM_SCOPE: &str = "instagram_content_publish";

/// What the last check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// When Meta was asked (unix seconds).
    pub checked_at: i64,
    pub valid: bool,
    /// Required permissions the grant no longer has.
    pub missing_required: Vec<String>,
    /// Whether this account is among the objects its publishing permission covers; `None`
    /// when Meta's answer doesn't say (no granular list for that permission).
    pub shared: Option<bool>,
}

#[derive(Deserialize)]
struct Stored {
    checked_at: i64,
    check: TokenCheck,
}

/// The diagnostics of an account from its grant's stored check, if there is one.
pub fn read(stored: &str, platform: Platform, external_id: &str) -> Option<Diagnostics> {
    let Stored { checked_at, check } = serde_json::from_str(stored).ok()?;
    let missing_required = FACEBOOK
        .required_scopes
        .iter()
        .filter(|scope| !check.scopes.iter().any(|s| s == *scope))
        .map(|scope| (*scope).to_owned())
        .collect();
    let scope = match platform {
        Platform::FacebookPage => PAGE_SCOPE,
        _ => INSTAGRAM_SCOPE,
    };
    let shared = check
        .granular
        .iter()
        .find(|(name, _)| name == scope)
        .map(|(_, ids)| ids.iter().any(|id| id == external_id));
    Some(Diagnostics {
        checked_at,
        valid: check.valid,
        missing_required,
        shared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_left_out_of_the_shared_pages_and_a_missing_permission_are_found() {
        let stored = r#"{"checked_at":100,"check":{"valid":true,"error":null,"expires_at":null,
            "data_access_expires_at":null,"scopes":["pages_show_list","pages_read_engagement"],
            "granular":[["pages_manage_posts",["2222"]]]}}"#;
        let page = read(stored, Platform::FacebookPage, "1111").unwrap();
        assert_eq!(page.missing_required, vec!["pages_manage_posts".to_owned()]);
        assert_eq!(page.shared, Some(false));
        let other = read(stored, Platform::FacebookPage, "2222").unwrap();
        assert_eq!(other.shared, Some(true));
        assert_eq!(
            read(stored, Platform::InstagramBusiness, "1")
                .unwrap()
                .shared,
            None
        );
        assert!(read("not json", Platform::FacebookPage, "1").is_none());
    }
}
