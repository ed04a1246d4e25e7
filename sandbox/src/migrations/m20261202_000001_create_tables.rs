//! The sandbox's tables: settings (its app credentials, the scenario, the clock offset),
//! issued authorization codes and tokens (SHA-256 digests only), grants (what each test user
//! allowed each app), failure plans and the call log (fingerprints of secrets, never secrets).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxSettings::Table)
                    .if_not_exists()
                    .col(string_len(MetaSandboxSettings::Key, 64).primary_key())
                    .col(text(MetaSandboxSettings::Value))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxCodes::Table)
                    .if_not_exists()
                    .col(string_len(MetaSandboxCodes::Digest, 64).primary_key())
                    .col(string_len(MetaSandboxCodes::AppId, 32))
                    .col(string_len(MetaSandboxCodes::UserId, 32))
                    .col(text(MetaSandboxCodes::RedirectUri))
                    .col(string_len_null(MetaSandboxCodes::CodeChallenge, 128))
                    .col(big_integer(MetaSandboxCodes::ExpiresAt))
                    .col(boolean(MetaSandboxCodes::Used))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxTokens::Table)
                    .if_not_exists()
                    .col(string_len(MetaSandboxTokens::Digest, 64).primary_key())
                    .col(string_len(MetaSandboxTokens::Kind, 8))
                    .col(string_len(MetaSandboxTokens::AppId, 32))
                    .col(string_len_null(MetaSandboxTokens::UserId, 32))
                    .col(string_len_null(MetaSandboxTokens::PageId, 32))
                    .col(boolean(MetaSandboxTokens::LongLived))
                    .col(big_integer(MetaSandboxTokens::IssuedAt))
                    .col(big_integer(MetaSandboxTokens::ExpiresAt))
                    .col(integer_null(MetaSandboxTokens::InvalidatedSubcode))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meta_sandbox_tokens_user")
                    .table(MetaSandboxTokens::Table)
                    .col(MetaSandboxTokens::AppId)
                    .col(MetaSandboxTokens::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxGrants::Table)
                    .if_not_exists()
                    .col(string_len(MetaSandboxGrants::AppId, 32))
                    .col(string_len(MetaSandboxGrants::UserId, 32))
                    .col(text(MetaSandboxGrants::Granted))
                    .col(text(MetaSandboxGrants::Declined))
                    .col(text(MetaSandboxGrants::PageIds))
                    .col(big_integer(MetaSandboxGrants::GrantedAt))
                    .col(big_integer(MetaSandboxGrants::DataAccessExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(MetaSandboxGrants::AppId)
                            .col(MetaSandboxGrants::UserId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxFailures::Table)
                    .if_not_exists()
                    .col(big_pk_auto(MetaSandboxFailures::Id))
                    .col(string_len(MetaSandboxFailures::PathPattern, 255))
                    .col(text(MetaSandboxFailures::Failure))
                    .col(integer(MetaSandboxFailures::Remaining))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxCalls::Table)
                    .if_not_exists()
                    .col(big_pk_auto(MetaSandboxCalls::Id))
                    .col(big_integer(MetaSandboxCalls::At))
                    .col(string_len(MetaSandboxCalls::Method, 8))
                    .col(text(MetaSandboxCalls::Path))
                    .col(string_len(MetaSandboxCalls::Product, 32))
                    .col(string_len_null(MetaSandboxCalls::TokenFingerprint, 16))
                    .col(string_len_null(MetaSandboxCalls::CodeFingerprint, 16))
                    .col(integer(MetaSandboxCalls::Status))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MetaSandboxCalls::Table.into_iden(),
            MetaSandboxFailures::Table.into_iden(),
            MetaSandboxGrants::Table.into_iden(),
            MetaSandboxTokens::Table.into_iden(),
            MetaSandboxCodes::Table.into_iden(),
            MetaSandboxSettings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MetaSandboxSettings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum MetaSandboxCodes {
    Table,
    Digest,
    AppId,
    UserId,
    RedirectUri,
    CodeChallenge,
    ExpiresAt,
    Used,
}

#[derive(DeriveIden)]
enum MetaSandboxTokens {
    Table,
    Digest,
    Kind,
    AppId,
    UserId,
    PageId,
    LongLived,
    IssuedAt,
    ExpiresAt,
    InvalidatedSubcode,
}

#[derive(DeriveIden)]
enum MetaSandboxGrants {
    Table,
    AppId,
    UserId,
    Granted,
    Declined,
    PageIds,
    GrantedAt,
    DataAccessExpiresAt,
}

#[derive(DeriveIden)]
enum MetaSandboxFailures {
    Table,
    Id,
    PathPattern,
    Failure,
    Remaining,
}

#[derive(DeriveIden)]
enum MetaSandboxCalls {
    Table,
    Id,
    At,
    Method,
    Path,
    Product,
    TokenFingerprint,
    CodeFingerprint,
    Status,
}
