//! Reading connected accounts for the pages: the integrations list (one row per connection,
//! with who connected it).

use crate::domain::{AccountStatus, Platform, StatusReason};
use crate::server::entities::{account, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};

/// One connection as the integrations page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRow {
    pub id: i64,
    pub name: String,
    pub username: Option<String>,
    pub platform: Platform,
    pub status: AccountStatus,
    pub status_reason: Option<String>,
    pub connected_by: String,
    pub connected_at: i64,
}

/// Every account of the workspace, Pages first and each Page's Instagram account after it.
pub async fn connections(
    db: &impl ConnectionTrait,
    workspace_id: i64,
) -> Result<Vec<ConnectionRow>, DbErr> {
    let rows = account::Entity::find()
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .order_by_asc(account::Column::Name)
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.connected_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut listed: Vec<ConnectionRow> = Vec::with_capacity(rows.len());
    let to_row = |row: &account::Model| {
        Some(ConnectionRow {
            id: row.id,
            name: row.name.clone(),
            username: row.username.clone(),
            platform: row.platform.parse().ok()?,
            status: row.status.parse().ok()?,
            status_reason: row.status_reason.as_deref().map(StatusReason::label_of),
            connected_by: people
                .get(&row.connected_by)
                .cloned()
                .unwrap_or_else(|| "A former user".to_owned()),
            connected_at: row.connected_at,
        })
    };
    let mut children: HashMap<i64, Vec<&account::Model>> = HashMap::new();
    for row in &rows {
        if let Some(parent) = row.parent_account_id {
            children.entry(parent).or_default().push(row);
        }
    }
    for parent in rows.iter().filter(|r| r.parent_account_id.is_none()) {
        listed.extend(to_row(parent));
        for child in children.get(&parent.id).into_iter().flatten() {
            listed.extend(to_row(child));
        }
    }
    // Children whose parent is gone still show.
    let ids: HashSet<i64> = rows.iter().map(|r| r.id).collect();
    for orphan in rows
        .iter()
        .filter(|r| r.parent_account_id.is_some_and(|p| !ids.contains(&p)))
    {
        listed.extend(to_row(orphan));
    }
    Ok(listed)
}
