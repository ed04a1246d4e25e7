//! PKCE verifiers are no longer stored: each is derived from its state with a key derived from
//! the master key, so a copy of the table can't complete anyone's connection. States in flight
//! are dropped with the column (they last ten minutes; whoever was connecting starts again).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table(OauthStates::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OauthStates::Table)
                    .drop_column(OauthStates::PkceVerifier)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OauthStates::Table)
                    .add_column(
                        ColumnDef::new(OauthStates::PkceVerifier)
                            .string_len(128)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OauthStates {
    Table,
    PkceVerifier,
}
