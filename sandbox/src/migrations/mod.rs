//! The sandbox's own schema, with its own migration table (`seaql_migrations_meta_sandbox`), so
//! the product's migration chain never creates, knows or drops these tables: they exist only in
//! a database that has run in sandbox mode. Append-only, like the product's.

use sea_orm::DatabaseConnection;
use sea_orm_migration::prelude::*;

mod m20261202_000001_create_tables;
mod m20261202_000002_adopt_earlier_tables;
mod m20261204_000003_create_media;

struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261202_000001_create_tables::Migration),
            Box::new(m20261202_000002_adopt_earlier_tables::Migration),
            Box::new(m20261204_000003_create_media::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        "seaql_migrations_meta_sandbox".into_iden()
    }
}

/// Makes (or brings up to date) the sandbox's tables in `db`. In sandbox mode the app runs it
/// before its own migrations, so the first run after an upgrade still finds the tables earlier
/// builds kept in the product's chain and can adopt what they held.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
