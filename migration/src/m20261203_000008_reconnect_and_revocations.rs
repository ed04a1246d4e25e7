//! Reconnecting and disconnecting. An OAuth state remembers what it was started for (a
//! Reconnect, and the page to return to). Revocations to perform at Meta are kept one row per
//! Meta user of a provider: the row is also what disconnects and new grants of that user lock,
//! in any workspace, so "revoke only with the last account" and "a new grant cancels a pending
//! revocation" hold under concurrency.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(OauthStates::Table)
                    .add_column(string_len(OauthStates::Purpose, 16).default("connect"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OauthStates::Table)
                    .add_column(string_len_null(OauthStates::ReturnTo, 512))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Revocations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Revocations::Id))
                    .col(string_len(Revocations::Provider, 16))
                    .col(string_len(Revocations::ExternalUserId, 64))
                    .col(string_len(Revocations::Status, 16))
                    .col(integer(Revocations::Attempts).default(0))
                    .col(big_integer(Revocations::NextAttemptAt).default(0))
                    .col(big_integer(Revocations::LeaseUntil).default(0))
                    .col(string_len_null(Revocations::LastError, 64))
                    .col(big_integer(Revocations::CreatedAt))
                    .col(big_integer(Revocations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("revocations_provider_user")
                    .table(Revocations::Table)
                    .col(Revocations::Provider)
                    .col(Revocations::ExternalUserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("revocations_due")
                    .table(Revocations::Table)
                    .col(Revocations::Status)
                    .col(Revocations::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("grants_provider_user")
                    .table(Grants::Table)
                    .col(Grants::Provider)
                    .col(Grants::ExternalUserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("grants_provider_user")
                    .table(Grants::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Revocations::Table).to_owned())
            .await?;
        for column in [OauthStates::ReturnTo, OauthStates::Purpose] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OauthStates::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum OauthStates {
    Table,
    Purpose,
    ReturnTo,
}

#[derive(DeriveIden)]
enum Grants {
    Table,
    Provider,
    ExternalUserId,
}

#[derive(DeriveIden)]
enum Revocations {
    Table,
    Id,
    Provider,
    ExternalUserId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    UpdatedAt,
}
