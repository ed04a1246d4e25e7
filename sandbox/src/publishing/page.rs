//! `POST /{page-id}/feed` (`message`, optional `link`) and `POST /{page-id}/photos` (`url`,
//! optional `message`): published at once, as Meta does without `published=false`. A photo's
//! answer carries the id of the post it made (`post_id`), as Meta's does.

use super::store::{new_id, NewMedia};
use super::{media_url, owners, PAGE_MESSAGE_MAX_CHARS};
use crate::graph::errors::{GraphError, GraphResult};
use crate::graph::Params;
use crate::Sandbox;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

pub async fn post(
    sandbox: &Sandbox,
    page_id: &str,
    edge: &str,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    owners::page(sandbox, page_id, params, headers).await?;
    let message = params
        .get("message")
        .map(String::as_str)
        .filter(|m| !m.trim().is_empty());
    if message.is_some_and(|m| m.chars().count() > PAGE_MESSAGE_MAX_CHARS) {
        return Err(GraphError::oauth(
            100,
            None,
            "(#100) The message is too long",
        ));
    }
    let image = match edge {
        "photos" => Some(media_url(super::required(params, "url")?)?),
        _ => None,
    };
    let link = params.get("link").filter(|l| !l.is_empty());
    if message.is_none() && image.is_none() && link.is_none() {
        return Err(GraphError::oauth(
            100,
            None,
            "(#100) Missing message or attachment",
        ));
    }
    let now = sandbox.now().await?;
    let post_id = format!("{page_id}_{}", new_id());
    sandbox
        .save_media(NewMedia {
            id: post_id.clone(),
            product: "facebook",
            owner_id: page_id,
            kind: if image.is_some() { "photo" } else { "post" },
            status: "PUBLISHED",
            text: message,
            image_url: image,
            ready_at: now,
            published_at: Some(now),
        })
        .await?;
    let body = match image {
        Some(_) => json!({ "id": new_id(), "post_id": post_id }),
        None => json!({ "id": post_id }),
    };
    Ok(Json(body).into_response())
}
