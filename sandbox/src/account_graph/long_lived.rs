//! Long-lived tokens of Instagram Login and Threads (docs/meta-api.md §6.3, §7.2):
//! `GET /access_token?grant_type=ig_exchange_token|th_exchange_token&client_secret=…&access_token=<short>`
//! and `GET /refresh_access_token?grant_type=ig_refresh_token|th_refresh_token&access_token=<long>`,
//! both answering `{"access_token","token_type":"bearer","expires_in":5184000}`.
//!
//! A refresh is allowed for a long-lived token at least 24 hours old by the sandbox clock,
//! unexpired, whose grant holds the login's basic permission; the new token lasts 60 days
//! from the refresh, and the old one lives on until its own expiry. An expired token can never
//! be refreshed (190/463). Too young is 100 (see [`refresh_refusal`]).

use super::check_token;
use crate::account_login::AccountLogin;
use crate::graph::auth;
use crate::graph::errors::{GraphError, GraphResult};
use crate::graph::oauth::{required, token_response};
use crate::graph::Params;
use crate::issued::{list, NewToken, TokenKind, LONG_LIVED};
use crate::Sandbox;
use axum::http::HeaderMap;

/// A token younger than this can't be refreshed yet.
pub const REFRESH_FLOOR: i64 = 86_400;

/// Refuses a `grant_type` other than `expected`.
fn grant_type(params: &Params, expected: &str) -> Result<(), GraphError> {
    match params.get("grant_type").map(String::as_str) {
        Some(given) if given == expected => Ok(()),
        Some(other) => Err(GraphError::oauth(
            100,
            None,
            format!("Unsupported grant_type {other:?}; this endpoint takes {expected}."),
        )),
        None => Err(GraphError::oauth(
            100,
            None,
            "Missing grant_type parameter.",
        )),
    }
}

/// The token a call names, or Graph's "Cannot parse" when it names none.
fn sent_token(params: &Params, headers: &HeaderMap) -> Result<String, GraphError> {
    auth::access_token(params, headers)
        .ok_or_else(|| GraphError::oauth(100, None, "Missing access_token parameter."))
}

/// Short → long-lived (60 days). A long-lived token exchanged again keeps its expiry, as
/// Facebook's do (it can't be extended this way; refresh it instead).
pub async fn exchange(
    login: AccountLogin,
    sandbox: &Sandbox,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    grant_type(params, login.exchange_grant())?;
    let apps = sandbox.apps().await?;
    let app = login.app(&apps);
    if required(params, "client_secret")? != app.app_secret {
        return Err(GraphError::oauth(
            1,
            None,
            "Error validating client secret.",
        ));
    }
    let (token, _) = check_token(login, sandbox, &sent_token(params, headers)?).await?;
    let now = sandbox.now().await?;
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

/// Why a checked (known, valid, unexpired) token may not be refreshed now, if it may not.
pub fn refresh_refusal(
    long_lived: bool,
    issued_at: i64,
    now: i64,
    holds_basic: bool,
    basic: &str,
) -> Option<GraphError> {
    if !long_lived {
        return Some(GraphError::oauth(
            100,
            None,
            "(#100) Only a long-lived access token can be refreshed; exchange this one first.",
        ));
    }
    if issued_at > now.saturating_sub(REFRESH_FLOOR) {
        return Some(GraphError::oauth(
            100,
            None,
            "(#100) The access token can't be refreshed yet: it must be at least 24 hours old.",
        ));
    }
    if !holds_basic {
        return Some(GraphError::oauth(
            10,
            None,
            format!("(#10) Refreshing the access token requires the {basic} permission."),
        ));
    }
    None
}

/// Long-lived → a new long-lived token, 60 days from now.
pub async fn refresh(
    login: AccountLogin,
    sandbox: &Sandbox,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    grant_type(params, login.refresh_grant())?;
    let (token, grant) = check_token(login, sandbox, &sent_token(params, headers)?).await?;
    let now = sandbox.now().await?;
    let basic = login.basic_scope();
    let holds_basic = list(&grant.granted).iter().any(|p| p == basic);
    if let Some(refusal) =
        refresh_refusal(token.long_lived, token.issued_at, now, holds_basic, basic)
    {
        return Err(refusal);
    }
    let fresh = sandbox
        .issue_token(NewToken {
            kind: TokenKind::User,
            app_id: &token.app_id,
            user_id: token.user_id.as_deref(),
            page_id: None,
            long_lived: true,
            expires_at: now + LONG_LIVED,
        })
        .await?;
    Ok(token_response(fresh, Some(LONG_LIVED)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_refresh_younger_than_a_day_is_refused() {
        let refusal = refresh_refusal(true, NOW - REFRESH_FLOOR + 1, NOW, true, "threads_basic");
        let refusal = refusal.map(|e| (e.code, e.message.contains("24 hours")));
        assert_eq!(refusal, Some((100, true)));
    }

    #[test]
    fn a_long_lived_token_exactly_a_day_old_with_the_basic_permission_may_be_refreshed() {
        assert_eq!(
            refresh_refusal(true, NOW - REFRESH_FLOOR, NOW, true, "threads_basic"),
            None
        );
    }

    #[test]
    fn short_lived_tokens_and_tokens_without_the_basic_permission_are_refused() {
        let old = NOW - 2 * REFRESH_FLOOR;
        let code = |refusal: Option<GraphError>| refusal.map(|e| e.code);
        assert_eq!(code(refresh_refusal(false, old, NOW, true, "b")), Some(100));
        assert_eq!(code(refresh_refusal(true, old, NOW, false, "b")), Some(10));
    }
}
