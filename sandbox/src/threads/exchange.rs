//! `POST /threads-graph/oauth/access_token` (↔ graph.threads.net, docs/meta-api.md §7.2),
//! parameters in the form body or the query: an authorization code → a short-lived (one hour)
//! Threads token, `{"access_token":"THAA…","user_id":<number>}`; `grant_type=client_credentials`
//! → the Threads app token, `{"access_token":"TH|<app-id>|…","token_type":"bearer"}`.
//!
//! Errors are Graph's, as on graph.facebook.com (reused code 100/36009, expired 36007,
//! `redirect_uri` mismatch 36008, bad secret 1, unknown app 101). The Facebook app's id is
//! refused with subcode 4476002, the error Meta gives an app that mixes up its two ids.

use crate::account_login::AccountLogin;
use crate::graph::errors::{GraphError, GraphResult};
use crate::graph::oauth::{redeem_code, required, token_response};
use crate::graph::params::GraphParams;
use crate::issued::{NewToken, TokenKind, LOGIN_SHORT_LIVED};
use crate::Sandbox;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

/// The subcode of a Threads call made with the Facebook app's id.
pub const WRONG_APP_SUBCODE: i32 = 4_476_002;

/// The profile id as the answer carries it: a number, or a string when a hand-written
/// scenario's id isn't all digits.
fn numeric_id(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

/// `POST /oauth/access_token`: a code, or `client_credentials`.
pub async fn access_token(
    State(sandbox): State<Sandbox>,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let apps = sandbox.apps().await?;
    let app = AccountLogin::Threads.app(&apps);
    let client_id = required(&params, "client_id")?;
    if client_id != app.app_id {
        let subcode = (client_id == apps.facebook.app_id).then_some(WRONG_APP_SUBCODE);
        return Err(GraphError::oauth(
            101,
            subcode,
            "Error validating application. Invalid application ID.",
        ));
    }
    if required(&params, "client_secret")? != app.app_secret {
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
        Some(other) if other != "authorization_code" => Err(GraphError::oauth(
            100,
            None,
            format!("Unsupported grant_type {other:?}."),
        )),
        _ => {
            let stored = redeem_code(&sandbox, &params, &app.app_id, now).await?;
            let token = sandbox
                .issue_token(NewToken {
                    kind: TokenKind::User,
                    app_id: &app.app_id,
                    user_id: Some(&stored.user_id),
                    page_id: None,
                    long_lived: false,
                    expires_at: now + LOGIN_SHORT_LIVED,
                })
                .await?;
            let body = json!({ "access_token": token, "user_id": numeric_id(&stored.user_id) });
            Ok(Json(body).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_id_of_digits_is_answered_as_a_number() {
        assert_eq!(
            numeric_id("7000000000000001"),
            json!(7_000_000_000_000_001_u64)
        );
        assert_eq!(numeric_id("x1"), json!("x1"));
    }
}
