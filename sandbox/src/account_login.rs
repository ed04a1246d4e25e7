//! The two logins whose users are accounts rather than Facebook users — Instagram API with
//! Instagram Login and Threads — and what sets them apart: their app, callback, scope names,
//! grant types and test accounts. The dialogs and token endpoints of both are written once,
//! over this.

use crate::scenario::Scenario;
use crate::settings::{AppCredentials, SandboxApps};

/// Instagram Login or Threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountLogin {
    Instagram,
    Threads,
}

/// A test account as the dialogs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account<'a> {
    /// The id tokens are issued to: Instagram's app-scoped id, or the Threads user id.
    pub id: &'a str,
    pub username: &'a str,
    pub name: &'a str,
}

impl AccountLogin {
    /// This login's own app credentials (neither accepts the Facebook app's).
    pub fn app(self, apps: &SandboxApps) -> &AppCredentials {
        match self {
            AccountLogin::Instagram => &apps.instagram,
            AccountLogin::Threads => &apps.threads,
        }
    }

    /// The provider segment of the app's callback (`/oauth/{provider}/callback`).
    pub fn provider(self) -> &'static str {
        match self {
            AccountLogin::Instagram => "instagram",
            AccountLogin::Threads => "threads",
        }
    }

    /// The product's name, for the dialog's words.
    pub fn label(self) -> &'static str {
        match self {
            AccountLogin::Instagram => "Instagram",
            AccountLogin::Threads => "Threads",
        }
    }

    /// Every scope name of this login starts so; any other is foreign ("Invalid Scopes").
    pub fn scope_prefix(self) -> &'static str {
        match self {
            AccountLogin::Instagram => "instagram_business_",
            AccountLogin::Threads => "threads_",
        }
    }

    /// The permission a token needs to be refreshed (docs/meta-api.md §6.3, §7.2).
    pub fn basic_scope(self) -> &'static str {
        match self {
            AccountLogin::Instagram => "instagram_business_basic",
            AccountLogin::Threads => "threads_basic",
        }
    }

    /// `grant_type` of the short → long-lived exchange.
    pub fn exchange_grant(self) -> &'static str {
        match self {
            AccountLogin::Instagram => "ig_exchange_token",
            AccountLogin::Threads => "th_exchange_token",
        }
    }

    /// `grant_type` of the refresh.
    pub fn refresh_grant(self) -> &'static str {
        match self {
            AccountLogin::Instagram => "ig_refresh_token",
            AccountLogin::Threads => "th_refresh_token",
        }
    }

    /// The scenario's test accounts of this login, in the order the dialog offers them.
    pub fn accounts(self, scenario: &Scenario) -> Vec<Account<'_>> {
        match self {
            AccountLogin::Instagram => scenario
                .instagram_accounts
                .iter()
                .map(|a| Account {
                    id: &a.id,
                    username: &a.username,
                    name: &a.name,
                })
                .collect(),
            AccountLogin::Threads => scenario
                .threads_profiles
                .iter()
                .map(|p| Account {
                    id: &p.id,
                    username: &p.username,
                    name: &p.name,
                })
                .collect(),
        }
    }

    /// Scope names in `requested` that belong to another login.
    pub fn foreign_scopes<'s>(self, requested: &[&'s str]) -> Vec<&'s str> {
        requested
            .iter()
            .filter(|s| !s.starts_with(self.scope_prefix()))
            .copied()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_login_takes_only_its_own_scope_names() {
        let requested = [
            "instagram_business_basic",
            "threads_basic",
            "pages_show_list",
        ];
        assert_eq!(
            AccountLogin::Instagram.foreign_scopes(&requested),
            ["threads_basic", "pages_show_list"]
        );
        assert_eq!(
            AccountLogin::Threads.foreign_scopes(&requested),
            ["instagram_business_basic", "pages_show_list"]
        );
    }

    #[test]
    fn the_default_world_offers_acme_direct_first_on_instagram_and_acme_threads_on_threads() {
        let world = Scenario::default_world();
        assert_eq!(
            AccountLogin::Instagram.accounts(&world)[0].username,
            "acme.direct"
        );
        assert_eq!(
            AccountLogin::Threads.accounts(&world)[0].username,
            "acme.threads"
        );
    }
}
