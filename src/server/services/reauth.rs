//! Turning accounts Needs Reauthorization with a reason, when the maintenance sweep or a
//! publish finds Meta rejecting a token. Only Active accounts change, so a
//! token that is found dead again (or by a second sweeper) is not announced again: one
//! activity entry per workspace per real change.

use crate::domain::{AccountStatus, Platform, StatusReason};
use crate::server::entities::account;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// A workspace's newly marked accounts: their names (the entry's subject) and ids with platforms.
type Marked = (Vec<String>, Vec<(i64, Platform)>);

/// Marks the Active accounts among `ids`; answers how many changed.
pub async fn needs_reauth(
    db: &impl ConnectionTrait,
    now: i64,
    ids: &[i64],
    reason: StatusReason,
) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let active = AccountStatus::Active.as_str();
    let rows: Vec<(i64, i64, String, String)> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::WorkspaceId)
        .column(account::Column::Name)
        .column(account::Column::Platform)
        .filter(account::Column::Id.is_in(ids.to_vec()))
        .filter(account::Column::Status.eq(active))
        .into_tuple()
        .all(db)
        .await?;
    let changing: Vec<i64> = rows.iter().map(|(id, _, _, _)| *id).collect();
    if changing.is_empty() {
        return Ok(0);
    }
    let changed = account::Entity::update_many()
        .col_expr(
            account::Column::Status,
            Expr::value(AccountStatus::NeedsReauth.as_str()),
        )
        .col_expr(account::Column::StatusReason, Expr::value(reason.as_str()))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.is_in(changing))
        .filter(account::Column::Status.eq(active))
        .exec(db)
        .await?
        .rows_affected;
    let mut by_workspace: BTreeMap<i64, Marked> = BTreeMap::new();
    for (id, workspace_id, name, platform) in rows {
        let (names, accounts) = by_workspace.entry(workspace_id).or_default();
        names.push(name);
        if let Ok(platform) = platform.parse() {
            accounts.push((id, platform));
        }
    }
    for (workspace_id, (names, accounts)) in by_workspace {
        let entry = AuditEntry {
            workspace_id: Some(workspace_id),
            actor_user_id: None,
            kind: AuditKind::AccountsNeedReauth,
            subject: names.join(", ").chars().take(255).collect(),
            detail: serde_json::json!({ "reason": reason.label(), "accounts": names.len() }),
            accounts,
        };
        audit::record(db, now, entry).await?;
    }
    Ok(changed)
}
