//! Pages: `me/accounts` (the Pages the user shared, with tasks, Page tokens and the linked
//! Instagram account by field expansion, cursor-paged with an absolute `paging.next`),
//! `me/businesses` and `{business}/owned_pages|client_pages`.

use super::auth;
use super::errors::{GraphError, GraphResult};
use super::paging::{paged, paged_window, Window};
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
use serde_json::{json, Map, Value};
use std::collections::HashSet;

const DEFAULT_PAGE_FIELDS: &str = "access_token,category,category_list,name,id,tasks";

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

/// A list of Pages as an edge answers it (`me/accounts`, a business's Pages): each with the
/// caller's tasks on it, the fields asked for, and the caller's token and grant.
struct PageList<'a> {
    listed: &'a [(&'a Page, &'a [String])],
    selection: &'a [FieldSel],
    token: &'a Token,
    grant: &'a grant::Model,
}

impl PageList<'_> {
    /// The result page the request asks for: only its Pages are rendered.
    async fn answer(&self, sandbox: &Sandbox, path: &str, params: &Params) -> GraphResult {
        let window = Window::of(params)?;
        let shown = window.of_slice(self.listed);
        let data = render_pages(sandbox, shown, self.selection, self.token, self.grant).await?;
        let body = paged_window(sandbox, path, params, window, data, self.listed.len());
        Ok(Json(body).into_response())
    }
}

/// The Pages of one result page, rendered; their Page tokens (when selected) are issued in one
/// statement.
async fn render_pages(
    sandbox: &Sandbox,
    pages: &[(&Page, &[String])],
    selection: &[FieldSel],
    user_token: &Token,
    grant: &grant::Model,
) -> Result<Vec<Value>, GraphError> {
    let wants_token = selection.iter().any(|f| f.name == "access_token");
    let mut tokens = if wants_token {
        // Page tokens from a long-lived user token don't expire; from a short one, an hour.
        let expires_at = if user_token.long_lived {
            0
        } else {
            sandbox.now().await? + SHORT_PAGE_TOKEN
        };
        let news: Vec<NewToken<'_>> = pages
            .iter()
            .map(|(page, _)| NewToken {
                kind: TokenKind::Page,
                app_id: &user_token.app_id,
                user_id: user_token.user_id.as_deref(),
                page_id: Some(&page.id),
                long_lived: user_token.long_lived,
                expires_at,
            })
            .collect();
        sandbox.issue_tokens(&news).await?
    } else {
        Vec::new()
    }
    .into_iter();
    let mut out = Vec::with_capacity(pages.len());
    for (page, tasks) in pages {
        out.push(render_page(page, tasks, selection, tokens.next(), grant));
    }
    Ok(out)
}

/// Renders a Page with the selected fields. `tasks` are the caller's on this Page.
fn render_page(
    page: &Page,
    tasks: &[String],
    selection: &[FieldSel],
    page_token: Option<String>,
    grant: &grant::Model,
) -> Value {
    let granted = list(&grant.granted);
    let mut out = Map::new();
    for field in selection {
        let value = match field.name.as_str() {
            "id" => json!(page.id),
            "name" => json!(page.name),
            "category" => json!(page.category),
            "category_list" => json!([{ "id": "2200", "name": page.category }]),
            "tasks" => json!(tasks),
            "access_token" => match &page_token {
                Some(token) => json!(token),
                None => continue,
            },
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
    Value::Object(out)
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
    let shared: HashSet<String> = list(&grant.page_ids).into_iter().collect();
    let user_id = token.user_id.clone().unwrap_or_default();
    let pages = scenario.pages_by_id();
    let listed: Vec<(&Page, &[String])> = scenario
        .user(&user_id)
        .map(|user| {
            user.roles
                .iter()
                .filter(|r| shared.contains(&r.page_id))
                .filter_map(|r| Some((*pages.get(r.page_id.as_str())?, r.tasks.as_slice())))
                .collect()
        })
        .unwrap_or_default();
    let path = format!("/{version}/me/accounts");
    let list = PageList {
        listed: &listed,
        selection: &selection,
        token: &token,
        grant: &grant,
    };
    list.answer(&sandbox, &path, &params).await
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
    let shared: HashSet<String> = list(&grant.page_ids).into_iter().collect();
    let selection = selection(&params, "id,name")?;
    let tasks: Vec<String> = ADMIN_TASKS.iter().map(|t| (*t).to_owned()).collect();
    let pages = scenario.pages_by_id();
    let listed: Vec<(&Page, &[String])> = ids
        .iter()
        .filter(|id| shared.contains(*id))
        .filter_map(|id| Some((*pages.get(id.as_str())?, tasks.as_slice())))
        .collect();
    let path = format!("/{version}/{node}/{edge}");
    let list = PageList {
        listed: &listed,
        selection: &selection,
        token: &token,
        grant: &grant,
    };
    list.answer(&sandbox, &path, &params).await
}
