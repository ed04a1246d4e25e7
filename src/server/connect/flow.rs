//! The seam between the shared callback steps (`finish`) and what is one provider's own: how it
//! builds its dialog URL, exchanges a code and finds out what the person granted.

use super::callback::Failure;
use super::discovery::Plan;
use super::providers::ProviderSpec;
use crate::domain::{Platform, Provider};
use crate::error::AppError;
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::meta::oauth::Authorization;
use crate::server::meta::MetaError;
use async_trait::async_trait;
use secrecy::SecretString;

/// Everything one authorization brought, ready to be stored.
pub struct Connection {
    /// Who authorized: the app-scoped id the grant is keyed on, and a display name.
    pub user: MetaUser,
    /// The long-lived token: Facebook's user token, or the direct account's own token.
    pub token: SecretString,
    pub token_expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
    pub permissions: Permissions,
    pub accounts: Accounts,
}

/// What an authorization connects.
pub enum Accounts {
    /// Facebook Login: Pages and their linked Instagram accounts.
    Pages(Plan),
    /// Instagram Login or Threads: the one account that authorized, holding the token.
    Direct(DirectAccount),
}

/// The account of a direct connection.
#[derive(Debug, Clone)]
pub struct DirectAccount {
    pub platform: Platform,
    /// Instagram: the professional account id (the one a Page reports for its linked account);
    /// Threads: the profile id.
    pub external_id: String,
    pub name: String,
    pub username: String,
}

/// The end of a lifetime of `expires_in` seconds from `now`; a sum that overflows is a broken
/// answer (the lifetime itself is bounded where it is read).
pub fn expiry(
    now: i64,
    expires_in: Option<i64>,
    provider: Provider,
) -> Result<Option<i64>, Failure> {
    match expires_in {
        None => Ok(None),
        Some(seconds) => now
            .checked_add(seconds)
            .map(Some)
            .ok_or_else(|| AppError::ProviderError { provider }.into()),
    }
}

/// When a token expires: the time Meta reports for it, else `expires_in` from `now`.
pub fn expires_at(
    now: i64,
    reported: Option<i64>,
    expires_in: Option<i64>,
    provider: Provider,
) -> Result<Option<i64>, Failure> {
    match reported {
        Some(at) => Ok(Some(at)),
        None => expiry(now, expires_in, provider),
    }
}

/// The requested scopes that are not among `granted`.
pub fn declined(spec: &ProviderSpec, granted: &[String]) -> Vec<String> {
    spec.scopes()
        .into_iter()
        .filter(|scope| !granted.iter().any(|g| g == scope))
        .map(str::to_owned)
        .collect()
}

/// A Meta error as the user is told it, naming `provider`.
pub fn meta_failure(provider: Provider) -> impl Fn(MetaError) -> Failure {
    move |err| err.to_app_error(provider).into()
}

#[async_trait]
pub trait ProviderFlow: Send + Sync {
    fn spec(&self) -> &'static ProviderSpec;

    /// The dialog URL with a fresh `state` and, where the provider takes PKCE, the challenge of
    /// `verifier_for(state)`.
    fn authorize(
        &self,
        reconnect: bool,
        verifier_for: &(dyn Fn(&str) -> SecretString + Sync),
    ) -> Result<Authorization, MetaError>;

    /// Exchanges `code` (once, never retried) and discovers what it gives access to.
    async fn connect(
        &self,
        code: &str,
        verifier: Option<&SecretString>,
        now: i64,
    ) -> Result<Connection, Failure>;
}
