//! The Facebook Login and Graph API client (meta-api.md §1–5): the authorization URL with
//! `state` and PKCE (built with the `oauth2` crate), the code exchange, the long-lived token,
//! who the user is, what they granted, and their Pages with linked Instagram accounts —
//! one paginated call with field expansion, plus Business-portfolio Pages. Every call made
//! with a user token carries `appsecret_proof`. Meta's token answers are not RFC 6749-shaped,
//! so the exchanges are plain typed GETs.

use super::error::MetaError;
use super::http::MetaHttp;
use super::proof::appsecret_proof;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Pages are read 100 at a time (Meta's maximum).
const PAGE_SIZE: &str = "100";
/// A bound on paging, so a misbehaving answer cannot loop forever (10,000 Pages).
const MAX_RESULT_PAGES: usize = 100;
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
}

#[derive(Clone)]
pub struct FacebookClient {
    config: FacebookConfig,
    http: MetaHttp,
}

/// A started authorization: the URL to send the browser to, the `state` it carries and the
/// PKCE verifier to keep server-side.
pub struct Authorization {
    pub url: String,
    pub state: SecretString,
}

/// A user access token and its lifetime in seconds, when Meta says.
#[derive(Debug)]
pub struct UserToken {
    pub token: SecretString,
    pub expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<i64>,
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

#[derive(Deserialize)]
struct DebugData {
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
struct Listing<T> {
    data: Vec<T>,
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    cursors: Option<Cursors>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

#[derive(Deserialize)]
struct Business {
    id: String,
}

impl FacebookClient {
    pub fn new(config: FacebookConfig, http: MetaHttp) -> Self {
        Self { config, http }
    }

    pub fn config(&self) -> &FacebookConfig {
        &self.config
    }

    fn graph(&self, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.config.graph_url,
            self.config.graph_version,
            path.trim_start_matches('/')
        )
    }

    /// The dialog URL with a fresh 256-bit `state` and the PKCE S256 challenge of the verifier
    /// `verifier_for` gives that state (derived, so it need not be stored).
    pub fn authorize(
        &self,
        scopes: &[&str],
        verifier_for: impl FnOnce(&str) -> SecretString,
    ) -> Result<Authorization, MetaError> {
        let auth_url = AuthUrl::new(format!(
            "{}/{}/dialog/oauth",
            self.config.dialog_url, self.config.graph_version
        ))
        .map_err(|_| MetaError::Malformed)?;
        let redirect =
            RedirectUrl::new(self.config.redirect_uri.clone()).map_err(|_| MetaError::Malformed)?;
        let client = BasicClient::new(ClientId::new(self.config.app_id.clone()))
            .set_auth_uri(auth_url)
            .set_redirect_uri(redirect);
        let state = CsrfToken::new_random_len(32);
        let verifier =
            PkceCodeVerifier::new(verifier_for(state.secret()).expose_secret().to_owned());
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
        // Meta separates scopes with commas; one oauth2 "scope" keeps them as Meta wants.
        let (url, state) = client
            .authorize_url(|| state)
            .add_scope(Scope::new(scopes.join(",")))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Authorization {
            url: url.to_string(),
            state: SecretString::from(state.secret().clone()),
        })
    }

    /// `code` → user token (meta-api.md §2.1). Called once per code, never retried.
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
        let answer: TokenAnswer = self
            .http
            .get_json(&self.graph("oauth/access_token"), &params)
            .await?;
        token(answer)
    }

    /// Short-lived → long-lived user token (§2.2).
    pub async fn long_lived(&self, short: &UserToken) -> Result<UserToken, MetaError> {
        let secret = self.config.app_secret.expose_secret();
        let answer: TokenAnswer = self
            .http
            .get_json(
                &self.graph("oauth/access_token"),
                &[
                    ("grant_type", "fb_exchange_token"),
                    ("client_id", self.config.app_id.as_str()),
                    ("client_secret", secret),
                    ("fb_exchange_token", short.token.expose_secret()),
                ],
            )
            .await?;
        token(answer)
    }

    /// A GET with a user (or Page) token and its `appsecret_proof`.
    async fn get_as<T: serde::de::DeserializeOwned>(
        &self,
        token: &SecretString,
        path: &str,
        extra: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let proof = appsecret_proof(
            self.config.app_secret.expose_secret(),
            token.expose_secret(),
        );
        let mut params = vec![
            ("access_token", token.expose_secret()),
            ("appsecret_proof", proof.as_str()),
        ];
        params.extend_from_slice(extra);
        self.http.get_json(&self.graph(path), &params).await
    }

    pub async fn me(&self, token: &SecretString) -> Result<MetaUser, MetaError> {
        self.get_as(token, "me", &[("fields", "id,name")]).await
    }

    pub async fn permissions(&self, token: &SecretString) -> Result<Permissions, MetaError> {
        let list: PermissionList = self.get_as(token, "me/permissions", &[]).await?;
        let mut permissions = Permissions::default();
        for entry in list.data {
            match entry.status.as_str() {
                "granted" => permissions.granted.push(entry.permission),
                _ => permissions.declined.push(entry.permission),
            }
        }
        Ok(permissions)
    }

    /// `debug_token` with the app's own token (`{app-id}|{app-secret}`).
    pub async fn debug_token(&self, token: &SecretString) -> Result<TokenInfo, MetaError> {
        let app_token = format!(
            "{}|{}",
            self.config.app_id,
            self.config.app_secret.expose_secret()
        );
        let answer: DebugAnswer = self
            .http
            .get_json(
                &self.graph("debug_token"),
                &[
                    ("input_token", token.expose_secret()),
                    ("access_token", app_token.as_str()),
                ],
            )
            .await?;
        Ok(TokenInfo {
            expires_at: unix_time(answer.data.expires_at)?,
            data_access_expires_at: unix_time(answer.data.data_access_expires_at)?,
        })
    }

    /// Every item of a paginated edge, following the `after` cursor while Meta says there is
    /// a next page. The cursor is used rather than `paging.next`, so no URL from an answer is
    /// ever followed.
    async fn all<T: serde::de::DeserializeOwned>(
        &self,
        token: &SecretString,
        path: &str,
        fields: &str,
    ) -> Result<Vec<T>, MetaError> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_RESULT_PAGES {
            let mut params = vec![("fields", fields), ("limit", PAGE_SIZE)];
            if let Some(cursor) = after.as_deref() {
                params.push(("after", cursor));
            }
            let page: Listing<T> = self.get_as(token, path, &params).await?;
            items.extend(page.data);
            let next = page.paging.and_then(|p| match p.next {
                Some(_) => p.cursors.and_then(|c| c.after),
                None => None,
            });
            match next {
                Some(cursor) => after = Some(cursor),
                None => return Ok(items),
            }
        }
        tracing::warn!("Meta kept paging past {MAX_RESULT_PAGES} result pages");
        Err(MetaError::Malformed)
    }

    /// The Pages the user shared, with tasks and linked Instagram accounts (one paginated call).
    pub async fn pages(&self, token: &SecretString) -> Result<Vec<PageInfo>, MetaError> {
        let raw: Vec<RawPage> = self.all(token, "me/accounts", PAGE_FIELDS).await?;
        Ok(raw.into_iter().map(page).collect())
    }

    /// Pages reached through Business portfolios (needs `business_management`).
    pub async fn business_pages(&self, token: &SecretString) -> Result<Vec<PageInfo>, MetaError> {
        let businesses: Vec<Business> = self.all(token, "me/businesses", "id").await?;
        let mut pages = Vec::new();
        for business in businesses {
            if !business.id.chars().all(|c| c.is_ascii_digit()) {
                return Err(MetaError::Malformed);
            }
            for edge in ["owned_pages", "client_pages"] {
                let raw: Vec<RawPage> = self
                    .all(token, &format!("{}/{edge}", business.id), PAGE_FIELDS)
                    .await?;
                pages.extend(raw.into_iter().map(page));
            }
        }
        Ok(pages)
    }
}

/// No token Meta issues lives longer than this; a larger (or negative) lifetime is a broken
/// answer, refused before any time arithmetic is done with it.
pub const MAX_TOKEN_LIFETIME_SECONDS: i64 = 10 * 366 * 86_400;
/// The last second of year 9999: expiry times beyond it are not real times.
pub const MAX_UNIX_TIME: i64 = 253_402_300_799;

fn token(answer: TokenAnswer) -> Result<UserToken, MetaError> {
    let expires_in = match answer.expires_in {
        None | Some(0) => None,
        Some(s) if (1..=MAX_TOKEN_LIFETIME_SECONDS).contains(&s) => Some(s),
        Some(_) => return Err(MetaError::Malformed),
    };
    Ok(UserToken {
        token: SecretString::from(answer.access_token),
        expires_in,
    })
}

/// A time from `debug_token`: 0 (or absent) means "never"; a negative or far-future one is a
/// broken answer.
fn unix_time(time: Option<i64>) -> Result<Option<i64>, MetaError> {
    match time {
        None | Some(0) => Ok(None),
        Some(t) if (1..=MAX_UNIX_TIME).contains(&t) => Ok(Some(t)),
        Some(_) => Err(MetaError::Malformed),
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
