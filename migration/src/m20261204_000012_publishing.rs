//! Publishing: a post keeps what was written (message, image URL), who wrote it, the
//! submission it came from (unique per account, so submitting twice never posts twice), Meta's
//! id once published, the container Instagram or Threads is processing, why it failed, and the
//! scheduler's bookkeeping — when to try again, a lease (so two instances never publish one
//! post) and when the final publish call was sent (a post whose call was sent but never
//! answered is never retried). Accounts cache Meta's publishing quota, read at most hourly.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SUBMISSION_INDEX: &str = "posts_account_submission";
const DUE_INDEX: &str = "posts_status_next_attempt";
const LIST_INDEX: &str = "posts_workspace_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            (
                Posts::Table.into_iden(),
                string_len_null(Posts::SubmissionKey, 64).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer_null(Posts::CreatedBy).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                text(Posts::Message).default("").to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                text_null(Posts::ImageUrl).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                string_len_null(Posts::MetaPostId, 128).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                string_len_null(Posts::ContainerId, 64).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                string_len_null(Posts::Failure, 64).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer_null(Posts::MetaCode).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer_null(Posts::MetaSubcode).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                integer(Posts::Attempts).default(0).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer(Posts::NextAttemptAt).default(0).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer(Posts::LeaseUntil).default(0).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer_null(Posts::SentAt).to_owned(),
            ),
            (
                Posts::Table.into_iden(),
                big_integer(Posts::UpdatedAt).default(0).to_owned(),
            ),
            (
                Accounts::Table.into_iden(),
                integer_null(Accounts::PublishQuotaTotal).to_owned(),
            ),
            (
                Accounts::Table.into_iden(),
                big_integer_null(Accounts::PublishQuotaCheckedAt).to_owned(),
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
        // Posts written before had no submission (NULL: unique indexes let NULLs repeat).
        manager
            .exec_stmt(
                Query::update()
                    .table(Posts::Table)
                    .value(Posts::UpdatedAt, Expr::col(Posts::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(SUBMISSION_INDEX)
                    .table(Posts::Table)
                    .col(Posts::AccountId)
                    .col(Posts::SubmissionKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(DUE_INDEX)
                    .table(Posts::Table)
                    .col(Posts::Status)
                    .col(Posts::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(LIST_INDEX)
                    .table(Posts::Table)
                    .col(Posts::WorkspaceId)
                    .col(Posts::CreatedAt)
                    .col(Posts::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in [SUBMISSION_INDEX, DUE_INDEX, LIST_INDEX] {
            manager
                .drop_index(Index::drop().name(index).table(Posts::Table).to_owned())
                .await?;
        }
        for column in [
            Posts::SubmissionKey,
            Posts::CreatedBy,
            Posts::Message,
            Posts::ImageUrl,
            Posts::MetaPostId,
            Posts::ContainerId,
            Posts::Failure,
            Posts::MetaCode,
            Posts::MetaSubcode,
            Posts::Attempts,
            Posts::NextAttemptAt,
            Posts::LeaseUntil,
            Posts::SentAt,
            Posts::UpdatedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Posts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Accounts::PublishQuotaTotal, Accounts::PublishQuotaCheckedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    WorkspaceId,
    AccountId,
    CreatedAt,
    Status,
    SubmissionKey,
    CreatedBy,
    Message,
    ImageUrl,
    MetaPostId,
    ContainerId,
    Failure,
    MetaCode,
    MetaSubcode,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    SentAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    PublishQuotaTotal,
    PublishQuotaCheckedAt,
}
