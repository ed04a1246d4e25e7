//! Facebook Login's own part of a connection: the two token exchanges, what was granted, who
//! the person is, the token's expiry, and which Pages (direct and through Business portfolios)
//! become accounts. Everything around it — the state, the session, the role, storing, the
//! activity log — is the shared `finish`.

use super::callback::Failure;
use super::discovery::{self, Plan};
use super::flow::{self, Accounts, Connection, ProviderFlow};
use super::providers::{ProviderSpec, FACEBOOK};
use crate::domain::Provider;
use crate::server::meta::facebook::{FacebookClient, Permissions};
use crate::server::meta::gate::UsageGate;
use crate::server::meta::oauth::Authorization;
use crate::server::meta::MetaError;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

/// A Meta error as the user is told it, naming Facebook.
fn meta(err: MetaError) -> Failure {
    flow::meta_failure(Provider::Facebook)(err)
}

#[async_trait]
impl ProviderFlow for FacebookClient {
    fn spec(&self) -> &'static ProviderSpec {
        &FACEBOOK
    }

    fn gate(&self) -> &UsageGate {
        FacebookClient::gate(self)
    }

    fn authorize(
        &self,
        reconnect: bool,
        verifier_for: &(dyn Fn(&str) -> SecretString + Sync),
    ) -> Result<Authorization, MetaError> {
        FacebookClient::authorize(self, &FACEBOOK.scopes(), reconnect, verifier_for)
    }

    async fn connect(
        &self,
        code: &str,
        verifier: Option<&SecretString>,
        now: i64,
    ) -> Result<Connection, Failure> {
        // Admitted at the callback: a backoff recorded from here on doesn't waste the code.
        let this = self.admitted();
        let short = this
            .exchange_code(code, verifier.map(|v| v.expose_secret()))
            .await
            .map_err(meta)?;
        let long = this.long_lived(&short).await.map_err(meta)?;
        let permissions = this.permissions(&long.token).await.map_err(meta)?;
        discovery::check_required(&permissions)?;
        let user = this.me(&long.token).await.map_err(meta)?;
        let info = this.debug_token(&long.token).await.map_err(meta)?;
        let plan = discover(&this, &long.token, &permissions).await?;
        let token_expires_at =
            flow::expires_at(now, info.expires_at, long.expires_in, Provider::Facebook)?;
        Ok(Connection {
            user,
            token: long.token,
            token_expires_at,
            data_access_expires_at: info.data_access_expires_at,
            permissions,
            accounts: Accounts::Pages(plan),
        })
    }
}

/// Every Page the user shared, with Business-portfolio Pages when allowed, made into a plan.
async fn discover(
    facebook: &FacebookClient,
    token: &SecretString,
    permissions: &Permissions,
) -> Result<Plan, Failure> {
    let mut pages = facebook.pages(token).await.map_err(meta)?;
    if permissions.has("business_management") {
        pages.extend(facebook.business_pages(token).await.map_err(meta)?);
    }
    discovery::plan(pages, permissions).map_err(|(error, pages)| Failure { error, pages })
}
