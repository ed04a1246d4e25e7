//! The providers, described as data: what a connection flow needs to know about each that is
//! not code — its name in messages (the `Provider`'s label), where its callback is, where its
//! dialog and token endpoints are (relative to the configured hosts and Graph version) and
//! which scopes it asks for. What is truly a provider's own — its exchanges and what it
//! discovers — is its module (`facebook`, `instagram`, `threads`), behind [`ProviderFlow`](super::flow::ProviderFlow).

use crate::domain::Provider;

#[derive(Debug, PartialEq, Eq)]
pub struct ProviderSpec {
    pub provider: Provider,
    /// The path segment of its callback: `/oauth/{slug}/callback`.
    pub slug: &'static str,
    /// The dialog, under the dialog host (Facebook: under `{host}/{version}/`).
    pub authorize_path: &'static str,
    /// The token endpoint, under the token host (Facebook: under `{host}/{version}/`).
    pub token_path: &'static str,
    /// Whether the dialog and exchange carry PKCE (S256): only where Meta documents it
    /// (docs/meta-api.md §15).
    pub pkce: bool,
    /// Without these nothing can be connected.
    pub required_scopes: &'static [&'static str],
    /// Asked for too; what lacking each means is the provider module's business.
    pub optional_scopes: &'static [&'static str],
}

/// Facebook Login for Pages and their linked Instagram accounts (docs/meta-api.md §1–5).
pub const FACEBOOK: ProviderSpec = ProviderSpec {
    provider: Provider::Facebook,
    slug: "meta",
    authorize_path: "dialog/oauth",
    token_path: "oauth/access_token",
    pkce: true,
    required_scopes: &[
        "pages_show_list",
        "pages_manage_posts",
        "pages_read_engagement",
    ],
    optional_scopes: &[
        "instagram_basic",
        "instagram_content_publish",
        "pages_manage_engagement",
        "business_management",
    ],
};

/// Instagram API with Instagram Login: one Business or Creator account, no Page
/// (docs/meta-api.md §6). Both scopes are needed to publish.
pub const INSTAGRAM: ProviderSpec = ProviderSpec {
    provider: Provider::Instagram,
    slug: "instagram",
    authorize_path: "oauth/authorize",
    token_path: "oauth/access_token",
    pkce: false,
    required_scopes: &[
        "instagram_business_basic",
        "instagram_business_content_publish",
    ],
    optional_scopes: &[],
};

/// Threads: one profile (docs/meta-api.md §7). Both scopes are needed to publish.
pub const THREADS: ProviderSpec = ProviderSpec {
    provider: Provider::Threads,
    slug: "threads",
    authorize_path: "oauth/authorize",
    token_path: "oauth/access_token",
    pkce: false,
    required_scopes: &["threads_basic", "threads_content_publish"],
    optional_scopes: &[],
};

/// Every provider with a connection flow.
pub const ALL: &[&ProviderSpec] = &[&FACEBOOK, &INSTAGRAM, &THREADS];

impl ProviderSpec {
    /// Every scope asked for: the least that does the job.
    pub fn scopes(&self) -> Vec<&'static str> {
        self.required_scopes
            .iter()
            .chain(self.optional_scopes)
            .copied()
            .collect()
    }

    /// Whether every required scope is among `granted`.
    pub fn all_required(&self, granted: &[String]) -> bool {
        self.required_scopes
            .iter()
            .all(|scope| granted.iter().any(|g| g == scope))
    }

    /// `/oauth/{slug}/callback`, the path every dialog redirects back to.
    pub fn callback_path(&self) -> String {
        format!("/oauth/{}/callback", self.slug)
    }
}

/// The provider whose callback segment is `slug`.
pub fn by_slug(slug: &str) -> Option<&'static ProviderSpec> {
    ALL.iter().copied().find(|spec| spec.slug == slug)
}

/// Whether `path` is one of the providers' callbacks.
pub fn is_callback_path(path: &str) -> bool {
    path.strip_prefix("/oauth/")
        .and_then(|rest| rest.strip_suffix("/callback"))
        .is_some_and(|slug| by_slug(slug).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_are_found_by_their_path_only() {
        assert_eq!(FACEBOOK.callback_path(), "/oauth/meta/callback");
        assert!(is_callback_path("/oauth/meta/callback"));
        assert!(!is_callback_path("/oauth/myspace/callback"));
        assert!(!is_callback_path("/oauth/meta/callback/x"));
        assert_eq!(by_slug("meta"), Some(&FACEBOOK));
        assert_eq!(by_slug("instagram"), Some(&INSTAGRAM));
        assert_eq!(THREADS.callback_path(), "/oauth/threads/callback");
        assert!(is_callback_path("/oauth/threads/callback"));
    }
}
