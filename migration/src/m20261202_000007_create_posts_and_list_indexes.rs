//! The accounts list's needs: the `posts` table (each post to one account, with its status and
//! when it was published) with the index a rolling 24-hour count per account uses, and indexes
//! on `accounts` that match the list's filters and sorts within a workspace.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(name, columns)` of the accounts list's indexes. Each ends in the lower-case search column,
/// so a view's count and search are answered from the index alone (the rows are read only for
/// the fifty shown).
const ACCOUNT_INDEXES: [(&str, &[Accounts]); 5] = [
    // The default view (Active, by name) and every status filter by name.
    (
        "accounts_workspace_status_search",
        &[
            Accounts::WorkspaceId,
            Accounts::Status,
            Accounts::SearchText,
        ],
    ),
    // A status and a platform filter together (Active Instagram accounts).
    (
        "accounts_workspace_status_platform_search",
        &[
            Accounts::WorkspaceId,
            Accounts::Status,
            Accounts::Platform,
            Accounts::SearchText,
        ],
    ),
    // A platform filter over every status.
    (
        "accounts_workspace_platform_search",
        &[
            Accounts::WorkspaceId,
            Accounts::Platform,
            Accounts::SearchText,
        ],
    ),
    // Sorting by expiry (and the banner's direct-token count) and by last use.
    (
        "accounts_workspace_expiry",
        &[Accounts::WorkspaceId, Accounts::TokenExpiresAt],
    ),
    (
        "accounts_workspace_last_used",
        &[Accounts::WorkspaceId, Accounts::LastUsedAt],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Posts::Id))
                    .col(big_integer(Posts::WorkspaceId))
                    .col(big_integer(Posts::AccountId))
                    .col(string_len(Posts::Status, 16))
                    .col(big_integer_null(Posts::PublishedAt))
                    .col(big_integer(Posts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posts::Table, Posts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("posts_account_status_published")
                    .table(Posts::Table)
                    .col(Posts::AccountId)
                    .col(Posts::Status)
                    .col(Posts::PublishedAt)
                    .to_owned(),
            )
            .await?;
        for (name, columns) in ACCOUNT_INDEXES {
            let mut index = Index::create();
            index.name(name).table(Accounts::Table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in ACCOUNT_INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Accounts::Table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Posts::Table).if_exists().to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    WorkspaceId,
    AccountId,
    Status,
    PublishedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    Id,
    WorkspaceId,
    Status,
    SearchText,
    Platform,
    TokenExpiresAt,
    LastUsedAt,
}
