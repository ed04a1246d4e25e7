//! **Delete** on a Disconnected profile (Owner, Admin): the account is removed for good, with
//! the Instagram accounts linked through it (they can't be reconnected without their Page) and
//! their posts; the activity log keeps the record. A grant left with no account is removed too
//! — it holds no token after the disconnect.

use super::audit::{self, AuditKind};
use super::context::Context;
use super::disconnect::find;
use super::members::lock_workspace;
use crate::domain::policy::{authorize, Permission};
use crate::domain::{AccountStatus, Platform};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::entities::{account, grant};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, TransactionTrait,
};

/// Deletes the Disconnected account `account_id`; answers its name.
pub async fn delete(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    account_id: i64,
) -> Result<String, AppError> {
    authorize(actor.role, Permission::DeleteAccounts)?;
    let now = ctx.clock.unix();
    let txn = ctx.db.begin().await?;
    lock_workspace(&txn, actor.workspace.id).await?;
    let row = find(&txn, actor.workspace.id, account_id).await?;
    if row.status != AccountStatus::Disconnected.as_str() {
        return Err(AppError::NotDisconnected);
    }
    let linked: Vec<(i64, String, String)> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::Name)
        .column(account::Column::Platform)
        .filter(account::Column::ParentAccountId.eq(row.id))
        .filter(account::Column::Status.eq(AccountStatus::Disconnected.as_str()))
        .into_tuple()
        .all(&txn)
        .await?;
    let ids: Vec<i64> = std::iter::once(row.id)
        .chain(linked.iter().map(|(id, _, _)| *id))
        .collect();
    let concerned: Vec<(i64, Platform)> = std::iter::once((row.id, row.platform.as_str()))
        .chain(
            linked
                .iter()
                .map(|(id, _, platform)| (*id, platform.as_str())),
        )
        .filter_map(|(id, platform)| Some((id, platform.parse().ok()?)))
        .collect();
    // Posts go with their account (the foreign key cascades).
    account::Entity::delete_many()
        .filter(account::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    if let Some(grant_id) = row.grant_id {
        let left = account::Entity::find()
            .filter(account::Column::GrantId.eq(grant_id))
            .count(&txn)
            .await?;
        if left == 0 {
            grant::Entity::delete_by_id(grant_id).exec(&txn).await?;
        }
    }
    let mut entry = audit::by(
        actor,
        AuditKind::AccountDeleted,
        &row.name,
        serde_json::json!({
            "platform": row.platform,
            "linked": linked.into_iter().map(|(_, name, _)| name).collect::<Vec<_>>(),
        }),
    );
    entry.accounts = concerned;
    audit::record(&txn, now, entry).await?;
    txn.commit().await?;
    Ok(row.name)
}
