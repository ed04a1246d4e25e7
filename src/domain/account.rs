//! What a connected account is: its platform, its status, and the Meta product (provider) it
//! was connected through. Each has one stored form and one visible label (docs/product.md → Names
//! and wording), and parses back from the stored form only.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The Meta product an authorization goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Facebook,
    Instagram,
    Threads,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Facebook, Provider::Instagram, Provider::Threads];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Facebook => "facebook",
            Provider::Instagram => "instagram",
            Provider::Threads => "threads",
        }
    }

    /// The name users know it by, used in messages ("Facebook is temporarily unavailable.").
    pub fn label(self) -> &'static str {
        match self {
            Provider::Facebook => "Facebook",
            Provider::Instagram => "Instagram",
            Provider::Threads => "Threads",
        }
    }

    /// The segment of the callback path (`/oauth/{segment}/callback`).
    pub fn callback_segment(self) -> &'static str {
        match self {
            Provider::Facebook => "meta",
            Provider::Instagram => "instagram",
            Provider::Threads => "threads",
        }
    }
}

impl FromStr for Provider {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

/// What kind of account it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    FacebookPage,
    InstagramBusiness,
    InstagramCreator,
    Threads,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::FacebookPage,
        Platform::InstagramBusiness,
        Platform::InstagramCreator,
        Platform::Threads,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::FacebookPage => "facebook_page",
            Platform::InstagramBusiness => "instagram_business",
            Platform::InstagramCreator => "instagram_creator",
            Platform::Threads => "threads",
        }
    }

    /// The Platform column's wording.
    pub fn label(self) -> &'static str {
        match self {
            Platform::FacebookPage => "Facebook Page",
            Platform::InstagramBusiness => "Instagram Business",
            Platform::InstagramCreator => "Instagram Creator",
            Platform::Threads => "Threads",
        }
    }
}

impl FromStr for Platform {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

/// Whether an account can publish now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    NeedsReauth,
    Disconnected,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 3] = [
        AccountStatus::Active,
        AccountStatus::NeedsReauth,
        AccountStatus::Disconnected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::NeedsReauth => "needs_reauth",
            AccountStatus::Disconnected => "disconnected",
        }
    }

    /// The Status column's wording.
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Active => "Active",
            AccountStatus::NeedsReauth => "Needs Reauthorization",
            AccountStatus::Disconnected => "Disconnected",
        }
    }
}

impl FromStr for AccountStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_parses_back_from_its_stored_form_only() {
        for platform in Platform::ALL {
            assert_eq!(platform.as_str().parse(), Ok(platform));
            assert!(platform.label().parse::<Platform>().is_err() || platform == Platform::Threads);
        }
        for status in AccountStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        for provider in Provider::ALL {
            assert_eq!(provider.as_str().parse(), Ok(provider));
        }
        assert!("Facebook Page".parse::<Platform>().is_err());
        assert!("ACTIVE".parse::<AccountStatus>().is_err());
    }

    #[test]
    fn labels_are_the_products_wording() {
        assert_eq!(Platform::InstagramBusiness.label(), "Instagram Business");
        assert_eq!(AccountStatus::NeedsReauth.label(), "Needs Reauthorization");
        assert_eq!(Provider::Facebook.callback_segment(), "meta");
    }
}
