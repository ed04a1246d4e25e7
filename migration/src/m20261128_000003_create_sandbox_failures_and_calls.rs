//! The Meta sandbox's failure plans ("make this endpoint fail the next N times") and its call
//! log (every call it received, with fingerprints of the secrets sent, never the secrets).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SandboxFailures::Table)
                    .if_not_exists()
                    .col(big_pk_auto(SandboxFailures::Id))
                    .col(string_len(SandboxFailures::PathPattern, 255))
                    .col(text(SandboxFailures::Failure))
                    .col(integer(SandboxFailures::Remaining))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SandboxCalls::Table)
                    .if_not_exists()
                    .col(big_pk_auto(SandboxCalls::Id))
                    .col(big_integer(SandboxCalls::At))
                    .col(string_len(SandboxCalls::Method, 8))
                    .col(text(SandboxCalls::Path))
                    .col(string_len(SandboxCalls::Product, 32))
                    .col(string_len_null(SandboxCalls::TokenFingerprint, 16))
                    .col(string_len_null(SandboxCalls::CodeFingerprint, 16))
                    .col(integer(SandboxCalls::Status))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SandboxCalls::Table.into_iden(),
            SandboxFailures::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SandboxFailures {
    Table,
    Id,
    PathPattern,
    Failure,
    Remaining,
}

#[derive(DeriveIden)]
enum SandboxCalls {
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
