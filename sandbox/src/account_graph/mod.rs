//! What graph.instagram.com and graph.threads.net share (docs/meta-api.md §6.3, §7.2): how a
//! token is checked there, the short → long-lived exchange and the refresh (`long_lived`).
//! Each host takes only its own login's tokens — a Facebook token, or the other login's, is
//! unknown there ("Cannot parse access token") — and checks no `appsecret_proof`, which Meta
//! documents for neither.

pub mod long_lived;

use crate::account_login::AccountLogin;
use crate::entities::grant;
use crate::graph::auth;
use crate::graph::errors::GraphError;
use crate::graph::Params;
use crate::issued::{Token, TokenKind};
use crate::Sandbox;
use axum::http::HeaderMap;

/// Checks a user token of `login`'s app: known there, not invalidated (190 with its subcode),
/// not expired (190/463), its grant still present (190/458).
pub async fn check_token(
    login: AccountLogin,
    sandbox: &Sandbox,
    plaintext: &str,
) -> Result<(Token, grant::Model), GraphError> {
    let apps = sandbox.apps().await?;
    let app_id = &login.app(&apps).app_id;
    let (token, grant) = sandbox
        .find_token_with_grant(plaintext)
        .await?
        .filter(|(t, _)| &t.app_id == app_id && t.kind == TokenKind::User.as_str())
        .ok_or_else(GraphError::cannot_parse)?;
    if let Some(subcode) = token.invalidated_subcode {
        return Err(GraphError::invalidated(subcode));
    }
    let now = sandbox.now().await?;
    if token.expires_at != 0 && token.expires_at <= now {
        return Err(GraphError::invalidated(463));
    }
    let grant = grant.ok_or_else(|| GraphError::invalidated(458))?;
    Ok((token, grant))
}

/// The caller of a `me`-like call: the token sent (query, form or `Authorization`), checked.
pub async fn caller(
    login: AccountLogin,
    sandbox: &Sandbox,
    params: &Params,
    headers: &HeaderMap,
) -> Result<(Token, grant::Model), GraphError> {
    let token = auth::access_token(params, headers).ok_or_else(|| {
        GraphError::oauth(
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        )
    })?;
    check_token(login, sandbox, &token).await
}

/// The requested field names (`fields=a,b`), or `default`'s; `id` always comes first.
pub fn requested_fields<'a>(params: &'a Params, default: &'a str) -> Vec<&'a str> {
    let raw = params
        .get("fields")
        .map(String::as_str)
        .filter(|f| !f.trim().is_empty())
        .unwrap_or(default);
    let mut fields = vec!["id"];
    for field in raw.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    fields
}

/// The JSON object of the requested fields (as [`requested_fields`] reads them) that
/// `value_of` knows; unknown names are left out, as Graph does.
pub fn field_object(
    params: &Params,
    default: &str,
    value_of: impl Fn(&str) -> Option<serde_json::Value>,
) -> serde_json::Value {
    let body: serde_json::Map<String, serde_json::Value> = requested_fields(params, default)
        .into_iter()
        .filter_map(|field| Some((field.to_owned(), value_of(field)?)))
        .collect();
    serde_json::Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_always_comes_back_whatever_fields_were_asked_for() {
        let params = Params::from([("fields".to_owned(), "username, name,username".to_owned())]);
        assert_eq!(requested_fields(&params, "id"), ["id", "username", "name"]);
        assert_eq!(
            requested_fields(&Params::new(), "id,username"),
            ["id", "username"]
        );
    }
}
