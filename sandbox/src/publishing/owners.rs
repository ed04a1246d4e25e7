//! Who may publish to which account, checked as Meta checks it. On the Graph host a Page takes
//! its own Page token from someone with the CREATE_CONTENT task and `pages_manage_posts`; an
//! Instagram account linked to a Page takes a token of someone who reaches that Page, with
//! `instagram_content_publish`. On the Instagram Graph host an account takes its own Instagram
//! Login token (`instagram_business_content_publish`); on the Threads host a profile takes its
//! own (`threads_content_publish`). `me` names the token's own account on those two hosts.

use crate::account_graph;
use crate::account_login::AccountLogin;
use crate::entities::grant;
use crate::graph::auth::{self, Caller};
use crate::graph::errors::GraphError;
use crate::graph::Params;
use crate::issued::list;
use crate::Sandbox;
use axum::http::HeaderMap;

/// The host a call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// graph.facebook.com: Pages and the Instagram accounts linked to them.
    Graph,
    /// graph.instagram.com: Instagram Login accounts.
    Instagram,
    /// graph.threads.net.
    Threads,
}

impl Host {
    /// The `product` media made through this host belong to.
    pub fn product(self) -> &'static str {
        match self {
            Host::Graph | Host::Instagram => "instagram",
            Host::Threads => "threads",
        }
    }
}

fn has(grant: &grant::Model, permission: &str) -> Result<(), GraphError> {
    if list(&grant.granted).iter().any(|p| p == permission) {
        Ok(())
    } else {
        Err(GraphError::missing_permission(permission))
    }
}

/// The Page `page_id`, for a Page token of its own with the right to publish.
pub async fn page(
    sandbox: &Sandbox,
    page_id: &str,
    params: &Params,
    headers: &HeaderMap,
) -> Result<(), GraphError> {
    let Caller::User { token, grant } = auth::authenticate(sandbox, params, headers).await? else {
        return Err(GraphError::oauth(
            200,
            None,
            "(#200) The app token cannot publish to a Page",
        ));
    };
    let scenario = sandbox.scenario().await?;
    if scenario.page(page_id).is_none() {
        return Err(GraphError::unknown_object(page_id));
    }
    if token.page_id.as_deref() != Some(page_id) {
        return Err(GraphError::oauth(
            200,
            None,
            "(#200) Unpublished posts must be posted to a page as the page itself",
        ));
    }
    has(&grant, "pages_manage_posts")?;
    let user_id = token.user_id.clone().unwrap_or_default();
    let direct_tasks = scenario
        .user(&user_id)
        .and_then(|u| u.roles.iter().find(|r| r.page_id == page_id))
        .map(|r| r.tasks.clone());
    // Through a Business portfolio the user holds every task (`pages::business_pages`).
    if let Some(tasks) = direct_tasks {
        if !tasks.iter().any(|t| t == "CREATE_CONTENT") {
            return Err(GraphError::oauth(
                200,
                None,
                "(#200) The user hasn't authorized the application to perform this action",
            ));
        }
    }
    Ok(())
}

/// The Instagram professional account `node` names on `host`, for a caller allowed to
/// publish to it; answers its professional id.
pub async fn instagram_or_threads(
    sandbox: &Sandbox,
    host: Host,
    node: &str,
    params: &Params,
    headers: &HeaderMap,
) -> Result<String, GraphError> {
    match host {
        Host::Graph => linked_instagram(sandbox, node, params, headers).await,
        Host::Instagram => {
            let (token, grant) =
                account_graph::caller(AccountLogin::Instagram, sandbox, params, headers).await?;
            has(&grant, "instagram_business_content_publish")?;
            let scenario = sandbox.scenario().await?;
            let app_scoped = token.user_id.unwrap_or_default();
            let account = scenario
                .instagram_account(&app_scoped)
                .ok_or_else(|| GraphError::unknown_object(node))?;
            if node == "me" || node == account.user_id || node == account.id {
                Ok(account.user_id.clone())
            } else {
                Err(GraphError::unknown_object(node))
            }
        }
        Host::Threads => {
            let (token, grant) =
                account_graph::caller(AccountLogin::Threads, sandbox, params, headers).await?;
            has(&grant, "threads_content_publish")?;
            let profile = token.user_id.unwrap_or_default();
            if node == "me" || node == profile {
                Ok(profile)
            } else {
                Err(GraphError::unknown_object(node))
            }
        }
    }
}

/// An Instagram account linked to a Page the caller reaches (directly or through a Business
/// portfolio) and shared with the app.
async fn linked_instagram(
    sandbox: &Sandbox,
    node: &str,
    params: &Params,
    headers: &HeaderMap,
) -> Result<String, GraphError> {
    let Caller::User { token, grant } = auth::authenticate(sandbox, params, headers).await? else {
        return Err(GraphError::unknown_object(node));
    };
    has(&grant, "instagram_content_publish")?;
    let scenario = sandbox.scenario().await?;
    let page = scenario
        .pages
        .iter()
        .find(|p| p.instagram.as_ref().is_some_and(|ig| ig.id == node))
        .ok_or_else(|| GraphError::unknown_object(node))?;
    let shared = list(&grant.page_ids).contains(&page.id);
    let user_id = token.user_id.clone().unwrap_or_default();
    let reaches = scenario.user(&user_id).is_some_and(|u| {
        u.roles.iter().any(|r| r.page_id == page.id)
            || scenario.business_pages(u).any(|(_, p)| p.id == page.id)
    });
    let own_page = token.page_id.as_deref().is_none_or(|id| id == page.id);
    if shared && reaches && own_page {
        Ok(node.to_owned())
    } else {
        Err(GraphError::unknown_object(node))
    }
}
