//! The seam between the shared callback steps (`finish`) and what is one provider's own: how it
//! builds its dialog URL, exchanges a code and finds out what the person granted.

use super::callback::Failure;
use super::discovery::Plan;
use super::providers::ProviderSpec;
use crate::domain::{Platform, Provider};
use crate::error::AppError;
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::meta::gate::UsageGate;
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

/// Refuses with `rate_limited` while a backoff for `flow`'s app is in force: nothing is sent to
/// Meta (no dialog, no code exchange).
pub async fn not_backing_off(flow: &dyn ProviderFlow) -> Result<(), AppError> {
    match flow.gate().until(None).await {
        Some(until) => {
            tracing::info!(
                provider = flow.spec().provider.as_str(),
                until,
                "a connection waits for Meta's backoff"
            );
            Err(AppError::RateLimited {
                provider: flow.spec().provider,
            })
        }
        None => Ok(()),
    }
}

/// A Meta error as the user is told it, naming `provider`.
pub fn meta_failure(provider: Provider) -> impl Fn(MetaError) -> Failure {
    move |err| err.to_app_error(provider).into()
}

#[async_trait]
pub trait ProviderFlow: Send + Sync {
    fn spec(&self) -> &'static ProviderSpec;

    /// The backoff of this provider's app (docs/meta-api.md §9): a connection neither starts
    /// nor exchanges its code while one is in force.
    fn gate(&self) -> &UsageGate;

    /// The dialog URL with a fresh `state` and, where the provider takes PKCE, the challenge of
    /// `verifier_for(state)`.
    fn authorize(
        &self,
        reconnect: bool,
        verifier_for: &(dyn Fn(&str) -> SecretString + Sync),
    ) -> Result<Authorization, MetaError>;

    /// Exchanges `code` (once, never retried) and discovers what it gives access to. The
    /// caller has checked the backoff, so every call here goes through the admitted client
    /// (`admitted()`): a backoff one of them records doesn't stop the rest halfway.
    async fn connect(
        &self,
        code: &str,
        verifier: Option<&SecretString>,
        now: i64,
    ) -> Result<Connection, Failure>;
}
