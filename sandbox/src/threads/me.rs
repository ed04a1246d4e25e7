//! Who a Threads token is: `GET /threads-graph/{version}/me` (docs/meta-api.md §7.3:
//! `id`, `username`, `name`, `threads_profile_picture_url`, `threads_biography`,
//! `is_verified`, honouring `fields`, default `id`; `id` always), and Threads' own
//! `GET /threads-graph/{version}/debug_token` (§3), whose `data` has the Facebook shape without
//! `granular_scopes`. Only the Threads app's tokens are known here.

use crate::account_graph::{caller, check_token, field_object};
use crate::account_login::AccountLogin;
use crate::graph::auth;
use crate::graph::errors::{GraphError, GraphResult};
use crate::graph::params::GraphParams;
use crate::issued::{list, TokenKind};
use crate::Sandbox;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

/// The application name `debug_token` reports.
const APPLICATION: &str = "Switchboard Sandbox";

/// `GET /{version}/me`.
pub async fn me(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, _) = caller(AccountLogin::Threads, &sandbox, &params, &headers).await?;
    let id = token.user_id.unwrap_or_default();
    let scenario = sandbox.scenario().await?;
    let profile = scenario
        .threads_profile(&id)
        .ok_or_else(|| GraphError::unknown_object(&id))?;
    let body = field_object(&params, "id", |field| {
        Some(match field {
            "id" => json!(profile.id),
            "username" => json!(profile.username),
            "name" => json!(profile.name),
            "threads_profile_picture_url" => {
                json!(format!(
                    "https://sandbox.invalid/threads/{}.jpg",
                    profile.id
                ))
            }
            "threads_biography" => json!(""),
            "is_verified" => json!(false),
            _ => return None,
        })
    });
    Ok(Json(body).into_response())
}

/// Whether `plaintext` is the Threads app speaking: its app token, or the literal
/// `{app-id}|{app-secret}` (also written `TH|{app-id}|{app-secret}`).
async fn is_app(sandbox: &Sandbox, plaintext: &str) -> Result<bool, GraphError> {
    let apps = sandbox.apps().await?;
    let app = AccountLogin::Threads.app(&apps);
    let literal = format!("{}|{}", app.app_id, app.app_secret);
    if plaintext == literal || plaintext.strip_prefix("TH|") == Some(literal.as_str()) {
        return Ok(true);
    }
    Ok(sandbox
        .find_token(plaintext)
        .await?
        .is_some_and(|t| t.app_id == app.app_id && t.kind == TokenKind::App.as_str()))
}

/// `GET /{version}/debug_token`.
pub async fn debug_token(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let Some(access) = auth::access_token(&params, &headers) else {
        return Err(GraphError::oauth(100, None, "(#100) You must provide an app access token, or a user access token that is an owner or developer of the app"));
    };
    if !is_app(&sandbox, &access).await? {
        check_token(AccountLogin::Threads, &sandbox, &access).await?;
    }
    let apps = sandbox.apps().await?;
    let app_id = AccountLogin::Threads.app(&apps).app_id.clone();
    let input = params.get("input_token").cloned().unwrap_or_default();
    let stored = sandbox
        .find_token(&input)
        .await?
        .filter(|t| t.app_id == app_id);
    let data = match stored {
        None => json!({
            "error": { "code": 190, "message": "Invalid OAuth access token - Cannot parse access token" },
            "is_valid": false,
            "scopes": [],
        }),
        Some(token) if token.kind == TokenKind::App.as_str() => {
            json!({ "app_id": app_id, "type": "APP", "application": APPLICATION, "is_valid": true })
        }
        Some(token) => match check_token(AccountLogin::Threads, &sandbox, &input).await {
            Err(error) if error.status.is_server_error() => return Err(error),
            Err(error) => {
                let mut err = json!({ "code": error.code, "message": error.message });
                if let Some(subcode) = error.subcode {
                    err["subcode"] = json!(subcode);
                }
                json!({
                    "app_id": app_id, "type": token.kind, "application": APPLICATION, "error": err,
                    "expires_at": token.expires_at, "is_valid": false, "scopes": [], "user_id": token.user_id,
                })
            }
            Ok((token, grant)) => json!({
                "type": token.kind, "application": APPLICATION, "app_id": app_id, "is_valid": true,
                "expires_at": token.expires_at, "issued_at": token.issued_at,
                "data_access_expires_at": grant.data_access_expires_at,
                "scopes": list(&grant.granted), "user_id": token.user_id,
            }),
        },
    };
    Ok(Json(json!({ "data": data })).into_response())
}
