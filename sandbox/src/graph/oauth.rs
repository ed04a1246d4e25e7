//! `GET /oauth/access_token`: authorization code → short-lived user token; `fb_exchange_token`
//! → 60-day token (not extendable: a long-lived token exchanged again keeps its expiry);
//! `client_credentials` → app token. Codes are single-use, short-lived, bound to their
//! `redirect_uri` byte for byte, and to the PKCE challenge when one was sent.

use super::errors::{GraphError, GraphResult};
use super::params::GraphParams;
use super::Params;
use crate::entities::code;
use crate::issued::{NewToken, TokenKind, LONG_LIVED, SHORT_LIVED};
use crate::Sandbox;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};

/// `{"access_token","token_type":"bearer","expires_in"?}`, the token endpoints' answer.
pub fn token_response(token: String, expires_in: Option<i64>) -> axum::response::Response {
    let mut body = json!({ "access_token": token, "token_type": "bearer" });
    if let Some(seconds) = expires_in {
        body["expires_in"] = json!(seconds);
    }
    Json(body).into_response()
}

/// The subcode of a code exchanged with another `redirect_uri` than the dialog's.
pub const REDIRECT_MISMATCH: i32 = 36008;
/// Meta's wording of it (the same on every login).
pub const REDIRECT_MISMATCH_MESSAGE: &str = "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request";

/// A parameter that must be there and not empty (Graph's refusal names it).
pub fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, GraphError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| GraphError::oauth(100, None, format!("Missing {name} parameter.")))
}

pub async fn access_token(
    State(sandbox): State<Sandbox>,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let apps = sandbox.apps().await?;
    let app = &apps.facebook;
    if required(&params, "client_id")? != app.app_id {
        return Err(GraphError::oauth(
            101,
            None,
            "Error validating application. Invalid application ID.",
        ));
    }
    let client_secret = required(&params, "client_secret")?;
    if client_secret != app.app_secret {
        return Err(GraphError::oauth(
            1,
            None,
            "Error validating client secret.",
        ));
    }
    let now = sandbox.now().await?;
    match params.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {
            let token = sandbox
                .issue_token(NewToken {
                    kind: TokenKind::App,
                    app_id: &app.app_id,
                    user_id: None,
                    page_id: None,
                    long_lived: true,
                    expires_at: 0,
                })
                .await?;
            Ok(token_response(token, None))
        }
        Some("fb_exchange_token") => {
            let short = required(&params, "fb_exchange_token")?;
            let super::auth::Caller::User { token, .. } =
                super::auth::check_token(&sandbox, short, None).await?
            else {
                return Err(GraphError::cannot_parse());
            };
            if token.page_id.is_some() {
                return Err(GraphError::oauth(
                    100,
                    None,
                    "Invalid fb_exchange_token: a Page token can't be exchanged.",
                ));
            }
            // A long-lived token can't be extended: the new one keeps the same expiry.
            let expires_at = if token.long_lived {
                token.expires_at
            } else {
                now + LONG_LIVED
            };
            let long = sandbox
                .issue_token(NewToken {
                    kind: TokenKind::User,
                    app_id: &app.app_id,
                    user_id: token.user_id.as_deref(),
                    page_id: None,
                    long_lived: true,
                    expires_at,
                })
                .await?;
            Ok(token_response(long, Some(expires_at - now)))
        }
        Some(other) if other != "authorization_code" => Err(GraphError::oauth(
            100,
            None,
            format!("Unsupported grant_type {other:?}."),
        )),
        _ => exchange_code(&sandbox, &params, &app.app_id, now).await,
    }
}

async fn exchange_code(sandbox: &Sandbox, params: &Params, app_id: &str, now: i64) -> GraphResult {
    let stored = redeem_code(sandbox, params, app_id, now).await?;
    let token = sandbox
        .issue_token(NewToken {
            kind: TokenKind::User,
            app_id,
            user_id: Some(&stored.user_id),
            page_id: None,
            long_lived: false,
            expires_at: now + SHORT_LIVED,
        })
        .await?;
    Ok(token_response(token, Some(SHORT_LIVED)))
}

/// Spends the `code` of `params` for `app_id` and answers what it was issued for, or Graph's
/// refusal: unknown or used (100/36009), another app's (100), expired (100/36007), another
/// `redirect_uri` (100/36008), a wrong PKCE verifier (100). Shared by every login's token
/// endpoint; each words the refusals its own way.
pub async fn redeem_code(
    sandbox: &Sandbox,
    params: &Params,
    app_id: &str,
    now: i64,
) -> Result<code::Model, GraphError> {
    let code = required(params, "code")?;
    let redirect_uri = required(params, "redirect_uri")?;
    let used = || GraphError::oauth(100, Some(36009), "This authorization code has been used.");
    let stored = sandbox.find_code(code).await?.ok_or_else(used)?;
    if stored.app_id != app_id {
        return Err(GraphError::oauth(
            100,
            None,
            "Invalid verification code format.",
        ));
    }
    // Meta consumes the code on any attempt; a second try finds it used.
    if !sandbox.consume_code(code).await? {
        return Err(used());
    }
    if stored.expires_at <= now {
        return Err(GraphError::oauth(
            100,
            Some(36007),
            "Code was invalid or has expired.",
        ));
    }
    if stored.redirect_uri != redirect_uri {
        return Err(GraphError::oauth(
            100,
            Some(REDIRECT_MISMATCH),
            REDIRECT_MISMATCH_MESSAGE,
        ));
    }
    if let Some(challenge) = &stored.code_challenge {
        let verifier = params
            .get("code_verifier")
            .map(String::as_str)
            .unwrap_or_default();
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes()));
        if computed != *challenge {
            return Err(GraphError::oauth(100, None, "Invalid code verifier."));
        }
    }
    Ok(stored)
}
