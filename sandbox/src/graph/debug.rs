//! `GET /debug_token`: what a token is — type, app, user, scopes, granular scopes with the
//! Pages (or Instagram accounts) they cover, expiry, data-access expiry. An invalid token is
//! still HTTP 200, with `is_valid: false` and an error inside `data`.

use super::auth::{self, Caller};
use super::errors::{GraphError, GraphResult};
use super::params::GraphParams;
use crate::issued::list;
use crate::Sandbox;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

const APPLICATION: &str = "Switchboard Sandbox";
/// Permissions that apply to chosen Pages (target_ids = the shared Pages).
const PAGE_SCOPED: &[&str] = &[
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_manage_engagement",
    "pages_manage_metadata",
    "read_insights",
];
/// Permissions that apply to chosen Instagram accounts.
const IG_SCOPED: &[&str] = &[
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
];

pub async fn debug_token(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    if auth::access_token(&params, &headers).is_none() {
        return Err(GraphError::oauth(100, None, "(#100) You must provide an app access token, or a user access token that is an owner or developer of the app"));
    }
    auth::authenticate(&sandbox, &params, &headers).await?;
    let apps = sandbox.apps().await?;
    let app_id = apps.facebook.app_id.clone();
    let input = params.get("input_token").cloned().unwrap_or_default();
    let stored = sandbox
        .find_token(&input)
        .await?
        .filter(|t| t.app_id == app_id);
    let outcome = auth::check_token(&sandbox, &input, None).await;
    let data = match (stored, outcome) {
        (None, _) => json!({
            "error": { "code": 190, "message": "Invalid OAuth access token - Cannot parse access token" },
            "is_valid": false,
            "scopes": [],
        }),
        (Some(token), Err(error)) => {
            let mut err = json!({ "code": error.code, "message": error.message });
            if let Some(subcode) = error.subcode {
                err["subcode"] = json!(subcode);
            }
            json!({
                "app_id": token.app_id, "type": token.kind, "application": APPLICATION, "error": err,
                "expires_at": token.expires_at, "is_valid": false, "scopes": [], "user_id": token.user_id,
            })
        }
        (Some(_), Ok(Caller::App { app_id })) => {
            json!({ "app_id": app_id, "type": "APP", "application": APPLICATION, "is_valid": true })
        }
        (Some(token), Ok(Caller::User { grant, .. })) => {
            let scenario = sandbox.scenario().await?;
            let pages = list(&grant.page_ids);
            let ig_ids: Vec<String> = pages
                .iter()
                .filter_map(|id| {
                    scenario
                        .page(id)?
                        .instagram
                        .as_ref()
                        .map(|ig| ig.id.clone())
                })
                .collect();
            let scopes = list(&grant.granted);
            // Page permissions name the Pages shared: an empty list both for someone who
            // manages none and for someone who ticked none, since Meta documents no way to
            // tell the two apart (docs/meta-api.md → "When no Page comes back").
            let granular: Vec<_> = scopes
                .iter()
                .map(|scope| {
                    if PAGE_SCOPED.contains(&scope.as_str()) {
                        json!({ "scope": scope, "target_ids": pages })
                    } else if IG_SCOPED.contains(&scope.as_str()) {
                        json!({ "scope": scope, "target_ids": ig_ids })
                    } else {
                        json!({ "scope": scope })
                    }
                })
                .collect();
            let mut data = json!({
                "app_id": app_id, "type": token.kind, "application": APPLICATION,
                "data_access_expires_at": grant.data_access_expires_at, "expires_at": token.expires_at,
                "is_valid": true, "issued_at": token.issued_at, "scopes": scopes, "granular_scopes": granular,
                "user_id": token.user_id,
            });
            if let Some(page_id) = &token.page_id {
                data["profile_id"] = json!(page_id);
            }
            data
        }
    };
    Ok(Json(json!({ "data": data })).into_response())
}
