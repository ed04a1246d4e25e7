//! What the sandbox's publishing endpoints made: Page posts and photos, Instagram and Threads
//! media containers and the media they were published as.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MetaSandboxMedia::Table)
                    .if_not_exists()
                    .col(string_len(MetaSandboxMedia::Id, 64).primary_key())
                    .col(string_len(MetaSandboxMedia::Product, 16))
                    .col(string_len(MetaSandboxMedia::OwnerId, 32))
                    .col(string_len(MetaSandboxMedia::Kind, 16))
                    .col(string_len(MetaSandboxMedia::Status, 16))
                    .col(text_null(MetaSandboxMedia::Text))
                    .col(text_null(MetaSandboxMedia::ImageUrl))
                    .col(big_integer(MetaSandboxMedia::CreatedAt))
                    .col(big_integer(MetaSandboxMedia::ReadyAt))
                    .col(string_len_null(MetaSandboxMedia::PublishedId, 64))
                    .col(big_integer_null(MetaSandboxMedia::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meta_sandbox_media_owner")
                    .table(MetaSandboxMedia::Table)
                    .col(MetaSandboxMedia::OwnerId)
                    .col(MetaSandboxMedia::PublishedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(MetaSandboxMedia::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MetaSandboxMedia {
    Table,
    Id,
    Product,
    OwnerId,
    Kind,
    Status,
    Text,
    ImageUrl,
    CreatedAt,
    ReadyAt,
    PublishedId,
    PublishedAt,
}
