//! Who is calling the sandbox's Graph API: the access token (query, form or `Authorization`),
//! checked as Meta checks it — unknown, expired, invalidated, `appsecret_proof`.

use super::errors::GraphError;
use super::Params;
use crate::entities::grant;
use crate::issued::Token;
use crate::Sandbox;
use axum::http::{header, HeaderMap};

/// An authenticated caller.
pub enum Caller {
    /// A user token (or a Page token, with `page_id`) and the grant behind it.
    User {
        token: Box<Token>,
        grant: Box<grant::Model>,
    },
    /// The app itself (`client_credentials` token or the literal `{app-id}|{app-secret}`).
    App { app_id: String },
}

/// The access token of a request, wherever it was sent.
pub fn access_token(params: &Params, headers: &HeaderMap) -> Option<String> {
    if let Some(token) = params.get("access_token").filter(|t| !t.is_empty()) {
        return Some(token.clone());
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("OAuth "))
        .map(|t| t.trim().to_owned())
}

pub use crate::protocol::appsecret_proof;

/// Checks a token that is not an app token: known, proof right when sent, not expired, grant
/// present and not invalidated, and (Page tokens) the user still has a role on the Page.
pub async fn check_token(
    sandbox: &Sandbox,
    plaintext: &str,
    proof: Option<&str>,
) -> Result<Caller, GraphError> {
    let apps = sandbox.apps().await?;
    if let Some((id, secret)) = plaintext.split_once('|') {
        if id == apps.facebook.app_id && secret == apps.facebook.app_secret {
            return Ok(Caller::App {
                app_id: id.to_owned(),
            });
        }
    }
    // Instagram Login's and Threads' tokens are another app's: unknown on this host.
    let token = sandbox
        .find_token(plaintext)
        .await?
        .filter(|t| t.app_id == apps.facebook.app_id)
        .ok_or_else(GraphError::cannot_parse)?;
    if let Some(proof) = proof {
        if proof != appsecret_proof(&apps.facebook.app_secret, plaintext) {
            return Err(GraphError::method(
                100,
                "Invalid appsecret_proof provided in the API argument",
            ));
        }
    }
    if token.kind == "APP" {
        return Ok(Caller::App {
            app_id: token.app_id,
        });
    }
    if let Some(subcode) = token.invalidated_subcode {
        return Err(GraphError::invalidated(subcode));
    }
    let now = sandbox.now().await?;
    if token.expires_at != 0 && token.expires_at <= now {
        return Err(GraphError::invalidated(463));
    }
    let user_id = token.user_id.clone().unwrap_or_default();
    let grant = sandbox
        .grant(&token.app_id, &user_id)
        .await?
        .ok_or_else(|| GraphError::invalidated(458))?;
    if let Some(page_id) = &token.page_id {
        let scenario = sandbox.scenario().await?;
        let user = scenario.user(&user_id);
        let direct = user.is_some_and(|u| u.roles.iter().any(|r| &r.page_id == page_id));
        let via_business =
            user.is_some_and(|u| scenario.business_pages(u).any(|(_, p)| &p.id == page_id));
        if !direct && !via_business {
            return Err(GraphError::invalidated(492));
        }
    }
    Ok(Caller::User {
        token: Box::new(token),
        grant: Box::new(grant),
    })
}

/// Authenticates a Graph request.
pub async fn authenticate(
    sandbox: &Sandbox,
    params: &Params,
    headers: &HeaderMap,
) -> Result<Caller, GraphError> {
    let token = access_token(params, headers).ok_or_else(|| {
        GraphError::oauth(
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        )
    })?;
    let proof = params.get("appsecret_proof").map(String::as_str);
    let caller = check_token(sandbox, &token, proof).await?;
    // The dashboard's "Require App Secret": user and Page tokens must come with their proof.
    if proof.is_none()
        && matches!(caller, Caller::User { .. })
        && sandbox.requires_appsecret_proof().await?
    {
        return Err(GraphError::method(
            100,
            "API calls from the server require an appsecret_proof argument",
        ));
    }
    Ok(caller)
}

/// Authenticates a request that needs a user (not a Page or app) token.
pub async fn user(
    sandbox: &Sandbox,
    params: &Params,
    headers: &HeaderMap,
) -> Result<(Token, grant::Model), GraphError> {
    match authenticate(sandbox, params, headers).await? {
        Caller::User { token, grant } if token.page_id.is_none() => Ok((*token, *grant)),
        _ => Err(GraphError::oauth(
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        )),
    }
}
