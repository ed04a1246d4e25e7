//! Threads' own part of a connection: the code exchange, the long-lived token, the granted
//! scopes (the exchange reports none, so Threads' own `debug_token` is asked) and who the
//! profile is. One account, holding its own token.

use super::callback::Failure;
use super::flow::{self, Accounts, Connection, DirectAccount, ProviderFlow};
use super::providers::{ProviderSpec, THREADS};
use crate::domain::{Platform, Provider};
use crate::error::{AppError, Grantor};
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::meta::gate::UsageGate;
use crate::server::meta::oauth::Authorization;
use crate::server::meta::threads::ThreadsClient;
use crate::server::meta::MetaError;
use async_trait::async_trait;
use secrecy::SecretString;

#[async_trait]
impl ProviderFlow for ThreadsClient {
    fn spec(&self) -> &'static ProviderSpec {
        &THREADS
    }

    fn gate(&self) -> &UsageGate {
        ThreadsClient::gate(self)
    }

    /// Instagram Login and Threads have no `auth_type`: every dialog asks for every scope.
    fn authorize(
        &self,
        _reconnect: bool,
        _verifier_for: &(dyn Fn(&str) -> SecretString + Sync),
    ) -> Result<Authorization, MetaError> {
        ThreadsClient::authorize(self, &THREADS.scopes())
    }

    async fn connect(
        &self,
        code: &str,
        _verifier: Option<&SecretString>,
        now: i64,
    ) -> Result<Connection, Failure> {
        let fail = flow::meta_failure(Provider::Threads);
        // Admitted at the callback: a backoff recorded from here on doesn't waste the code.
        let this = self.admitted();
        let (short, profile_id) = this.exchange_code(code).await.map_err(&fail)?;
        let long = this.long_lived(&short).await.map_err(&fail)?;
        let info = this.debug_token(&long.token).await.map_err(&fail)?;
        if !THREADS.all_required(&info.scopes) {
            return Err(AppError::ScopeRejected {
                provider: Grantor(Provider::Threads),
            }
            .into());
        }
        let user = this.me(&long.token).await.map_err(&fail)?;
        if user.id.0 != profile_id {
            tracing::warn!("Threads' exchange and `me` named different profiles");
            return Err(AppError::ProviderError {
                provider: Provider::Threads,
            }
            .into());
        }
        let username = if user.username.is_empty() {
            user.id.0.clone()
        } else {
            user.username.clone()
        };
        let token_expires_at =
            flow::expires_at(now, info.expires_at, long.expires_in, Provider::Threads)?;
        let declined = flow::declined(&THREADS, &info.scopes);
        Ok(Connection {
            user: MetaUser {
                id: user.id.0.clone(),
                name: username.clone(),
            },
            token: long.token,
            token_expires_at,
            data_access_expires_at: info.data_access_expires_at,
            permissions: Permissions {
                granted: info.scopes,
                declined,
            },
            accounts: Accounts::Direct(DirectAccount {
                platform: Platform::Threads,
                external_id: user.id.0,
                name: username.clone(),
                username,
            }),
        })
    }
}
