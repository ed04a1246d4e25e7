//! The OAuth side of Meta's products (docs/meta-api.md §1–2, §6–7): the authorization URL with
//! `state` and a PKCE S256 challenge (built with the `oauth2` crate), and the shape of a token
//! answer. Meta's token answers are not RFC 6749-shaped, so each product's exchange is a plain
//! typed call; what they share — reading `access_token` and a bounded `expires_in` — is here.

use super::error::MetaError;
use super::http::MetaHttp;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// No token Meta issues lives longer than this; a larger (or negative) lifetime is a broken
/// answer, refused before any time arithmetic is done with it.
pub const MAX_TOKEN_LIFETIME_SECONDS: i64 = 10 * 366 * 86_400;
/// The last second of year 9999: expiry times beyond it are not real times.
pub const MAX_UNIX_TIME: i64 = 253_402_300_799;

/// A started authorization: the URL to send the browser to and the `state` it carries (its
/// PKCE verifier is derived from the state, so nothing else needs keeping).
pub struct Authorization {
    pub url: String,
    pub state: SecretString,
}

/// What an authorization URL is made of.
pub struct AuthorizeRequest<'a> {
    /// The dialog's full URL (`…/v25.0/dialog/oauth`).
    pub dialog_url: String,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scopes: &'a [&'a str],
    /// Whether the provider documents PKCE (docs/meta-api.md §15): Facebook yes; Instagram
    /// Login and Threads don't, so they get no challenge (the `state` protects every flow).
    pub pkce: bool,
    /// Adds `auth_type=rerequest`, so Facebook offers again the permissions the person declined
    /// before (a Reconnect; docs/meta-api.md §1).
    pub rerequest: bool,
}

/// The dialog URL with a fresh 256-bit `state` and, where the provider takes PKCE, the S256
/// challenge of the verifier `verifier_for` gives that state.
pub fn authorize(
    request: AuthorizeRequest<'_>,
    verifier_for: impl FnOnce(&str) -> SecretString,
) -> Result<Authorization, MetaError> {
    let auth_url = AuthUrl::new(request.dialog_url).map_err(|_| MetaError::Malformed)?;
    let redirect =
        RedirectUrl::new(request.redirect_uri.to_owned()).map_err(|_| MetaError::Malformed)?;
    let client = BasicClient::new(ClientId::new(request.client_id.to_owned()))
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect);
    let state = CsrfToken::new_random_len(32);
    let challenge = request.pkce.then(|| {
        let verifier =
            PkceCodeVerifier::new(verifier_for(state.secret()).expose_secret().to_owned());
        PkceCodeChallenge::from_code_verifier_sha256(&verifier)
    });
    // Meta separates scopes with commas; one oauth2 "scope" keeps them as Meta wants.
    let mut builder = client
        .authorize_url(|| state)
        .add_scope(Scope::new(request.scopes.join(",")));
    if let Some(challenge) = challenge {
        builder = builder.set_pkce_challenge(challenge);
    }
    if request.rerequest {
        builder = builder.add_extra_param("auth_type", "rerequest");
    }
    let (url, state) = builder.url();
    Ok(Authorization {
        url: url.to_string(),
        state: SecretString::from(state.secret().clone()),
    })
}

/// A user access token and its lifetime in seconds, when Meta says.
#[derive(Debug)]
pub struct UserToken {
    pub token: SecretString,
    pub expires_in: Option<i64>,
}

/// A token answer as Meta sends it.
#[derive(Deserialize)]
pub struct TokenAnswer {
    access_token: String,
    expires_in: Option<i64>,
}

impl TryFrom<TokenAnswer> for UserToken {
    type Error = MetaError;

    /// `expires_in` absent or 0 means Meta gives no lifetime; negative or over ten years is a
    /// broken answer.
    fn try_from(answer: TokenAnswer) -> Result<Self, MetaError> {
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
}

/// Instagram's and Threads' refresh (docs/meta-api.md §6.3, §7.2): `GET {url}?grant_type=
/// {grant_type}&access_token={long-lived token}` answers a fresh 60-day token in the same shape
/// as an exchange.
pub async fn refresh_long_lived(
    http: &MetaHttp,
    url: &str,
    grant_type: &str,
    token: &SecretString,
) -> Result<UserToken, MetaError> {
    let answer: TokenAnswer = http
        .get_json(
            url,
            &[
                ("grant_type", grant_type),
                ("access_token", token.expose_secret()),
            ],
        )
        .await?;
    answer.try_into()
}

/// A time Meta reports: 0 (or absent) means "never"; a negative or far-future one is a broken
/// answer.
pub fn unix_time(time: Option<i64>) -> Result<Option<i64>, MetaError> {
    match time {
        None | Some(0) => Ok(None),
        Some(t) if (1..=MAX_UNIX_TIME).contains(&t) => Ok(Some(t)),
        Some(_) => Err(MetaError::Malformed),
    }
}
