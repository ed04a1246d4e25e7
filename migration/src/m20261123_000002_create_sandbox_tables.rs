//! The Meta sandbox's state, kept in the app's database so it survives restarts and every
//! instance and CLI command sees the same sandbox: settings (its app credentials, the current
//! scenario, the clock offset), issued authorization codes and tokens (stored only as SHA-256
//! digests) and grants (what each test user allowed each app).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SandboxSettings::Table)
                    .if_not_exists()
                    .col(string_len(SandboxSettings::Key, 64).primary_key())
                    .col(text(SandboxSettings::Value))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxCodes::Table)
                    .if_not_exists()
                    .col(string_len(SandboxCodes::Digest, 64).primary_key())
                    .col(string_len(SandboxCodes::AppId, 32))
                    .col(string_len(SandboxCodes::UserId, 32))
                    .col(text(SandboxCodes::RedirectUri))
                    .col(string_len_null(SandboxCodes::CodeChallenge, 128))
                    .col(big_integer(SandboxCodes::ExpiresAt))
                    .col(boolean(SandboxCodes::Used))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxTokens::Table)
                    .if_not_exists()
                    .col(string_len(SandboxTokens::Digest, 64).primary_key())
                    .col(string_len(SandboxTokens::Kind, 8))
                    .col(string_len(SandboxTokens::AppId, 32))
                    .col(string_len_null(SandboxTokens::UserId, 32))
                    .col(string_len_null(SandboxTokens::PageId, 32))
                    .col(boolean(SandboxTokens::LongLived))
                    .col(big_integer(SandboxTokens::IssuedAt))
                    .col(big_integer(SandboxTokens::ExpiresAt))
                    .col(integer_null(SandboxTokens::InvalidatedSubcode))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sandbox_tokens_user")
                    .table(SandboxTokens::Table)
                    .col(SandboxTokens::AppId)
                    .col(SandboxTokens::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxGrants::Table)
                    .if_not_exists()
                    .col(string_len(SandboxGrants::AppId, 32))
                    .col(string_len(SandboxGrants::UserId, 32))
                    .col(text(SandboxGrants::Granted))
                    .col(text(SandboxGrants::Declined))
                    .col(text(SandboxGrants::PageIds))
                    .col(big_integer(SandboxGrants::GrantedAt))
                    .col(big_integer(SandboxGrants::DataAccessExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(SandboxGrants::AppId)
                            .col(SandboxGrants::UserId),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SandboxGrants::Table.into_iden(),
            SandboxTokens::Table.into_iden(),
            SandboxCodes::Table.into_iden(),
            SandboxSettings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SandboxSettings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum SandboxCodes {
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
enum SandboxTokens {
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
enum SandboxGrants {
    Table,
    AppId,
    UserId,
    Granted,
    Declined,
    PageIds,
    GrantedAt,
    DataAccessExpiresAt,
}
