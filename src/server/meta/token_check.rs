//! `debug_token` as the maintenance sweep reads it (docs/meta-api.md §3): whether the token is
//! still valid, and if not the Graph error Meta names inside `data` (HTTP 200 either way); its
//! expiry, its scopes and which Pages or Instagram accounts each granular scope covers — kept
//! for the account page's permission diagnostics.

use super::error::MetaError;
use super::facebook::FacebookClient;
use super::oauth::unix_time;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// What Meta says of a token now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCheck {
    pub valid: bool,
    /// Why it is not valid: Meta's code and subcode.
    pub error: Option<(i64, Option<i64>)>,
    pub expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
    pub scopes: Vec<String>,
    /// Each granular scope with the object ids it covers (Pages, Instagram accounts).
    pub granular: Vec<(String, Vec<String>)>,
}

#[derive(Deserialize)]
struct Answer {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    is_valid: bool,
    error: Option<DataError>,
    expires_at: Option<i64>,
    data_access_expires_at: Option<i64>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    granular_scopes: Vec<Granular>,
}

#[derive(Deserialize)]
struct DataError {
    code: i64,
    subcode: Option<i64>,
}

#[derive(Deserialize)]
struct Granular {
    scope: String,
    #[serde(default)]
    target_ids: Vec<String>,
}

/// No token has more scopes than this; a longer list is a broken answer.
const MAX_SCOPES: usize = 200;

impl FacebookClient {
    /// Checks `token` (a user or Page token) with the app token.
    pub async fn check_token(&self, token: &SecretString) -> Result<TokenCheck, MetaError> {
        let app_token = self.app_token();
        let answer: Answer = self
            .graph
            .get(
                "debug_token",
                &[
                    ("input_token", token.expose_secret()),
                    ("access_token", app_token.expose_secret()),
                ],
            )
            .await?;
        let data = answer.data;
        if data.scopes.len() > MAX_SCOPES || data.granular_scopes.len() > MAX_SCOPES {
            return Err(MetaError::Malformed);
        }
        Ok(TokenCheck {
            valid: data.is_valid,
            error: match (data.is_valid, data.error) {
                (true, _) => None,
                (false, Some(error)) => Some((error.code, error.subcode)),
                (false, None) => Some((190, None)),
            },
            expires_at: unix_time(data.expires_at)?,
            data_access_expires_at: unix_time(data.data_access_expires_at)?,
            scopes: data.scopes,
            granular: data
                .granular_scopes
                .into_iter()
                .map(|g| (g.scope, g.target_ids))
                .collect(),
        })
    }
}
