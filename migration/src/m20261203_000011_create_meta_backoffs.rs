//! Meta's rate limits, remembered where every instance sees them (docs/meta-api.md §9): one row
//! per scope that must wait — a product's app (`app:facebook`, `app:instagram`, `app:threads`)
//! or a business object named in `X-Business-Use-Case-Usage` (`object:<id>`) — with when the
//! wait ends (unix seconds), why (`usage` or `rate_limit_code`) and when it was last written.
//! Rows are only ever extended; an ended one is harmless and is simply overwritten later.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MetaBackoffs::Table)
                    .if_not_exists()
                    .col(string_len(MetaBackoffs::Scope, 80).primary_key())
                    .col(big_integer(MetaBackoffs::Until))
                    .col(string_len(MetaBackoffs::Reason, 16))
                    .col(big_integer(MetaBackoffs::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(MetaBackoffs::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MetaBackoffs {
    Table,
    Scope,
    Until,
    Reason,
    UpdatedAt,
}
