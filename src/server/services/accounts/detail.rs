//! One account's page (`/accounts/{id}`): every field, the grant it came with (scopes granted
//! and declined, consent time, who connected it), its Parent Facebook Page or its Linked
//! Instagram Accounts. Looked up within the workspace only: another workspace's id is "not
//! found", like an id that doesn't exist.

use super::diagnostics::{self, Diagnostics};
use crate::domain::{AccountStatus, Platform, Provider, StatusReason};
use crate::server::entities::{account, grant, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// An account another one links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedAccount {
    pub id: i64,
    pub name: String,
}

/// Everything the detail page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDetail {
    pub id: i64,
    pub name: String,
    pub username: Option<String>,
    pub platform: Platform,
    pub external_id: String,
    pub status: AccountStatus,
    pub status_reason: Option<String>,
    /// The token expiry the list shows (own token, else the grant's user token).
    pub token_expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
    pub missing_scopes: Vec<String>,
    pub scopes_granted: Vec<String>,
    pub scopes_declined: Vec<String>,
    pub consented_at: Option<i64>,
    pub connected_by: String,
    pub connected_at: i64,
    pub last_used_at: Option<i64>,
    /// Which authorization it came with: the provider and the person at Meta.
    pub grant: Option<(Provider, String)>,
    pub parent: Option<LinkedAccount>,
    pub linked: Vec<LinkedAccount>,
    /// What Meta's last check of the Facebook grant said (`diagnostics`).
    pub diagnostics: Option<Diagnostics>,
    /// A Page's tasks for the person who connected it, as Meta listed them then.
    pub page_tasks: Vec<String>,
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The account `id` of `workspace_id`, or `None`.
pub async fn detail(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    id: i64,
) -> Result<Option<AccountDetail>, DbErr> {
    let Some(row) = account::Entity::find_by_id(id)
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let (Ok(platform), Ok(status)) = (row.platform.parse::<Platform>(), row.status.parse()) else {
        return Ok(None);
    };
    let grant = match row.grant_id {
        Some(grant_id) => grant::Entity::find_by_id(grant_id).one(db).await?,
        None => None,
    };
    let connected_by = user::Entity::find_by_id(row.connected_by)
        .one(db)
        .await?
        .map(|person| person.name)
        .unwrap_or_else(|| "A former user".to_owned());
    // Parent and children in one query: the rows whose id is the parent, or whose parent is this.
    let mut related = account::Entity::find().filter(account::Column::WorkspaceId.eq(workspace_id));
    related = match row.parent_account_id {
        Some(parent) => related.filter(account::Column::Id.eq(parent)),
        None => related.filter(account::Column::ParentAccountId.eq(row.id)),
    };
    let related: Vec<LinkedAccount> = related
        .order_by_asc(account::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|other| LinkedAccount {
            id: other.id,
            name: other.name,
        })
        .collect();
    let (parent, linked) = match row.parent_account_id {
        Some(_) => (related.into_iter().next(), Vec::new()),
        None => (None, related),
    };
    let diagnostics = grant
        .as_ref()
        .and_then(|g| g.diagnostics.as_deref())
        .and_then(|stored| diagnostics::read(stored, platform, &row.external_id));
    Ok(Some(AccountDetail {
        id: row.id,
        name: row.name,
        username: row.username,
        platform,
        external_id: row.external_id,
        status,
        status_reason: row.status_reason.as_deref().map(StatusReason::label_of),
        token_expires_at: row
            .token_expires_at
            .or(grant.as_ref().and_then(|g| g.token_expires_at)),
        data_access_expires_at: grant.as_ref().and_then(|g| g.data_access_expires_at),
        missing_scopes: list(&row.missing_scopes),
        scopes_granted: grant
            .as_ref()
            .map(|g| list(&g.scopes_granted))
            .unwrap_or_default(),
        scopes_declined: grant
            .as_ref()
            .map(|g| list(&g.scopes_declined))
            .unwrap_or_default(),
        consented_at: grant.as_ref().map(|g| g.consented_at),
        connected_by,
        connected_at: row.connected_at,
        last_used_at: row.last_used_at,
        diagnostics,
        page_tasks: row.page_tasks.as_deref().map(list).unwrap_or_default(),
        grant: grant.and_then(|g| Some((g.provider.parse().ok()?, g.external_user_name))),
        parent,
        linked,
    }))
}
