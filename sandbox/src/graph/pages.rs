//! Pages: `me/accounts` (the Pages the user shared, with tasks, Page tokens and the linked
//! Instagram account by field expansion, cursor-paged with an absolute `paging.next`),
//! `me/businesses` and `{business}/owned_pages|client_pages`.

use super::auth;
use super::errors::{GraphError, GraphResult};
use super::params::GraphParams;
use super::Params;
use crate::entities::grant;
use crate::fields::{self, FieldSel};
use crate::issued::{list, NewToken, Token, TokenKind, SHORT_PAGE_TOKEN};
use crate::scenario::{Page, ADMIN_TASKS};
use crate::Sandbox;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use base64::Engine;
use serde_json::{json, Map, Value};

const DEFAULT_PAGE_FIELDS: &str = "access_token,category,category_list,name,id,tasks";
const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 100;

fn selection(params: &Params, default: &str) -> Result<Vec<FieldSel>, GraphError> {
    let raw = params
        .get("fields")
        .map(String::as_str)
        .filter(|f| !f.is_empty())
        .unwrap_or(default);
    fields::parse(raw).ok_or_else(|| {
        GraphError::oauth(100, None, format!("(#100) Syntax error in fields {raw:?}"))
    })
}

fn encode_cursor(index: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("idx:{index}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("idx:")?
        .parse()
        .ok()
}

/// One result page of `items` with Meta's paging object; `next` repeats the request's own
/// parameters with the new cursor, as an absolute URL.
fn paged(
    sandbox: &Sandbox,
    path: &str,
    params: &Params,
    items: Vec<Value>,
) -> Result<Value, GraphError> {
    let limit = params
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, MAX_LIMIT);
    let start = match params.get("after") {
        Some(cursor) => decode_cursor(cursor)
            .and_then(|index| index.checked_add(1))
            .ok_or_else(|| GraphError::oauth(100, None, "(#100) Invalid cursor"))?,
        None => 0,
    };
    let total = items.len();
    let end = start.saturating_add(limit).min(total);
    let data: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let mut body = json!({ "data": data });
    if end > start {
        let after = encode_cursor(end - 1);
        let mut paging = json!({ "cursors": { "before": encode_cursor(start), "after": after } });
        if end < total {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in params.iter().filter(|(k, _)| k.as_str() != "after") {
                query.append_pair(key, value);
            }
            query.append_pair("after", &after);
            paging["next"] = json!(format!(
                "{}{}?{}",
                sandbox.app_url.join("/sandbox/graph"),
                path,
                query.finish()
            ));
        }
        body["paging"] = paging;
    }
    Ok(body)
}

/// Renders a Page with the selected fields. `tasks` are the caller's on this Page.
async fn render_page(
    sandbox: &Sandbox,
    page: &Page,
    tasks: &[String],
    selection: &[FieldSel],
    user_token: &Token,
    grant: &grant::Model,
) -> Result<Value, GraphError> {
    let granted = list(&grant.granted);
    let mut out = Map::new();
    for field in selection {
        let value = match field.name.as_str() {
            "id" => json!(page.id),
            "name" => json!(page.name),
            "category" => json!(page.category),
            "category_list" => json!([{ "id": "2200", "name": page.category }]),
            "tasks" => json!(tasks),
            "access_token" => {
                // Page tokens from a long-lived user token don't expire; from a short one, an hour.
                let expires_at = if user_token.long_lived {
                    0
                } else {
                    sandbox.now().await? + SHORT_PAGE_TOKEN
                };
                let token = sandbox
                    .issue_token(NewToken {
                        kind: TokenKind::Page,
                        app_id: &user_token.app_id,
                        user_id: user_token.user_id.as_deref(),
                        page_id: Some(&page.id),
                        long_lived: user_token.long_lived,
                        expires_at,
                    })
                    .await?;
                json!(token)
            }
            "instagram_business_account" => {
                // Omitted when no account is linked, or the user didn't grant instagram_basic.
                let Some(ig) = page
                    .instagram
                    .as_ref()
                    .filter(|_| granted.iter().any(|p| p == "instagram_basic"))
                else {
                    continue;
                };
                let wanted = field.children.clone().unwrap_or_else(|| {
                    vec![FieldSel {
                        name: "id".into(),
                        children: None,
                    }]
                });
                let mut account = Map::new();
                for sub in wanted {
                    let v = match sub.name.as_str() {
                        "id" => json!(ig.id),
                        "username" => json!(ig.username),
                        "name" => json!(ig.name),
                        "profile_picture_url" => {
                            json!(format!("https://sandbox.invalid/ig/{}.jpg", ig.id))
                        }
                        _ => continue,
                    };
                    account.insert(sub.name, v);
                }
                Value::Object(account)
            }
            _ => continue,
        };
        out.insert(field.name.clone(), value);
    }
    Ok(Value::Object(out))
}

/// The calling user, who must have granted `permission`.
async fn user_with(
    sandbox: &Sandbox,
    params: &Params,
    headers: &HeaderMap,
    permission: &str,
) -> Result<(Token, grant::Model), GraphError> {
    let (token, grant) = auth::user(sandbox, params, headers).await?;
    if !list(&grant.granted).iter().any(|p| p == permission) {
        return Err(GraphError::missing_permission(permission));
    }
    Ok((token, grant))
}

/// `GET /me/accounts`: the Pages the user shared (granular selection) and holds tasks on.
pub async fn accounts(
    State(sandbox): State<Sandbox>,
    Path(version): Path<String>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, grant) = user_with(&sandbox, &params, &headers, "pages_show_list").await?;
    let selection = selection(&params, DEFAULT_PAGE_FIELDS)?;
    let scenario = sandbox.scenario().await?;
    let shared = list(&grant.page_ids);
    let user_id = token.user_id.clone().unwrap_or_default();
    let mut items = Vec::new();
    if let Some(user) = scenario.user(&user_id) {
        for role in user.roles.iter().filter(|r| shared.contains(&r.page_id)) {
            if let Some(page) = scenario.page(&role.page_id) {
                items.push(
                    render_page(&sandbox, page, &role.tasks, &selection, &token, &grant).await?,
                );
            }
        }
    }
    let body = paged(&sandbox, &format!("/{version}/me/accounts"), &params, items)?;
    Ok(Json(body).into_response())
}

/// `GET /me/businesses`: the user's Business portfolios (needs `business_management`).
pub async fn businesses(
    State(sandbox): State<Sandbox>,
    Path(version): Path<String>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let (token, _) = user_with(&sandbox, &params, &headers, "business_management").await?;
    let scenario = sandbox.scenario().await?;
    let user_id = token.user_id.unwrap_or_default();
    let items = scenario
        .user(&user_id)
        .map(|user| {
            scenario
                .businesses
                .iter()
                .filter(|b| user.businesses.contains(&b.id))
                .map(|b| json!({ "id": b.id, "name": b.name }))
                .collect()
        })
        .unwrap_or_default();
    Ok(Json(paged(
        &sandbox,
        &format!("/{version}/me/businesses"),
        &params,
        items,
    )?)
    .into_response())
}

/// `GET /{business}/owned_pages` and `/{business}/client_pages`.
pub async fn business_pages(
    State(sandbox): State<Sandbox>,
    Path((version, node, edge)): Path<(String, String, String)>,
    headers: HeaderMap,
    GraphParams(params): GraphParams,
) -> GraphResult {
    let unknown = || GraphError::unknown_object(&node);
    if edge != "owned_pages" && edge != "client_pages" {
        return Err(if node == "me" {
            GraphError::unknown_path(&format!("/{edge}"))
        } else {
            unknown()
        });
    }
    let (token, grant) = user_with(&sandbox, &params, &headers, "business_management").await?;
    let scenario = sandbox.scenario().await?;
    let user_id = token.user_id.clone().unwrap_or_default();
    let business = scenario
        .businesses
        .iter()
        .find(|b| {
            b.id == node
                && scenario
                    .user(&user_id)
                    .is_some_and(|u| u.businesses.contains(&b.id))
        })
        .ok_or_else(unknown)?;
    let ids = if edge == "owned_pages" {
        &business.owned_pages
    } else {
        &business.client_pages
    };
    let shared = list(&grant.page_ids);
    let selection = selection(&params, "id,name")?;
    let tasks: Vec<String> = ADMIN_TASKS.iter().map(|t| (*t).to_owned()).collect();
    let mut items = Vec::new();
    for page in ids
        .iter()
        .filter(|id| shared.contains(id))
        .filter_map(|id| scenario.page(id))
    {
        items.push(render_page(&sandbox, page, &tasks, &selection, &token, &grant).await?);
    }
    Ok(Json(paged(
        &sandbox,
        &format!("/{version}/{node}/{edge}"),
        &params,
        items,
    )?)
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor(149)), Some(149));
        assert_eq!(decode_cursor("not a cursor"), None);
    }
}
