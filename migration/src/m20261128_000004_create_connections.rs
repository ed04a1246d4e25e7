//! Connected accounts: OAuth states in flight, Meta grants (one authorization each, with its
//! envelope-encrypted user token) and accounts (Facebook Pages, Instagram accounts, later
//! Threads profiles), plus the master key's check values.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(KeyChecks::Table)
                    .if_not_exists()
                    .col(string_len(KeyChecks::Fingerprint, 32).primary_key())
                    .col(string_len(KeyChecks::CheckValue, 64))
                    .col(big_integer(KeyChecks::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OauthStates::Table)
                    .if_not_exists()
                    .col(string_len(OauthStates::Digest, 64).primary_key())
                    .col(string_len(OauthStates::Provider, 16))
                    .col(big_integer(OauthStates::WorkspaceId))
                    .col(big_integer(OauthStates::UserId))
                    .col(string_len_null(OauthStates::PkceVerifier, 128))
                    .col(big_integer(OauthStates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Grants::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Grants::Id))
                    .col(big_integer(Grants::WorkspaceId))
                    .col(string_len(Grants::Provider, 16))
                    .col(string_len(Grants::ExternalUserId, 64))
                    .col(string_len(Grants::ExternalUserName, 255))
                    .col(text(Grants::TokenCiphertext))
                    .col(string_len(Grants::TokenKeyFingerprint, 32))
                    .col(big_integer_null(Grants::TokenExpiresAt))
                    .col(big_integer_null(Grants::DataAccessExpiresAt))
                    .col(text(Grants::ScopesGranted))
                    .col(text(Grants::ScopesDeclined))
                    .col(big_integer(Grants::ConsentedAt))
                    .col(big_integer(Grants::ConnectedBy))
                    .col(big_integer(Grants::CreatedAt))
                    .col(big_integer(Grants::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Grants::Table, Grants::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("grants_workspace_provider_user")
                    .table(Grants::Table)
                    .col(Grants::WorkspaceId)
                    .col(Grants::Provider)
                    .col(Grants::ExternalUserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Accounts::Id))
                    .col(big_integer(Accounts::WorkspaceId))
                    .col(big_integer_null(Accounts::GrantId))
                    .col(string_len(Accounts::Platform, 32))
                    .col(string_len(Accounts::ExternalId, 64))
                    .col(string_len(Accounts::Name, 255))
                    .col(string_len_null(Accounts::Username, 255))
                    .col(big_integer_null(Accounts::ParentAccountId))
                    .col(string_len(Accounts::Status, 16))
                    .col(string_len_null(Accounts::StatusReason, 64))
                    .col(text_null(Accounts::TokenCiphertext))
                    .col(string_len_null(Accounts::TokenKeyFingerprint, 32))
                    .col(big_integer_null(Accounts::TokenExpiresAt))
                    .col(text(Accounts::MissingScopes))
                    .col(string_len(Accounts::SearchText, 520))
                    .col(big_integer(Accounts::ConnectedBy))
                    .col(big_integer(Accounts::ConnectedAt))
                    .col(big_integer_null(Accounts::LastUsedAt))
                    .col(big_integer(Accounts::CreatedAt))
                    .col(big_integer(Accounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::GrantId)
                            .to(Grants::Table, Grants::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_workspace_platform_external")
                    .table(Accounts::Table)
                    .col(Accounts::WorkspaceId)
                    .col(Accounts::Platform)
                    .col(Accounts::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_grant")
                    .table(Accounts::Table)
                    .col(Accounts::GrantId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Accounts::Table.into_iden(),
            Grants::Table.into_iden(),
            OauthStates::Table.into_iden(),
            KeyChecks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum KeyChecks {
    Table,
    Fingerprint,
    CheckValue,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OauthStates {
    Table,
    Digest,
    Provider,
    WorkspaceId,
    UserId,
    PkceVerifier,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Grants {
    Table,
    Id,
    WorkspaceId,
    Provider,
    ExternalUserId,
    ExternalUserName,
    TokenCiphertext,
    TokenKeyFingerprint,
    TokenExpiresAt,
    DataAccessExpiresAt,
    ScopesGranted,
    ScopesDeclined,
    ConsentedAt,
    ConnectedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    WorkspaceId,
    GrantId,
    Platform,
    ExternalId,
    Name,
    Username,
    ParentAccountId,
    Status,
    StatusReason,
    TokenCiphertext,
    TokenKeyFingerprint,
    TokenExpiresAt,
    MissingScopes,
    SearchText,
    ConnectedBy,
    ConnectedAt,
    LastUsedAt,
    CreatedAt,
    UpdatedAt,
}
