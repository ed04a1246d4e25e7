//! The deauthorize callback: the person removed the app at Meta, so every account of their
//! grants through that product — in any workspace — that isn't Disconnected becomes **Needs
//! Reauthorization** with "App removed on {product}" (they may reconnect; docs/product.md →
//! Statuses). One activity entry per workspace where something changed, so a repeat delivery
//! changes nothing and announces nothing.

use crate::domain::{AccountStatus, Provider, StatusReason};
use crate::error::AppError;
use crate::server::entities::account;
use crate::server::services::audit::{self, AuditEntry, AuditKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// What a deauthorize changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deauthorized {
    /// Workspaces where at least one account changed.
    pub workspaces: usize,
    /// Accounts now Needs Reauthorization because of this callback.
    pub accounts: u64,
}

pub async fn deauthorize(
    db: &DatabaseConnection,
    now: i64,
    provider: Provider,
    user_id: &str,
) -> Result<Deauthorized, AppError> {
    let reason = StatusReason::app_removed(provider).as_str();
    let needs_reauth = AccountStatus::NeedsReauth.as_str();
    let txn = super::begin(db).await?;
    let grants = super::grants_of(&txn, provider, user_id).await?;
    let mut outcome = Deauthorized::default();
    for grant in grants {
        let live: Vec<(i64, String)> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::Platform)
            .filter(account::Column::GrantId.eq(grant.id))
            .filter(account::Column::Status.ne(AccountStatus::Disconnected.as_str()))
            .into_tuple()
            .all(&txn)
            .await?;
        let changed = account::Entity::update_many()
            .col_expr(account::Column::Status, Expr::value(needs_reauth))
            .col_expr(account::Column::StatusReason, Expr::value(reason))
            .col_expr(account::Column::UpdatedAt, Expr::value(now))
            .filter(account::Column::GrantId.eq(grant.id))
            .filter(account::Column::Status.ne(AccountStatus::Disconnected.as_str()))
            // Already marked for this very reason: a repeat delivery.
            .filter(
                Condition::any()
                    .add(account::Column::Status.ne(needs_reauth))
                    .add(account::Column::StatusReason.is_null())
                    .add(account::Column::StatusReason.ne(reason)),
            )
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            continue;
        }
        outcome.workspaces += 1;
        outcome.accounts += changed;
        let subject = if grant.external_user_name.is_empty() {
            format!("A {} user", provider.label())
        } else {
            grant.external_user_name
        };
        audit::record(
            &txn,
            now,
            AuditEntry {
                workspace_id: Some(grant.workspace_id),
                actor_user_id: None,
                kind: AuditKind::MetaDeauthorized,
                subject,
                detail: serde_json::json!({
                    "provider": provider.as_str(),
                    "accounts": changed,
                }),
                accounts: live
                    .iter()
                    .filter_map(|(id, platform)| Some((*id, platform.parse().ok()?)))
                    .collect(),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(outcome)
}
