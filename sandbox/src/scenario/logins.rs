//! The test accounts of the two logins that need no Facebook user: Instagram Login's
//! professional (and one personal) accounts and Threads profiles, and the switches that pick
//! between answer shapes Meta's documentation leaves open.

use serde::{Deserialize, Serialize};

/// A test account of Instagram API with Instagram Login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstagramLogin {
    /// The app-scoped id (`id` in `/me`), a string of digits; tokens are issued to it.
    pub id: String,
    /// The Instagram professional account id (`user_id` in `/me` and in the code exchange),
    /// the one `/{ig-user-id}/media` takes.
    pub user_id: String,
    pub username: String,
    pub name: String,
    /// `BUSINESS`, `MEDIA_CREATOR` or `PERSONAL`, as `/me` answers it (kept as written, so a
    /// scenario can try other casings).
    pub account_type: String,
}

/// A Threads test profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadsProfile {
    /// The Threads user id (a string of digits; the code exchange answers it as a number).
    pub id: String,
    pub username: String,
    pub name: String,
}

/// How `POST /instagram-api/oauth/access_token` wraps its answer (docs/meta-api.md §6.2: which
/// one production sends is unconfirmed, so a client must read both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstagramExchangeShape {
    /// The documented shape: `{"data":[{"access_token","user_id":"<string>","permissions":"a,b"}]}`.
    #[default]
    Data,
    /// The shape many clients read: `{"access_token","user_id":<number>,"permissions":["a","b"]}`.
    Flat,
}

/// Answer-shape switches (each defaults to the documented shape).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switches {
    #[serde(default)]
    pub instagram_exchange_shape: InstagramExchangeShape,
    /// Seconds a new Instagram or Threads media container stays `IN_PROGRESS` before it is
    /// `FINISHED` (0: ready at once, the default).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub container_seconds: u32,
    /// Instagram's `content_publishing_limit` `quota_total` (docs/meta-api.md §9, §15: 25 in the
    /// sandbox, as in the reference articles, when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instagram_quota_total: Option<u32>,
    /// Threads' `threads_publishing_limit` `quota_total` (250 when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads_quota_total: Option<u32>,
}

/// Unset switches stay out of a stored scenario, so it reads as it was written.
fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn instagram(id: &str, user_id: &str, username: &str, name: &str, kind: &str) -> InstagramLogin {
    InstagramLogin {
        id: id.to_owned(),
        user_id: user_id.to_owned(),
        username: username.to_owned(),
        name: name.to_owned(),
        account_type: kind.to_owned(),
    }
}

/// The default world's Instagram Login accounts, in the order the dialog offers them:
/// acme.direct (Business), creator.cat (Creator), personal.pat (Personal) and acmebakery —
/// whose professional id is the Instagram account linked to the Page Acme Bakery, so the same
/// account can arrive through both logins.
pub fn default_instagram_accounts() -> Vec<InstagramLogin> {
    vec![
        instagram(
            "2468013579001",
            "17841400000000011",
            "acme.direct",
            "Acme Direct",
            "BUSINESS",
        ),
        instagram(
            "2468013579002",
            "17841400000000012",
            "creator.cat",
            "Cat Creator",
            "MEDIA_CREATOR",
        ),
        instagram(
            "2468013579003",
            "17841400000000013",
            "personal.pat",
            "Pat Personal",
            "PERSONAL",
        ),
        instagram(
            "2468013579004",
            "17841400000000001",
            "acmebakery",
            "Acme",
            "BUSINESS",
        ),
    ]
}

/// The default world's Threads profile: acme.threads.
pub fn default_threads_profiles() -> Vec<ThreadsProfile> {
    vec![ThreadsProfile {
        id: "7000000000000001".into(),
        username: "acme.threads".into(),
        name: "Acme Threads".into(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exchange_shape_reads_and_writes_as_a_lower_case_word_and_defaults_to_data() {
        let switches: Switches = serde_json::from_str("{}").unwrap();
        assert_eq!(
            switches.instagram_exchange_shape,
            InstagramExchangeShape::Data
        );
        let flat: Switches =
            serde_json::from_str(r#"{"instagram_exchange_shape":"flat"}"#).unwrap();
        assert_eq!(flat.instagram_exchange_shape, InstagramExchangeShape::Flat);
        assert_eq!(
            serde_json::to_string(&flat).unwrap(),
            r#"{"instagram_exchange_shape":"flat"}"#
        );
        assert!(serde_json::from_str::<Switches>(r#"{"instagram_exchange_shape":"x"}"#).is_err());
    }

    #[test]
    fn the_fourth_instagram_account_is_the_one_linked_to_acme_bakery() {
        let accounts = default_instagram_accounts();
        assert_eq!(accounts.len(), 4);
        assert_eq!(accounts[0].username, "acme.direct");
        assert_eq!(accounts[3].user_id, "17841400000000001");
    }
}
