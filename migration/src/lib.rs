//! Switchboard's schema migrations. Append-only: a landed migration is never edited; a change
//! is a new dated file. Migrations never import the app's entities, so they keep compiling as
//! the entities evolve.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_core_tables;
mod m20261123_000002_create_sandbox_tables;
mod m20261128_000003_create_sandbox_failures_and_calls;
mod m20261128_000004_create_connections;
mod m20261201_000005_forget_pkce_verifiers;
mod m20261202_000006_drop_sandbox_tables;
mod m20261202_000007_create_posts_and_list_indexes;
mod m20261203_000008_reconnect_and_revocations;
mod m20261203_000009_create_data_deletion_requests;
mod m20261203_000010_token_maintenance;
mod m20261203_000011_create_meta_backoffs;
mod m20261204_000012_publishing;
mod m20261205_000013_audit_event_accounts;
mod m20261207_000014_list_indexes;

/// Every migration in the order it must run.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_core_tables::Migration),
            Box::new(m20261123_000002_create_sandbox_tables::Migration),
            Box::new(m20261128_000003_create_sandbox_failures_and_calls::Migration),
            Box::new(m20261128_000004_create_connections::Migration),
            Box::new(m20261201_000005_forget_pkce_verifiers::Migration),
            Box::new(m20261202_000006_drop_sandbox_tables::Migration),
            Box::new(m20261202_000007_create_posts_and_list_indexes::Migration),
            Box::new(m20261203_000008_reconnect_and_revocations::Migration),
            Box::new(m20261203_000009_create_data_deletion_requests::Migration),
            Box::new(m20261203_000010_token_maintenance::Migration),
            Box::new(m20261203_000011_create_meta_backoffs::Migration),
            Box::new(m20261204_000012_publishing::Migration),
            Box::new(m20261205_000013_audit_event_accounts::Migration),
            Box::new(m20261207_000014_list_indexes::Migration),
        ]
    }
}
