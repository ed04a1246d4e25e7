//! `me` and the permissions edge: who the user is, what they granted and declined, and the two
//! ways to take permissions back (the whole app, or one permission).

use super::auth::{self, Caller};
use super::errors::{GraphError, GraphResult};
use super::params::GraphParams;
use crate::issued::list;
use crate::Sandbox;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

pub async fn me(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, _) = auth::user(&sandbox, &params, &headers).await?;
    let user_id = token.user_id.unwrap_or_default();
    let scenario = sandbox.scenario().await?;
    let name = scenario
        .user(&user_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let wanted = params
        .get("fields")
        .map(String::as_str)
        .unwrap_or("id,name");
    let mut body = serde_json::Map::new();
    for field in wanted.split(',').map(str::trim) {
        match field {
            "id" => {
                body.insert("id".into(), json!(user_id));
            }
            "name" => {
                body.insert("name".into(), json!(name));
            }
            _ => {}
        }
    }
    body.entry("id").or_insert(json!(user_id));
    Ok(Json(serde_json::Value::Object(body)).into_response())
}

pub async fn permissions(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (_, grant) = auth::user(&sandbox, &params, &headers).await?;
    let granted = list(&grant.granted)
        .into_iter()
        .map(|p| json!({ "permission": p, "status": "granted" }));
    let declined = list(&grant.declined)
        .into_iter()
        .map(|p| json!({ "permission": p, "status": "declined" }));
    Ok(Json(json!({ "data": granted.chain(declined).collect::<Vec<_>>() })).into_response())
}

/// `DELETE /me/permissions`: removes the app for this user (every token dies).
pub async fn remove_app(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, _) = auth::user(&sandbox, &params, &headers).await?;
    sandbox
        .remove_grant(&token.app_id, token.user_id.as_deref().unwrap_or_default())
        .await?;
    Ok(Json(json!({ "success": true })).into_response())
}

/// `DELETE /{user-id}/permissions?access_token={app token}`: the same, after the user's own
/// token is gone. Succeeds for a user who already removed the app.
pub async fn remove_app_with_app_token(
    State(sandbox): State<Sandbox>,
    Path((_version, node)): Path<(String, String)>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    match auth::authenticate(&sandbox, &params, &headers).await? {
        Caller::App { app_id } => {
            sandbox.remove_grant(&app_id, &node).await?;
            Ok(Json(json!({ "success": true })).into_response())
        }
        Caller::User { token, .. }
            if token.user_id.as_deref() == Some(node.as_str()) && token.page_id.is_none() =>
        {
            sandbox.remove_grant(&token.app_id, &node).await?;
            Ok(Json(json!({ "success": true })).into_response())
        }
        Caller::User { .. } => Err(GraphError::oauth(
            200,
            None,
            "(#200) Only the app or the user may remove the app's permissions.",
        )),
    }
}

/// `DELETE /me/permissions/{permission}`: revokes one permission (it becomes declined).
pub async fn revoke_permission(
    State(sandbox): State<Sandbox>,
    Path((_version, permission)): Path<(String, String)>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, _grant) = auth::user(&sandbox, &params, &headers).await?;
    sandbox
        .revoke_app_permission(
            &token.app_id,
            token.user_id.as_deref().unwrap_or_default(),
            &permission,
        )
        .await?;
    Ok(Json(json!({ "success": true })).into_response())
}
