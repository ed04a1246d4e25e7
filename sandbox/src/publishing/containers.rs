//! Instagram's and Threads' two-step publishing (docs/meta-api.md §11): a media container is
//! made (`media`, `threads`), is `IN_PROGRESS` for the scenario's `container_seconds` and then
//! `FINISHED`, and is published once (`media_publish`, `threads_publish`) — refused while it is
//! still processing, after 24 hours (`EXPIRED`) and once the 24-hour quota is used up
//! (code 9, subcode 2207042). The quota endpoints answer `quota_usage` and, when `fields` asks
//! for it, `config`.

use super::owners::{self, Host};
use super::store::{new_id, NewMedia};
use super::{
    media_url, required, CAPTION_MAX_CHARS, DEFAULT_INSTAGRAM_QUOTA, DEFAULT_THREADS_QUOTA,
    QUOTA_WINDOW_SECONDS, THREADS_TEXT_MAX_CHARS,
};
use crate::entities::media;
use crate::graph::errors::{GraphError, GraphResult};
use crate::graph::Params;
use crate::Sandbox;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

/// Containers not published within a day expire, as Meta's do.
const CONTAINER_LIFETIME_SECONDS: i64 = 86_400;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// `POST /{ig-user-id}/media` (`image_url`, optional `caption`) or `POST /{threads-user-id}/
/// threads` (`media_type` TEXT with `text`, or IMAGE with `image_url`).
pub async fn create(
    sandbox: &Sandbox,
    host: Host,
    node: &str,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    let owner = owners::instagram_or_threads(sandbox, host, node, params, headers).await?;
    let (text, image) = match host {
        Host::Threads => {
            let kind = param(params, "media_type").unwrap_or("TEXT");
            let text = param(params, "text");
            if text.is_some_and(|t| t.chars().count() > THREADS_TEXT_MAX_CHARS) {
                return Err(GraphError::oauth(
                    100,
                    None,
                    "(#100) The text is longer than 500 characters",
                ));
            }
            match kind {
                "TEXT" => (Some(required(params, "text")?), None),
                "IMAGE" => (text, Some(media_url(required(params, "image_url")?)?)),
                _ => {
                    return Err(GraphError::oauth(
                        100,
                        None,
                        "(#100) media_type must be TEXT or IMAGE",
                    ))
                }
            }
        }
        Host::Graph | Host::Instagram => {
            let caption = param(params, "caption");
            if caption.is_some_and(|c| c.chars().count() > CAPTION_MAX_CHARS) {
                return Err(GraphError::oauth(
                    100,
                    None,
                    "(#100) The caption is longer than 2200 characters",
                ));
            }
            (caption, Some(media_url(required(params, "image_url")?)?))
        }
    };
    let now = sandbox.now().await?;
    let delay = i64::from(sandbox.scenario().await?.switches.container_seconds);
    let id = new_id();
    let ready = delay == 0;
    sandbox
        .save_media(NewMedia {
            id: id.clone(),
            product: host.product(),
            owner_id: &owner,
            kind: "container",
            status: if ready { "FINISHED" } else { "IN_PROGRESS" },
            text,
            image_url: image,
            ready_at: now.saturating_add(delay),
            published_at: None,
        })
        .await?;
    Ok(Json(json!({ "id": id })).into_response())
}

/// A container's status as it is now: ready once its time has come, expired after a day.
fn status_now(container: &media::Model, now: i64) -> &'static str {
    match container.status.as_str() {
        "PUBLISHED" => "PUBLISHED",
        _ if now.saturating_sub(container.created_at) >= CONTAINER_LIFETIME_SECONDS => "EXPIRED",
        _ if now >= container.ready_at => "FINISHED",
        _ => "IN_PROGRESS",
    }
}

/// A container of `host`'s product that the caller may see.
async fn container(
    sandbox: &Sandbox,
    host: Host,
    id: &str,
    params: &Params,
    headers: &HeaderMap,
) -> Result<media::Model, GraphError> {
    let found = sandbox
        .find_media(id)
        .await?
        .filter(|m| m.kind == "container" && m.product == host.product())
        .ok_or_else(|| GraphError::unknown_object(id))?;
    let node = match host {
        Host::Graph => found.owner_id.clone(),
        Host::Instagram | Host::Threads => "me".to_owned(),
    };
    let owner = owners::instagram_or_threads(sandbox, host, &node, params, headers).await?;
    if owner != found.owner_id {
        return Err(GraphError::unknown_object(id));
    }
    Ok(found)
}

/// `GET /{container-id}?fields=status_code,status` (Instagram) or `?fields=status,
/// error_message` (Threads).
pub async fn status(
    sandbox: &Sandbox,
    host: Host,
    id: &str,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    // Only an id names an object; any other word is a path Graph doesn't have.
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(GraphError::unknown_path(&format!("/{id}")));
    }
    let found = container(sandbox, host, id, params, headers).await?;
    let status = status_now(&found, sandbox.now().await?);
    let words = match status {
        "FINISHED" => "Finished: Media has been uploaded and it is complete.",
        "IN_PROGRESS" => "In Progress: Media is still being processed.",
        "EXPIRED" => "Expired: The media container was not published within 24 hours.",
        _ => "Published: Media has been published.",
    };
    let body = crate::account_graph::field_object(params, "id", |field| match field {
        "id" => Some(json!(found.id)),
        "status_code" if host != Host::Threads => Some(json!(status)),
        "status" if host == Host::Threads => Some(json!(status)),
        "status" => Some(json!(words)),
        "error_message" if host == Host::Threads => Some(json!("")),
        _ => None,
    });
    Ok(Json(body).into_response())
}

/// The quota's total for `host`'s product, as the scenario sets it.
async fn quota_total(sandbox: &Sandbox, host: Host) -> Result<u32, GraphError> {
    let switches = sandbox.scenario().await?.switches;
    Ok(match host {
        Host::Threads => switches
            .threads_quota_total
            .unwrap_or(DEFAULT_THREADS_QUOTA),
        Host::Graph | Host::Instagram => switches
            .instagram_quota_total
            .unwrap_or(DEFAULT_INSTAGRAM_QUOTA),
    })
}

/// `POST /{id}/media_publish` or `/{id}/threads_publish` with `creation_id`.
pub async fn publish(
    sandbox: &Sandbox,
    host: Host,
    node: &str,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    let owner = owners::instagram_or_threads(sandbox, host, node, params, headers).await?;
    let creation_id = required(params, "creation_id")?;
    let found = container(sandbox, host, creation_id, params, headers).await?;
    if found.owner_id != owner {
        return Err(GraphError::unknown_object(creation_id));
    }
    let now = sandbox.now().await?;
    match status_now(&found, now) {
        "IN_PROGRESS" => {
            return Err(GraphError::oauth(
                9007,
                Some(2207027),
                "The media is not ready for publishing, please wait for a moment",
            ))
        }
        "EXPIRED" => {
            return Err(GraphError::oauth(
                9007,
                Some(2207020),
                "The media you are trying to publish has expired",
            ))
        }
        "PUBLISHED" => {
            return Err(GraphError::oauth(
                9007,
                Some(2207006),
                "The media has already been published",
            ))
        }
        _ => {}
    }
    let used = sandbox
        .published_since(&owner, now.saturating_sub(QUOTA_WINDOW_SECONDS))
        .await?;
    if used >= u64::from(quota_total(sandbox, host).await?) {
        return Err(GraphError::oauth(
            9,
            Some(2207042),
            "Application request limit reached: the account has reached its publishing limit",
        ));
    }
    let media_id = new_id();
    if !sandbox.mark_published(&found.id, &media_id, now).await? {
        return Err(GraphError::oauth(
            9007,
            Some(2207006),
            "The media has already been published",
        ));
    }
    Ok(Json(json!({ "id": media_id })).into_response())
}

/// `GET /{ig-user-id}/content_publishing_limit` or `/{threads-user-id}/
/// threads_publishing_limit`: posts published in the last 24 hours (or since `since`, never
/// further back) and, when `fields` names `config`, the quota.
pub async fn quota(
    sandbox: &Sandbox,
    host: Host,
    node: &str,
    params: &Params,
    headers: &HeaderMap,
) -> GraphResult {
    let owner = owners::instagram_or_threads(sandbox, host, node, params, headers).await?;
    let now = sandbox.now().await?;
    let earliest = now.saturating_sub(QUOTA_WINDOW_SECONDS);
    let since = params
        .get("since")
        .and_then(|s| s.parse::<i64>().ok())
        .map_or(earliest, |s| s.clamp(earliest, now));
    let used = sandbox.published_since(&owner, since).await?;
    let total = quota_total(sandbox, host).await?;
    let fields = params.get("fields").map(String::as_str).unwrap_or_default();
    let mut entry = json!({ "quota_usage": used });
    if fields.split(',').any(|f| f.trim() == "config") {
        entry["config"] = json!({ "quota_total": total, "quota_duration": QUOTA_WINDOW_SECONDS });
    }
    Ok(Json(json!({ "data": [entry] })).into_response())
}
