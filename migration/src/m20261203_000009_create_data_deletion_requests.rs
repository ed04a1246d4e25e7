//! Meta's data-deletion callbacks leave a record (docs/meta-api.md §10): one row per request,
//! found by its random confirmation code (the status page Meta hands the person), saying what
//! was deleted and when. It keeps no personal data: the provider, a SHA-256 digest of the
//! app-scoped user id (never the id itself), the counts, the status and the time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DataDeletionRequests::Table)
                    .if_not_exists()
                    .col(big_pk_auto(DataDeletionRequests::Id))
                    .col(string_len_uniq(DataDeletionRequests::ConfirmationCode, 64))
                    .col(string_len(DataDeletionRequests::Provider, 16))
                    .col(string_len(DataDeletionRequests::UserDigest, 64))
                    .col(big_integer(DataDeletionRequests::GrantsDeleted))
                    .col(big_integer(DataDeletionRequests::AccountsDeleted))
                    .col(big_integer(DataDeletionRequests::PostsDeleted))
                    .col(string_len(DataDeletionRequests::Status, 16))
                    .col(big_integer(DataDeletionRequests::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(DataDeletionRequests::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum DataDeletionRequests {
    Table,
    Id,
    ConfirmationCode,
    Provider,
    UserDigest,
    GrantsDeleted,
    AccountsDeleted,
    PostsDeleted,
    Status,
    CreatedAt,
}
