//! `POST /instagram-api/oauth/access_token` (↔ api.instagram.com, docs/meta-api.md §6.2): an
//! authorization code → a short-lived (one hour) Instagram token, in the shape the scenario's
//! `switches.instagram_exchange_shape` picks — the documented
//! `{"data":[{"access_token","user_id":"<string>","permissions":"a,b"}]}` or the flat
//! `{"access_token","user_id":<number>,"permissions":["a","b"]}`. `user_id` is the
//! professional account id; the token belongs to the app-scoped id.
//!
//! This host is not Graph and refuses in its own shape, HTTP 400:
//! `{"error_type":"OAuthException","code":400,"error_message":…}`. Parameters come from the form
//! body or the query. Codes are single-use, expire as Facebook's do and are bound to their
//! `redirect_uri`; a rejected client (bad id or secret) doesn't spend the code.

use crate::account_login::AccountLogin;
use crate::graph::errors::GraphError;
use crate::graph::oauth::{redeem_code, REDIRECT_MISMATCH, REDIRECT_MISMATCH_MESSAGE};
use crate::graph::params::GraphParams;
use crate::graph::Params;
use crate::issued::{list, NewToken, TokenKind, LOGIN_SHORT_LIVED};
use crate::scenario::InstagramExchangeShape;
use crate::Sandbox;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The refusal for a code that is unknown, used, expired or another app's.
pub const CODE_NOT_FOUND: &str = "Matching code was not found or was already used";

/// An api.instagram.com refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error_type": "OAuthException",
            "code": self.status.as_u16(),
            "error_message": self.message,
        });
        (self.status, Json(body)).into_response()
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "sandbox database error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "An unexpected error has occurred. Please retry your request later.".into(),
        }
    }
}

/// A code refusal as Graph words it, reworded as this host does.
fn reworded(error: GraphError) -> ApiError {
    if error.status.is_server_error() {
        return ApiError {
            status: error.status,
            message: error.message,
        };
    }
    match error.subcode {
        Some(REDIRECT_MISMATCH) => ApiError::new(REDIRECT_MISMATCH_MESSAGE),
        // Unknown, used, expired, another app's or a wrong verifier: this host says one thing.
        _ => ApiError::new(CODE_NOT_FOUND),
    }
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::new(format!("Missing required parameter: {name}")))
}

/// The answer body in `shape`. A professional id that is not all digits (a hand-written
/// scenario) stays a string even in the flat shape.
pub fn answer(
    shape: InstagramExchangeShape,
    token: &str,
    professional_id: &str,
    permissions: &[String],
) -> Value {
    match shape {
        InstagramExchangeShape::Data => json!({ "data": [{
            "access_token": token,
            "user_id": professional_id,
            "permissions": permissions.join(","),
        }]}),
        InstagramExchangeShape::Flat => json!({
            "access_token": token,
            "user_id": professional_id
                .parse::<u64>()
                .map_or_else(|_| json!(professional_id), |n| json!(n)),
            "permissions": permissions,
        }),
    }
}

async fn exchange(sandbox: &Sandbox, params: &Params) -> Result<Response, ApiError> {
    let apps = sandbox.apps().await?;
    let app = AccountLogin::Instagram.app(&apps);
    if required(params, "client_id")? != app.app_id {
        return Err(ApiError::new("Invalid platform app"));
    }
    if required(params, "client_secret")? != app.app_secret {
        return Err(ApiError::new("Error validating client secret."));
    }
    let grant_type = required(params, "grant_type")?;
    if grant_type != "authorization_code" {
        return Err(ApiError::new(format!(
            "Unsupported grant_type: {grant_type}"
        )));
    }
    required(params, "redirect_uri")?;
    required(params, "code")?;
    let now = sandbox.now().await?;
    let stored = redeem_code(sandbox, params, &app.app_id, now)
        .await
        .map_err(reworded)?;
    let scenario = sandbox.scenario().await?;
    let account = scenario
        .instagram_account(&stored.user_id)
        .ok_or_else(|| ApiError::new(CODE_NOT_FOUND))?;
    let permissions = sandbox
        .grant(&app.app_id, &stored.user_id)
        .await?
        .map(|g| list(&g.granted))
        .unwrap_or_default();
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
    let body = answer(
        scenario.switches.instagram_exchange_shape,
        &token,
        &account.user_id,
        &permissions,
    );
    Ok(Json(body).into_response())
}

/// `POST /instagram-api/oauth/access_token`.
pub async fn access_token(
    State(sandbox): State<Sandbox>,
    GraphParams(params): GraphParams,
) -> Response {
    exchange(&sandbox, &params)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn permissions() -> Vec<String> {
        vec![
            "instagram_business_basic".into(),
            "instagram_business_content_publish".into(),
        ]
    }

    #[test]
    fn the_documented_shape_wraps_one_entry_in_data_with_string_id_and_comma_permissions() {
        let body = answer(
            InstagramExchangeShape::Data,
            "IGAAx",
            "17841400000000011",
            &permissions(),
        );
        assert_eq!(
            body,
            json!({"data":[{"access_token":"IGAAx","user_id":"17841400000000011","permissions":"instagram_business_basic,instagram_business_content_publish"}]})
        );
    }

    #[test]
    fn the_flat_shape_has_a_numeric_id_and_a_permission_array() {
        let body = answer(
            InstagramExchangeShape::Flat,
            "IGAAx",
            "17841400000000011",
            &permissions(),
        );
        assert_eq!(body["user_id"].as_u64(), Some(17_841_400_000_000_011));
        assert_eq!(body["permissions"][1], "instagram_business_content_publish");
        assert_eq!(
            answer(InstagramExchangeShape::Flat, "t", "abc", &[])["user_id"],
            "abc"
        );
    }

    #[test]
    fn code_refusals_are_reworded_in_instagrams_terms() {
        let used = GraphError::oauth(100, Some(36009), "This authorization code has been used.");
        assert_eq!(reworded(used).message, CODE_NOT_FOUND);
        let mismatch = GraphError::oauth(100, Some(REDIRECT_MISMATCH), "x");
        assert_eq!(reworded(mismatch).message, REDIRECT_MISMATCH_MESSAGE);
    }
}
