//! The Instagram API with Instagram Login (docs/meta-api.md §6): the dialog on the auth host,
//! the code exchange on the API host (a form POST whose answer comes wrapped in `data[]` or
//! flat, with the id as a string or a number and the scopes as a string or an array), the
//! long-lived token and `me` on the Instagram Graph host. No `appsecret_proof` and no PKCE:
//! neither is documented for Instagram Login.

use super::error::MetaError;
use super::gate::UsageGate;
use super::http::MetaHttp;
use super::lenient::{MetaId, ScopeList};
use super::oauth::{self, Authorization, AuthorizeRequest, TokenAnswer, UserToken};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The fields asked of `me`.
pub const ME_FIELDS: &str = "user_id,username,name,account_type";

/// Where the Instagram Login app and Instagram's hosts are.
#[derive(Debug, Clone)]
pub struct InstagramConfig {
    pub app_id: String,
    pub app_secret: SecretString,
    /// `{INSTAGRAM_AUTH_URL}` (browser-facing).
    pub auth_url: String,
    /// `{INSTAGRAM_API_URL}`: the code exchange.
    pub api_url: String,
    /// `{INSTAGRAM_GRAPH_URL}`: the long-lived token and `me`.
    pub graph_url: String,
    pub graph_version: String,
    /// The dialog under the auth host (`oauth/authorize`).
    pub authorize_path: &'static str,
    /// The code exchange under its host (`oauth/access_token`).
    pub token_path: &'static str,
    /// `{PUBLIC_URL}/oauth/instagram/callback`.
    pub redirect_uri: String,
}

#[derive(Clone)]
pub struct InstagramClient {
    config: InstagramConfig,
    http: MetaHttp,
}

/// The short-lived token the code bought, with who and what it is for.
#[derive(Debug)]
pub struct ShortToken {
    pub token: UserToken,
    /// The Instagram professional account id (the one linked Pages report too).
    pub user_id: String,
    pub permissions: Vec<String>,
}

#[derive(Deserialize)]
struct ExchangeEntry {
    access_token: String,
    user_id: MetaId,
    #[serde(default)]
    permissions: ScopeList,
}

/// Documented: `{"data": [entry]}`; seen in clients: the entry itself.
#[derive(Deserialize)]
#[serde(untagged)]
enum ExchangeAnswer {
    Wrapped { data: Vec<ExchangeEntry> },
    Flat(ExchangeEntry),
}

/// An Instagram professional account, as `me` describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct InstagramUser {
    /// The app-scoped id (what deauthorize callbacks name).
    pub id: MetaId,
    /// The professional account id.
    pub user_id: MetaId,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub name: String,
    /// `BUSINESS` or `MEDIA_CREATOR` (some sources write `Business`, `Media_Creator`).
    #[serde(default)]
    pub account_type: String,
}

/// What kind of Instagram account authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountType {
    Business,
    Creator,
    /// Personal, or anything Meta may call it: such an account cannot publish.
    Other,
}

impl InstagramUser {
    /// `account_type`, compared without case.
    pub fn account_type(&self) -> AccountType {
        match self.account_type.to_ascii_uppercase().as_str() {
            "BUSINESS" => AccountType::Business,
            "MEDIA_CREATOR" | "CREATOR" => AccountType::Creator,
            _ => AccountType::Other,
        }
    }
}

impl InstagramClient {
    pub fn new(config: InstagramConfig, http: MetaHttp) -> Self {
        Self { config, http }
    }

    pub fn config(&self) -> &InstagramConfig {
        &self.config
    }

    /// The backoff this client's calls respect (Instagram's app, docs/meta-api.md §9).
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

    /// `code` → short-lived token (§6.2). Called once per code, never retried.
    pub async fn exchange_code(&self, code: &str) -> Result<ShortToken, MetaError> {
        let answer: ExchangeAnswer = self
            .http
            .post_form_json(
                &format!("{}/{}", self.config.api_url, self.config.token_path),
                &[
                    ("client_id", self.config.app_id.as_str()),
                    ("client_secret", self.config.app_secret.expose_secret()),
                    ("grant_type", "authorization_code"),
                    ("redirect_uri", self.config.redirect_uri.as_str()),
                    ("code", code),
                ],
            )
            .await?;
        let entry = match answer {
            ExchangeAnswer::Wrapped { data } => data.into_iter().next(),
            ExchangeAnswer::Flat(entry) => Some(entry),
        }
        .ok_or(MetaError::Malformed)?;
        Ok(ShortToken {
            token: UserToken {
                token: SecretString::from(entry.access_token),
                expires_in: None,
            },
            user_id: entry.user_id.0,
            permissions: entry.permissions.0,
        })
    }

    /// Short-lived → long-lived (60-day) token (§6.3).
    pub async fn long_lived(&self, short: &UserToken) -> Result<UserToken, MetaError> {
        let answer: TokenAnswer = self
            .http
            .get_json(
                &format!("{}/access_token", self.config.graph_url),
                &[
                    ("grant_type", "ig_exchange_token"),
                    ("client_secret", self.config.app_secret.expose_secret()),
                    ("access_token", short.token.expose_secret()),
                ],
            )
            .await?;
        answer.try_into()
    }

    /// A fresh 60-day token for a long-lived one at least a day old (§6.3,
    /// `ig_refresh_token`); an expired token can never be refreshed.
    pub async fn refresh(&self, token: &SecretString) -> Result<UserToken, MetaError> {
        let url = format!("{}/refresh_access_token", self.config.graph_url);
        oauth::refresh_long_lived(&self.http, &url, "ig_refresh_token", token).await
    }

    /// Publishing to a direct account on the Instagram Graph host, with its own token.
    pub fn publishing(&self, token: &SecretString) -> super::publishing::Target {
        super::publishing::Target::new(
            self.http.clone(),
            format!("{}/{}", self.config.graph_url, self.config.graph_version),
            token.clone(),
            None,
        )
    }

    /// Who authorized (§6.4).
    pub async fn me(&self, token: &SecretString) -> Result<InstagramUser, MetaError> {
        self.http
            .get_json(
                &format!("{}/{}/me", self.config.graph_url, self.config.graph_version),
                &[
                    ("fields", ME_FIELDS),
                    ("access_token", token.expose_secret()),
                ],
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_exchange_shapes_read_the_same() {
        let wrapped: ExchangeAnswer = serde_json::from_str(
            r#"{"data":[{"access_token":"IGAA1","user_id":"17841400000000001","permissions":"instagram_business_basic,instagram_business_content_publish"}]}"#,
        )
        .unwrap();
        let flat: ExchangeAnswer = serde_json::from_str(
            r#"{"access_token":"IGAA1","user_id":17841400000000001,"permissions":["instagram_business_basic","instagram_business_content_publish"]}"#,
        )
        .unwrap();
        for answer in [wrapped, flat] {
            let entry = match answer {
                ExchangeAnswer::Wrapped { data } => data.into_iter().next().unwrap(),
                ExchangeAnswer::Flat(entry) => entry,
            };
            assert_eq!(entry.user_id.0, "17841400000000001");
            assert_eq!(entry.permissions.0.len(), 2);
        }
    }

    #[test]
    fn account_types_compare_without_case() {
        let user = |kind: &str| InstagramUser {
            id: MetaId("1".into()),
            user_id: MetaId("2".into()),
            username: "u".into(),
            name: String::new(),
            account_type: kind.into(),
        };
        assert_eq!(user("BUSINESS").account_type(), AccountType::Business);
        assert_eq!(user("Media_Creator").account_type(), AccountType::Creator);
        assert_eq!(user("PERSONAL").account_type(), AccountType::Other);
        assert_eq!(user("").account_type(), AccountType::Other);
    }
}
