//! Indexes two lists read from alone. The integrations list sorts a workspace's connections by
//! family (each Page with its Instagram account) from `accounts_workspace_parent_status_name`
//! instead of reading every row; the posts list counts each account's failed posts from
//! `posts_workspace_status_account` instead of reading every post. The accounts list's
//! attention banner counts from the other two. Without them its two
//! "expiring soon" counts read a row per candidate account to check its status — about a
//! thousand row reads per view at 10,000 accounts, the largest single cost of the page
//! (README → Benchmarks). `accounts_grant` is replaced: the new grant index starts with the
//! same column, so every lookup by grant still has an index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("posts_workspace_status_account")
                    .table(Posts::Table)
                    .col(Posts::WorkspaceId)
                    .col(Posts::Status)
                    .col(Posts::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_workspace_parent_status_name")
                    .table(Accounts::Table)
                    .col(Accounts::WorkspaceId)
                    .col(Accounts::ParentAccountId)
                    .col(Accounts::Status)
                    .col(Accounts::Name)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_workspace_status_expiry")
                    .table(Accounts::Table)
                    .col(Accounts::WorkspaceId)
                    .col(Accounts::Status)
                    .col(Accounts::TokenExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_grant_status_expiry")
                    .table(Accounts::Table)
                    .col(Accounts::GrantId)
                    .col(Accounts::Status)
                    .col(Accounts::TokenExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("accounts_grant")
                    .table(Accounts::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("accounts_grant")
                    .table(Accounts::Table)
                    .col(Accounts::GrantId)
                    .to_owned(),
            )
            .await?;
        for name in [
            "accounts_grant_status_expiry",
            "accounts_workspace_status_expiry",
            "accounts_workspace_parent_status_name",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Accounts::Table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("posts_workspace_status_account")
                    .table(Posts::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    WorkspaceId,
    ParentAccountId,
    Name,
    GrantId,
    Status,
    TokenExpiresAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    WorkspaceId,
    Status,
    AccountId,
}
