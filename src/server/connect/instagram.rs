//! Instagram Login's own part of a connection: the code exchange (whose answer says what was
//! granted), the Business-or-Creator check, the long-lived token and who the account is. One
//! account, holding its own token; the duplicate rule is the shared store's.

use super::callback::Failure;
use super::flow::{self, Accounts, Connection, DirectAccount, ProviderFlow};
use super::providers::{ProviderSpec, INSTAGRAM};
use crate::domain::{Platform, Provider};
use crate::error::{AppError, Grantor};
use crate::server::meta::facebook::{MetaUser, Permissions};
use crate::server::meta::gate::UsageGate;
use crate::server::meta::instagram::{AccountType, InstagramClient};
use crate::server::meta::oauth::Authorization;
use crate::server::meta::MetaError;
use async_trait::async_trait;
use secrecy::SecretString;

#[async_trait]
impl ProviderFlow for InstagramClient {
    fn spec(&self) -> &'static ProviderSpec {
        &INSTAGRAM
    }

    fn gate(&self) -> &UsageGate {
        InstagramClient::gate(self)
    }

    /// Instagram Login and Threads have no `auth_type`: every dialog asks for every scope.
    fn authorize(
        &self,
        _reconnect: bool,
        _verifier_for: &(dyn Fn(&str) -> SecretString + Sync),
    ) -> Result<Authorization, MetaError> {
        InstagramClient::authorize(self, &INSTAGRAM.scopes())
    }

    async fn connect(
        &self,
        code: &str,
        _verifier: Option<&SecretString>,
        now: i64,
    ) -> Result<Connection, Failure> {
        let fail = flow::meta_failure(Provider::Instagram);
        // Admitted at the callback: a backoff recorded from here on doesn't waste the code.
        let this = self.admitted();
        let short = this.exchange_code(code).await.map_err(&fail)?;
        if !INSTAGRAM.all_required(&short.permissions) {
            return Err(AppError::ScopeRejected {
                provider: Grantor(Provider::Instagram),
            }
            .into());
        }
        let user = this.me(&short.token.token).await.map_err(&fail)?;
        if user.user_id.0 != short.user_id {
            tracing::warn!("Instagram's exchange and `me` named different accounts");
            return Err(AppError::ProviderError {
                provider: Provider::Instagram,
            }
            .into());
        }
        let platform = match user.account_type() {
            AccountType::Business => Platform::InstagramBusiness,
            AccountType::Creator => Platform::InstagramCreator,
            AccountType::Other => return Err(AppError::InstagramNoBusinessAccount.into()),
        };
        let long = this.long_lived(&short.token).await.map_err(&fail)?;
        let username = if user.username.is_empty() {
            user.user_id.0.clone()
        } else {
            user.username.clone()
        };
        let declined = flow::declined(&INSTAGRAM, &short.permissions);
        Ok(Connection {
            user: MetaUser {
                id: user.id.0.clone(),
                name: username.clone(),
            },
            token_expires_at: flow::expiry(now, long.expires_in, Provider::Instagram)?,
            token: long.token,
            data_access_expires_at: None,
            permissions: Permissions {
                granted: short.permissions,
                declined,
            },
            accounts: Accounts::Direct(DirectAccount {
                platform,
                external_id: user.user_id.0,
                name: username.clone(),
                username,
            }),
        })
    }
}
