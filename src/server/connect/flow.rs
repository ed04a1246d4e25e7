//! The seam between the shared callback steps (`finish`) and what is one provider's own: how it
//! builds its dialog URL, exchanges a code and finds out what the person granted.

use super::callback::Failure;
use super::discovery::Plan;
use super::providers::ProviderSpec;
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::meta::oauth::Authorization;
use crate::server::meta::MetaError;
use async_trait::async_trait;
use secrecy::SecretString;

/// Everything one authorization brought, ready to be stored.
pub struct Connection {
    pub user: MetaUser,
    pub token: SecretString,
    pub token_expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
    pub permissions: Permissions,
    pub plan: Plan,
}

#[async_trait]
pub trait ProviderFlow: Send + Sync {
    fn spec(&self) -> &'static ProviderSpec;

    /// The dialog URL with a fresh `state` and the PKCE challenge of `verifier_for(state)`.
    fn authorize(
        &self,
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
