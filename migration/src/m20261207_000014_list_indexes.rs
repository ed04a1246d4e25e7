//! Indexes two lists read from alone. The integrations list sorts a workspace's connections by
//! family (each Page with its Instagram account) from `accounts_workspace_parent_status_name`
//! instead of reading every row; the posts list counts each account's failed posts from
//! `posts_workspace_status_account` instead of reading every post. The accounts list's
//! attention banner counts from the other two: without them its two "expiring soon" counts
//! read a row per candidate account to check its status — about a thousand row reads per view
//! at 10,000 accounts, the largest single cost of the page (README → Benchmarks).
//! `accounts_grant` is replaced: the new grant index starts with the same column, so every
//! lookup by grant still has an index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(name, table, columns)` of each new index.
const INDEXES: [(&str, Indexed, &[Column]); 4] = [
    (
        "accounts_workspace_parent_status_name",
        Indexed::Accounts,
        &[
            Column::WorkspaceId,
            Column::ParentAccountId,
            Column::Status,
            Column::Name,
        ],
    ),
    (
        "accounts_workspace_status_expiry",
        Indexed::Accounts,
        &[Column::WorkspaceId, Column::Status, Column::TokenExpiresAt],
    ),
    (
        "accounts_grant_status_expiry",
        Indexed::Accounts,
        &[Column::GrantId, Column::Status, Column::TokenExpiresAt],
    ),
    (
        "posts_workspace_status_account",
        Indexed::Posts,
        &[Column::WorkspaceId, Column::Status, Column::AccountId],
    ),
];

/// The index the grant one replaces.
fn accounts_grant() -> IndexCreateStatement {
    Index::create()
        .name("accounts_grant")
        .table(Indexed::Accounts)
        .col(Column::GrantId)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("accounts_grant")
                    .table(Indexed::Accounts)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(accounts_grant()).await?;
        for (name, table, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// The tables this migration indexes.
#[derive(DeriveIden, Clone, Copy)]
enum Indexed {
    Accounts,
    Posts,
}

#[derive(DeriveIden, Clone, Copy)]
enum Column {
    WorkspaceId,
    ParentAccountId,
    Name,
    GrantId,
    Status,
    TokenExpiresAt,
    AccountId,
}
