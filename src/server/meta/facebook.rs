//! Facebook Login and the Graph API for Pages (docs/meta-api.md §1–5): the dialog URL, the
//! code exchange, the long-lived token, who the user is, what they granted, when the token
//! expires, and their Pages with linked Instagram accounts — one paginated call with field
//! expansion, plus Business-portfolio Pages. The OAuth mechanics are `oauth`; calls, proofs
//! and paging are `graph`.

use super::error::MetaError;
use super::gate::UsageGate;
use super::graph::Graph;
use super::http::MetaHttp;
use super::oauth::{self, unix_time, Authorization, AuthorizeRequest, TokenAnswer, UserToken};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The fields asked of each Page: tasks and the linked Instagram account in the same call.
pub const PAGE_FIELDS: &str =
    "id,name,access_token,tasks,instagram_business_account{id,username,name}";

/// Where the Facebook app and Meta's hosts are.
#[derive(Debug, Clone)]
pub struct FacebookConfig {
    pub app_id: String,
    pub app_secret: SecretString,
    /// `{META_DIALOG_URL}` (browser-facing).
    pub dialog_url: String,
    /// `{META_GRAPH_URL}`.
    pub graph_url: String,
    pub graph_version: String,
    /// `{PUBLIC_URL}/oauth/meta/callback`, the same literal in the dialog and the exchange.
    pub redirect_uri: String,
    /// The dialog under `{dialog_url}/{version}/` (`dialog/oauth`).
    pub authorize_path: &'static str,
    /// The token endpoint under `{graph_url}/{version}/` (`oauth/access_token`).
    pub token_path: &'static str,
}

#[derive(Clone)]
pub struct FacebookClient {
    config: FacebookConfig,
    pub(super) graph: Graph,
}

/// Who authorized.
#[derive(Debug, Clone, Deserialize)]
pub struct MetaUser {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// Granted and declined permissions, from `/me/permissions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions {
    pub granted: Vec<String>,
    pub declined: Vec<String>,
}

impl Permissions {
    pub fn has(&self, permission: &str) -> bool {
        self.granted.iter().any(|p| p == permission)
    }
}

#[derive(Deserialize)]
struct PermissionList {
    data: Vec<PermissionEntry>,
}

#[derive(Deserialize)]
struct PermissionEntry {
    permission: String,
    status: String,
}

/// What `debug_token` says of the user token.
#[derive(Debug, Clone, Default)]
pub struct TokenInfo {
    /// Unix seconds; `None` when Meta says 0 (never) or nothing.
    pub expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
}

#[derive(Deserialize)]
struct DebugAnswer {
    data: DebugData,
}

/// The fields a connection relies on are required: an answer without them (or saying the
/// token is not valid, or is another app's) fails the connection closed.
#[derive(Deserialize)]
struct DebugData {
    is_valid: bool,
    app_id: String,
    expires_at: Option<i64>,
    data_access_expires_at: Option<i64>,
}

/// A Page as `/me/accounts` lists it.
#[derive(Debug)]
pub struct PageInfo {
    pub id: String,
    pub name: String,
    pub access_token: Option<SecretString>,
    pub tasks: Vec<String>,
    pub instagram: Option<InstagramInfo>,
}

/// The Instagram professional account linked to a Page.
#[derive(Debug, Clone, Deserialize)]
pub struct InstagramInfo {
    pub id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct RawPage {
    id: String,
    #[serde(default)]
    name: String,
    access_token: Option<String>,
    #[serde(default)]
    tasks: Vec<String>,
    instagram_business_account: Option<InstagramInfo>,
}

#[derive(Deserialize)]
struct Business {
    id: String,
}

impl FacebookClient {
    pub fn new(config: FacebookConfig, http: MetaHttp) -> Self {
        let graph = Graph::new(
            http,
            &config.graph_url,
            &config.graph_version,
            config.app_secret.clone(),
        );
        Self { config, graph }
    }

    pub fn config(&self) -> &FacebookConfig {
        &self.config
    }

    /// Publishing to a Page, or to the Instagram account linked to it, with a Page token.
    pub fn publishing(&self, token: &SecretString) -> super::publishing::Target {
        self.graph.publishing(token)
    }

    /// The backoff this client's calls respect (Facebook's app, docs/meta-api.md §9).
    pub fn gate(&self) -> &UsageGate {
        self.graph.gate()
    }

    /// This client for work already admitted: a backoff recorded meanwhile doesn't stop it.
    pub fn admitted(&self) -> Self {
        Self {
            config: self.config.clone(),
            graph: self.graph.admitted(),
        }
    }

    /// The dialog URL with a fresh `state` and the PKCE challenge of its derived verifier;
    /// `rerequest` offers declined permissions again (a Reconnect).
    pub fn authorize(
        &self,
        scopes: &[&str],
        rerequest: bool,
        verifier_for: impl FnOnce(&str) -> SecretString,
    ) -> Result<Authorization, MetaError> {
        let request = AuthorizeRequest {
            dialog_url: format!(
                "{}/{}/{}",
                self.config.dialog_url, self.config.graph_version, self.config.authorize_path
            ),
            client_id: &self.config.app_id,
            redirect_uri: &self.config.redirect_uri,
            scopes,
            pkce: true,
            rerequest,
        };
        oauth::authorize(request, verifier_for)
    }

    /// `code` → user token (§2.1). Called once per code, never retried.
    pub async fn exchange_code(
        &self,
        code: &str,
        pkce_verifier: Option<&str>,
    ) -> Result<UserToken, MetaError> {
        let secret = self.config.app_secret.expose_secret();
        let mut params = vec![
            ("client_id", self.config.app_id.as_str()),
            ("redirect_uri", self.config.redirect_uri.as_str()),
            ("client_secret", secret),
            ("code", code),
        ];
        if let Some(verifier) = pkce_verifier {
            params.push(("code_verifier", verifier));
        }
        let answer: TokenAnswer = self.graph.get(self.config.token_path, &params).await?;
        answer.try_into()
    }

    /// Short-lived → long-lived user token (§2.2).
    pub async fn long_lived(&self, short: &UserToken) -> Result<UserToken, MetaError> {
        let secret = self.config.app_secret.expose_secret();
        let answer: TokenAnswer = self
            .graph
            .get(
                self.config.token_path,
                &[
                    ("grant_type", "fb_exchange_token"),
                    ("client_id", self.config.app_id.as_str()),
                    ("client_secret", secret),
                    ("fb_exchange_token", short.token.expose_secret()),
                ],
            )
            .await?;
        answer.try_into()
    }

    pub async fn me(&self, token: &SecretString) -> Result<MetaUser, MetaError> {
        self.graph
            .get_as(token, "me", &[("fields", "id,name")])
            .await
    }

    pub async fn permissions(&self, token: &SecretString) -> Result<Permissions, MetaError> {
        let list: PermissionList = self.graph.get_as(token, "me/permissions", &[]).await?;
        let mut permissions = Permissions::default();
        for entry in list.data {
            match entry.status.as_str() {
                "granted" => permissions.granted.push(entry.permission),
                _ => permissions.declined.push(entry.permission),
            }
        }
        Ok(permissions)
    }

    /// The app's own token, `{app-id}|{app-secret}` (§2.4).
    pub(super) fn app_token(&self) -> SecretString {
        SecretString::from(format!(
            "{}|{}",
            self.config.app_id,
            self.config.app_secret.expose_secret()
        ))
    }

    /// `DELETE /{app-scoped-user-id}/permissions` with the app token (§4): removes the app for
    /// that user, every token of theirs with it. Works after their own token was destroyed.
    /// Meta answers `{"success":true}` (or a bare `true`); `false` is not a confirmation.
    pub async fn remove_app(&self, user_id: &str) -> Result<(), MetaError> {
        if user_id.is_empty() || !user_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(MetaError::Malformed);
        }
        let app_token = self.app_token();
        let answer: serde_json::Value = self
            .graph
            .delete(
                &format!("{user_id}/permissions"),
                &[("access_token", app_token.expose_secret())],
            )
            .await?;
        match answer.get("success").unwrap_or(&answer).as_bool() {
            Some(true) => Ok(()),
            _ => Err(MetaError::Unavailable),
        }
    }

    /// `debug_token` with the app's own token (`{app-id}|{app-secret}`).
    pub async fn debug_token(&self, token: &SecretString) -> Result<TokenInfo, MetaError> {
        let app_token = self.app_token();
        let app_token = app_token.expose_secret();
        let answer: DebugAnswer = self
            .graph
            .get(
                "debug_token",
                &[
                    ("input_token", token.expose_secret()),
                    ("access_token", app_token),
                ],
            )
            .await?;
        if !answer.data.is_valid {
            return Err(MetaError::Graph {
                code: 190,
                subcode: None,
            });
        }
        if answer.data.app_id != self.config.app_id {
            tracing::warn!("debug_token describes a token of another app");
            return Err(MetaError::Malformed);
        }
        Ok(TokenInfo {
            expires_at: unix_time(answer.data.expires_at)?,
            data_access_expires_at: unix_time(answer.data.data_access_expires_at)?,
        })
    }

    /// The Pages the user shared, with tasks and linked Instagram accounts (one paginated call).
    pub async fn pages(&self, token: &SecretString) -> Result<Vec<PageInfo>, MetaError> {
        let raw: Vec<RawPage> = self.graph.all(token, "me/accounts", PAGE_FIELDS).await?;
        Ok(raw.into_iter().map(page).collect())
    }

    /// Pages reached through Business portfolios (needs `business_management`).
    pub async fn business_pages(&self, token: &SecretString) -> Result<Vec<PageInfo>, MetaError> {
        let businesses: Vec<Business> = self.graph.all(token, "me/businesses", "id").await?;
        let mut pages = Vec::new();
        for business in businesses {
            if !business.id.chars().all(|c| c.is_ascii_digit()) {
                return Err(MetaError::Malformed);
            }
            for edge in ["owned_pages", "client_pages"] {
                let raw: Vec<RawPage> = self
                    .graph
                    .all(token, &format!("{}/{edge}", business.id), PAGE_FIELDS)
                    .await?;
                pages.extend(raw.into_iter().map(page));
            }
        }
        Ok(pages)
    }
}

fn page(raw: RawPage) -> PageInfo {
    PageInfo {
        id: raw.id,
        name: raw.name,
        access_token: raw.access_token.map(SecretString::from),
        tasks: raw.tasks,
        instagram: raw.instagram_business_account,
    }
}
