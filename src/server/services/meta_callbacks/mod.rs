//! Meta's side of a connection (docs/meta-api.md §10, docs/product.md → Disconnecting): the
//! person removed the app at Meta (deauthorize), or asked Meta to have their data deleted. Both
//! name an app-scoped user id; both reach every grant that user gave through that product, in
//! every workspace, and do all of it in one transaction. The HTTP side (verifying the signed
//! request) is `server::http::webhooks`.

mod data_deletion;
mod deauthorize;

pub use data_deletion::{
    delete_data, is_confirmation_code, status, DataDeleted, DataDeletionStatus,
};
pub use deauthorize::{deauthorize, Deauthorized};

use crate::domain::Provider;
use crate::error::AppError;
use crate::server::entities::grant;
use crate::server::services::members::lock_workspace;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// A transaction that holds SQLite's write lock from its first statement: these read the
/// grants before writing, and a deferred transaction that another writer overtook between its
/// read and its first write would fail instead of waiting (PostgreSQL ignores the mode).
async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, AppError> {
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}

/// The grants `user_id` gave through `provider`, in every workspace. Their workspaces are
/// locked first (in id order, as a connection's store locks its own), so a connection being
/// stored for that person finishes before this reads, and one starting later sees the outcome.
async fn grants_of(
    txn: &DatabaseTransaction,
    provider: Provider,
    user_id: &str,
) -> Result<Vec<grant::Model>, AppError> {
    let find = || {
        grant::Entity::find()
            .filter(grant::Column::Provider.eq(provider.as_str()))
            .filter(grant::Column::ExternalUserId.eq(user_id))
            .order_by_asc(grant::Column::WorkspaceId)
            .order_by_asc(grant::Column::Id)
    };
    let first = find().all(txn).await?;
    let mut workspaces: Vec<i64> = first.iter().map(|g| g.workspace_id).collect();
    workspaces.dedup();
    for workspace_id in workspaces {
        lock_workspace(txn, workspace_id).await?;
    }
    // Read again under the locks: a connection committed meanwhile is included.
    Ok(find().all(txn).await?)
}
