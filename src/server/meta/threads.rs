//! The Threads API (docs/meta-api.md §7): the dialog on the Threads host, the code exchange (a
//! form POST answering `access_token` and a numeric `user_id`, but no scopes), the long-lived
//! token, the granted scopes from Threads' own `debug_token` (§3), and `me`. No
//! `appsecret_proof` and no PKCE: neither is documented for Threads.

use super::error::MetaError;
use super::gate::UsageGate;
use super::http::MetaHttp;
use super::lenient::{MetaId, ScopeList};
use super::oauth::{self, unix_time, Authorization, AuthorizeRequest, TokenAnswer, UserToken};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Threads' Graph version (its own, not Facebook's).
pub const THREADS_GRAPH_VERSION: &str = "v1.0";
/// The fields asked of `me`.
pub const ME_FIELDS: &str = "id,username,name";

/// Where the Threads app and Threads' hosts are.
#[derive(Debug, Clone)]
pub struct ThreadsConfig {
    pub app_id: String,
    pub app_secret: SecretString,
    /// `{THREADS_AUTH_URL}` (browser-facing).
    pub auth_url: String,
    /// `{THREADS_GRAPH_URL}`: the exchanges, `debug_token` and `me`.
    pub graph_url: String,
    /// The dialog under the auth host (`oauth/authorize`).
    pub authorize_path: &'static str,
    /// The code exchange under its host (`oauth/access_token`).
    pub token_path: &'static str,
    /// `{PUBLIC_URL}/oauth/threads/callback`.
    pub redirect_uri: String,
}

#[derive(Clone)]
pub struct ThreadsClient {
    config: ThreadsConfig,
    http: MetaHttp,
}

#[derive(Deserialize)]
struct ExchangeAnswer {
    access_token: String,
    user_id: MetaId,
}

/// A Threads profile, as `me` describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct ThreadsUser {
    pub id: MetaId,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub name: String,
}

/// What Threads' `debug_token` says of a token.
#[derive(Debug, Clone, Default)]
pub struct ThreadsTokenInfo {
    pub scopes: Vec<String>,
    pub expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
}

#[derive(Deserialize)]
struct DebugAnswer {
    data: DebugData,
}

#[derive(Deserialize)]
struct DebugData {
    #[serde(default)]
    is_valid: bool,
    #[serde(default)]
    scopes: ScopeList,
    expires_at: Option<i64>,
    data_access_expires_at: Option<i64>,
}

impl ThreadsClient {
    pub fn new(config: ThreadsConfig, http: MetaHttp) -> Self {
        Self { config, http }
    }

    pub fn config(&self) -> &ThreadsConfig {
        &self.config
    }

    /// The backoff this client's calls respect (Threads's app, docs/meta-api.md §9).
    pub fn gate(&self) -> &UsageGate {
        self.http.gate()
    }

    /// This client for work already admitted: a backoff recorded meanwhile doesn't stop it.
    pub fn admitted(&self) -> Self {
        Self {
            config: self.config.clone(),
            http: self.http.admitted(),
        }
    }

    /// This client for a batch of calls admitted by one read of the shared backoff.
    pub async fn admit_batch(&self) -> Result<Self, MetaError> {
        Ok(Self {
            config: self.config.clone(),
            http: self.http.admit_batch().await?,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.config.graph_url)
    }

    /// The dialog URL with a fresh `state`.
    pub fn authorize(&self, scopes: &[&str]) -> Result<Authorization, MetaError> {
        let request = AuthorizeRequest {
            dialog_url: format!("{}/{}", self.config.auth_url, self.config.authorize_path),
            client_id: &self.config.app_id,
            redirect_uri: &self.config.redirect_uri,
            scopes,
            pkce: false,
            rerequest: false,
        };
        oauth::authorize(request, |_| SecretString::from(String::new()))
    }

    /// `code` → short-lived token and the profile id (§7.2). Called once, never retried.
    pub async fn exchange_code(&self, code: &str) -> Result<(UserToken, String), MetaError> {
        let answer: ExchangeAnswer = self
            .http
            .post_form_json(
                &self.url(self.config.token_path),
                &[
                    ("client_id", self.config.app_id.as_str()),
                    ("client_secret", self.config.app_secret.expose_secret()),
                    ("grant_type", "authorization_code"),
                    ("redirect_uri", self.config.redirect_uri.as_str()),
                    ("code", code),
                ],
            )
            .await?;
        let token = UserToken {
            token: SecretString::from(answer.access_token),
            expires_in: None,
        };
        Ok((token, answer.user_id.0))
    }

    /// Short-lived → long-lived (60-day) token (§7.2).
    pub async fn long_lived(&self, short: &UserToken) -> Result<UserToken, MetaError> {
        let answer: TokenAnswer = self
            .http
            .get_json(
                &self.url("access_token"),
                &[
                    ("grant_type", "th_exchange_token"),
                    ("client_secret", self.config.app_secret.expose_secret()),
                    ("access_token", short.token.expose_secret()),
                ],
            )
            .await?;
        answer.try_into()
    }

    /// A fresh 60-day token for a long-lived one at least a day old (§7.2, `th_refresh_token`).
    pub async fn refresh(&self, token: &SecretString) -> Result<UserToken, MetaError> {
        let url = self.url("refresh_access_token");
        oauth::refresh_long_lived(&self.http, &url, "th_refresh_token", token).await
    }

    /// The token's scopes and expiry, from Threads' `debug_token` (the token inspects itself).
    pub async fn debug_token(&self, token: &SecretString) -> Result<ThreadsTokenInfo, MetaError> {
        let answer: DebugAnswer = self
            .http
            .get_json(
                &self.url(&format!("{THREADS_GRAPH_VERSION}/debug_token")),
                &[
                    ("input_token", token.expose_secret()),
                    ("access_token", token.expose_secret()),
                ],
            )
            .await?;
        if !answer.data.is_valid {
            return Err(MetaError::Malformed);
        }
        Ok(ThreadsTokenInfo {
            scopes: answer.data.scopes.0,
            expires_at: unix_time(answer.data.expires_at)?,
            data_access_expires_at: unix_time(answer.data.data_access_expires_at)?,
        })
    }

    /// Publishing to a profile, with its own token.
    pub fn publishing(&self, token: &SecretString) -> super::publishing::Target {
        super::publishing::Target::new(
            self.http.clone(),
            self.url(THREADS_GRAPH_VERSION),
            token.clone(),
            None,
        )
    }

    /// Who authorized (§7.3).
    pub async fn me(&self, token: &SecretString) -> Result<ThreadsUser, MetaError> {
        self.http
            .get_json(
                &self.url(&format!("{THREADS_GRAPH_VERSION}/me")),
                &[
                    ("fields", ME_FIELDS),
                    ("access_token", token.expose_secret()),
                ],
            )
            .await
    }
}
