//! The maintenance sweep's bookkeeping. Accounts and grants get a lease (a sweeper holds a row
//! while `lease_until` is in the future, so several instances never work on one token at once)
//! and the time they were last checked with Meta; an account records when its own token was
//! issued (Instagram and Threads refresh only tokens at least a day old); a grant keeps what
//! Meta's last `debug_token` said, and a Page the person's tasks on it, for the account page's
//! permission diagnostics.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            (
                Accounts::Table.into_iden(),
                big_integer(Accounts::LeaseUntil).default(0).to_owned(),
            ),
            (
                Accounts::Table.into_iden(),
                big_integer(Accounts::CheckedAt).default(0).to_owned(),
            ),
            (
                Accounts::Table.into_iden(),
                big_integer_null(Accounts::TokenIssuedAt).to_owned(),
            ),
            (
                Grants::Table.into_iden(),
                big_integer(Grants::LeaseUntil).default(0).to_owned(),
            ),
            (
                Grants::Table.into_iden(),
                big_integer(Grants::CheckedAt).default(0).to_owned(),
            ),
            (
                Grants::Table.into_iden(),
                text_null(Grants::Diagnostics).to_owned(),
            ),
            (
                Accounts::Table.into_iden(),
                text_null(Accounts::PageTasks).to_owned(),
            ),
        ];
        for (table, mut column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Tokens stored before: issued when they were connected.
        manager
            .exec_stmt(
                Query::update()
                    .table(Accounts::Table)
                    .value(Accounts::TokenIssuedAt, Expr::col(Accounts::ConnectedAt))
                    .and_where(Expr::col(Accounts::TokenCiphertext).is_not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Accounts::LeaseUntil,
            Accounts::CheckedAt,
            Accounts::TokenIssuedAt,
            Accounts::PageTasks,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Grants::LeaseUntil, Grants::CheckedAt, Grants::Diagnostics] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Grants::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    LeaseUntil,
    CheckedAt,
    TokenIssuedAt,
    PageTasks,
    TokenCiphertext,
    ConnectedAt,
}

#[derive(DeriveIden)]
enum Grants {
    Table,
    LeaseUntil,
    CheckedAt,
    Diagnostics,
}
