//! The Meta sandbox's tables leave the product's schema: the sandbox is now a crate of its own
//! with its own migrator and tables (`meta_sandbox_*`), made only in sandbox mode. A production
//! database keeps none of them. (In sandbox mode the sandbox's migrator runs first and copies
//! what these tables held before they go.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables m20261123_000002 and m20261128_000003 made.
const TABLES: [&str; 6] = [
    "sandbox_calls",
    "sandbox_failures",
    "sandbox_grants",
    "sandbox_tokens",
    "sandbox_codes",
    "sandbox_settings",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to the schema before: the two migrations that made the tables, again (empty).
        super::m20261123_000002_create_sandbox_tables::Migration
            .up(manager)
            .await?;
        super::m20261128_000003_create_sandbox_failures_and_calls::Migration
            .up(manager)
            .await
    }
}
