//! `GET /instagram-graph/{version}/me` (docs/meta-api.md §6.4): who the Instagram token's
//! account is — `id` (app-scoped), `user_id` (professional account), `username`, `name`,
//! `account_type`, `profile_picture_url`, and zero counts — honouring `fields` (default
//! `id,username`; `id` always; unknown names ignored).

use crate::account_graph::{caller, field_object};
use crate::account_login::AccountLogin;
use crate::graph::errors::{GraphError, GraphResult};
use crate::graph::params::GraphParams;
use crate::Sandbox;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

/// `GET /{version}/me`.
pub async fn me(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, _) = caller(AccountLogin::Instagram, &sandbox, &params, &headers).await?;
    let id = token.user_id.unwrap_or_default();
    let scenario = sandbox.scenario().await?;
    let account = scenario
        .instagram_account(&id)
        .ok_or_else(|| GraphError::unknown_object(&id))?;
    let body = field_object(&params, "id,username", |field| {
        Some(match field {
            "id" => json!(account.id),
            "user_id" => json!(account.user_id),
            "username" => json!(account.username),
            "name" => json!(account.name),
            "account_type" => json!(account.account_type),
            "profile_picture_url" => {
                json!(format!(
                    "https://sandbox.invalid/ig/{}.jpg",
                    account.user_id
                ))
            }
            "followers_count" | "follows_count" | "media_count" => json!(0),
            _ => return None,
        })
    });
    Ok(Json(body).into_response())
}
