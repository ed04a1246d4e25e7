//! Which accounts each activity entry concerns: one row per (entry, account), with the account's
//! platform, so the activity log filters by account and by platform and an account's page links
//! to its own history. An entry about many accounts (a connect of 500 Pages) has a row for each.
//! Rows go with their entry (ON DELETE CASCADE); an account deleted for good keeps its rows,
//! since its history is the record of what happened to it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEventAccounts::Table)
                    .if_not_exists()
                    .col(big_integer(AuditEventAccounts::EventId))
                    .col(big_integer(AuditEventAccounts::AccountId))
                    .col(string_len(AuditEventAccounts::Platform, 32))
                    .primary_key(
                        Index::create()
                            .col(AuditEventAccounts::EventId)
                            .col(AuditEventAccounts::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEventAccounts::Table, AuditEventAccounts::EventId)
                            .to(AuditEvents::Table, AuditEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_event_accounts_account")
                    .table(AuditEventAccounts::Table)
                    .col(AuditEventAccounts::AccountId)
                    .col(AuditEventAccounts::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_event_accounts_platform")
                    .table(AuditEventAccounts::Table)
                    .col(AuditEventAccounts::Platform)
                    .col(AuditEventAccounts::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(AuditEventAccounts::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEventAccounts {
    Table,
    EventId,
    AccountId,
    Platform,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
}
